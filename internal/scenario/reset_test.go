package scenario_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

const twoStepScenario = `version: 1
name: widget-two-steps
provider: widget
on: widget.created
steps:
  - after: 1m
    status: processing
  - after: 10m
    status: approved
`

// A reset of one tenant drops its runs and its pending deliveries from the
// schedule; another tenant's keep running, and the reset tenant's scenario
// time goes back on the wall clock.
func TestResetOfOneTenantLeavesAnothersSchedule(t *testing.T) {
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()},
		platformtest.WithScenarios(scenarioDir(t, map[string]string{"two.yaml": twoStepScenario})))
	recv := platformtest.NewReceiver(t)
	recv.SetStatus(http.StatusInternalServerError) // every attempt fails: retries stay pending
	tenants := []string{h.NewTenant(), h.NewTenant()}
	for _, tn := range tenants {
		c, _ := h.App.Tenants.Credentials(tn, "widget")
		body, _ := json.Marshal(map[string]any{"name": "w", "amount": 5, "callback_url": recv.URL + "/" + tn})
		req, _ := http.NewRequest(http.MethodPost, h.URL+"/widgets", bytes.NewReader(body))
		req.Header.Set("X-Key", c.(*platformtest.WidgetCreds).Key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", resp.StatusCode)
		}
	}
	h.Advance(2 * time.Minute) // step 1 and its first attempt, for both
	a, b := tenants[0], tenants[1]
	if st := h.Control(http.MethodPost, "/clock/advance", map[string]string{"by": "1m", "tenant": a}, nil); st != http.StatusOK {
		t.Fatalf("advance %s: %d", a, st)
	}
	queued := h.App.Schedule.Len() // each tenant: its run's next step, its delivery's retry
	if st := h.Control(http.MethodPost, "/reset?tenant="+a, nil, nil); st != http.StatusNoContent {
		t.Fatalf("reset: %d", st)
	}
	if n := h.App.Schedule.Len(); queued != 4 || n != 2 {
		t.Errorf("scheduled entries: %d before the reset, %d after; want 4 and 2", queued, n)
	}
	before := map[string]int{}
	for _, r := range recv.Requests() {
		before[r.Path]++
	}
	h.Advance(3 * time.Hour) // b's retries and step 2 fall due; a has nothing left
	after := map[string]int{}
	for _, r := range recv.Requests() {
		after[r.Path]++
	}
	if after["/"+a] != before["/"+a] {
		t.Errorf("%s got %d attempts after its reset", a, after["/"+a]-before["/"+a])
	}
	if after["/"+b] <= before["/"+b] {
		t.Errorf("%s got no attempt after another tenant's reset (%d before)", b, before["/"+b])
	}
	var hooks struct {
		Webhooks []json.RawMessage `json:"webhooks"`
	}
	h.Control(http.MethodGet, "/webhooks?tenant="+a, nil, &hooks)
	if len(hooks.Webhooks) != 0 {
		t.Errorf("%s lists %d webhooks after its reset", a, len(hooks.Webhooks))
	}
	var runs struct {
		Runs []struct {
			Status string `json:"status"`
		} `json:"runs"`
	}
	h.Control(http.MethodGet, "/scenarios/runs?tenant="+b, nil, &runs)
	if len(runs.Runs) != 1 || runs.Runs[0].Status != "done" {
		t.Errorf("%s's runs %+v, want one done", b, runs.Runs)
	}
	var clk struct {
		Tenants map[string]string `json:"tenants"`
	}
	h.Control(http.MethodGet, "/clock", nil, &clk)
	// A reset puts the tenant's scenario time back on the wall clock.
	if off, ok := clk.Tenants[a]; ok {
		t.Errorf("%s's own offset after its reset: %q, want none", a, off)
	}
}
