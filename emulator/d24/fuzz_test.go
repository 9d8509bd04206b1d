package d24_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
)

// FuzzVerifyAndParse sends arbitrary bodies and header values, signed or
// not, to every body-parsing route: never a 5xx, always a JSON envelope.
func FuzzVerifyAndParse(f *testing.F) {
	f.Add("POST", "/v3/deposits", `{"invoice_id":"a","amount":"1","country":"BR","currency":"BRL"}`, "", true)
	f.Add("POST", "/v3/refunds", `{"deposit_id":"x","invoice_id":1}`, "", true)
	f.Add("POST", "/v3/cashout", `{"login":"cashout_login","pass":"cashout_pass","amount":[1]}`, "", true)
	f.Add("PUT", "/v3/cashout/status", `{"cashout_id":1e400}`, "", true)
	f.Add("GET", "/v3/deposits/1", "", "2020-01-01T00:00:00.5Z", false)
	f.Add("DELETE", "/v3/cashout/cancel", "\xff\xfe", "", true)
	f.Add("POST", "/v3/subscriptions", `{"invoice_id":"a","amount":1,"country":"BR","currency":"BRL","payer":{"email":"a@b.c"},"subscription":{"plan":"TEST","plan_unit":"9e99","start_date":"2999-02-30"}}`, "", true)
	f.Add("DELETE", "/v3/subscriptions/1", `[]`, "", true)
	f.Add("POST", "/v1/kyc", `{"country":"CL","document":"K","bank_account":{"account_number":null}}`, "", true)
	f.Add("POST", "/v5/account/validate", `{"country":"MX","document":"x","document_type":"y","bank_account":{"bank_code":{},"account":"1"}}`, "", true)
	f.Add("POST", "/v5/account/pix_key/validate", `[{"pix":null},{"pix":1}]`, "", true)
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, method, path, body, xDate string, sign bool) {
		switch path {
		case "/v3/deposits", "/v3/refunds", "/v3/cashout", "/v3/cashout/status", "/v3/cashout/cancel", "/v3/deposits/1",
			"/v3/subscriptions", "/v3/subscriptions/1", "/v1/kyc", "/v5/account/validate", "/v5/account/pix_key/validate":
		default:
			path = "/v3/deposits"
		}
		switch method {
		case "GET", "POST", "PUT", "DELETE":
		default:
			method = "POST"
		}
		if strings.ContainsFunc(xDate, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return // a client cannot send it
		}
		req, _ := http.NewRequest(method, e.url+path, nil)
		if sign {
			e.p.SignRequest(req, []byte(body), e.creds, time.Now())
		} else {
			req.Header.Set("X-Date", xDate)
			req.Header.Set("X-Login", e.creds.Login)
			req.Header.Set("Authorization", "D24 "+d24.SignDeposit(e.creds.SecretKey, xDate, e.creds.Login, []byte(body)))
		}
		local := *e
		local.t = t
		a := local.raw(method, path, []byte(body), req.Header)
		if a.status >= 500 || len(a.body) == 0 || a.body[0] != '{' {
			t.Fatalf("%s %s %q: %d %s", method, path, body, a.status, a.body)
		}
	})
}

// FuzzCardDeposit sends arbitrary signed bodies to the card host's
// deposit parser: never a 5xx, always the JSON envelope.
func FuzzCardDeposit(f *testing.F) {
	f.Add(`{"invoice_id":"a","amount":1,"country":"BR","currency":"BRL","client_ip":"::1","payer":{},"credit_card":{"card_number":"4111111111111111","cvv":"123","expiration_month":12,"expiration_year":2099,"holder_name":"A"}}`)
	f.Add(`{"invoice_id":"a","amount":1,"country":"BR","currency":"BRL","client_ip":"1.2.3.4","payer":{},"credit_card":{"card_number":"4000000000003220","cvv":"12","expiration_month":"1e9","expiration_year":-5}}`)
	f.Add(`{"invoice_id":"a","amount":1,"country":"MX","currency":"MXN","client_ip":"1.2.3.4","payer":null,"card_token":"t","credit_card":null}`)
	f.Add(`{"credit_card":{"card_number":0,"cvv":[],"expiration_month":{},"expiration_year":"99"}}`)
	f.Add(`{"invoice_id":"a","amount":1,"country":"BR","currency":"BRL","client_ip":"1.2.3.4","payer":{},"credit_card":{"card_number":"378282246310005","cvv":"1234","expiration_month":1,"expiration_year":99999999999999999999}}`)
	e := newEnv(f)
	c := e.card()
	f.Fuzz(func(t *testing.T, body string) {
		local := *c
		local.t = t
		a := local.signed("POST", "/v3/deposits", []byte(body))
		if a.status >= 500 || len(a.body) == 0 || a.body[0] != '{' {
			t.Fatalf("%q: %d %s", body, a.status, a.body)
		}
	})
}
