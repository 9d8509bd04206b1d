package control

import (
	"time"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/outbox"
)

// viewWebhook is a delivery as the control API shows it: durations as Go
// duration strings ("5m0s"), the body as text when it is UTF-8 text (base64
// otherwise), and every time in scenario time. The outbox's stored record
// is unchanged.
func viewWebhook(r *outbox.Record) controlapi.Webhook {
	d := r.Delivery
	dv := controlapi.WebhookDelivery{URL: d.URL, Method: d.Method, Header: d.Header, Signer: d.Signer,
		Timeout: durationText(d.Timeout), Delay: durationText(d.Delay), Event: d.Event, Kind: d.Kind, ResourceID: d.ResourceID}
	dv.SetBody(d.Body)
	for _, w := range d.Retry {
		dv.Retry = append(dv.Retry, w.String())
	}
	v := controlapi.Webhook{ID: r.ID, Tenant: r.Tenant, Provider: r.Provider, Status: r.Status, Clock: controlapi.WebhookClock,
		Created: r.Created, NextAt: r.NextAt, Delivery: dv, Attempts: make([]controlapi.WebhookAttempt, 0, len(r.Attempts)), AttemptsDropped: r.AttemptsDropped}
	for _, a := range r.Attempts {
		v.Attempts = append(v.Attempts, controlapi.WebhookAttempt{Time: a.ScenarioTime, ScenarioTime: a.ScenarioTime, WallTime: a.Time,
			URL: a.URL, Method: a.Method, RequestHeader: a.RequestHeader, RequestBody: a.RequestBody, Status: a.Status,
			ResponseBody: a.ResponseBody, LatencyMS: a.LatencyMS, Error: a.Error, Resend: a.Resend, Refused: a.Refused})
	}
	return v
}

func viewWebhooks(list []outbox.Record) []controlapi.Webhook {
	out := make([]controlapi.Webhook, 0, len(list))
	for i := range list {
		out = append(out, viewWebhook(&list[i]))
	}
	return out
}

func durationText(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}
