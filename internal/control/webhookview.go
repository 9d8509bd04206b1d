package control

import (
	"encoding/base64"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/fakeprovider/fakeprovider/internal/outbox"
)

// WebhookClock names the clock of every time field of a webhook answer:
// scenario time (the wall clock plus the tenant's fast-forward), the time
// the provider's retry schedule runs on. Each attempt's wall_time is the
// exception, named so, for matching a delivery with a receiver's log.
const WebhookClock = "scenario"

// WebhookView is a delivery as the control API shows it (GET /webhooks): durations as Go
// duration strings ("5m0s"), the body as text when it is UTF-8 text (base64
// otherwise, with body_encoding "base64"), and every time in scenario time.
// The outbox's stored record is unchanged.
type WebhookView struct {
	ID       string               `json:"id"`
	Tenant   string               `json:"tenant"`
	Provider string               `json:"provider"`
	Status   string               `json:"status"`
	Clock    string               `json:"clock"`
	Created  time.Time            `json:"created"`
	NextAt   *time.Time           `json:"next_attempt_at,omitempty"`
	Delivery WebhookDeliveryView  `json:"delivery"`
	Attempts []WebhookAttemptView `json:"attempts"`
	// AttemptsDropped counts the oldest resends left out of Attempts.
	AttemptsDropped int `json:"attempts_dropped,omitempty"`
}

// WebhookDeliveryView is the request a delivery sends.
type WebhookDeliveryView struct {
	URL          string      `json:"url"`
	Method       string      `json:"method,omitempty"`
	Header       http.Header `json:"header,omitempty"`
	Body         string      `json:"body"`
	BodyEncoding string      `json:"body_encoding,omitempty"`
	Signer       string      `json:"signer,omitempty"`
	Retry        []string    `json:"retry,omitempty"`
	Timeout      string      `json:"timeout,omitempty"`
	Delay        string      `json:"delay,omitempty"`
	Event        string      `json:"event,omitempty"`
	Kind         string      `json:"kind,omitempty"`
	ResourceID   string      `json:"resource_id,omitempty"`
}

// WebhookAttemptView is one attempt of a delivery.
type WebhookAttemptView struct {
	// Time is scenario time, as ScenarioTime (kept for older clients).
	Time          time.Time         `json:"time"`
	ScenarioTime  time.Time         `json:"scenario_time"`
	WallTime      time.Time         `json:"wall_time"`
	URL           string            `json:"url"`
	Method        string            `json:"method"`
	RequestHeader map[string]string `json:"request_headers"`
	RequestBody   string            `json:"request_body"`
	Status        int               `json:"response_status,omitempty"`
	ResponseBody  string            `json:"response_body,omitempty"`
	LatencyMS     float64           `json:"latency_ms"`
	Error         string            `json:"error,omitempty"`
	Resend        bool              `json:"resend,omitempty"`
	// Refused: the emulator refused the attempt (a delivery to itself);
	// Error says why.
	Refused bool `json:"refused,omitempty"`
}

func durationText(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func viewWebhook(r *outbox.Record) WebhookView {
	d := r.Delivery
	dv := WebhookDeliveryView{URL: d.URL, Method: d.Method, Header: d.Header, Signer: d.Signer,
		Timeout: durationText(d.Timeout), Delay: durationText(d.Delay), Event: d.Event, Kind: d.Kind, ResourceID: d.ResourceID}
	if utf8.Valid(d.Body) {
		dv.Body = string(d.Body)
	} else {
		dv.Body, dv.BodyEncoding = base64Std(d.Body), "base64"
	}
	for _, w := range d.Retry {
		dv.Retry = append(dv.Retry, w.String())
	}
	v := WebhookView{ID: r.ID, Tenant: r.Tenant, Provider: r.Provider, Status: r.Status, Clock: WebhookClock,
		Created: r.Created, NextAt: r.NextAt, Delivery: dv, Attempts: make([]WebhookAttemptView, 0, len(r.Attempts)), AttemptsDropped: r.AttemptsDropped}
	for _, a := range r.Attempts {
		v.Attempts = append(v.Attempts, WebhookAttemptView{Time: a.ScenarioTime, ScenarioTime: a.ScenarioTime, WallTime: a.Time,
			URL: a.URL, Method: a.Method, RequestHeader: a.RequestHeader, RequestBody: a.RequestBody, Status: a.Status,
			ResponseBody: a.ResponseBody, LatencyMS: a.LatencyMS, Error: a.Error, Resend: a.Resend, Refused: a.Refused})
	}
	return v
}

func viewWebhooks(list []outbox.Record) []WebhookView {
	out := make([]WebhookView, 0, len(list))
	for i := range list {
		out = append(out, viewWebhook(&list[i]))
	}
	return out
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
