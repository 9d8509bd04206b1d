package crm

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// webhookTimeout: the CRM treats no answer within 5 s as a failure; it has
// no automatic retry (deliveries are logged and can be resent).
const webhookTimeout = 5 * time.Second

// Envelope is the CRM webhook body.
type Envelope struct {
	Source  EnvelopeSource `json:"source"`
	Target  EnvelopeTarget `json:"target"`
	Version string         `json:"version"`
	Data    map[string]any `json:"data"`
}

// EnvelopeSource says which service, group and event fired.
type EnvelopeSource struct {
	Service string `json:"service"`
	Group   string `json:"group"`
	Event   string `json:"event"`
}

// EnvelopeTarget names the configured webhook.
type EnvelopeTarget struct {
	Name string `json:"name"`
}

// eventNames returns a request type's group and full event slug.
func eventNames(requestType, action string) (group, event string, ok bool) {
	name, ok := requestWebhookNames[requestType]
	if !ok {
		return "", "", false
	}
	return "crm.webhooks.groups.requests." + name, "crm.webhooks.requests." + name + "." + action, true
}

// subscribed reports whether a webhook receives an event: it lists the
// event slug or its whole group.
func (w Webhook) subscribed(group, event string) bool {
	return w.Enabled && w.URL != "" && (slices.Contains(w.Events, event) || slices.Contains(w.Events, group))
}

// notifyRequest enqueues one delivery per subscribed webhook.
func (p *Provider) notifyRequest(tx *platform.Tx, r Request, action string) error {
	group, event, ok := eventNames(r.Type, action)
	if !ok {
		return nil
	}
	settings := loadSettings(tx)
	for _, w := range settings.Webhooks {
		if !w.subscribed(group, event) {
			continue
		}
		body, err := json.Marshal(Envelope{
			Source:  EnvelopeSource{Service: "requests", Group: group, Event: event},
			Target:  EnvelopeTarget{Name: w.Name},
			Version: "1.0.0",
			Data:    webhookData(r),
		})
		if err != nil {
			return err
		}
		sig := WebhookSignature(w.Secret, body)
		if w.Prefix {
			sig = "sha256=" + sig
		}
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set(HeaderWebhookSignature, sig)
		h.Set("User-Agent", "CRM-Webhook/1.0")
		if _, err := tx.Notify(platform.Delivery{URL: w.URL, Header: h, Body: body, Timeout: webhookTimeout,
			Event: event, Kind: "request", ResourceID: r.ID}); err != nil {
			return err
		}
	}
	return nil
}

func normaliseEvents(events []string) []string {
	out := make([]string, 0, len(events))
	for _, e := range events {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// lifecycle declares the events scenarios react to and how they move
// requests and payments.
func (p *Provider) lifecycle(m *platform.Mount) {
	m.Event("request.created", "request")
	m.Event("payment.created", "payment")
	m.StatusTarget("request", p.requestStatus, "approved", "rejected")
	m.StatusTarget("payment", p.paymentStatus, paymentSuccess, paymentFailed, paymentProcessing)
}
