package scenario_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/outbox"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

const settleScenario = `version: 1
name: widget-settles
description: A widget moves to processing, approved, then settled.
provider: widget
on: widget.created
priority: 5
match:
  - {field: amount, range: {min: 10, max: 100}}
steps:
  - after: 1m
    status: processing
  - after: 5m
    status: approved
  - after: 10m
    status: settled
`

const declineScenario = `version: 1
name: widget-declined
provider: widget
on: widget.created
priority: 10
match:
  - {field: name, matches: "^decline"}
steps:
  - after: 30s
    status: declined
    fields: {reason: "no funds"}
`

func scenarioDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func widgetCall(t *testing.T, h *platformtest.Harness, method, path string, body any, out any) int {
	t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(method, h.URL+path, bytes.NewReader(raw))
	req.Header.Set("X-Key", "widget-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func widgetStatus(t *testing.T, h *platformtest.Harness, id string) string {
	t.Helper()
	var w struct{ Status string }
	if st := widgetCall(t, h, http.MethodGet, "/widgets/"+id, nil, &w); st != http.StatusOK {
		t.Fatalf("GET widget %s: status %d", id, st)
	}
	return w.Status
}

func verifySignature(t *testing.T, r platformtest.Received) {
	t.Helper()
	mac := hmac.New(sha256.New, []byte("widget-key"))
	mac.Write(r.Body)
	if got, want := r.Header.Get("X-Signature"), hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("webhook signature %q, want %q", got, want)
	}
}

// A scenario loaded from a user file moves a resource through three
// statuses under fast-forward, with no sleep, and each change's webhook
// reaches the receiver signed.
func TestScenarioMovesResourceUnderFastForward(t *testing.T) {
	dir := scenarioDir(t, map[string]string{"settle.yaml": settleScenario, "decline.yaml": declineScenario})
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()}, platformtest.WithScenarios(dir))
	rcv := platformtest.NewReceiver(t)

	var w struct{ ID, Status string }
	if st := widgetCall(t, h, http.MethodPost, "/widgets", map[string]any{"name": "gear", "amount": 50, "callback_url": rcv.URL}, &w); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	steps := []struct {
		advance time.Duration
		want    string
		hooks   int
	}{
		{30 * time.Second, "new", 0},
		{30 * time.Second, "processing", 1},
		{5 * time.Minute, "approved", 2},
		{9 * time.Minute, "approved", 2},
		{time.Minute, "settled", 3},
	}
	for _, s := range steps {
		h.Advance(s.advance)
		if got := widgetStatus(t, h, w.ID); got != s.want {
			t.Fatalf("after +%s: status %q, want %q", s.advance, got, s.want)
		}
		if got := len(rcv.Requests()); got != s.hooks {
			t.Fatalf("after +%s: %d webhooks, want %d", s.advance, got, s.hooks)
		}
	}
	for i, want := range []string{"processing", "approved", "settled"} {
		r := rcv.Requests()[i]
		verifySignature(t, r)
		var body map[string]string
		json.Unmarshal(r.Body, &body)
		if body["status"] != want || body["id"] != w.ID {
			t.Errorf("webhook %d body %s, want status %s", i, r.Body, want)
		}
	}
	var runs struct {
		Runs []struct{ Scenario, Status string }
	}
	h.Control(http.MethodGet, "/scenarios/runs", nil, &runs)
	if len(runs.Runs) != 1 || runs.Runs[0].Scenario != "widget-settles" || runs.Runs[0].Status != "done" {
		t.Errorf("runs = %+v", runs.Runs)
	}
}

// The higher-priority scenario wins, conditions are checked, and a widget
// that matches nothing stays as it is.
func TestScenarioMatching(t *testing.T) {
	dir := scenarioDir(t, map[string]string{"settle.yaml": settleScenario, "decline.yaml": declineScenario})
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()}, platformtest.WithScenarios(dir))
	cases := []struct {
		name   string
		amount float64
		want   string
	}{
		{"decline-me", 50, "declined"}, // both match; decline has the higher priority
		{"plain", 50, "processing"},
		{"plain", 500, "new"}, // out of range, no default
	}
	for _, c := range cases {
		var w struct{ ID string }
		widgetCall(t, h, http.MethodPost, "/widgets", map[string]any{"name": c.name, "amount": c.amount}, &w)
		h.Advance(time.Minute)
		if got := widgetStatus(t, h, w.ID); got != c.want {
			t.Errorf("%s/%v: status %q, want %q", c.name, c.amount, got, c.want)
		}
	}
}

// With the receiver down, attempts follow the provider's retry schedule in
// scenario time, survive a restart with the same store, and succeed once the
// receiver is up.
func TestWebhookRetriesSurviveRestart(t *testing.T) {
	dir := scenarioDir(t, map[string]string{"settle.yaml": settleScenario})
	data := filepath.Join(t.TempDir(), "state.db")
	rcv := platformtest.NewReceiver(t)
	rcv.SetStatus(http.StatusServiceUnavailable)

	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()}, platformtest.WithScenarios(dir), platformtest.WithData(data))
	var w struct{ ID string }
	widgetCall(t, h, http.MethodPost, "/widgets", map[string]any{"name": "gear", "amount": 20, "callback_url": rcv.URL}, &w)
	h.Advance(time.Minute) // processing: attempt 1 fails
	h.Advance(4 * time.Minute)
	if n := len(rcv.Requests()); n != 1 {
		t.Fatalf("before the 5 min retry: %d attempts, want 1", n)
	}
	// Remove the scenario's later steps from play: the run stays active but
	// this test only follows the first webhook.
	h.Advance(time.Minute) // +5m since attempt 1: attempt 2 (and "approved" is due at 6m too)
	h.Stop()

	h2 := platformtest.New(t, []platform.Provider{platformtest.NewWidget()}, platformtest.WithScenarios(dir), platformtest.WithData(data))
	var before struct{ Webhooks []wireDelivery }
	h2.Control(http.MethodGet, "/webhooks?tenant=default", nil, &before)
	var first *wireDelivery
	for i := range before.Webhooks {
		if before.Webhooks[i].Delivery.Event == "widget.processing" {
			first = &before.Webhooks[i]
		}
	}
	if first == nil || first.Status != outbox.StatusPending || len(first.Attempts) != 2 {
		t.Fatalf("after restart, the processing webhook = %+v; want pending with 2 attempts", first)
	}
	rcv.SetStatus(http.StatusOK)
	h2.Advance(25 * time.Minute)
	var after struct {
		Webhooks []wireDelivery
	}
	h2.Control(http.MethodGet, "/webhooks/"+first.ID, nil, &first)
	if first.Status != outbox.StatusDelivered || len(first.Attempts) != 3 {
		t.Fatalf("processing webhook = %s with %d attempts, want delivered after 3", first.Status, len(first.Attempts))
	}
	gaps := []time.Duration{
		first.Attempts[1].ScenarioTime.Sub(first.Attempts[0].ScenarioTime),
		first.Attempts[2].ScenarioTime.Sub(first.Attempts[1].ScenarioTime),
	}
	for i, want := range []time.Duration{5 * time.Minute, 25 * time.Minute} {
		if d := gaps[i] - want; d < -time.Second || d > time.Second {
			t.Errorf("retry %d came after %s, want %s", i+1, gaps[i], want)
		}
	}
	h2.Control(http.MethodGet, "/webhooks?status=delivered", nil, &after)
	for _, r := range rcv.Requests() {
		verifySignature(t, r)
	}
}

// A fault rule makes exactly N matching calls fail, then calls succeed.
func TestFaultRuleFailsExactlyN(t *testing.T) {
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()})
	var w struct{ ID string }
	widgetCall(t, h, http.MethodPost, "/widgets", map[string]any{"name": "gear"}, &w)
	var rule map[string]any
	st := h.Control(http.MethodPost, "/faults", map[string]any{"provider": "widget", "method": "GET", "path": "/widgets/*", "status": 503, "count": 2}, &rule)
	if st != http.StatusCreated {
		t.Fatalf("add fault: %d %v", st, rule)
	}
	var got []int
	for i := 0; i < 4; i++ {
		got = append(got, widgetCall(t, h, http.MethodGet, "/widgets/"+w.ID, nil, nil))
	}
	want := []int{503, 503, 200, 200}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses %v, want %v", got, want)
		}
	}
	// Prefixed path matches too, and the rule list is empty again.
	var list struct{ Faults []any }
	h.Control(http.MethodGet, "/faults", nil, &list)
	if len(list.Faults) != 0 {
		t.Errorf("faults left: %v", list.Faults)
	}
	var reqs struct{ Requests []struct{ Fault string } }
	h.Control(http.MethodGet, "/requests?provider=widget", nil, &reqs)
	faulted := 0
	for _, r := range reqs.Requests {
		if r.Fault != "" {
			faulted++
		}
	}
	if faulted != 2 {
		t.Errorf("journal shows %d faulted calls, want 2", faulted)
	}
}

// Scenario steps can drop a resource's webhooks and make its next calls fail.
func TestScenarioFaultAndWebhookSteps(t *testing.T) {
	const sc = `version: 1
name: widget-flaky
provider: widget
on: widget.created
default: true
steps:
  - fail_next: {count: 1, status: 500, method: GET, path: "/widgets/{id}"}
  - webhook: {drop: true}
  - after: 1m
    status: done
`
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()}, platformtest.WithScenarios(scenarioDir(t, map[string]string{"flaky.yaml": sc})))
	rcv := platformtest.NewReceiver(t)
	var w struct{ ID string }
	widgetCall(t, h, http.MethodPost, "/widgets", map[string]any{"name": "gear", "callback_url": rcv.URL}, &w)
	h.Advance(0)
	if st := widgetCall(t, h, http.MethodGet, "/widgets/"+w.ID, nil, nil); st != http.StatusInternalServerError {
		t.Errorf("first GET after fail_next: %d, want 500", st)
	}
	if st := widgetCall(t, h, http.MethodGet, "/widgets/"+w.ID, nil, nil); st != http.StatusOK {
		t.Errorf("second GET: %d, want 200", st)
	}
	h.Advance(time.Minute)
	if got := widgetStatus(t, h, w.ID); got != "done" {
		t.Errorf("status %q, want done", got)
	}
	var hooks struct{ Webhooks []wireDelivery }
	h.Control(http.MethodGet, "/webhooks", nil, &hooks)
	if len(hooks.Webhooks) != 1 || hooks.Webhooks[0].Status != outbox.StatusDropped || len(rcv.Requests()) != 0 {
		t.Errorf("webhooks %+v, received %d; want one dropped and none received", hooks.Webhooks, len(rcv.Requests()))
	}
	// A resend sends even a dropped delivery (the developer asked for it).
	var rec wireDelivery
	if st := h.Control(http.MethodPost, "/webhooks/"+hooks.Webhooks[0].ID+"/resend", nil, &rec); st != http.StatusOK || len(rcv.Requests()) != 1 {
		t.Errorf("resend: status %d, received %d", st, len(rcv.Requests()))
	}
}

// Trigger applies a scenario to an existing resource; a run-time scenario
// is validated and listed.
func TestTriggerAndRuntimeScenario(t *testing.T) {
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()})
	var w struct{ ID string }
	widgetCall(t, h, http.MethodPost, "/widgets", map[string]any{"name": "gear"}, &w)
	var errBody map[string]string
	if st := h.Control(http.MethodPost, "/scenarios", []byte("version: 1\nname: bad\nprovider: widget\non: widget.nope\nsteps: [{stop: true}]\n"), &errBody); st != http.StatusUnprocessableEntity {
		t.Fatalf("bad scenario: %d %v", st, errBody)
	}
	if st := h.Control(http.MethodPost, "/scenarios", []byte(declineScenario), nil); st != http.StatusCreated {
		t.Fatalf("load scenario: %d", st)
	}
	if st := h.Control(http.MethodPost, "/scenarios/widget-declined/trigger", map[string]string{"id": w.ID}, nil); st != http.StatusCreated {
		t.Fatalf("trigger: %d", st)
	}
	h.Advance(time.Minute)
	if got := widgetStatus(t, h, w.ID); got != "declined" {
		t.Errorf("status %q, want declined", got)
	}
	if st := h.Control(http.MethodPost, "/scenarios/nope/trigger", map[string]string{"id": w.ID}, nil); st != http.StatusNotFound {
		t.Errorf("unknown scenario trigger: %d", st)
	}
	var clk struct{ Offset string }
	h.Control(http.MethodGet, "/clock", nil, &clk)
	if clk.Offset != "1m0s" {
		t.Errorf("clock offset %q, want 1m0s", clk.Offset)
	}
}

// wireDelivery is a delivery as GET /_fakeprovider/webhooks shows it.
type wireDelivery struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Delivery struct {
		Event string `json:"event"`
		Body  string `json:"body"`
	} `json:"delivery"`
	Attempts []struct {
		ScenarioTime time.Time `json:"scenario_time"`
	} `json:"attempts"`
}
