package d24_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// card returns an env that talks to the card host of e's server.
func (e *env) card() *env {
	c := *e
	c.url = strings.TrimSuffix(e.url, "/d24") + "/d24-card"
	return &c
}

func cardBody(invoice, pan, cvv string, notify string) map[string]any {
	year := time.Now().Year() + 2
	return map[string]any{"invoice_id": invoice, "amount": 100, "country": "BR", "currency": "BRL", "client_ip": "203.0.113.7",
		"notification_url": notify,
		"payer":            map[string]any{"document": "84932568207", "first_name": "Ricardo", "last_name": "Carlos", "email": "r@example.com"},
		"credit_card":      map[string]any{"card_number": pan, "cvv": cvv, "expiration_month": 12, "expiration_year": year, "holder_name": "Ricardo Carlos"}}
}

type cardAnswer struct {
	DepositID   int64  `json:"deposit_id"`
	RedirectURL string `json:"redirect_url"`
	PaymentInfo struct {
		Type          string `json:"type"`
		Result        string `json:"result"`
		Reason        string `json:"reason"`
		ReasonCode    string `json:"reason_code"`
		PaymentMethod string `json:"payment_method"`
	} `json:"payment_info"`
}

// TestCardDepositResults: the sandbox card table selects each result
// synchronously; any other valid card succeeds.
func TestCardDepositResults(t *testing.T) {
	e := newEnv(t)
	c := e.card()
	tests := []struct {
		pan, cvv, result, reasonCode, method, status string
	}{
		{"4111111111111111", "123", "SUCCESS", "", "VI", "COMPLETED"},
		{"5555555555554444", "999", "SUCCESS", "", "MC", "COMPLETED"},
		{"378282246310005", "1234", "SUCCESS", "", "AE", "COMPLETED"},
		{"4000000000000002", "123", "REJECTED", "1", "VI", "DECLINED"},
		{"5105105105105100", "123", "REJECTED", "1", "MC", "DECLINED"},
		{"4000000000009995", "123", "REJECTED", "2", "VI", "DECLINED"},
		{"4000000000000069", "123", "REJECTED", "3", "VI", "DECLINED"},
		{"4000000000000127", "123", "REJECTED", "4", "VI", "DECLINED"},
		{"4000000000000119", "123", "REJECTED", "5", "VI", "DECLINED"},
		{"4000000000003220", "123", "PENDING_AUTHENTICATION", "", "VI", "PENDING"},
		{"5200000000001096", "123", "PENDING_AUTHENTICATION", "", "MC", "PENDING"},
		{"4000000000000077", "123", "PENDING", "", "VI", "PENDING"},
	}
	for i, tc := range tests {
		t.Run(tc.pan, func(t *testing.T) {
			a := c.signed("POST", "/v3/deposits", cardBody("card-"+strconv.Itoa(i), tc.pan, tc.cvv, ""))
			if a.status != 200 {
				t.Fatalf("create: %d %s", a.status, a.body)
			}
			var got cardAnswer
			a.json(t, &got)
			p := got.PaymentInfo
			if p.Type != "CREDIT_CARD" || p.Result != tc.result || p.ReasonCode != tc.reasonCode || p.PaymentMethod != tc.method {
				t.Fatalf("answer %s", a.body)
			}
			if (tc.result == "REJECTED") != (p.Reason != "") {
				t.Errorf("reason %q with result %s", p.Reason, p.Result)
			}
			if (tc.result == "PENDING_AUTHENTICATION") != (got.RedirectURL != "") {
				t.Errorf("redirect_url %q with result %s", got.RedirectURL, p.Result)
			}
			if st := e.depositStatus(got.DepositID); st != tc.status {
				t.Errorf("status %s, want %s", st, tc.status)
			}
		})
	}
}

// TestCardDepositValidation: malformed card data, a missing client_ip or
// card gets 201 with the field in details; nothing is created.
func TestCardDepositValidation(t *testing.T) {
	c := newEnv(t).card()
	past := time.Now().AddDate(0, -1, 0)
	tests := []struct {
		name   string
		mutate func(b map[string]any)
		detail string
	}{
		{"Luhn failure", func(b map[string]any) { card(b)["card_number"] = "4111111111111112" }, "credit_card.card_number"},
		{"too short", func(b map[string]any) { card(b)["card_number"] = "411111111111" }, "credit_card.card_number"},
		{"letters", func(b map[string]any) { card(b)["card_number"] = "4111-1111-1111-1111" }, "credit_card.card_number"},
		{"2-digit CVV", func(b map[string]any) { card(b)["cvv"] = "12" }, "credit_card.cvv"},
		{"3-digit Amex CVV", func(b map[string]any) { card(b)["card_number"] = "378282246310005" }, "credit_card.cvv"},
		{"month 13", func(b map[string]any) { card(b)["expiration_month"] = 13 }, "credit_card.expiration_month"},
		{"expired", func(b map[string]any) {
			card(b)["expiration_month"], card(b)["expiration_year"] = int(past.Month()), past.Year()
		}, "credit_card.expiration"},
		{"no holder", func(b map[string]any) { delete(card(b), "holder_name") }, "credit_card.holder_name"},
		{"no client_ip", func(b map[string]any) { delete(b, "client_ip") }, "client_ip"},
		{"bad client_ip", func(b map[string]any) { b["client_ip"] = "300.1.1.1" }, "client_ip"},
		{"no card", func(b map[string]any) { delete(b, "credit_card") }, "credit_card"},
		{"no payer", func(b map[string]any) { delete(b, "payer") }, "payer"},
		{"string month", func(b map[string]any) { card(b)["expiration_month"] = "x" }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := cardBody("bad", "4111111111111111", "123", "")
			tc.mutate(b)
			a := c.signed("POST", "/v3/deposits", b)
			if a.status != 400 || a.code(t) != 201 || !strings.Contains(string(a.body), tc.detail) {
				t.Fatalf("%d %s", a.status, a.body)
			}
		})
	}
	if a := c.signed("POST", "/v3/deposits", `{"invoice_id":`); a.status != 400 || a.code(t) != 201 {
		t.Fatalf("malformed JSON: %d %s", a.status, a.body)
	}
	tok := cardBody("tok-1", "", "", "")
	delete(tok, "credit_card")
	tok["card_token"] = "tok_abc"
	if a := c.signed("POST", "/v3/deposits", tok); a.status != 200 || !strings.Contains(string(a.body), `"result":"SUCCESS"`) {
		t.Fatalf("card_token: %d %s", a.status, a.body)
	}
}

func card(b map[string]any) map[string]any { return b["credit_card"].(map[string]any) }

// Test3DSChallenge: PENDING_AUTHENTICATION sends nothing until the
// challenge page is answered; then one signed notification, and the
// status shows the masked card.
func Test3DSChallenge(t *testing.T) {
	for _, tc := range []struct {
		action, status, result string
	}{
		{"authenticate", "COMPLETED", "Transaction Approved"},
		{"fail", "DECLINED", "3DS authentication failed"},
	} {
		t.Run(tc.action, func(t *testing.T) {
			e := newEnv(t)
			rcv := platformtest.NewReceiver(t)
			a := e.card().signed("POST", "/v3/deposits", cardBody("3ds-1", "4000000000003220", "123", rcv.URL))
			var got cardAnswer
			a.json(t, &got)
			if got.PaymentInfo.Result != "PENDING_AUTHENTICATION" || !strings.Contains(got.RedirectURL, "/d24-card/3ds/") {
				t.Fatalf("create: %s", a.body)
			}
			e.advance(time.Hour)
			if n := len(rcv.Requests()); n != 0 {
				t.Fatalf("%d notifications before the challenge", n)
			}
			resp, err := http.Get(got.RedirectURL)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("challenge page: %v %v", err, resp)
			}
			resp.Body.Close()
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err = client.PostForm(got.RedirectURL, url.Values{"action": {tc.action}})
			if err != nil || resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("challenge: %v %v", err, resp)
			}
			resp.Body.Close()
			n := verifyDepositNotification(t, rcv.WaitFor(t, 1, 5*time.Second)[0], e.creds)
			if n["deposit_id"] != got.DepositID {
				t.Fatalf("notification %v", n)
			}
			st := e.signed("GET", "/v3/deposits/"+itoa(got.DepositID), nil)
			var s struct {
				Status     string `json:"status"`
				CardDetail struct {
					MaskedCard        string `json:"masked_card"`
					Brand             string `json:"brand"`
					TransactionResult string `json:"transaction_result"`
				} `json:"card_detail"`
			}
			st.json(t, &s)
			if s.Status != tc.status || s.CardDetail.MaskedCard != "4000 00** **** 3220" || s.CardDetail.Brand != "Visa" || s.CardDetail.TransactionResult != tc.result {
				t.Fatalf("status: %s", st.body)
			}
			resp, err = client.PostForm(got.RedirectURL, url.Values{"action": {"authenticate"}})
			if err != nil || resp.StatusCode != http.StatusConflict {
				t.Fatalf("second answer: %v %v", err, resp)
			}
			resp.Body.Close()
		})
	}
}

// TestCardDelayedAndRefund: the delayed card completes by scenario with a
// notification; a card refund answers synchronously with refund_info.
func TestCardDelayedAndRefund(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	a := e.card().signed("POST", "/v3/deposits", cardBody("late-1", "4000000000000077", "123", rcv.URL))
	var got cardAnswer
	a.json(t, &got)
	e.advance(2 * time.Minute)
	if st := e.depositStatus(got.DepositID); st != "COMPLETED" {
		t.Fatalf("status %s", st)
	}
	rcv.WaitFor(t, 1, 5*time.Second)

	a = e.card().signed("POST", "/v3/deposits", cardBody("ok-1", "4111111111111111", "123", rcv.URL))
	a.json(t, &got)
	a = e.signed("POST", "/v3/refunds", map[string]any{"deposit_id": got.DepositID, "invoice_id": "ok-1", "amount": 40})
	var rf struct {
		RefundID   int64 `json:"refund_id"`
		DepositID  int64 `json:"deposit_id"`
		RefundInfo struct {
			Type   string  `json:"type"`
			Result string  `json:"result"`
			Amount float64 `json:"amount"`
		} `json:"refund_info"`
	}
	a.json(t, &rf)
	if a.status != 200 || rf.DepositID != got.DepositID || rf.RefundInfo.Type != "CREDIT_CARD" || rf.RefundInfo.Result != "SUCCESS" || rf.RefundInfo.Amount != 40 {
		t.Fatalf("card refund: %d %s", a.status, a.body)
	}
	st := e.signed("GET", "/v3/refunds/"+itoa(rf.RefundID), nil)
	if !strings.Contains(string(st.body), `"status":"COMPLETED"`) {
		t.Fatalf("refund status: %s", st.body)
	}
	e.advance(2 * time.Hour)
	if n := len(rcv.Requests()); n != 1 {
		t.Fatalf("%d notifications, want only the delayed deposit's", n)
	}
}

// TestCardDataNotJournaled: the journal shows neither the card number nor
// the CVV of a card deposit.
func TestCardDataNotJournaled(t *testing.T) {
	e := newEnv(t)
	a := e.card().signed("POST", "/v3/deposits", cardBody("pan-1", "5555555555554444", "987", ""))
	if a.status != 200 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	var journal any
	if st := e.control(http.MethodGet, "/requests?limit=50", nil, &journal); st != 200 {
		t.Fatalf("journal %d", st)
	}
	raw := string(mustJSON(journal))
	if !strings.Contains(raw, "card.deposit.create") || !strings.Contains(raw, "203.0.113.7") {
		t.Fatalf("the journal lacks the card deposit's body: %.800s", raw)
	}
	for _, secret := range []string{"5555555555554444", "5555 5555 5555 4444", `"987"`} {
		if strings.Contains(raw, secret) {
			t.Errorf("journal contains %s", secret)
		}
	}
}

// TestDebitCardCashouts: MX debit-card cashouts go to the card host
// (§2.3 C6) and are followed up on the main host.
func TestDebitCardCashouts(t *testing.T) {
	e := newEnv(t)
	mx := func(ext, account, code, country string) map[string]any {
		b := map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass, "external_id": ext, "country": country,
			"currency": "MXN", "amount": 500, "document_id": "ABCD123456", "beneficiary_name": "Ana", "beneficiary_lastname": "Lopez",
			"bank_account": account, "notification_url": "http://127.0.0.1:1/none"}
		if code != "" {
			b["bank_code"] = code
		}
		return b
	}
	tests := []struct {
		name       string
		card       bool
		body       map[string]any
		wantStatus int
		wantCode   int
	}{
		{"16-digit card", true, mx("dc-1", "4111111111111111", "012", "MX"), 200, 0},
		{"15-digit card", true, mx("dc-2", "378282246310005", "002", "MX"), 200, 0},
		{"no bank code", true, mx("dc-3", "5555555555554444", "", "MX"), 412, 303},
		{"Luhn failure", true, mx("dc-4", "4111111111111112", "012", "MX"), 400, 300},
		{"CLABE with an unknown bank", true, mx("dc-5", "032180000118359719", "032", "MX"), 412, 303},
		{"CLABE with its bank", true, mx("dc-6", "032180000118359719", "014", "MX"), 400, 300},
		{"not Mexico", true, mx("dc-7", "4111111111111111", "012", "BR"), 412, 518},
		{"unknown bank", true, mx("dc-8", "4111111111111111", "999", "MX"), 412, 303},
		{"card on the main host", false, mx("dc-9", "4111111111111111", "012", "MX"), 400, 300},
		{"CLABE on the main host", false, mx("dc-10", "032180000118359719", "", "MX"), 200, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := e
			if tc.card {
				c = e.card()
			}
			a := c.signed("POST", "/v3/cashout", tc.body)
			if a.status != tc.wantStatus || tc.wantCode != 0 && a.code(t) != tc.wantCode {
				t.Fatalf("%d %s", a.status, a.body)
			}
			if tc.wantStatus != 200 {
				return
			}
			var co struct {
				CashoutID string `json:"cashout_id"`
			}
			a.json(t, &co)
			ref := map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass, "cashout_id": co.CashoutID}
			if st := e.signed("POST", "/v3/cashout/status", ref); st.status != 200 || !strings.Contains(string(st.body), `"cashout_status":0`) {
				t.Fatalf("status on the main host: %d %s", st.status, st.body)
			}
		})
	}
}
