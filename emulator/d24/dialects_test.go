package d24_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// Bodies shaped exactly as D24's real clients produce them:
//   - PHP json_encode (the PHP SDK, community cashout clients): null for
//     unset fields, "\/" escapes, "\u00ba" escapes, [] for an empty object,
//     numbers where strings are meant, amounts as strings, trailing-slash
//     paths (/v3/deposits/, /v3/refunds/);
//   - Java Jackson (the official Java SDK): snake_case, every primitive
//     boolean present, nulls omitted, BigDecimal as written (100.50),
//     LocalDate as [y,m,d];
//   - Node JSON.stringify: compact, raw UTF-8, "/" unescaped, undefined
//     fields omitted.

const (
	phpDeposit  = `{"invoice_id":"php-1","amount":100,"country":"BR","currency":"BRL","payer":{"id":"4-9934519","document":"84932568207","document_type":"CPF","email":"ricardo@example.com","first_name":"Ricardo","last_name":"Carlos","phone":null,"birth_date":null,"address":[]},"payment_method":"BB","payment_type":null,"bank_account":[],"early_release":false,"fee_on_payer":false,"surcharge_on_payer":false,"bonus_amount":null,"bonus_relative":false,"strikethrough_price":null,"description":"Pedido n\u00ba 1","client_ip":null,"device_id":"","language":null,"back_url":"https:\/\/example.com\/back","success_url":"https:\/\/example.com\/ok","error_url":null,"notification_url":null,"logo":"https:\/\/example.com\/logo.png","test":false,"mobile":false}`
	javaDeposit = `{"invoice_id":"java-1","amount":100.50,"country":"BR","currency":"BRL","payment_method":"IX","payer":{"id":"4-9934519","document":"84932568207","document_type":"CPF","email":"jose@example.com","first_name":"José","last_name":"Silva","phone":"+5511999990000","birth_date":[1990,1,31],"address":{"street":"Rua Augusta 1","city":"São Paulo","state":"SP","zip_code":"01310-100"}},"early_release":false,"fee_on_payer":false,"surcharge_on_payer":false,"bonus_relative":false,"test":false,"mobile":false,"request_payer_data_on_validation_failure":false,"allow_installments":false}`
	phpCashout  = `{"login":"cashout_login","pass":"cashout_pass","external_id":30000000099,"country":"BR","currency":"BRL","amount":"100.00","document_id":"84932568207","document_type":"CPF","beneficiary_name":"Ana","beneficiary_lastname":null,"email":null,"phone":null,"bank_code":1,"bank_account":"3423422-7","bank_branch":1234,"account_type":"C","notification_url":"http:\/\/127.0.0.1:1\/withdrawals","comments":"","on_hold":false,"type":"json"}`
)

// TestDialectVectors sends the PHP and Java bodies with signatures
// computed by python3 hmac/hashlib over these exact bytes (key
// gUfmqFBEGvIemZhzcpkfpBMcHhyoXUxFp, X-Date 2020-06-21T12:33:20Z, X-Login
// gFNQnUZXSE; cashout key cashout_secret_key), at the vectors' X-Date.
func TestDialectVectors(t *testing.T) {
	at, _ := time.Parse(time.RFC3339, v1Date)
	e := newEnv(t, platformtest.WithNow(func() time.Time { return at }))
	tests := []struct {
		name, path, body, header, sig string
		want                          []string
	}{
		{"PHP SDK one-shot deposit", "/v3/deposits/", phpDeposit, "Authorization",
			"D24 d237aaec1f3b66ec683fa1a8b5429a0792d8f0a3bccd25d2c28639c96f0f02f4",
			[]string{`"checkout_type":"ONE_SHOT"`, `"user_id":"4-9934519"`, `"payment_method":"BB"`}},
		{"Java SDK deposit with LocalDate", "/v3/deposits", javaDeposit, "Authorization",
			"D24 b09feb1dcb264055d697d8d48dec0b662822a96eb5f40d146f260f10f1713115",
			[]string{`"checkout_type":"ONE_SHOT"`, `"amount":100.5`, `"user_id":"4-9934519"`}},
		{"PHP cashout, numeric bank_code and external_id", "/v3/cashout", phpCashout, "Payload-Signature",
			"f0c24593a62f5d9f2b1315a304bf042fc448bfa76317293ef0bf8844f95447c1",
			[]string{`"cashout_id":"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"Content-Type": {"application/json"}, tc.header: {tc.sig}}
			if tc.header == "Authorization" {
				h.Set("X-Date", v1Date)
				h.Set("X-Login", v1Login)
			}
			a := e.raw(http.MethodPost, tc.path, []byte(tc.body), h)
			if a.status != 200 {
				t.Fatalf("%d %s", a.status, a.body)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(a.body), w) {
					t.Fatalf("%s lacks %s", a.body, w)
				}
			}
		})
	}
	// The cashout's numeric external_id names it on the status endpoint.
	st := e.signed("POST", "/v3/cashout/status", `{"login":"cashout_login","pass":"cashout_pass","external_id":30000000099}`)
	if st.status != 200 || !strings.Contains(string(st.body), `"cashout_status":0`) {
		t.Fatalf("status by numeric external_id: %d %s", st.status, st.body)
	}
}

// TestDialectFlows: each client's shape through a whole flow.
func TestDialectFlows(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	notify := strings.ReplaceAll(rcv.URL, "/", `\/`) // as json_encode writes it

	// PHP SDK testHosted: only invoice, amount, country, currency,
	// language; unset objects as [] and nulls.
	a := e.signed("POST", "/v3/deposits/", `{"invoice_id":"php-hosted","amount":"49.90","country":"MX","currency":"MXN","language":"es","payer":[],"bank_account":[],"payment_method":null,"notification_url":"`+notify+`","bonus_amount":"","test":false}`)
	var hosted struct {
		CheckoutType string `json:"checkout_type"`
		DepositID    int64  `json:"deposit_id"`
		RedirectURL  string `json:"redirect_url"`
	}
	a.json(t, &hosted)
	if a.status != 200 || hosted.CheckoutType != "HOSTED" {
		t.Fatalf("PHP hosted: %d %s", a.status, a.body)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(hosted.RedirectURL, url.Values{"action": {"pay"}, "first_name": {"Lucia"}, "last_name": {"Perez"}, "email": {"lucia@example.com"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay: %v %v", err, resp)
	}
	resp.Body.Close()
	verifyDepositNotification(t, rcv.WaitFor(t, 1, 5*time.Second)[0], e.creds)

	// PHP refund: trailing slash, amount as a string, numeric bank code,
	// nulls for the unset fields.
	a = e.signed("POST", "/v3/refunds/", `{"deposit_id":"`+itoa(hosted.DepositID)+`","invoice_id":"php-hosted","amount":"10.50","bank_account":{"beneficiary":"Lucia Perez","bank_code":12,"branch":null,"account_number":"012180001234567897","account_type":null},"comments":null,"notification_url":null}`)
	if a.status != 200 || !strings.Contains(string(a.body), `"refund_id":`) {
		t.Fatalf("PHP refund: %d %s", a.status, a.body)
	}

	// PHP cashout status with the id as a string, and cancel.
	co := e.signed("POST", "/v3/cashout", `{"login":"`+e.creds.CashoutLogin+`","pass":"`+e.creds.CashoutPass+`","external_id":"php-co-2","country":"CO","currency":"COP","amount":"150000","document_id":1020304050,"document_type":"CC","beneficiary_name":"Ana","beneficiary_lastname":"Gomez","bank_code":"7","bank_account":"12345678901","bank_branch":null,"account_type":"S","notification_url":"`+notify+`","comments":null,"on_hold":"0"}`)
	var created struct {
		CashoutID string `json:"cashout_id"`
	}
	co.json(t, &created)
	if co.status != 200 || created.CashoutID == "" {
		t.Fatalf("PHP CO cashout: %d %s", co.status, co.body)
	}
	if a := e.signed("DELETE", "/v3/cashout/cancel", `{"login":"`+e.creds.CashoutLogin+`","pass":"`+e.creds.CashoutPass+`","cashout_id":"`+created.CashoutID+`","external_id":"php-co-2"}`); a.status != 200 {
		t.Fatalf("PHP cancel: %d %s", a.status, a.body)
	}

	// Java SDK subscription: LocalDate start_date, primitives present.
	today := time.Now().UTC()
	java := `{"invoice_id":"java-sub","amount":70.00,"country":"BR","currency":"BRL","client_ip":"203.0.113.7","payer":{"id":"4-9934519","document":"84932568207","document_type":"CPF","email":"jose@example.com","first_name":"José","last_name":"Silva","birth_date":[1990,1,31]},` +
		`"subscription":{"start_date":[` + itoa(int64(today.Year())) + `,` + itoa(int64(today.Month())) + `,` + itoa(int64(today.Day())) + `],"plan":"MONTHLY","plan_unit":12,"auto_renewal":false},"early_release":false,"fee_on_payer":false,"surcharge_on_payer":false,"bonus_relative":false,"test":false,"mobile":false}`
	if a := e.signed("POST", "/v3/subscriptions", java); a.status != 200 || !strings.Contains(string(a.body), `"subscription_id":`) {
		t.Fatalf("Java subscription: %d %s", a.status, a.body)
	}

	// Node JSON.stringify: raw UTF-8, unescaped slashes.
	node := `{"invoice_id":"node-1","amount":25000,"country":"CO","currency":"COP","payment_method":"PC","payer":{"document":"1020304050","document_type":"CC","first_name":"José","last_name":"Núñez","email":"jose@example.com"},"notification_url":"` + rcv.URL + `"}`
	if a := e.signed("POST", "/v3/deposits", node); a.status != 200 || !strings.Contains(string(a.body), `"checkout_type":"ONE_SHOT"`) {
		t.Fatalf("Node deposit: %d %s", a.status, a.body)
	}
	nodeCashout := `{"login":"` + e.creds.CashoutLogin + `","pass":"` + e.creds.CashoutPass + `","external_id":"node-co-1","country":"MX","amount":1500.5,"document_id":"GOMM930505HDFLRN08","beneficiary_name":"Juan","bank_account":"002010077777777771","notification_url":"` + rcv.URL + `"}`
	if a := e.signed("POST", "/v3/cashout", nodeCashout); a.status != 200 {
		t.Fatalf("Node MX cashout: %d %s", a.status, a.body)
	}
}
