package d24_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// oneShot is a complete BR Pix deposit whose payer fields tests replace.
func oneShot(invoice string, payer map[string]any) map[string]any {
	p := map[string]any{"document": "84932568207", "first_name": "Ricardo", "last_name": "Carlos", "email": "r@example.com"}
	for k, v := range payer {
		p[k] = v
	}
	return map[string]any{"invoice_id": invoice, "amount": 100, "country": "BR", "currency": "BRL", "payment_method": "IX", "payer": p}
}

// TestPayerIDAnyText: payer.id has no documented pattern; the SDKs' own
// examples use "4-9934519", and the docs' SPEI example sends a number.
func TestPayerIDAnyText(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		id   any
		want string
	}{
		{"SDK example with a hyphen", "4-9934519", "4-9934519"},
		{"underscore", "user_42", "user_42"},
		{"number", 74662347, "74662347"},
		{"email-like", "ana@example.com", "ana@example.com"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.signed("POST", "/v3/deposits", oneShot("pid-"+itoa(int64(i)), map[string]any{"id": tc.id}))
			var c struct {
				UserID string `json:"user_id"`
			}
			a.json(t, &c)
			if a.status != 200 || c.UserID != tc.want {
				t.Fatalf("%d %s, want user_id %q", a.status, a.body, tc.want)
			}
		})
	}
	// The docs' Mexico SPEI example, as written.
	mx := `{"invoice_id":"spei-1","amount":100,"country":"MX","currency":"MXN","payment_method":"SE",` +
		`"payer":{"id":74662347,"document":"GOMM930505HDFLRN08","first_name":"Juan","last_name":"Perez","email":"juan@example.com"}}`
	if a := e.signed("POST", "/v3/deposits", mx); a.status != 200 || !strings.Contains(string(a.body), `"user_id":"74662347"`) {
		t.Fatalf("SPEI example: %d %s", a.status, a.body)
	}
}

// TestCryptoExchange: the documented shape, numbers only, amount optional.
func TestCryptoExchange(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name  string
		query string
		// converted is the expected converted_amount: amount / fx_rate.
		amount float64
	}{
		{"docs curl without amount", "currency=BRL&crypto=USDT", 1},
		{"with amount", "currency=BRL&amount=1000&crypto=USDT", 1000},
		{"USD to BTC", "currency=USD&amount=650&crypto=btc", 650},
		{"empty amount", "currency=MXN&amount=&crypto=ETH", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.signed("GET", "/v3/exchange_rates/crypto?"+tc.query, nil)
			if a.status != 200 {
				t.Fatalf("%d %s", a.status, a.body)
			}
			var raw map[string]json.RawMessage
			a.json(t, &raw)
			if len(raw) != 3 {
				t.Fatalf("fields %s, want fx_rate, converted_amount, fee", a.body)
			}
			var v map[string]float64 // fails on strings: every field is a number
			a.json(t, &v)
			if v["fx_rate"] <= 0 || v["converted_amount"] <= 0 || v["fee"] <= 0 {
				t.Fatalf("%s", a.body)
			}
			if got := tc.amount / v["fx_rate"]; got < v["converted_amount"]*0.999 || got > v["converted_amount"]*1.001 {
				t.Fatalf("converted_amount %v, want about %v (%s)", v["converted_amount"], got, a.body)
			}
		})
	}
	// 1000 BRL at 5.3162 BRL/USD and 1 USD/USDT: 188.10428502 USDT, 1% fee.
	a := e.signed("GET", "/v3/exchange_rates/crypto?currency=BRL&amount=1000&crypto=USDT", nil)
	if string(a.body) != `{"converted_amount":188.10428502,"fee":1.88104285,"fx_rate":5.3162}` {
		t.Fatalf("BRL/USDT: %s", a.body)
	}
	for _, q := range []string{"currency=BRL&crypto=NOPE", "crypto=USDT", "currency=XXX&crypto=USDT", "currency=BRL&crypto=USDT&amount=-1"} {
		if a := e.signed("GET", "/v3/exchange_rates/crypto?"+q, nil); a.status != 400 || a.code(t) != 201 {
			t.Errorf("%s: %d %s", q, a.status, a.body)
		}
	}
}

// TestCountries: every documented country is served by the lookups and
// takes deposits; a valid ISO code D24 does not serve and a code that is
// not ISO get different messages.
func TestCountries(t *testing.T) {
	e := newEnv(t)
	documented := strings.Fields(
		"AR BO BR CL CA CO EC GT MX PY PE " + // America, deposit methods pages
			"BW CM CG CD EG GA GH CI KE NG MW RW ZA UG ZM TZ " + // Africa
			"BD CN HK IN ID JP MY PK TH TR VN " + // Asia
			"AU CR DO SV NI PA PH SG UY VE") // cashout validations, Countries Specifications
	if len(documented) != 38+10 {
		t.Fatalf("%d countries listed", len(documented))
	}
	for i, cc := range documented {
		t.Run(cc, func(t *testing.T) {
			var methods []struct {
				Code, Country string
			}
			a := e.signed("GET", "/v3/payment_methods?country="+cc, nil)
			a.json(t, &methods)
			if a.status != 200 || len(methods) == 0 || methods[0].Country != cc {
				t.Fatalf("payment methods: %d %s", a.status, a.body)
			}
			for _, path := range []string{"/v3/exchange_rates?country=", "/v3/banks?country=", "/v3/states?country="} {
				if a := e.signed("GET", path+cc, nil); a.status != 200 || string(a.body) == "null" {
					t.Fatalf("%s: %d %s", path, a.status, a.body)
				}
			}
			var rate struct {
				Currency string `json:"currency"`
			}
			e.signed("GET", "/v3/exchange_rates?country="+cc, nil).json(t, &rate)
			hosted := map[string]any{"invoice_id": "c-" + itoa(int64(i)), "amount": 10, "country": cc, "currency": "USD"}
			if a := e.signed("POST", "/v3/deposits", hosted); a.status != 200 {
				t.Fatalf("USD deposit: %d %s", a.status, a.body)
			}
			hosted["invoice_id"], hosted["currency"] = "cl-"+itoa(int64(i)), rate.Currency
			if a := e.signed("POST", "/v3/deposits", hosted); a.status != 200 {
				t.Fatalf("%s deposit: %d %s", rate.Currency, a.status, a.body)
			}
			withMethod := map[string]any{"invoice_id": "m-" + itoa(int64(i)), "amount": 10, "country": strings.ToLower(cc), "currency": "USD", "payment_method": methods[0].Code}
			if a := e.signed("POST", "/v3/deposits", withMethod); a.status != 200 {
				t.Fatalf("deposit with %s: %d %s", methods[0].Code, a.status, a.body)
			}
		})
	}
	refused := []struct {
		country, detail string
	}{
		{"NO", "country: NO is not a country D24 operates in"},
		{"US", "country: US is not a country D24 operates in"},
		{"ZZ", "country: ZZ is not an ISO-3166 alpha-2 country code"},
		{"BRA", "country: BRA is not an ISO-3166 alpha-2 country code"},
	}
	for _, tc := range refused {
		for _, a := range []answer{
			e.signed("GET", "/v3/payment_methods?country="+tc.country, nil),
			e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": "x", "amount": 1, "country": tc.country, "currency": "USD"}),
		} {
			if a.status != 400 || a.code(t) != 201 || !strings.Contains(string(a.body), tc.detail) {
				t.Errorf("%s: %d %s, want %q", tc.country, a.status, a.body, tc.detail)
			}
		}
	}
	// Where the method list is inferred, an unlisted method code is taken;
	// where it is documented, it is refused (401).
	if a := e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": "m-in", "amount": 1, "country": "IN", "currency": "INR", "payment_method": "PAYTM"}); a.status != 200 {
		t.Errorf("IN with an unlisted method: %d %s", a.status, a.body)
	}
	if a := e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": "m-br", "amount": 1, "country": "BR", "currency": "BRL", "payment_method": "PAYTM"}); a.status != 400 || a.code(t) != 401 {
		t.Errorf("BR with an unknown method: %d %s", a.status, a.body)
	}
	co := e.cashoutBody("c-no", "Ana")
	co["country"] = "NO"
	if a := e.signed("POST", "/v3/cashout", co); a.status != 412 || a.code(t) != 518 {
		t.Errorf("cashout to NO: %d %s", a.status, a.body)
	}
	co["country"] = "XX"
	if a := e.signed("POST", "/v3/cashout", co); a.status != 400 || a.code(t) != 300 || !strings.Contains(string(a.body), "country") {
		t.Errorf("cashout to XX: %d %s", a.status, a.body)
	}
}

// TestDocumentRules: the documented document checks of the new countries.
func TestDocumentRules(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		country, currency, doc, docType string
		ok                              bool
	}{
		{"BO", "BOB", "1234567", "CI", true},
		{"BO", "BOB", "123456", "CI", false},
		{"BO", "BOB", "E12345678", "CIE", true},
		{"BO", "BOB", "A123456", "PASS", true},
		{"BO", "BOB", "123456789012", "", true}, // NIT, found without a type
		{"EC", "USD", "1004922993", "CC", true},
		{"EC", "USD", "12345", "CC", false},
		{"CA", "CAD", "1234567890", "HC", true},
		{"CA", "CAD", "123", "HC", false},
		{"CM", "XAF", "123456789", "PASS", true},
		{"CO", "COP", "1020304050", "CC", true},
		{"CO", "COP", "900123456", "NIT", true},
		{"AR", "ARS", "20123456789", "CUIT", true},
		{"AR", "ARS", "20123456789", "DNI", false},
		{"IN", "INR", "ABCDE1234F", "PAN", true}, // no documented rule: accepted
		{"NG", "NGN", "x", "", true},
	}
	for i, tc := range tests {
		body := map[string]any{"invoice_id": "d-" + itoa(int64(i)), "amount": 10, "country": tc.country, "currency": tc.currency,
			"payer": map[string]any{"document": tc.doc, "document_type": tc.docType}}
		a := e.signed("POST", "/v3/deposits", body)
		if tc.ok && a.status != 200 || !tc.ok && (a.status != 400 || a.code(t) != 411) {
			t.Errorf("%s %s %q: %d %s", tc.country, tc.docType, tc.doc, a.status, a.body)
		}
	}
}

// TestNumericBankCode: a code from /v3/banks (a number) works on a
// cashout, in every spelling.
func TestNumericBankCode(t *testing.T) {
	e := newEnv(t)
	var banks []struct {
		Code any `json:"code"`
	}
	e.signed("GET", "/v3/banks?country=BR", nil).json(t, &banks)
	if len(banks) < 2 {
		t.Fatalf("banks %v", banks)
	}
	tests := []struct {
		name string
		code any
	}{
		{"number from /v3/banks", banks[0].Code}, // json.Unmarshal gives float64(1)
		{"number 1", 1},
		{"number 33", 33},
		{"string 1", "1"},
		{"string 001", "001"},
		{"string 033", "033"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := e.cashoutBody("bank-"+itoa(int64(i)), "Ana")
			body["bank_code"] = tc.code
			if a := e.signed("POST", "/v3/cashout", body); a.status != 200 {
				t.Fatalf("%v: %d %s", tc.code, a.status, a.body)
			}
		})
	}
	body := e.cashoutBody("bank-bad", "Ana")
	body["bank_code"] = 999
	if a := e.signed("POST", "/v3/cashout", body); a.status != 412 || a.code(t) != 303 {
		t.Fatalf("unknown bank: %d %s", a.status, a.body)
	}
	// CO's Nequi wallet code as a number still takes a phone as account.
	co := e.cashoutBody("bank-nequi", "Ana")
	co["country"], co["currency"], co["document_id"], co["bank_code"], co["bank_account"] = "CO", "COP", "1020304050", 1507, "3001234567"
	if a := e.signed("POST", "/v3/cashout", co); a.status != 200 {
		t.Fatalf("Nequi: %d %s", a.status, a.body)
	}
}

// TestTypeErrorsNameTheField: well-formed JSON with a wrong type names
// every such field at once; only invalid JSON says so.
func TestTypeErrorsNameTheField(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, body string
		details    []string
	}{
		{"first_name a number", `{"invoice_id":"t1","amount":1,"country":"BR","currency":"BRL","payer":{"first_name":5}}`,
			[]string{"payer.first_name: must be a string"}},
		{"several at once", `{"invoice_id":["x"],"amount":"ten","country":"BR","currency":"BRL","payer":{"email":{},"address":"Main St"},"bonus_relative":"maybe"}`,
			[]string{"amount: must be a number", "bonus_relative: must be a boolean", "invoice_id: must be a string", "payer.address: must be an object", "payer.email: must be a string"}},
		{"payer not an object", `{"invoice_id":"t2","amount":1,"country":"BR","currency":"BRL","payer":[1,2]}`,
			[]string{"payer: must be an object"}},
		{"bad birth date", `{"invoice_id":"t3","amount":1,"country":"BR","currency":"BRL","payer":{"birth_date":[1990,13,1]}}`,
			[]string{"payer.birth_date: must be a date (yyyy-MM-dd)"}},
		{"missing required fields together", `{}`,
			[]string{"invoice_id: required", "amount: required", "country: required", "currency: required"}},
		{"body an array", `[1]`, []string{"request body: must be a JSON object"}},
		{"not JSON", `{"invoice_id":`, []string{"request body: not valid JSON"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.signed("POST", "/v3/deposits", tc.body)
			var got struct {
				Code    int      `json:"code"`
				Details []string `json:"details"`
			}
			a.json(t, &got)
			if a.status != 400 || got.Code != 201 || strings.Join(got.Details, "|") != strings.Join(tc.details, "|") {
				t.Fatalf("%d %s, want details %q", a.status, a.body, tc.details)
			}
			for _, banned := range []string{"malformed", "Go struct", "unmarshal", "float64", "int64"} {
				if strings.Contains(string(a.body), banned) {
					t.Fatalf("%q in %s", banned, a.body)
				}
			}
		})
	}
	// The Java SDK's LocalDate: accepted and reported as a date.
	a := e.signed("POST", "/v3/deposits", oneShot("t-date", map[string]any{"birth_date": []int{1990, 1, 31}}))
	var c struct {
		DepositID int64 `json:"deposit_id"`
	}
	a.json(t, &c)
	if a.status != 200 {
		t.Fatalf("birth_date [1990,1,31]: %d %s", a.status, a.body)
	}
	if st := e.signed("GET", "/v3/deposits/"+itoa(c.DepositID), nil); !strings.Contains(string(st.body), `"birth_date":"1990-01-31"`) {
		t.Fatalf("status %s", st.body)
	}
	// Cashouts carry one message: the first field named.
	co := e.cashoutBody("t-co", "Ana")
	co["beneficiary_name"] = []string{"Ana"}
	if a := e.signed("POST", "/v3/cashout", co); a.status != 400 || a.code(t) != 300 || !strings.Contains(string(a.body), "beneficiary_name (must be a string)") {
		t.Fatalf("cashout type error: %d %s", a.status, a.body)
	}
	// Refunds: deposit_id must be an integer.
	if a := e.signed("POST", "/v3/refunds", `{"deposit_id":"abc","invoice_id":"x"}`); a.status != 400 || !strings.Contains(string(a.body), "deposit_id: must be an integer") {
		t.Fatalf("refund type error: %d %s", a.status, a.body)
	}
}

// TestHostedCheckoutReportsPayer: a HOSTED deposit paid on the checkout
// page reports the payer entered there and a user_id.
func TestHostedCheckoutReportsPayer(t *testing.T) {
	e := newEnv(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	type payerView struct {
		UserID string `json:"user_id"`
		Status string `json:"status"`
		Payer  struct {
			FirstName string `json:"first_name"`
			LastName  string `json:"last_name"`
			Email     string `json:"email"`
			Document  string `json:"document"`
		} `json:"payer"`
	}
	tests := []struct {
		name      string
		payer     map[string]any // sent by the merchant
		form      url.Values     // entered on the page
		wantFirst string
		wantDoc   string
		wantUser  string // "" = any non-empty
	}{
		{"entered on the page", nil,
			url.Values{"first_name": {"Maria"}, "last_name": {"Souza"}, "email": {"maria@example.com"}, "document": {"84932568207"}, "document_type": {"CPF"}},
			"Maria", "84932568207", "84932568207"},
		{"plain pay: the prefilled page", nil, url.Values{}, "Sandbox", "", ""},
		{"merchant's payer kept", map[string]any{"id": "4-9934519", "first_name": "Joao"}, url.Values{}, "Joao", "", "4-9934519"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"invoice_id": "hp-" + itoa(int64(i)), "amount": 50, "country": "BR", "currency": "BRL"}
			if tc.payer != nil {
				body["payer"] = tc.payer
			}
			a := e.signed("POST", "/v3/deposits", body)
			var c struct {
				DepositID   int64  `json:"deposit_id"`
				RedirectURL string `json:"redirect_url"`
			}
			a.json(t, &c)
			tc.form.Set("action", "pay")
			resp, err := client.PostForm(c.RedirectURL, tc.form)
			if err != nil || resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("pay: %v %v", err, resp)
			}
			resp.Body.Close()
			var v payerView
			e.signed("GET", "/v3/deposits/"+itoa(c.DepositID), nil).json(t, &v)
			if v.Status != "COMPLETED" || v.Payer.FirstName != tc.wantFirst || v.Payer.Email == "" || v.Payer.Document != tc.wantDoc ||
				v.UserID == "" || tc.wantUser != "" && v.UserID != tc.wantUser {
				t.Fatalf("%+v", v)
			}
		})
	}
	// A document the country refuses is refused on the page too.
	a := e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": "hp-bad", "amount": 50, "country": "BR", "currency": "BRL"})
	var c struct {
		RedirectURL string `json:"redirect_url"`
	}
	a.json(t, &c)
	resp, err := client.PostForm(c.RedirectURL, url.Values{"action": {"pay"}, "document": {"12345678900"}})
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad CPF on the page: %v %v", err, resp)
	}
	resp.Body.Close()
}

// TestSubscriptionCreationNotified: the creation POSTs {"subscription_id"}
// signed as every deposits-family notification.
func TestSubscriptionCreationNotified(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	a := e.signed("POST", "/v3/subscriptions", subscriptionBody("sub-n", "Doe", "MONTHLY", 1, false, rcv.URL))
	var c struct {
		SubscriptionID int64 `json:"subscription_id"`
	}
	a.json(t, &c)
	n := verifyDepositNotification(t, rcv.WaitFor(t, 1, 5*time.Second)[0], e.creds)
	if len(n) != 1 || n["subscription_id"] != c.SubscriptionID {
		t.Fatalf("notification %v, want subscription %d", n, c.SubscriptionID)
	}
}

// TestDuplicateInvoiceAccepted: D24 documents no error for a reused
// invoice_id, so a second deposit with it is created (README, Decisions).
func TestDuplicateInvoiceAccepted(t *testing.T) {
	e := newEnv(t)
	var ids []int64
	for i := 0; i < 2; i++ {
		a := e.signed("POST", "/v3/deposits", oneShot("same-invoice", nil))
		var c struct {
			DepositID int64 `json:"deposit_id"`
		}
		a.json(t, &c)
		if a.status != 200 {
			t.Fatalf("deposit %d: %d %s", i, a.status, a.body)
		}
		ids = append(ids, c.DepositID)
	}
	if ids[0] == ids[1] {
		t.Fatalf("one deposit for two requests: %v", ids)
	}
}

// TestInferredRoutesMarked: answers whose contract is inferred carry the
// platform's header; documented ones do not.
func TestInferredRoutesMarked(t *testing.T) {
	e := newEnv(t)
	inferred := []struct {
		name string
		a    answer
	}{
		{"card deposit (test-card table)", e.card().signed("POST", "/v3/deposits", cardBody("inf-1", "4111111111111111", "123", ""))},
		{"subscription status", e.signed("GET", "/v3/subscriptions/42", nil)},
		{"crypto exchange", e.signed("GET", "/v3/exchange_rates/crypto?currency=BRL&crypto=USDT", nil)},
	}
	for _, tc := range inferred {
		if tc.a.header.Get("X-Fakeprovider-Inferred") == "" {
			t.Errorf("%s: no inferred header (%d %s)", tc.name, tc.a.status, tc.a.body)
		}
	}
	documented := []answer{
		e.signed("POST", "/v3/deposits", oneShot("inf-2", nil)),
		e.signed("GET", "/v3/banks?country=BR", nil),
	}
	for _, a := range documented {
		if v := a.header.Get("X-Fakeprovider-Inferred"); v != "" {
			t.Errorf("documented answer marked inferred: %q (%s)", v, a.body)
		}
	}
	a := e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": "inf-3", "amount": 5, "country": "BR", "currency": "BRL"})
	var c struct {
		RedirectURL string `json:"redirect_url"`
	}
	a.json(t, &c)
	resp, err := http.Get(c.RedirectURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Fakeprovider-Inferred") == "" {
		t.Errorf("checkout page not marked inferred")
	}
}

// TestMissingFieldsAtOnce: every missing field of a request in one
// answer, on each deposits-family creation.
func TestMissingFieldsAtOnce(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		a    answer
		want []string
	}{
		{"deposit", e.signed("POST", "/v3/deposits", `{"payer":[]}`),
			[]string{"invoice_id: required", "amount: required", "country: required", "currency: required"}},
		{"subscription", e.signed("POST", "/v3/subscriptions", `{"amount":10,"country":"BR","currency":"BRL"}`),
			[]string{"invoice_id: required", "payer.email: required", "subscription: required"}},
		{"card deposit", e.card().signed("POST", "/v3/deposits", `{"invoice_id":"c","country":"BR","currency":"BRL"}`),
			[]string{"amount: required", "payer: required", "client_ip: must be a valid IPv4 or IPv6 address", "credit_card: credit_card or card_token is required"}},
		{"refund", e.signed("POST", "/v3/refunds/", `{"amount":null}`),
			[]string{"deposit_id: required", "invoice_id: required"}},
	}
	for _, tc := range tests {
		var got struct {
			Code    int      `json:"code"`
			Details []string `json:"details"`
		}
		tc.a.json(t, &got)
		if tc.a.status != 400 || got.Code != 201 || strings.Join(got.Details, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: %d %s, want %q", tc.name, tc.a.status, tc.a.body, tc.want)
		}
	}
}
