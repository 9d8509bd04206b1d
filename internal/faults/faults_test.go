package faults

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

func req(method, path, prefix string) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	if prefix != "" {
		r = platform.WithRoute(r, nil, prefix)
	}
	return r
}

func TestValidate(t *testing.T) {
	cases := []struct {
		rule Rule
		err  string
	}{
		{Rule{Status: 500}, ""},
		{Rule{Latency: Duration(time.Second)}, ""},
		{Rule{Drop: true, Path: "/v3/*"}, ""},
		{Rule{}, "needs an action"},
		{Rule{Status: 42}, "not an HTTP status"},
		{Rule{Status: 600}, "not an HTTP status"},
		{Rule{Status: 500, Count: -1}, "count"},
		{Rule{Status: 500, Probability: 1.5}, "probability"},
		{Rule{Status: 500, Probability: -0.1}, "probability"},
		{Rule{Status: 500, Path: "/v3/["}, "path pattern"},
		{Rule{Latency: Duration(10 * time.Minute)}, "latency"},
		{Rule{Latency: Duration(-time.Second)}, "latency"},
	}
	for _, c := range cases {
		err := c.rule.Validate()
		if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%+v: %v, want %q", c.rule, err, c.err)
		}
	}
	if _, err := New().Add(Rule{}); err == nil {
		t.Error("Add of an invalid rule")
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		name     string
		rule     Rule
		provider string
		tenant   string
		r        *http.Request
		want     bool
	}{
		{"any", Rule{Status: 500}, "d24", "t", req("GET", "/v3/x", ""), true},
		{"provider", Rule{Status: 500, Provider: "crm"}, "d24", "t", req("GET", "/v3/x", ""), false},
		{"tenant", Rule{Status: 500, Tenant: "a"}, "d24", "b", req("GET", "/v3/x", ""), false},
		{"tenant match", Rule{Status: 500, Tenant: "a"}, "d24", "a", req("GET", "/v3/x", ""), true},
		{"method lower case", Rule{Status: 500, Method: "post"}, "d24", "t", req("POST", "/v3/x", ""), true},
		{"method", Rule{Status: 500, Method: "POST"}, "d24", "t", req("GET", "/v3/x", ""), false},
		{"path glob", Rule{Status: 500, Path: "/v3/deposits/*"}, "d24", "t", req("GET", "/v3/deposits/42", ""), true},
		{"path glob one segment", Rule{Status: 500, Path: "/v3/deposits/*"}, "d24", "t", req("GET", "/v3/deposits/42/x", ""), false},
		{"trailing slash", Rule{Status: 500, Path: "/v3/deposits"}, "d24", "t", req("GET", "/v3/deposits/", ""), true},
		{"prefix stripped", Rule{Status: 500, Path: "/v3/deposits"}, "d24", "t", req("GET", "/d24/v3/deposits", "/d24"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := New()
			if _, err := s.Add(c.rule); err != nil {
				t.Fatal(err)
			}
			f := s.Match(context.Background(), c.provider, c.tenant, c.r)
			if (f != nil) != c.want {
				t.Fatalf("match %v, want %v", f != nil, c.want)
			}
			if f != nil && (f.Fail == nil || f.Fail.Status != 500 || f.Rule != "fault_1") {
				t.Errorf("fault %+v", f)
			}
		})
	}
}

func TestCountProbabilityAndOrder(t *testing.T) {
	s := New()
	s.Add(Rule{Status: 503, Count: 2, Body: `{"x":1}`})
	s.Add(Rule{Latency: Duration(time.Millisecond), Drop: true})
	r := req("GET", "/a", "")
	for i := range 2 {
		f := s.Match(context.Background(), "p", "t", r)
		if f == nil || f.Fail == nil || f.Fail.Status != 503 || string(f.Fail.Body) != `{"x":1}` {
			t.Fatalf("call %d: %+v", i, f)
		}
	}
	f := s.Match(context.Background(), "p", "t", r)
	if f == nil || f.Fail != nil || !f.Drop || f.Latency != time.Millisecond || f.Rule != "fault_2" {
		t.Fatalf("after count: %+v", f)
	}
	if l := s.List(); len(l) != 1 || l[0].ID != "fault_2" || l[0].Hits != 1 {
		t.Errorf("list %+v", l)
	}

	p := New()
	vals := []float64{0.9, 0.1}
	p.rand = func() float64 { v := vals[0]; vals = vals[1:]; return v }
	p.Add(Rule{Status: 500, Probability: 0.5})
	if p.Match(context.Background(), "p", "t", r) != nil {
		t.Error("0.9 ≥ 0.5 should not apply")
	}
	if p.Match(context.Background(), "p", "t", r) == nil {
		t.Error("0.1 < 0.5 should apply")
	}
}

func TestRemoveClear(t *testing.T) {
	s := New()
	a, _ := s.Add(Rule{Status: 500, Tenant: "a"})
	s.Add(Rule{Status: 500, Tenant: "b"})
	s.Add(Rule{Status: 500})
	if !s.Remove(a.ID) || s.Remove(a.ID) {
		t.Error("Remove")
	}
	s.Clear("b")
	if l := s.List(); len(l) != 1 || l[0].Tenant != "" {
		t.Errorf("after Clear(b): %+v", l)
	}
	s.Clear("")
	if len(s.List()) != 0 || s.Match(context.Background(), "p", "t", req("GET", "/", "")) != nil {
		t.Error("Clear all")
	}
}

func TestDurationJSON(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{`"250ms"`, 250 * time.Millisecond, false},
		{`"2s"`, 2 * time.Second, false},
		{`1500`, 1500 * time.Millisecond, false},
		{`""`, 0, false},
		{`null`, 0, false},
		{`"soon"`, 0, true},
	}
	for _, c := range cases {
		var d Duration
		err := json.Unmarshal([]byte(c.in), &d)
		if (err != nil) != c.err || time.Duration(d) != c.want {
			t.Errorf("%s: %v %v", c.in, time.Duration(d), err)
		}
	}
	raw, _ := json.Marshal(Rule{ID: "f", Latency: Duration(1500 * time.Millisecond)})
	if !strings.Contains(string(raw), `"latency":"1.5s"`) {
		t.Errorf("marshal: %s", raw)
	}
}

func TestConcurrentMatchCount(t *testing.T) {
	s := New()
	s.Add(Rule{Status: 500, Count: 100})
	var wg sync.WaitGroup
	var mu sync.Mutex
	hits := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if s.Match(context.Background(), "p", "t", req("GET", "/", "")) != nil {
					mu.Lock()
					hits++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if hits != 100 {
		t.Errorf("%d hits, want exactly the count 100", hits)
	}
}
