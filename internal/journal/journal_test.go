package journal_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/journal"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func record(j *journal.Journal, provider, tenant, path string, status int) *journal.Recorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	rec := j.Start(r, t0)
	rec.SetProvider(provider, "route")
	rec.SetTenant(tenant)
	j.Finish(rec, status, 1500*time.Microsecond)
	return rec
}

func paths(es []journal.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Path)
	}
	return out
}

func TestRingBoundNewestFirst(t *testing.T) {
	cases := []struct {
		size, n int
		want    []string
	}{
		{3, 0, nil},
		{3, 2, []string{"/1", "/0"}},
		{3, 3, []string{"/2", "/1", "/0"}},
		{3, 7, []string{"/6", "/5", "/4"}},
		{1, 5, []string{"/4"}},
		{0, 2, []string{"/1"}}, // size < 1 keeps one
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("size%d_n%d", c.size, c.n), func(t *testing.T) {
			j := journal.New(c.size, nil)
			for i := range c.n {
				record(j, "p", "t", fmt.Sprintf("/%d", i), 200)
			}
			if got := paths(j.List(journal.Filter{})); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestFilters(t *testing.T) {
	j := journal.New(100, nil)
	record(j, "d24", "a", "/0", 200)
	record(j, "crm", "a", "/1", 200)
	record(j, "d24", "b", "/2", 401)
	record(j, "d24", "a", "/3", 201)
	record(j, "crm", "b", "/4", 200)
	cases := []struct {
		f    journal.Filter
		want []string
	}{
		{journal.Filter{}, []string{"/4", "/3", "/2", "/1", "/0"}},
		{journal.Filter{Provider: "d24"}, []string{"/3", "/2", "/0"}},
		{journal.Filter{Tenant: "b"}, []string{"/4", "/2"}},
		{journal.Filter{Provider: "d24", Tenant: "a"}, []string{"/3", "/0"}},
		{journal.Filter{Provider: "d24", Limit: 2}, []string{"/3", "/2"}},
		{journal.Filter{Limit: 1}, []string{"/4"}},
		{journal.Filter{Limit: 50}, []string{"/4", "/3", "/2", "/1", "/0"}},
		{journal.Filter{Provider: "nope"}, nil},
	}
	for _, c := range cases {
		if got := paths(j.List(c.f)); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%+v: got %v, want %v", c.f, got, c.want)
		}
	}
}

func TestEntryFields(t *testing.T) {
	j := journal.New(10, nil)
	r := httptest.NewRequest(http.MethodPost, "/v3/deposits/a%2Fb?x=1&password=hunter2", nil)
	r.Header.Set("Authorization", "D24 abcdefghijkl")
	rec := j.Start(r, t0)
	if !strings.HasPrefix(rec.ID(), "req_") {
		t.Errorf("id %q", rec.ID())
	}
	ctx := journal.With(context.Background(), rec)
	if journal.From(ctx) != rec || journal.From(context.Background()) != nil {
		t.Error("With/From")
	}
	rec.SetProvider("d24", "deposits.create")
	rec.SetTenant("default")
	rec.SetAuth(false, "bad signature")
	rec.SetFault("fault_1")
	rec.SetBodies(`{"a":1}`, `{"b":2}`)
	j.Finish(rec, 401, 2500*time.Microsecond)
	// An entry without a verifier counts as authorised.
	rec2 := j.Start(httptest.NewRequest(http.MethodGet, "/x", nil), t0)
	j.Finish(rec2, 404, 0)

	es := j.List(journal.Filter{})
	if len(es) != 2 {
		t.Fatalf("%d entries", len(es))
	}
	e := es[1]
	if e.ID != rec.ID() || e.Time != t0 || e.Provider != "d24" || e.Route != "deposits.create" || e.Tenant != "default" ||
		e.Method != "POST" || e.Path != "/v3/deposits/a%2Fb" || e.Status != 401 || e.DurationMS != 2.5 ||
		e.Auth.OK || e.Auth.Reason != "bad signature" || e.Fault != "fault_1" || e.Body != `{"a":1}` || e.Response != `{"b":2}` {
		t.Errorf("entry %+v", e)
	}
	if strings.Contains(e.Query, "hunter2") || !strings.Contains(e.Query, "x=1") {
		t.Errorf("query %q", e.Query)
	}
	if h := e.Header["Authorization"]; strings.Contains(h, "abcdefghijkl") || !strings.HasPrefix(h, "D24 ") {
		t.Errorf("Authorization journaled as %q", h)
	}
	if !es[0].Auth.OK || es[0].Auth.Reason != "" {
		t.Errorf("no verifier: auth %+v", es[0].Auth)
	}
	// Recorder methods accept nil.
	var nilRec *journal.Recorder
	nilRec.SetProvider("p", "r")
	nilRec.SetTenant("t")
	nilRec.SetAuth(true, "")
	nilRec.SetFault("f")
	nilRec.SetBodies("", "")
	if nilRec.ID() != "" {
		t.Error("nil recorder id")
	}
}

func TestConcurrentJournal(t *testing.T) {
	j := journal.New(50, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				record(j, "p", fmt.Sprint(g), fmt.Sprintf("/%d/%d", g, i), 200)
				j.List(journal.Filter{Tenant: fmt.Sprint(g), Limit: 5})
			}
		}()
	}
	wg.Wait()
	es := j.List(journal.Filter{})
	if len(es) != 50 {
		t.Errorf("%d entries, want 50", len(es))
	}
	seen := map[string]bool{}
	for _, e := range es {
		if seen[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		seen[e.ID] = true
	}
}

// One request's entry stays small whatever it carries: each header value,
// the header total, the path, the query and the auth reason are cut, with
// a marker that gives the original size.
func TestEntryBounded(t *testing.T) {
	j := journal.New(10, nil)
	huge := strings.Repeat("x", 900<<10)
	r := httptest.NewRequest("GET", "/v1/"+strings.Repeat("p", 10000)+"?q="+strings.Repeat("y", 10000), nil)
	r.Header.Set("X-Login", huge)
	for i := 0; i < 200; i++ {
		r.Header.Set(fmt.Sprintf("Zz-Filler-%03d", i), strings.Repeat("z", 500))
	}
	rec := j.Start(r, time.Now())
	rec.SetAuth(false, "bad signature for "+huge)
	j.Finish(rec, 401, time.Millisecond)
	e := j.List(journal.Filter{})[0]
	raw, _ := json.Marshal(e)
	if len(raw) > 20<<10 {
		t.Errorf("entry is %d bytes", len(raw))
	}
	for what, v := range map[string]string{"X-Login": e.Header["X-Login"], "path": e.Path, "query": e.Query, "reason": e.Auth.Reason} {
		if !strings.Contains(v, journal.CutMarker) {
			t.Errorf("%s not marked as cut: %.80q", what, v)
		}
	}
	if !strings.Contains(e.Header["X-Login"], "921600 bytes]") {
		t.Errorf("X-Login marker: %q", e.Header["X-Login"][len(e.Header["X-Login"])-40:])
	}
	if !strings.Contains(e.Header["…"], "more headers") {
		t.Errorf("dropped headers not summarised: %q", e.Header["…"])
	}
}

func TestCutKeepsUTF8(t *testing.T) {
	got := journal.Cut("ééééé", 3) // é is 2 bytes: the cut falls inside the second
	if got != "é"+journal.CutMarker+"10 bytes]" {
		t.Errorf("got %q", got)
	}
}
