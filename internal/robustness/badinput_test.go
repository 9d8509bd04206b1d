package robustness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// sweepBodyLimit is the harness's body limit in the sweep, so the huge
// body case stays cheap.
const sweepBodyLimit = 64 << 10

// swapTypes turns every string of a JSON value into a number and every
// number, bool or null into a string, recursively.
func swapTypes(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = swapTypes(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = swapTypes(e)
		}
		return x
	case string:
		return 12345
	default:
		return "not-a-number"
	}
}

// absurd sets every number of a JSON value to an absurd one.
func absurd(raw []byte) []byte {
	out := numberRE.ReplaceAll(raw, []byte(`${1}1e999999`))
	return out
}

type badCase struct {
	name   string
	method string
	body   []byte
	// unsigned: no auth headers; dup: auth headers sent twice.
	unsigned, dup bool
	query         string
	want          int // exact status wanted, 0 for any non-5xx
}

func badCases(method string, example []byte) []badCase {
	deep := bytes.Repeat([]byte("["), 20_000) // beyond encoding/json's 10 000 levels
	deepObj := []byte(strings.Repeat(`{"a":`, 12_000) + "1" + strings.Repeat("}", 12_000))
	huge := append([]byte(`{"name":"`), bytes.Repeat([]byte("x"), sweepBodyLimit+1024)...)
	huge = append(huge, `"}`...)
	cs := []badCase{
		{name: "malformed JSON", body: []byte(`{"name": "x",`)},
		{name: "not JSON", body: []byte(`name=x&amount=1`)},
		{name: "JSON array", body: []byte(`[1,2,3]`)},
		{name: "JSON null", body: []byte(`null`)},
		{name: "JSON string", body: []byte(`"x"`)},
		{name: "wrong types", body: []byte(`{"name":123,"amount":"abc","email":[],"id":{},"currency":true,"limit":"x"}`)},
		{name: "deep array nesting", body: deep},
		{name: "deep object nesting", body: deepObj},
		{name: "invalid UTF-8", body: []byte("{\"name\":\"\xff\xfe\xfd\",\"email\":\"a\xc3\x28@example.com\"}")},
		{name: "NUL bytes", body: []byte("{\"name\":\"a\x00b\"}")},
		{name: "absurd numbers", body: []byte(`{"amount":1e999999,"id":-99999999999999999999999999,"limit":1e308,"offset":-1,"funding_goal":-1e-999}`)},
		{name: "huge body", body: huge, want: http.StatusRequestEntityTooLarge},
		{name: "absurd query", query: "limit=99999999999999999999&offset=-5&page=1e999&sort=%ff&orderby=../../etc"},
	}
	if method == http.MethodGet || method == http.MethodHead || method == http.MethodDelete {
		// No body is parsed: keep the body limit, the query and the
		// auth and method cases.
		var keep []badCase
		for _, c := range cs {
			if c.name == "huge body" || c.name == "absurd query" || c.name == "malformed JSON" {
				keep = append(keep, c)
			}
		}
		cs = keep
	}
	if example != nil {
		var v any
		if json.Unmarshal(example, &v) == nil {
			if raw, err := json.Marshal(swapTypes(v)); err == nil {
				cs = append(cs, badCase{name: "example with swapped types", body: raw})
			}
		}
		cs = append(cs, badCase{name: "example with absurd numbers", body: absurd(example)})
		cs = append(cs, badCase{name: "example truncated", body: example[:len(example)/2]})
	}
	// Last: the cases that may act (a valid body with odd headers, another
	// method on the path, which may delete the caller).
	cs = append(cs,
		badCase{name: "missing auth headers", unsigned: true, body: example},
		badCase{name: "duplicated auth headers", dup: true, body: example},
		badCase{name: "unknown method", method: "BREW", body: example},
	)
	for i := range cs {
		if cs[i].method == "" {
			cs[i].method = method
		}
	}
	return cs
}

// TestBadInputSweep sends hostile inputs to every route of every wired
// provider, signed with the provider's ClientSigner where the scheme
// allows (so the parser, not only auth, is reached): never a 5xx, never an
// empty body, 413 beyond the body limit, and the server stays up.
func TestBadInputSweep(t *testing.T) {
	cs := wired(t)
	h := startAll(t, func(o *app.Options) { o.MaxBodyBytes = sweepBodyLimit })
	for _, c := range cs {
		t.Run(c.Name(), func(t *testing.T) {
			f := runExamples(t, h, c)
			bodies := map[string][]byte{}
			for _, ex := range f.resolved {
				if ex.Body != nil {
					bodies[ex.Method+" "+strings.SplitN(ex.Path, "?", 2)[0]] = ex.Body
				}
			}
			m := mountOf(t, h, c.Name())
			type job struct {
				rt platform.Route
				bc []badCase
			}
			jobs := make(chan job)
			var wg sync.WaitGroup
			var mu sync.Mutex
			counts := map[int]int{}
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var shared *fixture
					for j := range jobs {
						// A fresh tenant per route that may change state: a
						// hostile call that succeeds (DELETE /self…) must not
						// spoil the others. Reads share one per worker.
						var tf *fixture
						if j.rt.Method == http.MethodGet || j.rt.Method == http.MethodHead {
							if shared == nil {
								shared = tenantFixture(t, h.URL, f)
							}
							tf = shared
						} else {
							tf = tenantFixture(t, h.URL, f)
						}
						for _, bc := range j.bc {
							st := sweepOne(t, h.URL, tf, j.rt, bc)
							mu.Lock()
							counts[st]++
							mu.Unlock()
						}
					}
				}()
			}
			n := 0
			for _, rt := range m.Routes() {
				if rt.HTTP != nil {
					continue // pages and redirects: not JSON APIs
				}
				path := fillPath(rt.Path, f.vars)
				example := bodies[rt.Method+" "+path]
				var bcs []badCase
				for _, bc := range badCases(rt.Method, example) {
					if testing.Short() && bc.name != "malformed JSON" && bc.name != "huge body" && bc.name != "wrong types" && bc.name != "missing auth headers" {
						continue
					}
					bcs = append(bcs, bc)
				}
				jobs <- job{rt, bcs}
				n += len(bcs)
			}
			close(jobs)
			wg.Wait()
			t.Logf("%s: %d routes, %d bad requests, statuses %v", c.Name(), len(m.Routes()), n, counts)
			healthy(t, h)
			// The valid examples still pass after the sweep.
			for _, ex := range f.resolved {
				if ex.Method != http.MethodGet {
					continue
				}
				req, err := f.sess.Request(context.Background(), ex)
				if err != nil {
					t.Fatal(err)
				}
				if st, body := do(t, req); st >= 300 {
					t.Errorf("%s after the sweep: %d %s", ex.Name, st, body)
				}
			}
		})
	}
}

// tenantFixture mints a tenant and runs the provider's examples for it,
// with the default tenant's credential values replaced in paths and
// bodies (e.g. Difitek's network).
func tenantFixture(t *testing.T, base string, def *fixture) *fixture {
	ctx := context.Background()
	id, err := NewTenant(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	all, err := Credentials(ctx, base, []Client{def.c}, id)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSession(base, def.c, all[def.c.Name()])
	s.Subst = CredSubst(def.sess.Creds, s.Creds)
	f := &fixture{c: def.c, sess: s, vars: map[string]string{}}
	for _, ex := range def.c.Examples() {
		res, err := s.Run(ctx, ex)
		if err != nil || res.Status >= 300 {
			t.Errorf("%s example %s for tenant %s: %v %d %.200s", def.c.Name(), ex.Name, id, err, res.Status, res.Body)
			return def
		}
		f.resolved = append(f.resolved, res.Example)
	}
	for k, v := range def.vars {
		f.vars[k] = v
		if s.Subst != nil {
			f.vars[k] = s.Subst(v)
		}
	}
	// Ids of this tenant's own resources.
	for i, ex := range f.resolved {
		learn(def.resolved[i].Path, ex.Path, f.vars)
	}
	return f
}

// learn copies into vars the segments where a default-tenant example path
// and the same example for another tenant differ, keyed by the default's
// value's variable.
func learn(defPath, path string, vars map[string]string) {
	a, b := strings.Split(strings.SplitN(defPath, "?", 2)[0], "/"), strings.Split(strings.SplitN(path, "?", 2)[0], "/")
	if len(a) != len(b) {
		return
	}
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		for k, v := range vars {
			if v == a[i] {
				vars[k] = b[i]
			}
		}
	}
}

func sweepOne(t *testing.T, base string, f *fixture, rt platform.Route, bc badCase) int {
	prefix := "/" + f.c.Name()
	if rt.Host != "" {
		prefix = "/" + rt.Host
	}
	path := fillPath(rt.Path, f.vars)
	if bc.query != "" {
		path += "?" + bc.query
	}
	var rd io.Reader
	if bc.body != nil {
		rd = bytes.NewReader(bc.body)
	}
	req, err := http.NewRequest(bc.method, base+prefix+path, rd)
	if err != nil {
		t.Errorf("%s %s %s: %v", rt.Method, rt.Path, bc.name, err)
		return 0
	}
	if !bc.unsigned {
		if err := f.c.SignRequest(req, bc.body, f.sess.Creds, f.sess.Now()); err != nil {
			t.Errorf("%s %s %s: sign: %v", rt.Method, rt.Path, bc.name, err)
			return 0
		}
		if bc.body != nil && req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", "application/json")
		}
	}
	if bc.dup {
		again, _ := http.NewRequest(bc.method, base+prefix+path, nil)
		f.c.SignRequest(again, bc.body, f.sess.Creds, f.sess.Now())
		for k, vs := range again.Header {
			if k == "Content-Type" {
				continue
			}
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
	}
	st, body := do(t, req)
	what := fmt.Sprintf("%s %s [%s] → %d", rt.Method, rt.Path, bc.name, st)
	switch {
	case st == 0:
	case st >= 500:
		t.Errorf("%s (5xx): %.300s", what, body)
	case bc.want != 0 && st != bc.want && st < 400:
		t.Errorf("%s, want %d: %.200s", what, bc.want, body)
	case bc.want == http.StatusRequestEntityTooLarge && st != bc.want:
		t.Errorf("%s, want 413 beyond the body limit: %.200s", what, body)
	case len(body) == 0 && st != http.StatusNoContent && st != http.StatusNotModified && bc.method != http.MethodHead:
		t.Errorf("%s with an empty body, want the provider's error envelope", what)
	}
	return st
}

var numberRE = regexp.MustCompile(`(:\s*)-?\d+(\.\d+)?([eE][-+]?\d+)?`)
