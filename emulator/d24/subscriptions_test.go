package d24_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

func subscriptionBody(invoice, lastName, plan string, unit int, renew bool, notify string) map[string]any {
	return map[string]any{"invoice_id": invoice, "amount": 70, "country": "BR", "currency": "BRL", "client_ip": "203.0.113.7",
		"notification_url": notify, "description": "Premium",
		"payer":        map[string]any{"id": "P1", "document": "84932568207", "document_type": "CPF", "email": "j@example.com", "first_name": "John", "last_name": lastName},
		"subscription": map[string]any{"start_date": time.Now().UTC().Format("2006-01-02"), "plan": plan, "plan_unit": unit, "auto_renewal": renew}}
}

type subView struct {
	SubscriptionID int64   `json:"subscription_id"`
	Status         string  `json:"status"`
	Payments       int     `json:"payments"`
	DepositIDs     []int64 `json:"deposit_ids"`
	NextPayment    string  `json:"next_payment_date"`
}

// subscribe creates a subscription and pays its first deposit on the
// checkout page.
func (e *env) subscribe(body map[string]any) int64 {
	e.t.Helper()
	a := e.signed("POST", "/v3/subscriptions", body)
	var c struct {
		SubscriptionID int64   `json:"subscription_id"`
		RedirectURL    string  `json:"redirect_url"`
		PaymentAmount  float64 `json:"payment_amount"`
		Redirect       bool    `json:"redirect"`
		ExpirationDate string  `json:"expiration_date"`
	}
	a.json(e.t, &c)
	if a.status != 200 || c.SubscriptionID == 0 || !c.Redirect || c.PaymentAmount != 70 || c.ExpirationDate == "" {
		e.t.Fatalf("create: %d %s", a.status, a.body)
	}
	if s := e.subscription(c.SubscriptionID); s.Status != "PENDING" || len(s.DepositIDs) != 1 {
		e.t.Fatalf("before payment: %+v", s)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(c.RedirectURL, url.Values{"action": {"pay"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("checkout pay: %v %v", err, resp)
	}
	resp.Body.Close()
	return c.SubscriptionID
}

func (e *env) subscription(id int64) subView {
	e.t.Helper()
	a := e.signed("GET", "/v3/subscriptions/"+itoa(id), nil)
	var s subView
	a.json(e.t, &s)
	if a.status != 200 {
		e.t.Fatalf("subscription status: %d %s", a.status, a.body)
	}
	return s
}

// TestSubscriptionCyclesAndCancel: three monthly charges under
// fast-forward, each a notified deposit linked by subscription_id; then
// DELETE stops the charges.
func TestSubscriptionCyclesAndCancel(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	id := e.subscribe(subscriptionBody("sub-1", "Doe", "MONTHLY", 12, true, rcv.URL))
	e.advance(60 * 24 * time.Hour)
	s := e.subscription(id)
	if s.Status != "ACTIVE" || s.Payments != 3 || len(s.DepositIDs) != 3 || s.NextPayment == "" {
		t.Fatalf("after 60 days: %+v", s)
	}
	for _, dep := range s.DepositIDs {
		a := e.signed("GET", "/v3/deposits/"+itoa(dep), nil)
		if !strings.Contains(string(a.body), `"status":"COMPLETED"`) || !strings.Contains(string(a.body), `"subscription_id":`+itoa(id)) {
			t.Fatalf("deposit %d: %s", dep, a.body)
		}
	}
	// The creation is notified, and each charged deposit. The outbox
	// delivers to a host several at a time, so they may arrive in any
	// order (as a real receiver may see them).
	got := rcv.WaitFor(t, 4, 5*time.Second)
	created, charged := 0, map[int64]bool{}
	for _, r := range got {
		switch n := verifyDepositNotification(t, r, e.creds); {
		case len(n) == 1 && n["subscription_id"] == id:
			created++
		case n["deposit_id"] != 0:
			charged[n["deposit_id"]] = true
		default:
			t.Errorf("notification %v: neither the creation nor a charge", n)
		}
	}
	if created != 1 {
		t.Errorf("%d creation notifications, want 1", created)
	}
	for _, dep := range s.DepositIDs {
		if !charged[dep] {
			t.Errorf("no notification of deposit %d (got %v)", dep, charged)
		}
	}
	a := e.signed("DELETE", "/v3/subscriptions/"+itoa(id), "{}")
	if a.status != 200 || !strings.Contains(string(a.body), `"status":"CANCELLED"`) {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}
	if a := e.signed("DELETE", "/v3/subscriptions/"+itoa(id), nil); a.status != 400 || a.code(t) != 421 {
		t.Fatalf("second cancel: %d %s", a.status, a.body)
	}
	e.advance(90 * 24 * time.Hour)
	if s := e.subscription(id); s.Payments != 3 || s.Status != "CANCELLED" {
		t.Fatalf("after cancel: %+v", s)
	}
}

// TestSubscriptionPlans: each plan's period under one fast-forward, the
// end of a term without renewal, and the built-in scenarios.
func TestSubscriptionPlans(t *testing.T) {
	tests := []struct {
		name, lastName, plan string
		unit                 int
		renew                bool
		advance              time.Duration
		payments             int
		status               string
		declined             int
	}{
		{"a year of monthly charges", "Doe", "MONTHLY", 12, true, 365 * 24 * time.Hour, 13, "ACTIVE", 0},
		{"daily", "Doe", "DAILY", 5, true, 3 * 24 * time.Hour, 4, "ACTIVE", 0},
		{"weekly", "Doe", "WEEKLY", 5, true, 14 * 24 * time.Hour, 3, "ACTIVE", 0},
		{"annually", "Doe", "ANNUALLY", 5, true, 2 * 365 * 24 * time.Hour, 3, "ACTIVE", 0},
		{"test plan", "Doe", "TEST", 3, false, time.Hour, 3, "TERMINATED", 0},
		{"term without renewal", "Doe", "MONTHLY", 2, false, 120 * 24 * time.Hour, 2, "TERMINATED", 0},
		{"renewal fails", "Unpaid", "MONTHLY", 12, true, 61 * 24 * time.Hour, 3, "ACTIVE", 2},
		{"cancelled by the payer", "Cancelman", "MONTHLY", 12, true, 120 * 24 * time.Hour, 2, "CANCELLED", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.subscribe(subscriptionBody("sub-"+tc.plan, tc.lastName, tc.plan, tc.unit, tc.renew, ""))
			e.advance(tc.advance)
			s := e.subscription(id)
			if s.Payments != tc.payments || s.Status != tc.status || len(s.DepositIDs) != tc.payments {
				t.Fatalf("%+v, want %d payments and %s", s, tc.payments, tc.status)
			}
			declined := 0
			for _, dep := range s.DepositIDs {
				if e.depositStatus(dep) == "DECLINED" {
					declined++
				}
			}
			if declined != tc.declined {
				t.Errorf("%d declined charges, want %d", declined, tc.declined)
			}
			if tc.status == "TERMINATED" {
				if a := e.signed("DELETE", "/v3/subscriptions/"+itoa(id), nil); a.status != 400 || a.code(t) != 426 {
					t.Errorf("cancel a terminated subscription: %d %s", a.status, a.body)
				}
			}
		})
	}
}

// TestSubscriptionErrors: creation validation and the documented
// cancellation codes.
func TestSubscriptionErrors(t *testing.T) {
	e := newEnv(t)
	create := []struct {
		name   string
		mutate func(b map[string]any)
		detail string
	}{
		{"no subscription", func(b map[string]any) { delete(b, "subscription") }, "subscription: required"},
		{"unknown plan", func(b map[string]any) { b["subscription"].(map[string]any)["plan"] = "HOURLY" }, "subscription.plan"},
		{"plan_unit 0", func(b map[string]any) { b["subscription"].(map[string]any)["plan_unit"] = 0 }, "subscription.plan_unit"},
		{"plan_unit text", func(b map[string]any) { b["subscription"].(map[string]any)["plan_unit"] = "x" }, "subscription.plan_unit"},
		{"start date format", func(b map[string]any) { b["subscription"].(map[string]any)["start_date"] = "01/01/2030" }, "subscription.start_date"},
		{"start date past", func(b map[string]any) { b["subscription"].(map[string]any)["start_date"] = "2020-01-01" }, "in the past"},
		{"no payer email", func(b map[string]any) { delete(b["payer"].(map[string]any), "email") }, "payer.email"},
		{"no invoice", func(b map[string]any) { delete(b, "invoice_id") }, "invoice_id"},
	}
	for _, tc := range create {
		t.Run(tc.name, func(t *testing.T) {
			b := subscriptionBody("bad", "Doe", "MONTHLY", 1, false, "")
			tc.mutate(b)
			a := e.signed("POST", "/v3/subscriptions", b)
			if a.status != 400 || a.code(t) != 201 || !strings.Contains(string(a.body), tc.detail) {
				t.Fatalf("%d %s", a.status, a.body)
			}
		})
	}
	ok := e.signed("POST", "/v3/subscriptions", subscriptionBody("s-1", "Doe", "MONTHLY", 1, false, ""))
	var c subView
	ok.json(t, &c)
	cancel := []struct {
		name       string
		path, body string
		wantStatus int
		wantCode   int
	}{
		{"unknown id", "/v3/subscriptions/999999", "{}", 404, 420},
		{"non-numeric id", "/v3/subscriptions/abc", "", 404, 420},
		{"body not JSON", "/v3/subscriptions/" + itoa(c.SubscriptionID), "nope", 400, 501},
		{"pending subscription", "/v3/subscriptions/" + itoa(c.SubscriptionID), "", 200, 0},
		{"again", "/v3/subscriptions/" + itoa(c.SubscriptionID), "{}", 400, 421},
	}
	for _, tc := range cancel {
		t.Run(tc.name, func(t *testing.T) {
			a := e.signed("DELETE", tc.path, tc.body)
			if a.status != tc.wantStatus || tc.wantCode != 0 && a.code(t) != tc.wantCode {
				t.Fatalf("%d %s", a.status, a.body)
			}
		})
	}
	if a := e.signed("GET", "/v3/subscriptions/42", nil); a.status != 404 || a.code(t) != 420 {
		t.Fatalf("get unknown: %d %s", a.status, a.body)
	}
}
