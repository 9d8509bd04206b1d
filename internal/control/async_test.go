package control_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

const widgetScenario = `version: 1
name: widget-done-later
provider: widget
on: widget.created
match:
  - {field: name, equals: later}
steps:
  - after: 10s
    status: done
`

// Scenarios, clock, webhooks and faults through the control API, with
// their answer shapes guarded like the core endpoints.
func TestAsyncControlEndpoints(t *testing.T) {
	h := newHarness(t)
	rcv := platformtest.NewReceiver(t)
	key := map[string]string{"X-Key": platformtest.WidgetKey, "Content-Type": "application/json"}

	a := call(t, "POST", h.URL+"/_fakeprovider/scenarios", widgetScenario, map[string]string{"Content-Type": "application/yaml"})
	checkGolden(t, "scenarios_post", a.status, a.body)
	if a.status != 201 {
		t.Fatalf("load scenario: %d %s", a.status, a.body)
	}
	a = call(t, "POST", h.URL+"/_fakeprovider/scenarios", "version: 1\nname: widget-x\nprovider: widget\non: widget.made\nsteps: [{stop: true}]\n", nil)
	checkGolden(t, "error_scenario_lint", a.status, a.body)
	if a.status != 422 || !strings.Contains(string(a.body), "request:4:") {
		t.Errorf("broken scenario: %d %s; want 422 with the line", a.status, a.body)
	}
	a = call(t, "GET", h.URL+"/_fakeprovider/scenarios?provider=widget", "", nil)
	checkGolden(t, "scenarios_get", a.status, a.body)

	a = call(t, "POST", h.URL+"/widgets", `{"name":"later","callback_url":"`+rcv.URL+`/hook"}`, key)
	if a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	a = call(t, "GET", h.URL+"/_fakeprovider/scenarios/runs", "", nil)
	checkGolden(t, "scenarios_runs", a.status, a.body)

	a = call(t, "POST", h.URL+"/_fakeprovider/clock/advance", `{"by":"15s"}`, nil)
	checkGolden(t, "clock_advance", a.status, a.body)
	if a.status != 200 {
		t.Fatalf("advance: %d %s", a.status, a.body)
	}
	// The advance returns after the step and its webhook ran: no waiting.
	if got := rcv.Requests(); len(got) != 1 || !strings.Contains(string(got[0].Body), `"status":"done"`) {
		t.Fatalf("webhook after advance: %+v", got)
	}
	var w platformtest.WidgetRecord
	a = call(t, "GET", h.URL+"/widgets/1", "", key)
	json.Unmarshal(a.body, &w)
	if w.Status != "done" {
		t.Errorf("widget status %q after the scenario step", w.Status)
	}

	a = call(t, "GET", h.URL+"/_fakeprovider/webhooks", "", nil)
	checkGolden(t, "webhooks_get", a.status, a.body)
	var list struct {
		Webhooks []struct {
			ID string `json:"id"`
		} `json:"webhooks"`
	}
	decode(t, a, &list)
	if len(list.Webhooks) != 1 {
		t.Fatalf("webhooks %s", a.body)
	}
	id := list.Webhooks[0].ID
	a = call(t, "GET", h.URL+"/_fakeprovider/webhooks/"+id, "", nil)
	checkGolden(t, "webhook_get", a.status, a.body)
	a = call(t, "POST", h.URL+"/_fakeprovider/webhooks/"+id+"/resend", "", nil)
	if a.status != 200 {
		t.Errorf("resend: %d %s", a.status, a.body)
	}
	rcv.WaitFor(t, 2, 10*time.Second)
	if a := call(t, "GET", h.URL+"/_fakeprovider/webhooks/nope", "", nil); a.status != 404 {
		t.Errorf("unknown webhook: %d", a.status)
	}

	cases := []struct {
		golden, method, path, body string
		status                     int
	}{
		{"", "GET", "/clock", "", 200},
		{"", "POST", "/clock/advance", `{}`, 400},
		{"", "POST", "/clock/advance", `{"by":"soon"}`, 400},
		{"", "POST", "/clock/advance", `{"by":"1m","tenant":"nope"}`, 404},
		{"", "POST", "/clock/advance", `{"by":"1m","extra":1}`, 400},
		{"faults_post", "POST", "/faults", `{"provider":"widget","method":"GET","path":"/widgets/*","status":503,"count":1}`, 201},
		{"error_fault_invalid", "POST", "/faults", `{"provider":"widget"}`, 400},
		{"", "GET", "/faults", "", 200},
	}
	for _, c := range cases {
		a := call(t, c.method, h.URL+"/_fakeprovider"+c.path, c.body, nil)
		if a.status != c.status {
			t.Errorf("%s %s %s: %d %s, want %d", c.method, c.path, c.body, a.status, a.body, c.status)
		}
		if c.golden != "" {
			checkGolden(t, c.golden, a.status, a.body)
		}
	}
	// The fault applies once, in the provider's envelope, then is gone.
	if a := call(t, "GET", h.URL+"/widgets/1", "", key); a.status != 503 || string(a.body) != `{"error":"fault"}` {
		t.Errorf("faulted call: %d %s", a.status, a.body)
	}
	if a := call(t, "GET", h.URL+"/widgets/1", "", key); a.status != 200 {
		t.Errorf("after the fault's count: %d %s", a.status, a.body)
	}
	var fl struct {
		Faults []json.RawMessage `json:"faults"`
	}
	h.Control("GET", "/faults", nil, &fl)
	if len(fl.Faults) != 0 {
		t.Errorf("spent fault still listed: %s", fl.Faults)
	}
	h.Control("POST", "/faults", map[string]any{"status": 500}, nil)
	if st := h.Control("DELETE", "/faults/nope", nil, nil); st != 404 {
		t.Errorf("delete unknown fault: %d", st)
	}
	if st := h.Control("DELETE", "/faults", nil, nil); st != 204 {
		t.Errorf("clear faults: %d", st)
	}
	if a := call(t, "GET", h.URL+"/widgets/1", "", key); a.status != 200 {
		t.Errorf("after clearing faults: %d", a.status)
	}
	// Trigger applies a scenario to an existing resource.
	call(t, "POST", h.URL+"/widgets", `{"name":"manual"}`, key)
	a = call(t, "POST", h.URL+"/_fakeprovider/scenarios/widget-done-later/trigger", `{"id":"2"}`, nil)
	checkGolden(t, "scenarios_trigger", a.status, a.body)
	if a.status != 201 {
		t.Errorf("trigger: %d %s", a.status, a.body)
	}
	for _, c := range []struct {
		path, body string
		status     int
	}{
		{"/scenarios/widget-done-later/trigger", `{}`, 400},
		{"/scenarios/widget-done-later/trigger", `{"id":"2","tenant":"nope"}`, 404},
		{"/scenarios/widget-done-later/trigger?tenant=nope", `{"id":"2"}`, 404},
	} {
		if a := call(t, "POST", h.URL+"/_fakeprovider"+c.path, c.body, nil); a.status != c.status {
			t.Errorf("POST %s %s: %d %s, want %d", c.path, c.body, a.status, a.body, c.status)
		}
	}
	h.Advance(15 * time.Second)
	a = call(t, "GET", h.URL+"/widgets/2", "", key)
	json.Unmarshal(a.body, &w)
	if w.Status != "done" {
		t.Errorf("triggered widget: %s", a.body)
	}
	if a := call(t, "GET", h.URL+"/_fakeprovider/webhooks?limit=0", "", nil); a.status != 400 {
		t.Errorf("webhooks limit=0: %d", a.status)
	}
	// Reset drops webhooks and runs of the tenant.
	h.Control("POST", "/reset", nil, nil)
	a = call(t, "GET", h.URL+"/_fakeprovider/webhooks", "", nil)
	if !strings.Contains(string(a.body), `"webhooks": []`) {
		t.Errorf("webhooks after reset: %s", a.body)
	}
}
