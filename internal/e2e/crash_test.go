// Package e2e holds end-to-end tests of the real binary: crash safety
// (kill -9 under concurrent persisted creates, restart, every acknowledged
// resource intact).
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
	"github.com/fakeprovider/fakeprovider/internal/robustness"
)

// acked is a resource the server acknowledged (2xx) before a crash.
type acked struct {
	read   platform.Example // resolved read of the resource
	marker string           // must appear in the read's answer
	wl     *workload
}

// workload is what the crash test creates and reads back.
type workload struct {
	name string
	// create sends one create with marker and returns the read that
	// fetches it when the server acknowledged it.
	create func(ctx context.Context, base, marker string) (*acked, error)
	// get reads an acknowledged resource back.
	get func(ctx context.Context, base string, a *acked) (int, []byte, error)
}

// setField appends suffix to the string field key of a JSON object.
func setField(body []byte, key, suffix string) []byte {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		return body
	}
	if s, ok := m[key].(string); ok {
		m[key] = s + suffix
	}
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

// markableKey finds a string field of the create body that accepts a
// suffix and shows it when the resource is read back.
func markableKey(t *testing.T, sess *robustness.Session, create, read platform.Example) string {
	ctx := context.Background()
	var m map[string]any
	if json.Unmarshal(create.Body, &m) != nil {
		return ""
	}
	var keys []string
	for k, v := range m {
		if _, ok := v.(string); ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		ex := create
		ex.Body = setField(create.Body, k, "Zqprobe")
		req, err := sess.Request(ctx, ex)
		if err != nil {
			t.Fatal(err)
		}
		st, body, err := send(req)
		if err != nil || st >= 300 {
			continue
		}
		id, err := robustness.Field(body, read.IDField)
		if err != nil {
			continue
		}
		r := read
		r.Path = strings.ReplaceAll(r.Path, "{id}", id)
		if req, err = sess.Request(ctx, r); err != nil {
			t.Fatal(err)
		}
		if st, got, err := send(req); err == nil && st < 300 && bytes.Contains(got, []byte("Zqprobe")) {
			return k
		}
	}
	return ""
}

var client = &http.Client{Timeout: 10 * time.Second}

func send(req *http.Request) (int, []byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// providerWorkloads uses every wired provider whose examples read back
// what a create made; every request is signed by its ClientSigner.
func providerWorkloads(t *testing.T, base string) []*workload {
	var out []*workload
	for _, c := range robustness.Clients(app.Providers()) {
		exs := c.Examples()
		byName := map[string]platform.Example{}
		for _, ex := range exs {
			byName[ex.Name] = ex
		}
		var read, create platform.Example
		found := false
		for _, ex := range exs {
			if from, ok := byName[ex.From]; ok && ex.Method == http.MethodGet && from.Method == http.MethodPost && strings.Contains(ex.Path, "{id}") {
				read, create, found = ex, from, true
				break
			}
		}
		if !found {
			continue
		}
		ctx := context.Background()
		creds, err := robustness.Credentials(ctx, base, []robustness.Client{c}, "")
		if err != nil {
			t.Fatal(err)
		}
		sess := robustness.NewSession(base, c, creds[c.Name()])
		sess.HTTP = client
		if _, err := sess.RunAll(ctx); err != nil {
			t.Fatalf("examples: %v", err)
		}
		rc, err := sess.Resolve(create)
		if err != nil {
			t.Fatal(err)
		}
		key := markableKey(t, sess, rc, read)
		if key == "" {
			t.Logf("%s: no string field of %s shows a marker when read back: checked on status only", c.Name(), create.Name)
		}
		var wl *workload
		wl = &workload{
			name: c.Name() + " " + create.Name,
			create: func(ctx context.Context, base, marker string) (*acked, error) {
				ex := rc
				if key == "" {
					marker = ""
				} else {
					ex.Body = setField(ex.Body, key, marker)
				}
				s := *sess
				s.Base = base
				req, err := s.Request(ctx, ex)
				if err != nil {
					return nil, err
				}
				st, body, err := send(req)
				if err != nil || st >= 300 {
					return nil, nil // not acknowledged (the kill cuts requests off)
				}
				id, err := robustness.Field(body, read.IDField)
				if err != nil {
					return nil, fmt.Errorf("acknowledged create without %s: %s", read.IDField, body)
				}
				r := read
				r.Path = strings.ReplaceAll(r.Path, "{id}", id)
				return &acked{read: r, marker: marker, wl: wl}, nil
			},
			get: func(ctx context.Context, base string, a *acked) (int, []byte, error) {
				s := *sess
				s.Base = base
				req, err := s.Request(ctx, a.read)
				if err != nil {
					return 0, nil, err
				}
				return send(req)
			},
		}
		out = append(out, wl)
	}
	return out
}

// controlWorkload creates tenants (a persisted create of the control API)
// when no provider can be driven yet.
func controlWorkload() *workload {
	wl := &workload{}
	*wl = workload{
		name: "control tenants.create",
		create: func(ctx context.Context, base, marker string) (*acked, error) {
			id, err := robustness.NewTenant(ctx, base)
			if err != nil {
				return nil, nil // not acknowledged
			}
			return &acked{read: platform.Example{Method: http.MethodGet, Path: "/_fakeprovider/credentials?tenant=" + id}, marker: id, wl: wl}, nil
		},
		get: func(ctx context.Context, base string, a *acked) (int, []byte, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+a.read.Path, nil)
			if err != nil {
				return 0, nil, err
			}
			return send(req)
		},
	}
	return wl
}

func rounds(t *testing.T) int {
	if v := os.Getenv("FAKEPROVIDER_CRASH_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("FAKEPROVIDER_CRASH_ROUNDS=%q: want a positive integer", v)
		}
		return n
	}
	if testing.Short() {
		return 2
	}
	return 5
}

// TestCrash starts the binary with --data, runs concurrent creates, kills
// it with SIGKILL at a random point, restarts it on the same file (the
// binary refuses a corrupt db, so a start is the "opens clean" check) and
// reads back every resource acknowledged in any round, intact. CI runs 5
// rounds (2 with -short); `make crashtest` runs FAKEPROVIDER_CRASH_ROUNDS.
func TestCrash(t *testing.T) {
	n := rounds(t)
	data := filepath.Join(t.TempDir(), "crash.db")
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("FAKEPROVIDER_CRASH_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("%d rounds, seed %d (FAKEPROVIDER_CRASH_SEED to replay)", n, seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	var all []*acked
	var wls []*workload
	ctx := context.Background()
	for round := range n {
		p := platformtest.StartBinary(t, "--data", data)
		if wls == nil {
			if wls = providerWorkloads(t, p.URL); len(wls) == 0 {
				wls = []*workload{controlWorkload()}
			}
			for _, wl := range wls {
				t.Logf("workload: %s", wl.name)
			}
		}
		// Everything acknowledged before is here, intact.
		checkAll(t, ctx, p.URL, all, round)
		if t.Failed() {
			return
		}
		// Concurrent creates; kill -9 after a random delay.
		var mu sync.Mutex
		var stop atomic.Bool
		var wg sync.WaitGroup
		var seq atomic.Int64
		for w := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !stop.Load() {
					marker := fmt.Sprintf("Zqcrashr%dw%dn%d", round, w, seq.Add(1))
					a, err := wls[w%len(wls)].create(ctx, p.URL, marker)
					if err != nil && !stop.Load() {
						t.Errorf("round %d create: %v", round, err)
						return
					}
					if a != nil {
						mu.Lock()
						all = append(all, a)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(20+rng.IntN(400)) * time.Millisecond)
		stop.Store(true)
		p.Kill()
		wg.Wait()
		t.Logf("round %d: killed with %d acknowledged resources in total", round, len(all))
	}
	per := map[string]int{}
	for _, a := range all {
		per[a.wl.name]++
	}
	for _, wl := range wls {
		if per[wl.name] == 0 {
			t.Errorf("%s: no create was acknowledged in %d rounds", wl.name, n)
		}
	}
	t.Logf("acknowledged per workload: %v", per)
	p := platformtest.StartBinary(t, "--data", data)
	checkAll(t, ctx, p.URL, all, n)
	if err := p.Stop(t); err != nil {
		t.Errorf("clean stop after the crashes: %v", err)
	}
}

func checkAll(t *testing.T, ctx context.Context, base string, all []*acked, round int) {
	t.Helper()
	var wg sync.WaitGroup
	work := make(chan *acked)
	var bad atomic.Int64
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				st, body, err := a.wl.get(ctx, base, a)
				if err != nil || st != http.StatusOK || !bytes.Contains(body, []byte(a.marker)) {
					if bad.Add(1) <= 5 {
						t.Errorf("after restart %d: acknowledged %s %s lost or damaged: %v %d %.200s", round, a.read.Method, a.read.Path, err, st, body)
					}
				}
			}
		}()
	}
	for _, a := range all {
		work <- a
	}
	close(work)
	wg.Wait()
	if b := bad.Load(); b > 0 {
		t.Errorf("after restart %d: %d of %d acknowledged resources lost or damaged", round, b, len(all))
	}
}
