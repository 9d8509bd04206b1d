package d24_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// verifyDepositNotification checks a deposit/refund notification's
// mirrored request signature and returns its body.
func verifyDepositNotification(t testing.TB, r platformtest.Received, c *d24.Credentials) map[string]int64 {
	t.Helper()
	if r.Header.Get("X-Login") != c.Login {
		t.Fatalf("X-Login %q", r.Header.Get("X-Login"))
	}
	want := "D24 " + d24.SignDeposit(c.SecretKey, r.Header.Get("X-Date"), c.Login, r.Body)
	if got := r.Header.Get("Authorization"); got != want {
		t.Fatalf("notification Authorization %q, want %q", got, want)
	}
	var body map[string]int64
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("notification body %s: %v", r.Body, err)
	}
	return body
}

func TestDepositLifecycleAndNotifications(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	a := e.signed("POST", "/v3/deposits", depositBody("inv-1", "Carlos", rcv.URL))
	if a.status != 200 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	var created struct {
		CheckoutType string `json:"checkout_type"`
		DepositID    int64  `json:"deposit_id"`
		RedirectURL  string `json:"redirect_url"`
		PaymentInfo  struct {
			Type           string            `json:"type"`
			ExpirationDate string            `json:"expiration_date"`
			Metadata       map[string]string `json:"metadata"`
		} `json:"payment_info"`
	}
	a.json(t, &created)
	if created.CheckoutType != "ONE_SHOT" || created.DepositID < 300000001 || created.PaymentInfo.Metadata["qr_code"] == "" {
		t.Fatalf("create answer %s", a.body)
	}
	if _, err := time.Parse("2006-01-02 15:04:05", created.PaymentInfo.ExpirationDate); err != nil {
		t.Errorf("expiration_date %q: %v", created.PaymentInfo.ExpirationDate, err)
	}
	if st := e.depositStatus(created.DepositID); st != "PENDING" {
		t.Fatalf("status %s, want PENDING", st)
	}
	e.advance(30 * time.Second) // default scenario: paid after 30 s
	if st := e.depositStatus(created.DepositID); st != "COMPLETED" {
		t.Fatalf("status %s, want COMPLETED", st)
	}
	got := rcv.WaitFor(t, 1, 5*time.Second)
	if n := verifyDepositNotification(t, got[0], e.creds); n["deposit_id"] != created.DepositID {
		t.Fatalf("notification %v", n)
	}

	// Partial refunds are cumulative up to the amount.
	bank := map[string]any{"beneficiary": "Ricardo Carlos", "bank_code": "001", "branch": "1234", "account_number": "3423422-7", "account_type": "SAVING"}
	refund := func(amount any, comments string) answer {
		body := map[string]any{"deposit_id": created.DepositID, "invoice_id": "inv-1", "bank_account": bank, "comments": comments}
		if amount != nil {
			body["amount"] = amount
		}
		return e.signed("POST", "/v3/refunds", body)
	}
	if a := refund(60, ""); a.status != 200 {
		t.Fatalf("refund: %d %s", a.status, a.body)
	}
	if a := refund(50, ""); a.code(t) != 802 {
		t.Fatalf("refund beyond the amount: %d %s", a.status, a.body)
	}
	if a := e.signed("POST", "/v3/refunds", map[string]any{"deposit_id": created.DepositID, "invoice_id": "inv-1", "amount": 10}); a.code(t) != 804 {
		t.Fatalf("refund without bank account: %d %s", a.status, a.body)
	}
	if a := e.signed("POST", "/v3/refunds", map[string]any{"deposit_id": 399999999, "invoice_id": "inv-1", "amount": 10, "bank_account": bank}); a.status != 404 || a.code(t) != 208 {
		t.Fatalf("refund of unknown deposit: %d %s", a.status, a.body)
	}
	a = refund(nil, "reject please") // the rest (40), rejected by scenario
	var rf struct {
		RefundID int64 `json:"refund_id"`
	}
	a.json(t, &rf)
	e.advance(time.Minute)
	st := e.signed("GET", "/v3/refunds/"+itoa(rf.RefundID), nil)
	var rs struct {
		Status string  `json:"status"`
		Amount float64 `json:"amount"`
	}
	st.json(t, &rs)
	if rs.Status != "REJECTED" || rs.Amount != 40 {
		t.Fatalf("rejected refund: %s", st.body)
	}
	if a := refund(40, ""); a.status != 200 { // a rejected refund's amount is refundable again
		t.Fatalf("refund after rejection: %d %s", a.status, a.body)
	}
	e.advance(2 * time.Hour)
	for _, r := range rcv.Requests()[1:] {
		verifyDepositNotification(t, r, e.creds)
	}
}

func TestHostedCheckoutAndExpiry(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	create := func(invoice string) (int64, string) {
		a := e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": invoice, "amount": "49.99", "country": "MX", "currency": "MXN", "notification_url": rcv.URL})
		var c struct {
			CheckoutType string         `json:"checkout_type"`
			DepositID    int64          `json:"deposit_id"`
			RedirectURL  string         `json:"redirect_url"`
			PaymentInfo  map[string]any `json:"payment_info"`
		}
		a.json(t, &c)
		if c.CheckoutType != "HOSTED" || c.PaymentInfo != nil || !strings.Contains(c.RedirectURL, "/d24/checkout/") {
			t.Fatalf("hosted create: %s", a.body)
		}
		return c.DepositID, c.RedirectURL
	}
	paid, page := create("h-1")
	expiring, _ := create("h-2")
	resp, err := http.Get(page)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("checkout page: %v %v", err, resp)
	}
	resp.Body.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.PostForm(page, url.Values{"action": {"pay"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay: %v %v", err, resp)
	}
	resp.Body.Close()
	if st := e.depositStatus(paid); st != "COMPLETED" {
		t.Fatalf("paid deposit %s", st)
	}
	verifyDepositNotification(t, rcv.WaitFor(t, 1, 5*time.Second)[0], e.creds)
	e.advance(24 * time.Hour)
	if st := e.depositStatus(expiring); st != "EXPIRED" {
		t.Fatalf("unpaid deposit after 24h: %s", st)
	}
	if st := e.depositStatus(paid); st != "COMPLETED" {
		t.Fatalf("expiry touched a paid deposit: %s", st)
	}
	e.advance(7 * 24 * time.Hour)
	if st := e.depositStatus(expiring); st != "CANCELLED" {
		t.Fatalf("expired deposit after 7 more days: %s", st)
	}
}

func TestIdempotencyKeyCreatesOneDeposit(t *testing.T) {
	e := newEnv(t)
	body := mustJSON(depositBody("idem-1", "Carlos", ""))
	var wg sync.WaitGroup
	ids := make(chan int64, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := e.signed("POST", "/v3/deposits", body, "X-Idempotency-Key", "key-1")
			var c struct {
				DepositID int64 `json:"deposit_id"`
			}
			json.Unmarshal(a.body, &c)
			ids <- c.DepositID
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != 1 || seen[0] {
		t.Fatalf("one key created %v", seen)
	}
	other := mustJSON(depositBody("idem-2", "Carlos", ""))
	if a := e.signed("POST", "/v3/deposits", other, "X-Idempotency-Key", "key-1"); a.status != 400 || a.code(t) != 104 {
		t.Fatalf("same key, other body: %d %s", a.status, a.body)
	}
}

func TestDepositValidation(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		body string
		code int
	}{
		{"malformed", `{"invoice_id":`, 201},
		{"no amount", `{"invoice_id":"a","country":"BR","currency":"BRL"}`, 201},
		{"three decimals", `{"invoice_id":"a","amount":1.001,"country":"BR","currency":"BRL"}`, 201},
		{"amount not a number", `{"invoice_id":"a","amount":"ten","country":"BR","currency":"BRL"}`, 201},
		{"blank invoice id", `{"invoice_id":" ","amount":1,"country":"BR","currency":"BRL"}`, 201},
		{"unknown country", `{"invoice_id":"a","amount":1,"country":"ZZ","currency":"BRL"}`, 201},
		{"wrong currency", `{"invoice_id":"a","amount":1,"country":"BR","currency":"MXN"}`, 201},
		{"bad CPF", `{"invoice_id":"a","amount":1,"country":"BR","currency":"BRL","payer":{"document":"12345678900"}}`, 411},
		{"bad RUT", `{"invoice_id":"a","amount":1,"country":"CL","currency":"CLP","payer":{"document":"12345678-9"}}`, 411},
		{"unknown method", `{"invoice_id":"a","amount":1,"country":"BR","currency":"BRL","payment_method":"ZZ"}`, 401},
	}
	for _, tc := range tests {
		a := e.signed("POST", "/v3/deposits", tc.body)
		if a.status != 400 || a.code(t) != tc.code {
			t.Errorf("%s: %d %s, want 400 code %d", tc.name, a.status, a.body, tc.code)
		}
	}
	ok := []string{
		`{"invoice_id":"ok1","amount":"100","country":"BR","currency":"USD","payer":null,"unknown_field":1}`,
		`{"invoice_id":"ok2","amount":10.5,"country":"CL","currency":"CLP","payer":{"document":"12.345.678-5"}}`,
		// invoice_id has no documented pattern: any non-blank id is taken.
		`{"invoice_id":"order 42/a","amount":1,"country":"BR","currency":"BRL"}`,
	}
	for _, body := range ok {
		if a := e.signed("POST", "/v3/deposits/", body); a.status != 200 {
			t.Errorf("%s: %d %s", body, a.status, a.body)
		}
	}
}

func TestCashoutLifecycle(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	body := e.cashoutBody("co-1", "Ana")
	body["notification_url"] = rcv.URL
	a := e.signed("POST", "/v3/cashout", body)
	var c struct {
		CashoutID string `json:"cashout_id"`
	}
	a.json(t, &c)
	if a.status != 200 || c.CashoutID == "" {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	if a := e.signed("POST", "/v3/cashout", body); a.status != 412 || a.code(t) != 511 {
		t.Fatalf("duplicate external_id: %d %s", a.status, a.body)
	}
	status := func(ref map[string]any) map[string]any {
		ref["login"], ref["pass"] = e.creds.CashoutLogin, e.creds.CashoutPass
		a := e.signed("POST", "/v3/cashout/status", ref)
		var out map[string]any
		a.json(t, &out)
		return out
	}
	if s := status(map[string]any{"external_id": "co-1"}); s["cashout_status"] != float64(0) || s["cashout_status_description"] != "Pending" {
		t.Fatalf("status by external id: %v", s)
	}
	hold := map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass, "cashout_id": c.CashoutID, "status": "ON_HOLD"}
	if a := e.signed("PUT", "/v3/cashout/status", hold); a.status != 200 {
		t.Fatalf("hold: %d %s", a.status, a.body)
	}
	e.advance(10 * time.Minute) // a held cashout is not sent to the bank
	if s := status(map[string]any{"cashout_id": c.CashoutID}); s["cashout_status"] != float64(5) {
		t.Fatalf("held cashout after 10 min: %v", s)
	}
	hold["status"] = "PENDING"
	if a := e.signed("PUT", "/v3/cashout/status", hold); a.status != 200 {
		t.Fatalf("release: %d %s", a.status, a.body)
	}
	for _, st := range []string{"DELIVERED", "COMPLETED"} {
		if code := e.control("POST", "/d24/cashouts/"+c.CashoutID+"/status", map[string]any{"status": st}, nil); code != 200 {
			t.Fatalf("control %s: %d", st, code)
		}
	}
	s := status(map[string]any{"cashout_id": c.CashoutID})
	if s["cashout_status"] != float64(1) {
		t.Fatalf("after control: %v", s)
	}
	cancel := map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass, "cashout_id": c.CashoutID, "external_id": "co-1"}
	if a := e.signed("DELETE", "/v3/cashout/cancel", cancel); a.status != 412 || a.code(t) != 510 {
		t.Fatalf("cancel completed: %d %s", a.status, a.body)
	}
	got := rcv.WaitFor(t, 2, 5*time.Second)
	form, err := url.ParseQuery(string(got[1].Body))
	if err != nil || form.Get("cashout_id") != c.CashoutID || form.Get("external_id") != "co-1" {
		t.Fatalf("notification %s", got[1].Body)
	}
	if want := d24.NotificationControl(e.creds.CashoutSecretKey, "co-1"); form.Get("control") != want {
		t.Fatalf("control %q, want %q", form.Get("control"), want)
	}

	// Rejected by scenario, then cancel of a pending one.
	rej := e.cashoutBody("co-2", "Rejectme")
	e.signed("POST", "/v3/cashout", rej)
	e.advance(3 * time.Minute)
	if s := status(map[string]any{"external_id": "co-2"}); s["cashout_status"] != float64(3) || s["rejection_code"] != float64(807) {
		t.Fatalf("rejected: %v", s)
	}
	a = e.signed("POST", "/v3/cashout", e.cashoutBody("co-3", "Ana"))
	a.json(t, &c)
	cancel = map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass, "cashout_id": c.CashoutID, "external_id": "co-3"}
	if a := e.signed("DELETE", "/v3/cashout/cancel", cancel); a.status != 200 || !strings.Contains(string(a.body), `"Canceled"`) {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}
	if a := e.signed("POST", "/v3/cashout/status", map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass, "cashout_id": 1}); a.status != 412 || a.code(t) != 509 {
		t.Fatalf("unknown cashout: %d %s", a.status, a.body)
	}
	bad := e.cashoutBody("co-4", "Ana")
	bad["bank_code"] = "999"
	if a := e.signed("POST", "/v3/cashout", bad); a.code(t) != 303 {
		t.Fatalf("bad bank code: %d %s", a.status, a.body)
	}
}

func TestLookups(t *testing.T) {
	e := newEnv(t)
	for _, cc := range []string{"BR", "MX", "CO", "CL", "PE", "AR"} {
		for _, path := range []string{"/v3/payment_methods?country=", "/v3/banks?country=", "/v3/states?country=", "/v3/exchange_rates?amount=10&country="} {
			a := e.signed("GET", path+cc, nil)
			if a.status != 200 || len(a.body) < 10 {
				t.Errorf("%s%s: %d %s", path, cc, a.status, a.body)
			}
		}
	}
	a1, a2 := e.signed("GET", "/v3/exchange_rates?country=BR&amount=100", nil), e.signed("GET", "/v3/exchange_rates?country=BR&amount=100", nil)
	if string(a1.body) != string(a2.body) {
		t.Errorf("rates differ between calls: %s vs %s", a1.body, a2.body)
	}
	if a := e.signed("GET", "/v3/banks?country=XX", nil); a.status != 400 {
		t.Errorf("unknown country: %d %s", a.status, a.body)
	}
	if a := e.signed("GET", "/v3/exchange_rates/crypto?currency=BRL&amount=1000&crypto=BTC", nil); a.status != 200 {
		t.Errorf("crypto: %d %s", a.status, a.body)
	}
}
