package control_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

type journalView struct {
	Requests []struct {
		ID      string `json:"id"`
		Method  string `json:"method"`
		Path    string `json:"path"`
		Status  int    `json:"status"`
		Tenant  string `json:"tenant"`
		Route   string `json:"route"`
		Nearest []struct {
			Method      string   `json:"method"`
			Path        string   `json:"path"`
			Name        string   `json:"name"`
			Differences []string `json:"differences"`
		} `json:"nearest"`
	} `json:"requests"`
	Total int `json:"total"`
}

// The journal answers criteria, counts, finds, pages and clears, as a test
// asserting on what was sent needs.
func TestJournalCriteria(t *testing.T) {
	h := newHarness(t)
	key := map[string]string{"X-Key": platformtest.WidgetKey}
	createWidget(t, h, platformtest.WidgetKey, "gear")
	call(t, "GET", h.URL+"/widgets/1", "", key)
	call(t, "GET", h.URL+"/widgets/2", "", map[string]string{"X-Key": "wrong"})
	call(t, "GET", h.URL+"/widget/1", "", key) // no such route
	before := time.Now().UTC()
	call(t, "GET", h.URL+"/widgets/1", "", key)

	count := func(q string) int {
		t.Helper()
		var v struct{ Count int }
		if st := h.Control("GET", "/requests/count?"+q, nil, &v); st != 200 {
			t.Fatalf("count %s: %d", q, st)
		}
		return v.Count
	}
	cases := []struct {
		query string
		want  int
	}{
		{"", 5},
		{"method=post", 1},
		{"method=GET&path=/widgets/1", 2},
		{"path_prefix=/widgets", 4},
		{"path_prefix=/widgets/", 3},
		{"status=401", 1},
		{"status=4xx", 2},
		{"status=2xx", 3},
		{"auth=failed", 1},
		{"auth=ok", 4},
		{"unmatched=true", 1},
		{"provider=widget", 5}, // the unmatched one is under /widget/, the provider's prefix
		{"since=" + before.Format(time.RFC3339Nano), 1},
		{"until=" + before.Format(time.RFC3339Nano), 4},
		{"text=gear", 3}, // the create's request body and two answers
		{"text=GEAR", 3},
		{"tenant=default&status=200", 2},
	}
	for _, c := range cases {
		if got := count(c.query); got != c.want {
			t.Errorf("count ?%s = %d, want %d", c.query, got, c.want)
		}
	}
	var all journalView
	h.Control("GET", "/requests", nil, &all)
	if count("route=not_found") != 1 {
		t.Errorf("route criterion: %d", count("route=not_found"))
	}

	// POST /requests/count and /requests/find take the same criteria as JSON.
	var n struct{ Count int }
	if st := h.Control("POST", "/requests/count", map[string]any{"method": "GET", "status": 200}, &n); st != 200 || n.Count != 2 {
		t.Errorf("POST count: %d %d", st, n.Count)
	}
	var found journalView
	if st := h.Control("POST", "/requests/find", map[string]any{"auth": "failed"}, &found); st != 200 || len(found.Requests) != 1 || found.Requests[0].Path != "/widgets/2" {
		t.Errorf("find: %d %+v", st, found)
	}
	for _, bad := range []string{"status=abc", "auth=maybe", "since=yesterday", "offset=-1"} {
		var e map[string]string
		if st := h.Control("GET", "/requests?"+bad, nil, &e); st != 400 || e["message"] == "" {
			t.Errorf("?%s: %d %v", bad, st, e)
		}
	}

	// Paging: limit and offset over the matches, total counts them all.
	var page journalView
	h.Control("GET", "/requests?limit=2&offset=1", nil, &page)
	if len(page.Requests) != 2 || page.Total != 5 || page.Requests[0].ID != all.Requests[1].ID {
		t.Errorf("page: %+v", page)
	}

	// One entry by id.
	var one map[string]any
	if st := h.Control("GET", "/requests/"+all.Requests[0].ID, nil, &one); st != 200 || one["id"] != all.Requests[0].ID {
		t.Errorf("one: %d %v", st, one)
	}
	if st := h.Control("GET", "/requests/req_999999", nil, nil); st != 404 {
		t.Errorf("unknown id: %d", st)
	}

	// Unmatched requests come with the routes they nearly matched.
	var un journalView
	h.Control("GET", "/requests/unmatched", nil, &un)
	if len(un.Requests) != 1 || un.Requests[0].Path != "/widget/1" || len(un.Requests[0].Nearest) == 0 {
		t.Fatalf("unmatched: %+v", un)
	}
	near := un.Requests[0].Nearest[0]
	if near.Path != "/widgets/{id}" || near.Method != "GET" || !strings.Contains(strings.Join(near.Differences, ";"), `"widget" here, "widgets" in the route`) {
		t.Errorf("nearest: %+v", near)
	}

	// Clearing: one tenant, then everything; the answer says how many went.
	other := h.NewTenant()
	var creds struct {
		Widget struct{ Key string } `json:"widget"`
	}
	h.Control("GET", "/credentials?tenant="+other, nil, &creds)
	call(t, "GET", h.URL+"/widgets/1", "", map[string]string{"X-Key": creds.Widget.Key})
	var removed struct{ Removed int }
	if st := h.Control("DELETE", "/requests?tenant="+other, nil, &removed); st != 200 || removed.Removed != 1 {
		t.Errorf("clear tenant: %d %+v", st, removed)
	}
	if count("") != 5 {
		t.Errorf("clearing a tenant removed others' requests: %d left", count(""))
	}
	if st := h.Control("DELETE", "/requests", nil, &removed); st != 200 || removed.Removed != 5 || count("") != 0 {
		t.Errorf("clear all: %d %+v, %d left", st, removed, count(""))
	}
	if st := h.Control("DELETE", "/requests?tenant=nope", nil, nil); st != 404 {
		t.Errorf("clear unknown tenant: %d", st)
	}
}

const runtimeScenario = `version: 1
name: runtime-decline
provider: widget
on: widget.created
default: true
steps:
  - after: 1m
    status: declined
`

// A reset clears everything a test can change: state, journal, clock
// offset, scenarios loaded at run time and faults, for a tenant or all.
func TestResetIsComplete(t *testing.T) {
	h := newHarness(t)
	tid := h.NewTenant()
	createWidget(t, h, platformtest.WidgetKey, "gear")
	if st := h.Control("POST", "/scenarios", []byte(runtimeScenario), nil); st != 201 {
		t.Fatalf("load scenario: %d", st)
	}
	if st := h.Control("POST", "/faults", map[string]any{"provider": "widget", "status": 503}, nil); st != 201 {
		t.Fatalf("fault: %d", st)
	}
	h.Control("POST", "/clock/advance", map[string]string{"by": "74h3m"}, nil)
	h.Control("POST", "/clock/advance", map[string]string{"by": "1h", "tenant": tid}, nil)

	var clk struct {
		Offset       string `json:"offset"`
		GlobalOffset string `json:"global_offset"`
		Wall         time.Time
		ScenarioNow  time.Time `json:"scenario_now"`
	}
	h.Control("GET", "/clock?tenant="+tid, nil, &clk)
	if clk.Offset != "75h3m0s" || clk.GlobalOffset != "74h3m0s" {
		t.Errorf("clock of the tenant: %+v (offset must be the tenant's total)", clk)
	}
	if d := clk.ScenarioNow.Sub(clk.Wall); d < 75*time.Hour || d > 75*time.Hour+4*time.Minute {
		t.Errorf("scenario_now - wall = %s, offset %s", d, clk.Offset)
	}

	// Per tenant: its own offset goes, the global one stays.
	if st := h.Control("POST", "/reset?tenant="+tid, nil, nil); st != 204 {
		t.Fatalf("reset tenant: %d", st)
	}
	h.Control("GET", "/clock?tenant="+tid, nil, &clk)
	if clk.Offset != "74h3m0s" {
		t.Errorf("after the tenant's reset its offset is %s", clk.Offset)
	}

	if st := h.Control("POST", "/reset", nil, nil); st != 204 {
		t.Fatalf("reset: %d", st)
	}
	h.Control("GET", "/clock", nil, &clk)
	if clk.Offset != "0s" {
		t.Errorf("clock offset after reset: %s", clk.Offset)
	}
	var n struct{ Count int }
	h.Control("GET", "/requests/count", nil, &n)
	if n.Count != 0 {
		t.Errorf("journal after reset: %d entries", n.Count)
	}
	var fs struct{ Faults []any }
	h.Control("GET", "/faults", nil, &fs)
	if len(fs.Faults) != 0 {
		t.Errorf("faults after reset: %v", fs.Faults)
	}
	var scs struct{ Scenarios []struct{ Name string } }
	h.Control("GET", "/scenarios", nil, &scs)
	for _, s := range scs.Scenarios {
		if s.Name == "runtime-decline" {
			t.Error("a scenario loaded at run time survived the reset")
		}
	}
}

// Scenarios loaded at run time and tenants can be deleted; built-in
// scenarios and the default tenant cannot (409, saying why).
func TestDeleteScenarioAndTenant(t *testing.T) {
	h := newHarness(t)
	if st := h.Control("POST", "/scenarios", []byte(runtimeScenario), nil); st != 201 {
		t.Fatalf("load: %d", st)
	}
	if st := h.Control("DELETE", "/scenarios/runtime-decline", nil, nil); st != 204 {
		t.Errorf("delete runtime scenario: %d", st)
	}
	if st := h.Control("DELETE", "/scenarios/runtime-decline", nil, nil); st != 404 {
		t.Errorf("delete it again: %d", st)
	}

	tid := h.NewTenant()
	var creds struct {
		Widget struct{ Key string } `json:"widget"`
	}
	h.Control("GET", "/credentials?tenant="+tid, nil, &creds)
	createWidget(t, h, creds.Widget.Key, "cog")
	if st := h.Control("DELETE", "/tenants/"+tid, nil, nil); st != 204 {
		t.Fatalf("delete tenant: %d", st)
	}
	if st := h.Control("GET", "/credentials?tenant="+tid, nil, nil); st != 404 {
		t.Errorf("deleted tenant still has credentials: %d", st)
	}
	if a := call(t, "GET", h.URL+"/widgets/1", "", map[string]string{"X-Key": creds.Widget.Key}); a.status != 401 {
		t.Errorf("a deleted tenant's key still authenticates: %d", a.status)
	}
	var e map[string]string
	if st := h.Control("DELETE", "/tenants/default", nil, &e); st != 409 || !strings.Contains(e["message"], "reset") {
		t.Errorf("delete default: %d %v", st, e)
	}
	if st := h.Control("DELETE", "/tenants/nope", nil, nil); st != 404 {
		t.Errorf("delete unknown: %d", st)
	}
}

// Webhook answers show durations as text, text bodies as text and every
// time on the clock they name.
func TestWebhookView(t *testing.T) {
	h := newHarness(t)
	rcv := platformtest.NewReceiver(t)
	rcv.SetStatus(http.StatusServiceUnavailable)
	if st := h.Control("POST", "/scenarios", []byte(runtimeScenario), nil); st != 201 {
		t.Fatalf("load scenario: %d", st)
	}
	a := call(t, "POST", h.URL+"/widgets", `{"name":"gear","callback_url":"`+rcv.URL+`"}`, map[string]string{"X-Key": platformtest.WidgetKey})
	if a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	h.Advance(2 * time.Hour)
	var v struct {
		Clock    string `json:"clock"`
		Webhooks []json.RawMessage
	}
	h.Control("GET", "/webhooks", nil, &v)
	if v.Clock != "scenario" || len(v.Webhooks) == 0 {
		t.Fatalf("webhooks: %+v", v)
	}
	var w struct {
		Clock    string    `json:"clock"`
		Created  time.Time `json:"created"`
		Delivery struct {
			Body         string   `json:"body"`
			BodyEncoding string   `json:"body_encoding"`
			Retry        []string `json:"retry"`
		} `json:"delivery"`
		Attempts []struct {
			Time         time.Time `json:"time"`
			ScenarioTime time.Time `json:"scenario_time"`
			WallTime     time.Time `json:"wall_time"`
		} `json:"attempts"`
	}
	if err := json.Unmarshal(v.Webhooks[len(v.Webhooks)-1], &w); err != nil {
		t.Fatal(err)
	}
	if w.Clock != "scenario" || !strings.HasPrefix(w.Delivery.Body, "{") || w.Delivery.BodyEncoding != "" {
		t.Errorf("delivery: %+v", w)
	}
	if strings.Join(w.Delivery.Retry, ",") != "5m0s,25m0s,2h5m0s" {
		t.Errorf("retry = %v, want readable durations", w.Delivery.Retry)
	}
	if len(w.Attempts) < 2 {
		t.Fatalf("attempts: %+v", w.Attempts)
	}
	for _, at := range w.Attempts {
		if !at.Time.Equal(at.ScenarioTime) || at.Time.Before(w.Created) || at.WallTime.IsZero() {
			t.Errorf("attempt times: %+v, created %s", at, w.Created)
		}
	}
}

// The shapes of the journal's and the deletions' answers are guarded like
// the others.
func TestVerifyGoldens(t *testing.T) {
	h := newHarness(t)
	createWidget(t, h, platformtest.WidgetKey, "gear")
	call(t, "GET", h.URL+"/widget/1", "", map[string]string{"X-Key": platformtest.WidgetKey})
	tid := h.NewTenant()
	for _, c := range []struct {
		golden, method, path, body string
		status                     int
	}{
		{"requests_count", "GET", "/requests/count?method=POST", "", 200},
		{"requests_count_post", "POST", "/requests/count", `{"status":"2xx"}`, 200},
		{"requests_find", "POST", "/requests/find", `{"path_prefix":"/widgets","limit":1}`, 200},
		{"requests_unmatched", "GET", "/requests/unmatched", "", 200},
		{"error_requests_bad_status", "GET", "/requests?status=abc", "", 400},
		{"requests_delete", "DELETE", "/requests?tenant=" + tid, "", 200},
		{"error_delete_default_tenant", "DELETE", "/tenants/default", "", 409},
		{"error_delete_unknown_scenario", "DELETE", "/scenarios/nope", "", 404},
	} {
		t.Run(c.golden, func(t *testing.T) {
			a := call(t, c.method, h.URL+"/_fakeprovider"+c.path, c.body, nil)
			if a.status != c.status {
				t.Fatalf("%s %s: %d %s", c.method, c.path, a.status, a.body)
			}
			checkGolden(t, c.golden, a.status, a.body)
		})
	}
}
