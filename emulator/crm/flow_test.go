package crm_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

type accountList struct {
	Count   int `json:"count"`
	Records []struct {
		Login   int64   `json:"login"`
		Balance float64 `json:"balance"`
		UserID  string  `json:"user_id"`
	} `json:"records"`
}

func (e *env) balance(t *testing.T, userID string, login int64) float64 {
	t.Helper()
	var l accountList
	must(t, e.call(t, "GET", "/public/v1/mt5/accounts?connection_id="+crm.MT5ConnectionID+"&user_id="+userID, nil), 200).decode(t, &l)
	for _, r := range l.Records {
		if r.Login == login {
			return r.Balance
		}
	}
	t.Fatalf("account %d not listed: %+v", login, l)
	return 0
}

func (e *env) wallet(t *testing.T, userID string) map[string]float64 {
	t.Helper()
	var w map[string]float64
	must(t, e.call(t, "GET", "/public/v1/wallets?user_id="+userID, nil), 200).decode(t, &w)
	return w
}

func (e *env) deposit(t *testing.T, login int64, amount, comment string) answer {
	t.Helper()
	return e.call(t, "POST", fmt.Sprintf("/public/v1/mt5/accounts/%d/deposit", login), map[string]any{
		"connection_id": crm.MT5ConnectionID, "currency": "USD", "amount": amount, "comment": comment})
}

type webhookBody struct {
	Source struct {
		Service, Group, Event string
	} `json:"source"`
	Target struct {
		Name string `json:"name"`
	} `json:"target"`
	Version string         `json:"version"`
	Data    map[string]any `json:"data"`
}

func (e *env) subscribe(t *testing.T, url, secret string, prefix bool, events ...string) {
	t.Helper()
	e.control(t, "POST", "/webhooks", map[string]any{"name": "Webhook-Withdraw", "url": url, "events": events, "secret": secret, "prefix": prefix}, nil)
}

func verifyWebhook(t *testing.T, r platformtest.Received, secret string, prefix bool) webhookBody {
	t.Helper()
	want := crm.WebhookSignature(secret, r.Body)
	if prefix {
		want = "sha256=" + want
	}
	if got := r.Header.Get("X-Crm-Signature"); got != want {
		t.Fatalf("X-Crm-Signature %q, want %q", got, want)
	}
	var w webhookBody
	if err := json.Unmarshal(r.Body, &w); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestWithdrawalFlow: client → MT5 account → deposit → withdrawal request
// from the portal → node 1 approves (webhook) → REST approve finishes it.
func TestWithdrawalFlow(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	e.subscribe(t, rcv.URL, "whsec-demo", false, "crm.webhooks.groups.requests.withdrawal")

	user := e.createClient(t, "flow@example.com")
	login := e.createAccount(t, user)
	must(t, e.deposit(t, login, "500.00", "dep-1"), 204)
	var rep map[string]bool
	must(t, e.deposit(t, login, "500.00", "dep-1"), 200).decode(t, &rep)
	if !rep["repeat"] {
		t.Fatalf("repeated comment: %v", rep)
	}
	if b := e.balance(t, user, login); b != 500 {
		t.Fatalf("balance after deposit %v", b)
	}

	var req crm.Request
	e.control(t, "POST", "/requests/withdrawal", map[string]any{"user_id": user, "platform": "mt5", "login": login,
		"amount": 120, "fee": 2, "nodes": 2, "custom_fields": map[string]any{"address": "TXYZ"}}, &req)
	if req.Status != "pending" || len(req.ID) != 8 {
		t.Fatalf("request %+v", req)
	}
	if b := e.balance(t, user, login); b != 380 {
		t.Fatalf("balance after submission %v, want 380", b)
	}
	e.control(t, "POST", "/requests/"+req.ID+"/approve", map[string]int{"node": 1}, nil)
	got := rcv.WaitFor(t, 1, 5*time.Second)
	w := verifyWebhook(t, got[0], "whsec-demo", false)
	if w.Source.Event != "crm.webhooks.requests.withdrawal.approve.node.1" || w.Source.Service != "requests" ||
		w.Target.Name != "Webhook-Withdraw" || w.Version != "1.0.0" || w.Data["status"] != "pending" ||
		w.Data["trading_amount"] != "120.00" || w.Data["withdrawal_amount"] != "118.00" || w.Data["trading_id"] != float64(login) {
		t.Fatalf("webhook %s", got[0].Body)
	}

	// The docs: 200 with an empty body.
	if a := must(t, e.call(t, "POST", "/public/v1/requests/withdrawal/approve", map[string]string{"id": req.ID}), 200); len(a.Body) != 0 {
		t.Fatalf("approve body %q, want empty", a.Body)
	}
	got = rcv.WaitFor(t, 2, 5*time.Second)
	w = verifyWebhook(t, got[1], "whsec-demo", false)
	if w.Source.Event != "crm.webhooks.requests.withdrawal.approve.node.2" || w.Data["status"] != "approved" {
		t.Fatalf("final webhook %s", got[1].Body)
	}
	a := e.call(t, "POST", "/public/v1/requests/withdrawal/approve", map[string]string{"id": req.ID})
	if must(t, a, 400).errType(t) != "request_status_not_pending" {
		t.Fatalf("second approve: %s", a.Body)
	}
	if must(t, e.call(t, "POST", "/public/v1/requests/withdrawal/reject", map[string]string{"id": req.ID, "comment": "late"}), 400).errType(t) != "request_status_not_pending" {
		t.Fatal("reject after approve")
	}
	if b := e.balance(t, user, login); b != 380 {
		t.Fatalf("balance after approval %v, want 380", b)
	}
}

func TestWithdrawalRejectRefunds(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	e.subscribe(t, rcv.URL, "sec", true, "crm.webhooks.requests.withdrawal.reject")
	user := e.createClient(t, "rej@example.com")
	must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": user, "currency": "USD", "amount": 100, "order_id": "0123456789abcdef"}), 200)
	var req crm.Request
	e.control(t, "POST", "/requests/withdrawal", map[string]any{"user_id": user, "amount": 60, "currency": "USD"}, &req)
	if w := e.wallet(t, user); w["USD"] != 40 {
		t.Fatalf("wallet after submission %v", w)
	}
	if a := must(t, e.call(t, "POST", "/public/v1/requests/withdrawal/reject", map[string]string{"id": req.ID, "comment": "KYC 未通过"}), 200); len(a.Body) != 0 {
		t.Fatalf("reject body %q, want empty", a.Body)
	}
	w := verifyWebhook(t, rcv.WaitFor(t, 1, 5*time.Second)[0], "sec", true)
	if w.Source.Event != "crm.webhooks.requests.withdrawal.reject" || w.Data["status"] != "rejected" || w.Data["trading_id"] != "WALLET" {
		t.Fatalf("reject webhook %+v", w)
	}
	if w := e.wallet(t, user); w["USD"] != 100 {
		t.Fatalf("wallet after reject %v", w)
	}
}

func TestWalletOrders(t *testing.T) {
	e := newEnv(t)
	user := e.createClient(t, "wallet@example.com")
	patch := func(amount any, order string) answer {
		return e.call(t, "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": user, "currency": "USD", "amount": amount, "order_id": order})
	}
	must(t, patch(50, "order00000000001"), 200)
	must(t, patch(50, "order00000000001"), 200) // same order: no second credit
	if w := e.wallet(t, user); w["USD"] != 50 {
		t.Fatalf("wallet %v", w)
	}
	tests := []struct {
		name   string
		amount any
		order  string
		status int
		typ    string
	}{
		{"reused order, other body", 60, "order00000000001", 400, "invalid_request"},
		{"overdraw", -80, "order00000000002", 400, "insufficient_funds"},
		{"short order id", 1, "short", 400, "invalid_request"},
		{"amount as a non-numeric string", "one", "order00000000003", 400, "invalid_request"},
	}
	for _, tt := range tests {
		a := patch(tt.amount, tt.order)
		if a.Status != tt.status || a.errType(t) != tt.typ {
			t.Errorf("%s: %d %s", tt.name, a.Status, a.Body)
		}
	}
	var o map[string]any
	must(t, e.call(t, "GET", "/public/v1/wallets/balance/order00000000002", nil), 200).decode(t, &o)
	if o["status"] != "failed" {
		t.Fatalf("order status %v", o)
	}
	must(t, e.call(t, "GET", "/public/v1/wallets/balance?order_id=order00000000001", nil), 200).decode(t, &o)
	if o["status"] != "success" || o["amount"] != float64(50) {
		t.Fatalf("order %v", o)
	}
	if typ := must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": "zzzzzzzz", "currency": "USD", "amount": 1, "order_id": "order00000000009"}), 400).errType(t); typ != "account_not_found" {
		t.Fatalf("unknown user: %s", typ)
	}
}

func TestRestartKeepsState(t *testing.T) {
	path := t.TempDir() + "/crm.db"
	e := newEnv(t, platformtest.WithData(path))
	user := e.createClient(t, "persist@example.com")
	login := e.createAccount(t, user)
	must(t, e.deposit(t, login, "42.50", "persist"), 204)
	e.h.Stop()

	e2 := newEnv(t, platformtest.WithData(path))
	if b := e2.balance(t, user, login); b != 42.5 {
		t.Fatalf("balance after restart %v", b)
	}
	must(t, e2.call(t, "GET", "/public/v1/users/"+user, nil), 200)
}
