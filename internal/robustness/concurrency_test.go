package robustness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// readCreate picks a provider's read example that fetches what a create
// example made (read.From == create.Name).
func readCreate(c Client) (read, create platform.Example, ok bool) {
	byName := map[string]platform.Example{}
	for _, ex := range c.Examples() {
		byName[ex.Name] = ex
	}
	for _, ex := range c.Examples() {
		if ex.Method == http.MethodGet && ex.From != "" && strings.Contains(ex.Path, "{id}") {
			if from, found := byName[ex.From]; found && from.Method == http.MethodPost {
				return ex, from, true
			}
		}
	}
	return read, create, false
}

// stringKeys lists the top-level string fields of a JSON body, sorted.
func stringKeys(body []byte) []string {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	var keys []string
	for k, v := range m {
		if _, ok := v.(string); ok {
			keys = append(keys, k)
		}
	}
	sortStrings(keys)
	return keys
}

// mark appends marker to the string field key of a JSON body.
func mark(body []byte, key, marker string) ([]byte, bool) {
	if key == "" {
		return body, false
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		return body, false
	}
	s, ok := m[key].(string)
	if !ok {
		return body, false
	}
	m[key] = s + marker
	out, err := json.Marshal(m)
	return out, err == nil
}

// markableField finds a string field of the create example that accepts
// a marker and shows it when the resource is read back ("" if none).
func markableField(t *testing.T, f *fixture, create, read platform.Example) string {
	ctx := context.Background()
	ex, err := f.sess.Resolve(create)
	if err != nil {
		return ""
	}
	for _, k := range stringKeys(ex.Body) {
		body, ok := mark(ex.Body, k, "Zqmarkprobe")
		if !ok {
			continue
		}
		try := ex
		try.Body = body
		req, err := f.sess.Request(ctx, try)
		if err != nil {
			return ""
		}
		st, ans := do(t, req)
		if st >= 300 {
			continue
		}
		id, err := Field(ans, read.IDField)
		if err != nil {
			continue
		}
		r := read
		r.Path = strings.ReplaceAll(r.Path, "{id}", id)
		if f.sess.Subst != nil {
			r.Path = f.sess.Subst(r.Path)
		}
		req, err = f.sess.Request(ctx, r)
		if err != nil {
			return ""
		}
		if st, got := do(t, req); st < 300 && bytes.Contains(got, []byte("Zqmarkprobe")) {
			return k
		}
	}
	return ""
}

// TestTenantIsolationUnderConcurrency has two fresh tenants create
// resources in parallel; each reads back its own (with its marker) and
// never sees the other's, even at the same path.
func TestTenantIsolationUnderConcurrency(t *testing.T) {
	cs := wired(t)
	h := startAll(t)
	for _, c := range cs {
		t.Run(c.Name(), func(t *testing.T) {
			read, create, ok := readCreate(c)
			if !ok {
				t.Skipf("%s has no example reading what a create made", c.Name())
			}
			def := runExamples(t, h, c)
			a, b := tenantFixture(t, h.URL, def), tenantFixture(t, h.URL, def)
			if a == def || b == def {
				t.Fatal("tenant fixtures failed")
			}
			key := markableField(t, a, create, read)
			if key == "" {
				t.Logf("%s: no string field of %s shows a marker when read back: isolation is checked on status only", c.Name(), create.Name)
			}
			type made struct{ id, marker string }
			var mu sync.Mutex
			got := map[*fixture][]made{}
			var wg sync.WaitGroup
			const workers, each = 8, 5
			ctx := context.Background()
			for ti, f := range []*fixture{a, b} {
				for w := range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range each {
							marker := fmt.Sprintf("Zqtenant%dw%dn%d", ti, w, i)
							ex, err := f.sess.Resolve(create)
							if err != nil {
								t.Error(err)
								return
							}
							body, ok := mark(ex.Body, key, marker)
							if !ok {
								marker = ""
							}
							ex.Body = body
							req, err := f.sess.Request(ctx, ex)
							if err != nil {
								t.Error(err)
								return
							}
							st, ans := do(t, req)
							if st >= 300 {
								t.Errorf("tenant %d create: %d %.200s", ti, st, ans)
								return
							}
							id, err := Field(ans, read.IDField)
							if err != nil {
								t.Errorf("tenant %d create answer: %v", ti, err)
								return
							}
							mu.Lock()
							got[f] = append(got[f], made{id, marker})
							mu.Unlock()
						}
					}()
				}
			}
			wg.Wait()
			path := func(f *fixture, id string) platform.Example {
				ex := read
				ex.Path = strings.ReplaceAll(ex.Path, "{id}", id)
				if f.sess.Subst != nil {
					ex.Path = f.sess.Subst(ex.Path)
				}
				return ex
			}
			for _, pair := range [][2]*fixture{{a, b}, {b, a}} {
				own, other := pair[0], pair[1]
				if len(got[own]) != workers*each {
					t.Fatalf("a tenant made %d of %d resources", len(got[own]), workers*each)
				}
				for _, m := range got[own] {
					req, _ := own.sess.Request(ctx, path(own, m.id))
					st, body := do(t, req)
					if st >= 300 || (m.marker != "" && !bytes.Contains(body, []byte(m.marker))) {
						t.Errorf("own read of %s: %d %.200s", m.id, st, body)
					}
					req, _ = other.sess.Request(ctx, path(other, m.id))
					st, body = do(t, req)
					if st >= 500 {
						t.Errorf("cross-tenant read of %s: %d", m.id, st)
					}
					if st < 300 && m.marker != "" && bytes.Contains(body, []byte(m.marker)) {
						t.Errorf("tenant sees the other's resource %s: %.200s", m.id, body)
					}
				}
			}
		})
	}
}

// TestIdempotentCreatesUnderConcurrency sends 200 concurrent creates with
// one idempotency key to every wired route declared Idempotent that an
// example creates through: exactly one resource, every answer the same.
func TestIdempotentCreatesUnderConcurrency(t *testing.T) {
	cs := wired(t)
	h := startAll(t)
	tested := 0
	for _, c := range cs {
		m := mountOf(t, h, c.Name())
		f := runExamples(t, h, c)
		for i, ex := range c.Examples() {
			if ex.Method != http.MethodPost {
				continue
			}
			var rule *platform.IdempotencyRule
			for _, rt := range m.Routes() {
				if rt.Idempotency != nil && rt.Method == ex.Method && rt.Host == ex.Host && matches(rt.Path, f.resolved[i].Path) {
					rule = rt.Idempotency
				}
			}
			if rule == nil {
				continue
			}
			tested++
			t.Run(c.Name()+"/"+ex.Name, func(t *testing.T) {
				key := fmt.Sprintf("idem-%s-%d", ex.Name, i)
				answers := make([][]byte, 200)
				var wg sync.WaitGroup
				for n := range answers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						req, err := f.sess.Request(context.Background(), f.resolved[i])
						if err != nil {
							t.Error(err)
							return
						}
						req.Header.Set(rule.Header, key)
						st, body := do(t, req)
						if st >= 300 {
							t.Errorf("create %d: %d %.200s", n, st, body)
						}
						answers[n] = body
					}()
				}
				wg.Wait()
				for n, a := range answers {
					if !bytes.Equal(a, answers[0]) {
						t.Fatalf("answer %d differs from the first:\n%s\n%s", n, a, answers[0])
					}
				}
			})
		}
	}
	if tested == 0 {
		t.Skip("no wired provider declares an Idempotent route that an example creates through yet")
	}
}

// matches reports whether path fits a route template.
func matches(tmpl, path string) bool {
	p, _, _ := strings.Cut(path, "?")
	ts, ps := strings.Split(tmpl, "/"), strings.Split(p, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if m := varRE.FindStringSubmatch(ts[i]); m != nil && m[0] == ts[i] {
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}
