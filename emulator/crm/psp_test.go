package crm_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
)

// bridge is a tenant's PSP bridge: API-1 answers a payment URL and records
// what the CRM sent; it also serves external exchange rates.
type bridge struct {
	srv  *httptest.Server
	mu   sync.Mutex
	got  []*http.Request
	body [][]byte
	fail bool
}

func newBridge(t *testing.T) *bridge {
	b := &bridge{}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		b.mu.Lock()
		b.got, b.body = append(b.got, r), append(b.body, raw)
		fail := b.fail
		b.mu.Unlock()
		switch r.URL.Path {
		case "/pay/url":
			if fail {
				_, _ = w.Write([]byte(`{"data":{},"result":false,"msg":"channel closed"}`))
				return
			}
			_, _ = w.Write([]byte(`{"data":{"url":"https://pay.example.com/checkout?o=1"},"result":true,"msg":""}`))
		case "/rates":
			if r.Header.Get("key") != "fx-key" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"rate":0.9}`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (e *env) callback(t *testing.T, token string, fields map[string]any) answer {
	t.Helper()
	raw, _ := json.Marshal(fields)
	sign, _ := crm.PSPSign(token, raw)
	fields["sign"] = sign
	raw, _ = json.Marshal(fields)
	return e.raw(t, "POST", "/pay/callback", raw, http.Header{"Crm-Pay-Token": {token}})
}

func TestPSPDeposit(t *testing.T) {
	e := newEnv(t)
	b := newBridge(t)
	user := e.createClient(t, "psp@example.com")
	login := e.createAccount(t, user)
	e.control(t, "PUT", "/settings/psp", map[string]string{"app_url": b.srv.URL}, nil)

	var pay crm.Payment
	e.control(t, "POST", "/payments", map[string]any{"user_id": user, "amount": 100.5, "currency": "USD", "platform": "mt5", "login": login}, &pay)
	if pay.PayURL != "https://pay.example.com/checkout?o=1" || pay.Status != "pending" {
		t.Fatalf("payment %+v", pay)
	}
	b.mu.Lock()
	api1, api1Body := b.got[0], b.body[0]
	b.mu.Unlock()
	if api1.Header.Get("crm-pay-token") != e.creds.PSPToken || api1.Method != "POST" {
		t.Fatalf("API-1 headers %v", api1.Header)
	}
	var sent map[string]any
	_ = json.Unmarshal(api1Body, &sent)
	wantSign, _ := crm.PSPSign(e.creds.PSPToken, api1Body)
	if sent["sign"] != wantSign || sent["order_no"] != pay.OrderNo || sent["merchant_id"] != e.creds.PSPMerchantID || sent["amount"] != 100.5 {
		t.Fatalf("API-1 body %s", api1Body)
	}

	base := func(status int) map[string]any {
		return map[string]any{"merchant_id": e.creds.PSPMerchantID, "order_no": pay.OrderNo, "transaction_id": "tx-1",
			"amount": 100.5, "currency": "USD", "time": time.Now().UnixMilli(), "status": status, "user_id": user}
	}
	bad := base(1)
	bad["amount"] = 99
	tests := []struct {
		name   string
		token  string
		fields map[string]any
		status int
		typ    string
	}{
		{"unknown token", "nope", base(1), 400, "psp_token_invalid"},
		{"wrong merchant", e.creds.PSPToken, map[string]any{"merchant_id": "x", "order_no": pay.OrderNo, "amount": 100.5, "currency": "USD", "time": 1, "status": 1}, 400, "psp_setting_not_found"},
		{"unknown order", e.creds.PSPToken, map[string]any{"merchant_id": e.creds.PSPMerchantID, "order_no": "nope", "amount": 1, "currency": "USD", "time": 1, "status": 1}, 400, "payment_not_found"},
		{"bad status", e.creds.PSPToken, base(7), 400, "payment_status_not_allowed"},
		{"bad amount", e.creds.PSPToken, bad, 400, "payment_amount_not_allowed"},
		{"processing", e.creds.PSPToken, base(2), 204, ""},
		{"success", e.creds.PSPToken, base(1), 204, ""},
		{"terminal", e.creds.PSPToken, base(0), 400, "payment_status_not_pending"},
	}
	for _, tt := range tests {
		a := e.callback(t, tt.token, tt.fields)
		if a.Status != tt.status || (tt.typ != "" && a.errType(t) != tt.typ) {
			t.Errorf("%s: %d %s", tt.name, a.Status, a.Body)
		}
	}
	// A callback whose sign does not cover the body is refused.
	raw := []byte(`{"merchant_id":"` + e.creds.PSPMerchantID + `","order_no":"` + pay.OrderNo + `","amount":100.5,"currency":"USD","time":1,"status":1,"sign":"ABC"}`)
	if a := e.raw(t, "POST", "/pay/callback", raw, http.Header{"Crm-Pay-Token": {e.creds.PSPToken}}); a.Status != 400 || a.errType(t) != "psp_token_invalid" {
		t.Errorf("bad sign: %d %s", a.Status, a.Body)
	}
	if bal := e.balance(t, user, login); bal != 100.5 {
		t.Fatalf("balance %v, want 100.5", bal)
	}
	e.control(t, "GET", "/payments/"+pay.OrderNo, nil, &pay)
	if pay.Status != "success" || pay.TransactionID != "tx-1" {
		t.Fatalf("payment %+v", pay)
	}
}

func TestPSPExternalRateAndFailure(t *testing.T) {
	e := newEnv(t)
	b := newBridge(t)
	user := e.createClient(t, "fx@example.com")
	e.control(t, "PUT", "/settings/psp", map[string]string{"app_url": b.srv.URL}, nil)
	e.control(t, "PUT", "/settings/fx", map[string]string{"url": b.srv.URL + "/rates", "key": "fx-key"}, nil)
	var pay crm.Payment
	e.control(t, "POST", "/payments", map[string]any{"user_id": user, "amount": 200, "currency": "USD", "external_rate": true}, &pay)
	if pay.Rate != 0.9 {
		t.Fatalf("rate %v", pay.Rate)
	}
	b.mu.Lock()
	fxReq := b.got[0]
	b.fail = true
	b.mu.Unlock()
	if fxReq.URL.Query().Get("from") != "USD" || fxReq.URL.Query().Get("to") != "USD" {
		t.Fatalf("fx query %v", fxReq.URL)
	}
	if a := e.callback(t, e.creds.PSPToken, map[string]any{"merchant_id": e.creds.PSPMerchantID, "order_no": pay.OrderNo,
		"amount": 200, "currency": "USD", "time": 1, "status": 1}); a.Status != 204 {
		t.Fatalf("callback %d %s", a.Status, a.Body)
	}
	if w := e.wallet(t, user); w["USD"] != 180 {
		t.Fatalf("wallet %v, want 180 (200 at 0.9)", w)
	}
	var failed crm.Payment
	e.control(t, "POST", "/payments", map[string]any{"user_id": user, "amount": 5, "currency": "USD"}, &failed)
	if failed.PayURL != "" || !strings.Contains(failed.PayError, "channel closed") {
		t.Fatalf("failed API-1 %+v", failed)
	}
}
