package fakeprovidertest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/fakeprovidertest"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

const widgetScenario = `version: 1
name: widget-done-later
provider: widget
on: widget.created
match:
  - {field: name, equals: later}
steps:
  - after: 1h
    status: done
`

// TestWebhooksAndScenarios uses a minimal provider with a webhook (the
// platform's test widget) to show Advance, Trigger, Runs, Webhooks and
// Resend on per-tenant handles, in parallel.
func TestWebhooksAndScenarios(t *testing.T) {
	srv := fakeprovidertest.Start(t, fakeprovidertest.WithProviders(platformtest.NewWidget()))
	if st := srv.Control(http.MethodPost, "/scenarios", []byte(widgetScenario), nil); st != http.StatusCreated {
		t.Fatalf("load scenario: %d", st)
	}
	for _, name := range []string{"one", "two", "three"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tn := srv.For(t).NewTenant()
			rcv := platformtest.NewReceiver(t)
			key := tn.Credentials("widget").(*platformtest.WidgetCreds).Key
			req, _ := http.NewRequest(http.MethodPost, srv.URL("widget")+"/widgets",
				strings.NewReader(`{"name":"later","callback_url":"`+rcv.URL+`/hook"}`))
			req.Header.Set("X-Key", key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != http.StatusCreated {
				t.Fatalf("create: %v %v", err, resp)
			}
			resp.Body.Close()

			if runs := tn.Runs(); len(runs) != 1 || runs[0].Status != "active" || runs[0].Tenant != tn.ID {
				t.Fatalf("runs: %+v", runs)
			}
			res := tn.Advance(2 * time.Hour)
			if res.StepsRun != 1 {
				t.Errorf("advance ran %d steps", res.StepsRun)
			}
			hooks := tn.Webhooks()
			if len(hooks) != 1 || hooks[0].Status != "delivered" || len(hooks[0].Attempts) != 1 || hooks[0].Attempts[0].Status != 200 {
				t.Fatalf("webhooks: %+v", hooks)
			}
			if hooks[0].Tenant != tn.ID || hooks[0].Delivery.ResourceID != "1" {
				t.Errorf("delivery: %+v", hooks[0])
			}
			d := tn.Resend(hooks[0].ID)
			if len(d.Attempts) != 2 || !d.Attempts[1].Resend {
				t.Errorf("resend: %+v", d)
			}
			if got := len(rcv.Requests()); got != 2 {
				t.Errorf("receiver got %d, want 2", got)
			}
			run := tn.Trigger("widget-done-later", "1")
			if run.ResourceID != "1" || run.Tenant != tn.ID {
				t.Errorf("trigger: %+v", run)
			}
			if reqs := tn.Requests(fakeprovidertest.Filter{Provider: "widget"}); len(reqs) != 1 || !reqs[0].Auth.OK {
				t.Errorf("requests: %+v", reqs)
			}
			tn.Reset()
			if len(tn.Webhooks()) != 0 || len(tn.Runs()) != 0 {
				t.Error("reset left webhooks or runs")
			}
		})
	}
}
