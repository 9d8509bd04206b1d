package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/robustness"
)

type runner struct {
	cfg     config
	out     io.Writer
	tmp     string
	bin     string
	hello   string // the bare baseline server
	clients []robustness.Client
	rep     *Report
	hook    *receiver
}

func newRunner(ctx context.Context, cfg config, out io.Writer) (*runner, error) {
	tmp, err := os.MkdirTemp(cfg.dataDir, "fakeprovider-bench-")
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, out: out, tmp: tmp, rep: newReport(cfg)}
	r.bin = cfg.bin
	if r.bin == "" {
		r.logf("building cmd/fakeprovider…")
		if r.bin, err = buildBinary(ctx, tmp, "fakeprovider", "./cmd/fakeprovider"); err != nil {
			os.RemoveAll(tmp)
			return nil, err
		}
	}
	if cfg.soak == 0 && cfg.profile == "" { // only the full run compares with it
		if r.hello, err = buildBinary(ctx, tmp, "hello", "./bench/hello"); err != nil {
			os.RemoveAll(tmp)
			return nil, err
		}
	}
	want := map[string]bool{}
	for _, n := range strings.Split(cfg.providers, ",") {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	for _, c := range robustness.Clients(app.Providers()) {
		if len(want) == 0 || want[c.Name()] {
			r.clients = append(r.clients, c)
		}
	}
	if r.hook, err = newReceiver(); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return r, nil
}

func (r *runner) cleanup() {
	r.hook.Close()
	os.RemoveAll(r.tmp)
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.out, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func (r *runner) logStats(s Stats) {
	line := fmt.Sprintf("%-40s c=%-3d %9.0f req/s  p50 %-9v p99 %-9v p99.9 %-9v n=%d", s.Name, s.Conns, s.RPS(), round(s.P50), round(s.P99), round(s.P999), s.Requests)
	if s.Errors > 0 {
		line += fmt.Sprintf("  ERRORS %d (first: %s)", s.Errors, s.FirstErr)
	}
	r.logf("%s", line)
}

// target is one provider's read and create, resolved for a session.
type target struct {
	name   string
	sess   *robustness.Session
	read   platform.Example
	create platform.Example
}

func (t *target) readReq(ctx context.Context, _ int) (*http.Request, error) {
	return t.sess.Request(ctx, t.read)
}

func (t *target) createReq(ctx context.Context, _ int) (*http.Request, error) {
	return t.sess.Request(ctx, t.create)
}

// prepare runs every provider's examples against base (creating the
// resources the reads fetch) and picks each provider's read and create.
// Without any usable provider it falls back to the control API (a tenant
// create is also a persisted create).
func (r *runner) prepare(ctx context.Context, base string) []*target {
	var out []*target
	var creds map[string]any
	if len(r.clients) > 0 {
		var err error
		if creds, err = robustness.Credentials(ctx, base, r.clients, ""); err != nil {
			r.rep.note("credentials: %v", err)
		}
	}
	for _, c := range r.clients {
		if creds == nil {
			break
		}
		s := robustness.NewSession(base, c, creds[c.Name()])
		if _, err := s.RunAll(ctx); err != nil {
			r.rep.note("%s skipped: %v", c.Name(), err)
			continue
		}
		t := &target{name: c.Name(), sess: s}
		exs := c.Examples()
		byName := map[string]platform.Example{}
		for _, ex := range exs {
			byName[ex.Name] = ex
		}
		var read, create *platform.Example
		for _, ex := range exs {
			if ex.Method == http.MethodGet && ex.From != "" {
				if from, ok := byName[ex.From]; ok && from.Method == http.MethodPost {
					read, create = &ex, &from
					break
				}
			}
		}
		if read == nil {
			for _, ex := range exs {
				if ex.Method == http.MethodGet && read == nil {
					read = &ex
				}
				if ex.Method == http.MethodPost && create == nil {
					create = &ex
				}
			}
		}
		if read == nil || create == nil {
			r.rep.note("%s skipped: its examples have no read or no create", c.Name())
			continue
		}
		var err error
		if t.read, err = s.Resolve(*read); err == nil {
			t.create, err = s.Resolve(*create)
		}
		if err != nil {
			r.rep.note("%s skipped: %v", c.Name(), err)
			continue
		}
		t.read.Name, t.create.Name = c.Name()+" "+read.Name, c.Name()+" "+create.Name
		out = append(out, t)
	}
	if len(out) == 0 {
		r.rep.note("no provider with ClientSigner and Examples is usable: the workloads use the control API (GET /_fakeprovider/credentials, POST /_fakeprovider/tenants), unauthenticated")
		out = append(out, controlTarget(base))
	}
	return out
}

// controlTarget is the fallback workload on the control API.
func controlTarget(base string) *target {
	return &target{name: "control", sess: robustness.NewSession(base, controlClient{}, nil),
		read:   platform.Example{Name: "control credentials", Method: http.MethodGet, Path: "/credentials"},
		create: platform.Example{Name: "control tenants.create", Method: http.MethodPost, Path: "/tenants"},
	}
}

// controlClient lets a Session send control API calls (no signature).
type controlClient struct{}

func (controlClient) Name() string                                            { return "_fakeprovider" }
func (controlClient) Credentials() platform.CredentialSpec                    { return platform.CredentialSpec{} }
func (controlClient) Mount(*platform.Mount) error                             { return nil }
func (controlClient) Examples() []platform.Example                            { return nil }
func (controlClient) SignRequest(*http.Request, []byte, any, time.Time) error { return nil }

// all runs every measure in order.
func (r *runner) all(ctx context.Context) (*Report, error) {
	cfg := r.cfg
	names := []string{}
	for _, c := range r.clients {
		names = append(names, c.Name())
	}
	r.logf("providers with ClientSigner+Examples: %v; %v per workload", names, cfg.duration)

	// Baseline.
	bp, _, err := startBaseline(r.hello)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	base := load(ctx, "baseline: bare net/http hello-world", cfg.conns, cfg.duration, func(ctx context.Context, _ int) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, bp.URL+"/", nil)
	}, nil)
	r.rep.baselineRSS = bp.RSS()
	r.logStats(base)
	r.rep.baseline = base
	// The wrk baseline runs just before and just after the wrk replays of
	// the emulator (the bare server idles meanwhile), and their sum is the
	// baseline: the machine's load drifts within a run.
	wrkBase := func() Stats { return Stats{} }
	wrk, err := ensureWrk(ctx)
	if err != nil {
		r.rep.note("wrk workloads skipped: %v", err)
	} else {
		wrkBase = func() Stats {
			cpu := bp.CPU()
			s := runWrk(ctx, wrk, r.tmp, "baseline: bare net/http hello-world", wrkDuration, func(ctx context.Context, _ int) (*http.Request, error) {
				return http.NewRequestWithContext(ctx, http.MethodGet, bp.URL+"/", nil)
			})
			s.ServerCPU = bp.CPU() - cpu
			r.logStats(s)
			return s
		}
	}
	defer bp.Kill()

	// Temporary mode: idle RSS, GETs, creates, mixed.
	p, _, err := startBinary(r.bin)
	if err != nil {
		return nil, err
	}
	time.Sleep(200 * time.Millisecond)
	r.rep.idleRSS, r.rep.idleAnon = p.RSS(), p.Anon()
	r.logf("idle RSS %s", mib(r.rep.idleRSS))
	health := load(ctx, "GET /_fakeprovider/health (no auth, no store)", cfg.conns, cfg.duration, func(ctx context.Context, _ int) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, p.URL+"/_fakeprovider/health", nil)
	}, nil)
	r.logStats(health)
	r.rep.add(health, kindInfo)
	targets := r.prepare(ctx, p.URL)
	// Per-provider workloads share the time budget (make bench < 5 min).
	pd := max(cfg.duration*2/time.Duration(max(len(targets), 2)), min(cfg.duration, 3*time.Second))
	for _, t := range targets {
		s := load(ctx, "GET "+t.read.Name, cfg.conns, pd, t.readReq, nil)
		r.logStats(s)
		r.rep.add(s, kindGet)
	}
	if wrk != "" {
		before := wrkBase()
		for _, t := range targets {
			cpu := p.CPU()
			s := runWrk(ctx, wrk, r.tmp, "GET "+t.read.Name, wrkDuration, t.readReq)
			s.ServerCPU = p.CPU() - cpu
			r.logStats(s)
			r.rep.add(s, kindWrk)
		}
		r.rep.wrkBaseline = sumStats(before, wrkBase())
		r.rep.wrkBaseline.Name += ", before and after the emulator's"
	}
	bp.Kill()
	for _, t := range targets {
		s := load(ctx, "create (temporary) "+t.create.Name, cfg.conns, pd, t.createReq, nil)
		r.logStats(s)
		r.rep.add(s, kindTemp)
	}
	r.rep.rssAfterLoad, r.rep.anonAfterLoad = p.RSS(), p.Anon()
	p.Stop()
	// The mixed workload advances scenario time: on a fresh emulator, so
	// that only its own creates fall due (not the thousands above).
	if p, _, err = startBinary(r.bin); err != nil {
		return nil, err
	}
	mixed := r.mixed(ctx, r.prepare(ctx, p.URL))
	r.logStats(mixed)
	r.rep.add(mixed, kindMixed)
	p.Stop()

	// Persistent mode: creates at 256 and 32 clients, and the raw fsync limit.
	dataDir := filepath.Join(r.tmp, "data")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, err
	}
	p, _, err = startBinary(r.bin, "--data", filepath.Join(dataDir, "bench.db"))
	if err != nil {
		return nil, err
	}
	targets = r.prepare(ctx, p.URL)
	for _, t := range targets {
		for _, c := range []int{256, 32} {
			s := load(ctx, "create (--data, fsync) "+t.create.Name, c, pd, t.createReq, nil)
			r.logStats(s)
			r.rep.add(s, kindFsync)
		}
	}
	p.Stop()
	lim, err := fsyncLimit(dataDir, 32, min(cfg.duration, 5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("fsync probe: %w", err)
	}
	r.rep.fsyncLimit = lim
	r.logf("raw write+fsync limit, 32 goroutines: %.0f/s", lim)

	// Start to healthy.
	med, all, bare, err := startupMedian(r.bin, r.hello, cfg.starts)
	if err != nil {
		return nil, err
	}
	r.rep.startMedian, r.rep.starts, r.rep.baselineStart = med, all, bare
	r.logf("start to healthy: median %v of %d; bare server %v", round(med), len(all), round(r.rep.baselineStart))

	// Large store.
	if err := r.largeStore(ctx); err != nil {
		return nil, err
	}
	return r.rep, nil
}

// mixed runs 80 % GETs and 20 % creates across the providers; creates
// whose body names a notification URL get the loopback receiver's.
func (r *runner) mixed(ctx context.Context, targets []*target) Stats {
	s, hooked := r.mixedLoad(ctx, targets, r.cfg.duration, nil)
	r.rep.webhooks = r.hook.count.Load()
	if hooked == 0 {
		r.rep.note("mixed workload: no wired provider's create example names a notification URL, so no webhook fired (the receiver got %d); add a notification/callback URL field to an Example to cover it", r.rep.webhooks)
	} else {
		r.rep.note("mixed workload: %d webhooks received by the loopback receiver during the run", r.rep.webhooks)
	}
	return s
}

// mixedLive are the mixed workload's running counts, read by the soak's
// sampler while it runs, and its pace.
type mixedLive struct {
	rate      float64      // requests started per second at most (0: no limit)
	done      atomic.Int64 // successful answers
	notifying atomic.Int64 // creates sent whose body names the receiver
	advances  atomic.Int64 // clock advances answered
}

// mixedLoad is the mixed workload for d, with scenario time advancing; it
// resets the receiver's count, keeps live's counts (nil: none, no pace)
// and returns the figures and how many providers' creates name the
// receiver.
func (r *runner) mixedLoad(ctx context.Context, targets []*target, d time.Duration, live *mixedLive) (Stats, int) {
	if live == nil {
		live = &mixedLive{}
	}
	r.hook.count.Store(0)
	hooked := 0
	creates := make([]platform.Example, len(targets))
	notifies := make([]bool, len(targets))
	for i, t := range targets {
		creates[i] = t.create
		if nb := hookURL.ReplaceAll(t.create.Body, []byte(`"${1}${2}":"`+r.hook.URL+`"`)); !bytes.Equal(nb, t.create.Body) {
			creates[i].Body = nb
			notifies[i] = true
			hooked++
		}
	}
	var n atomic.Int64
	mk := func(ctx context.Context, w int) (*http.Request, error) {
		i := n.Add(1)
		t := targets[int(i)%len(targets)]
		if i%5 == 0 {
			if notifies[int(i)%len(targets)] {
				live.notifying.Add(1)
			}
			return t.sess.Request(ctx, creates[int(i)%len(targets)])
		}
		return t.sess.Request(ctx, t.read)
	}
	// Scenario time moves on while the load runs, so the creates'
	// scheduled outcomes (a deposit completing, a check finishing) fall due
	// and their webhooks go out through the outbox to the receiver. An
	// advance answers once everything due has run, so one that is still
	// waiting when the load ends is abandoned.
	clockCtx, stopClock := context.WithCancel(ctx)
	clockDone := make(chan struct{})
	go func() {
		defer close(clockDone)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-clockCtx.Done():
				return
			case <-tick.C:
				if advanceClock(clockCtx, targets[0].sess.Base, "1h") {
					live.advances.Add(1)
				}
			}
		}
	}()
	s := loadCounting(ctx, "mixed 80% GET / 20% create", r.cfg.conns, d, mk, nil, &live.done, live.rate)
	stopClock()
	<-clockDone
	// Let the outbox drain briefly.
	time.Sleep(200 * time.Millisecond)
	return s, hooked
}

// advanceClock fast-forwards scenario time for every tenant and reports
// whether the emulator answered 2xx.
func advanceClock(ctx context.Context, base, by string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/_fakeprovider/clock/advance", strings.NewReader(`{"by":"`+by+`"}`))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode < 300
}

// hookURL finds JSON fields naming a notification URL in example bodies.
var hookURL = regexp.MustCompile(`"([a-zA-Z_]*)((?i:hook|notif|callback)[a-zA-Z_]*)"\s*:\s*"[^"]*"`)

// largeStore measures GET p99 at ~1 k records (created through the public
// API in a --data file), stores resources through the API for the fill
// budget while sampling RSS, stops the emulator, grows the file to
// -records by copying the created records (bulkClone), restarts on it and
// measures RSS and GET p99 again.
func (r *runner) largeStore(ctx context.Context) error {
	dir := r.cfg.dataDir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "fakeprovider-bench-large-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	path := filepath.Join(dir, "large.db")
	os.Remove(path)
	defer os.Remove(path)
	p, _, err := startBinary(r.bin, "--data", path)
	if err != nil {
		return err
	}
	defer func() {
		if p != nil {
			p.Stop()
		}
	}()
	addr := strings.TrimPrefix(p.URL, "http://")
	targets := r.prepare(ctx, p.URL)
	// Creates and reads go round-robin over the providers.
	var rr atomic.Int64
	createReq := func(ctx context.Context, w int) (*http.Request, error) {
		return targets[int(rr.Add(1))%len(targets)].createReq(ctx, w)
	}
	readReq := func(ctx context.Context, w int) (*http.Request, error) {
		return targets[int(rr.Add(1))%len(targets)].readReq(ctx, w)
	}
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.read.Name
	}
	what := strings.Join(names, ", ")
	d := max(r.cfg.duration/2, time.Second)
	if _, err := fill(ctx, 64, 1000, time.Minute, createReq); err != nil {
		return fmt.Errorf("fill 1 k: %w", err)
	}
	small := load(ctx, "GET with 1 k records: "+what, r.cfg.conns, d, readReq, nil)
	r.logStats(small)
	r.rep.small = small
	r.logf("storing resources through the API with 128 clients for %v…", r.cfg.fillTime)
	t0 := time.Now()
	var samples, anon []int64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(max(r.cfg.fillTime/10, 200*time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-tick.C:
				samples = append(samples, p.RSS())
				anon = append(anon, p.Anon())
			}
		}
	}()
	n, err := fill(ctx, 128, r.cfg.records-1000, r.cfg.fillTime, createReq)
	close(stopSampling)
	<-sampled
	if err != nil {
		return fmt.Errorf("fill: %w", err)
	}
	r.rep.apiStored = n + 1000
	r.rep.fillTime = time.Since(t0)
	r.rep.rssSamples, r.rep.anonSamples = samples, anon
	r.rep.apiRSS, r.rep.apiAnon = p.RSS(), p.Anon()
	r.logf("stored %d resources through the API in %v (%.0f/s), RSS %s", r.rep.apiStored, round(r.rep.fillTime), float64(n)/r.rep.fillTime.Seconds(), mib(r.rep.apiRSS))
	p.Stop()
	t1 := time.Now()
	total, err := bulkClone(path, r.cfg.records)
	if err != nil {
		return fmt.Errorf("bulk copy: %w", err)
	}
	r.rep.stored = total
	r.logf("grew the data file to %d records in %v", total, round(time.Since(t1)))
	if p, r.rep.largeStart, err = startBinaryAt(r.bin, addr, "--data", path); err != nil {
		return err
	}
	r.rep.largeIdleRSS, r.rep.largeIdleAnon = p.RSS(), p.Anon()
	large := load(ctx, fmt.Sprintf("GET with %d records: %s", total, what), r.cfg.conns, d, readReq, nil)
	r.logStats(large)
	r.rep.large = large
	runtime.GC()
	r.rep.largeRSS, r.rep.largeAnon = p.RSS(), p.Anon()
	return nil
}

// receiver counts webhook deliveries on loopback.
type receiver struct {
	URL   string
	count atomic.Int64
	srv   *http.Server
}

func newReceiver() (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rc := &receiver{URL: "http://" + ln.Addr().String() + "/hook"}
	rc.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body)
		rc.count.Add(1)
		w.WriteHeader(http.StatusOK)
	})}
	go rc.srv.Serve(ln)
	return rc, nil
}

func (rc *receiver) Close() { rc.srv.Close() }

func round(d time.Duration) time.Duration {
	switch {
	case d > 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d > 100*time.Microsecond:
		return d.Round(time.Microsecond)
	}
	return d
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// profiles runs the GET and temporary-mode create workloads against a
// binary started with --pprof and saves a CPU profile of each in dir
// (`go run ./bench -profile DIR`; read with `go tool pprof -top BIN FILE`).
func (r *runner) profiles(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p, _, err := startBinary(r.bin, "--pprof")
	if err != nil {
		return err
	}
	defer p.Stop()
	d := r.cfg.duration
	secs := max(int(d/time.Second), 1)
	grab := func(file string, work func()) error {
		errc := make(chan error, 1)
		go func() {
			resp, err := http.Get(fmt.Sprintf("%s/_fakeprovider/debug/pprof/profile?seconds=%d", p.URL, secs))
			if err != nil {
				errc <- err
				return
			}
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			if err == nil {
				err = os.WriteFile(file, raw, 0o644)
			}
			errc <- err
		}()
		work()
		return <-errc
	}
	// GETs are profiled under wrk's replay (a cheaper client than the Go
	// one, so more of the machine is the server's) when wrk is at hand.
	wrk, werr := ensureWrk(ctx)
	if werr != nil {
		r.logf("GETs profiled under the Go client: %v", werr)
	}
	for _, t := range r.prepare(ctx, p.URL) {
		name := strings.ReplaceAll(t.name, "/", "_")
		if err := grab(filepath.Join(dir, name+"-get.pprof"), func() {
			if wrk != "" {
				// D24's X-Date window is ±5 s: longer replays are refused.
				r.logStats(runWrk(ctx, wrk, r.tmp, "GET "+t.read.Name+" (profiled)", min(d, 4*time.Second), t.readReq))
				return
			}
			r.logStats(load(ctx, "GET "+t.read.Name+" (profiled)", r.cfg.conns, d, t.readReq, nil))
		}); err != nil {
			return err
		}
		if err := grab(filepath.Join(dir, name+"-create.pprof"), func() {
			r.logStats(load(ctx, "create (temporary) "+t.create.Name+" (profiled)", r.cfg.conns, d, t.createReq, nil))
		}); err != nil {
			return err
		}
	}
	if err := copyFile(r.bin, filepath.Join(dir, "fakeprovider.bin")); err != nil {
		return err
	}
	r.logf("profiles in %s: go tool pprof -top %s/fakeprovider.bin %s/<name>.pprof", dir, dir, dir)
	return nil
}

func copyFile(src, dst string) error {
	raw, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, raw, 0o755)
}
