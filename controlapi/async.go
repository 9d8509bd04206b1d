package controlapi

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"
)

// Clock is GET /clock. Offset is the fast-forward of the tenant asked about
// (the global offset plus its own; the global one alone without a tenant),
// so that Wall + Offset is always ScenarioNow. Durations are Go duration
// strings ("15m0s").
type Clock struct {
	Wall         time.Time `json:"wall"`
	Offset       string    `json:"offset"`
	GlobalOffset string    `json:"global_offset"`
	Tenant       string    `json:"tenant,omitempty"`
	ScenarioNow  time.Time `json:"scenario_now"`
	// Tenants are the tenants' own offsets.
	Tenants map[string]string `json:"tenants,omitempty"`
}

// Advance is the body of POST /clock/advance.
type Advance struct {
	// By is a duration: "15m", "2h", "3d".
	By string `json:"by"`
	// Tenant moves only that tenant's clock ("" every tenant's).
	Tenant string `json:"tenant,omitempty"`
}

// AdvanceResult is the answer of POST /clock/advance: the clock after it
// and how many scenario steps and webhook attempts fell due and ran.
type AdvanceResult struct {
	Clock            Clock `json:"clock"`
	DeliveryAttempts int   `json:"delivery_attempts"`
	StepsRun         int   `json:"steps_run"`
}

// Scenario is a loaded scenario (GET /scenarios, POST /scenarios).
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Provider    string `json:"provider"`
	On          string `json:"on"`
	Default     bool   `json:"default"`
	Priority    int    `json:"priority"`
	Tenant      string `json:"tenant,omitempty"`
	Source      string `json:"source"`
	Steps       int    `json:"steps"`
	// Definition is the scenario as loaded (the scenario file's schema).
	Definition json.RawMessage `json:"definition"`
}

// ScenarioList is GET /scenarios.
type ScenarioList struct {
	Scenarios []Scenario `json:"scenarios"`
}

// Trigger is the body of POST /scenarios/{name}/trigger.
type Trigger struct {
	// ID is the resource the scenario applies to.
	ID     string `json:"id"`
	Tenant string `json:"tenant,omitempty"`
}

// Run is a scenario run: which step a resource is at.
type Run struct {
	ID         string    `json:"id"`
	Tenant     string    `json:"tenant"`
	Provider   string    `json:"provider"`
	Scenario   string    `json:"scenario"`
	Kind       string    `json:"kind"`
	ResourceID string    `json:"resource_id"`
	Step       int       `json:"step"`
	DueAt      time.Time `json:"due_at"`
	// Status is active, done or failed.
	Status  string    `json:"status"`
	Created time.Time `json:"created"`
	History []RunStep `json:"history"`
	Error   string    `json:"error,omitempty"`
}

// RunStep is one executed step of a run.
type RunStep struct {
	Step   int       `json:"step"`
	Time   time.Time `json:"time"`
	Action string    `json:"action"`
	Error  string    `json:"error,omitempty"`
}

// RunList is GET /scenarios/runs.
type RunList struct {
	Runs []Run `json:"runs"`
}

// WebhookClock names the clock of every time field of a webhook answer:
// scenario time (the wall clock plus the tenant's fast-forward), the time
// the provider's retry schedule runs on. Each attempt's wall_time is the
// exception, named so, for matching a delivery with a receiver's log.
const WebhookClock = "scenario"

// Webhook is an outgoing webhook delivery with its attempts (GET
// /webhooks, GET /webhooks/{id}, POST /webhooks/{id}/resend). Every time
// is scenario time.
type Webhook struct {
	ID       string `json:"id"`
	Tenant   string `json:"tenant"`
	Provider string `json:"provider"`
	// Status is pending, delivered, failed or dropped.
	Status   string           `json:"status"`
	Clock    string           `json:"clock"`
	Created  time.Time        `json:"created"`
	NextAt   *time.Time       `json:"next_attempt_at,omitempty"`
	Delivery WebhookDelivery  `json:"delivery"`
	Attempts []WebhookAttempt `json:"attempts"`
	// AttemptsDropped counts the oldest resends left out of Attempts.
	AttemptsDropped int `json:"attempts_dropped,omitempty"`
}

// WebhookDelivery is the request a delivery sends: durations as Go
// duration strings ("5m0s"), the body as text when it is UTF-8 (base64
// otherwise, with BodyEncoding "base64").
type WebhookDelivery struct {
	URL          string      `json:"url"`
	Method       string      `json:"method,omitempty"`
	Header       http.Header `json:"header,omitempty"`
	Body         string      `json:"body"`
	BodyEncoding string      `json:"body_encoding,omitempty"`
	Signer       string      `json:"signer,omitempty"`
	// Retry lists the provider's retry waits.
	Retry      []string `json:"retry,omitempty"`
	Timeout    string   `json:"timeout,omitempty"`
	Delay      string   `json:"delay,omitempty"`
	Event      string   `json:"event,omitempty"`
	Kind       string   `json:"kind,omitempty"`
	ResourceID string   `json:"resource_id,omitempty"`
}

// BodyBytes is the body sent, decoded from base64 when it is so encoded.
func (d WebhookDelivery) BodyBytes() ([]byte, error) {
	if d.BodyEncoding != "base64" {
		return []byte(d.Body), nil
	}
	b, err := base64.StdEncoding.DecodeString(d.Body)
	if err != nil {
		return nil, fmt.Errorf("delivery body: %w", err)
	}
	return b, nil
}

// SetBody sets Body and BodyEncoding for b: text when it is UTF-8,
// base64 otherwise.
func (d *WebhookDelivery) SetBody(b []byte) {
	if utf8.Valid(b) {
		d.Body, d.BodyEncoding = string(b), ""
		return
	}
	d.Body, d.BodyEncoding = base64.StdEncoding.EncodeToString(b), "base64"
}

// WebhookAttempt is one attempt of a delivery.
type WebhookAttempt struct {
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

// WebhookList is GET /webhooks.
type WebhookList struct {
	Clock    string    `json:"clock"`
	Webhooks []Webhook `json:"webhooks"`
}

// Fault is a fault rule (POST /faults accepts one; GET /faults lists them).
// Latency is a Go duration ("2s"); as input a number of milliseconds is
// accepted too.
type Fault struct {
	ID       string `json:"id,omitempty"`
	Provider string `json:"provider,omitempty"`
	Tenant   string `json:"tenant,omitempty"`
	Method   string `json:"method,omitempty"`
	// Path is a path.Match pattern over the provider's own path.
	Path    string `json:"path,omitempty"`
	Latency string `json:"latency,omitempty"`
	Status  int    `json:"status,omitempty"`
	// Body is written verbatim with Status; empty: the provider's own
	// error envelope for Status.
	Body string `json:"body,omitempty"`
	Drop bool   `json:"drop,omitempty"`
	// Count is how many calls the rule affects (0: until removed).
	Count int `json:"count,omitempty"`
	// Probability in (0,1] applies the rule to that share of calls.
	Probability float64 `json:"probability,omitempty"`
	Source      string  `json:"source,omitempty"`
	Hits        int     `json:"hits"`
}

// FaultList is GET /faults.
type FaultList struct {
	Faults []Fault `json:"faults"`
}
