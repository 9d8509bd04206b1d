package d24_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// The docs' QuickPay examples (the Brazil one with its missing comma
// fixed), signed by testdata/d24sign.py with the default deposit key at
// v1Date; V16 and V17 are the SubMerchant status and commission calls.
const (
	v14Body = `{"invoice_id":"1000000001","amount":"1000","country":"BR","currency":"BRL","payment_method":"IX","description":"test description","client_ip":"123.123.123.123","device_id":"00000000-00000000-01234567-89ABCDEF","notification_url":"https://www.d24.com/d24/notify","test":false,"mobile":true,"language":"pt"}`
	v14Auth = "6745de769b8a258a4a5c0cc1599fd87ad86e801c467eb885a212120d80f05493"
	v15Body = `{"invoice_id":"1000000002","payer":{"id":74662347},"amount":"1000","country":"MX","currency":"MXN","payment_method":"SE","description":"test description","client_ip":"123.123.123.123","device_id":"00000000-00000000-01234567-89ABCDEF","notification_url":"https://www.d24.com/d24/notify","test":false,"mobile":true,"language":"es"}`
	v15Auth = "a77db33478c251f104095c982c1cf0ac2a0b304f81c45f6284fc01da6b8a150e"
	v16Auth = "5635101712c2965158b2b40e554d5fb5b3362fcc06d4241bd2d7e2104ccf7815" // empty body, as V2
	v17Body = `{"markup_fee": 2.50}`
	v17Auth = "df38bdd46a7213c0ae5e10674c295aa9afc4426d79aea4a7db764454f5b59948"
)

func vectorHeader(auth string) http.Header {
	return http.Header{"X-Date": {v1Date}, "X-Login": {v1Login}, "Authorization": {"D24 " + auth}, "Content-Type": {"application/json"}}
}

type quickAnswer struct {
	CheckoutType string `json:"checkout_type"`
	DepositID    int64  `json:"deposit_id"`
	UserID       string `json:"user_id"`
	PaymentInfo  *struct {
		PaymentMethod string            `json:"payment_method"`
		Metadata      map[string]string `json:"metadata"`
	} `json:"payment_info"`
}

// TestQuickpayDocsExamples sends the docs' two QuickPay requests exactly:
// both get the OneShot answer, Pix without a payer and SPEI with a numeric
// payer id.
func TestQuickpayDocsExamples(t *testing.T) {
	at, _ := time.Parse(time.RFC3339, v1Date)
	e := newEnv(t, platformtest.WithNow(func() time.Time { return at }))
	for _, tc := range []struct {
		name, body, auth, method, user string
	}{
		{"V14 Pix without payer", v14Body, v14Auth, "IX", ""},
		{"V15 SPEI with a numeric payer id", v15Body, v15Auth, "SE", "74662347"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := e.raw(http.MethodPost, "/v3/deposits", []byte(tc.body), vectorHeader(tc.auth))
			var got quickAnswer
			a.json(t, &got)
			if a.status != 200 || got.CheckoutType != "ONE_SHOT" || got.PaymentInfo == nil || got.PaymentInfo.PaymentMethod != tc.method {
				t.Fatalf("%d %s", a.status, a.body)
			}
			if got.UserID == "" || (tc.user != "" && got.UserID != tc.user) {
				t.Fatalf("user_id %q in %s", got.UserID, a.body)
			}
			if tc.method == "IX" && got.PaymentInfo.Metadata["qr_code"] == "" {
				t.Fatalf("no Pix QR code: %s", a.body)
			}
		})
	}
}

// TestQuickpayPayerRules: QuickPay is Pix without payer data, or SPEI with
// only the payer's id; anything else keeps the ordinary OneShot/HOSTED rule.
func TestQuickpayPayerRules(t *testing.T) {
	e := newEnv(t)
	full := map[string]any{"document": "84932568207", "first_name": "Ana", "last_name": "Souza", "email": "a@example.com"}
	tests := []struct {
		name    string
		country string
		method  string
		payer   any
		want    string
	}{
		{"Pix, no payer", "BR", "IX", nil, "ONE_SHOT"},
		{"Pix, payer id only", "BR", "IX", map[string]any{"id": "u1"}, "ONE_SHOT"},
		{"Pix, null payer", "BR", "IX", "null", "ONE_SHOT"},
		{"SPEI, numeric id", "MX", "SE", map[string]any{"id": 123}, "ONE_SHOT"},
		{"SPEI, string id", "MX", "SE", map[string]any{"id": "abc123"}, "ONE_SHOT"},
		{"SPEI without payer: hosted", "MX", "SE", nil, "HOSTED"},
		{"boleto without payer: hosted", "BR", "BL", nil, "HOSTED"},
		{"OXXO with a payer id only: hosted", "MX", "OX", map[string]any{"id": 9}, "HOSTED"},
		{"Pix with a full payer: ordinary OneShot", "BR", "IX", full, "ONE_SHOT"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"invoice_id": "qr-" + itoa(int64(i)), "amount": "100", "country": tc.country,
				"currency": map[string]string{"BR": "BRL", "MX": "MXN"}[tc.country], "payment_method": tc.method}
			switch p := tc.payer.(type) {
			case nil:
			case string:
				body["payer"] = json.RawMessage(p)
			default:
				body["payer"] = p
			}
			a := e.signed("POST", "/v3/deposits", body)
			var got quickAnswer
			a.json(t, &got)
			if a.status != 200 || got.CheckoutType != tc.want || got.UserID == "" && tc.want == "ONE_SHOT" {
				t.Fatalf("%d %s", a.status, a.body)
			}
		})
	}
	if a := e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": "qr-bad", "amount": 1, "country": "MX", "currency": "MXN",
		"payment_method": "SE", "payer": map[string]any{"id": true}}); a.status != 400 || a.code(t) != 201 {
		t.Fatalf("boolean payer id: %d %s", a.status, a.body)
	}
}

// TestQuickpayKYCCallbackAndRefusal: once paid, the QuickPay callback
// (camelCase KYC data, signed) reaches the panel's callback URL before the
// deposit notification, the status shows the KYC payer; a refusal refunds
// the deposit and sends the callback again with refunded true.
func TestQuickpayKYCCallbackAndRefusal(t *testing.T) {
	e := newEnv(t)
	callback := platformtest.NewReceiver(t)
	notices := platformtest.NewReceiver(t)
	if st := e.control(http.MethodPut, "/d24/panel", map[string]string{"quickpay_callback_url": callback.URL}, nil); st != 200 {
		t.Fatalf("panel: %d", st)
	}
	key := []string{"X-Idempotency-Key", "qp-1"}
	body := map[string]any{"invoice_id": "qp-1", "amount": 1000, "country": "BR", "currency": "BRL", "payment_method": "IX", "notification_url": notices.URL}
	a := e.signed("POST", "/v3/deposits", body, key...)
	var created quickAnswer
	a.json(t, &created)
	if again := e.signed("POST", "/v3/deposits", body, key...); string(again.body) != string(a.body) {
		t.Fatalf("idempotent replay: %s vs %s", again.body, a.body)
	}
	e.advance(30 * time.Second) // the default scenario: paid after 30 s

	cb := callback.WaitFor(t, 1, 5*time.Second)[0]
	verifyDepositNotification2(t, cb, e.creds)
	var kyc map[string]any
	json.Unmarshal(cb.Body, &kyc)
	for _, f := range []string{"depositId", "document", "fullName", "cadastralSituation", "dateOfBirth", "pep", "address", "email", "success"} {
		if _, ok := kyc[f]; !ok {
			t.Fatalf("callback lacks %s: %s", f, cb.Body)
		}
	}
	if kyc["depositId"] != float64(created.DepositID) || kyc["success"] != true || kyc["refunded"] != nil {
		t.Fatalf("callback %s", cb.Body)
	}
	if n := verifyDepositNotification(t, notices.WaitFor(t, 1, 5*time.Second)[0], e.creds); n["deposit_id"] != created.DepositID {
		t.Fatalf("deposit notification %v", n)
	}
	st := e.signed("GET", "/v3/deposits/"+itoa(created.DepositID), nil)
	var status struct {
		Status                   string         `json:"status"`
		Payer                    map[string]any `json:"payer"`
		CurrentPayerVerification string         `json:"current_payer_verification"`
	}
	st.json(t, &status)
	doc, _ := status.Payer["document"].(string)
	if status.Status != "COMPLETED" || status.Payer["document_type"] != "CPF" || len(doc) != 11 || doc != kyc["document"] ||
		status.Payer["full_name"] != kyc["fullName"] || status.Payer["legal_situation"] != "REGULAR" || status.Payer["pep"] != false ||
		len(status.Payer["birth_date"].(string)) != 8 || status.CurrentPayerVerification != "NO_CURRENT_PAYER_DATA" {
		t.Fatalf("status %s", st.body)
	}
	// The CPF passes the KYC endpoint's own check-digit rule.
	if a := e.signed("POST", "/v1/kyc", map[string]any{"country": "BR", "document": doc, "document_type": "CPF"}); a.status != 200 {
		t.Fatalf("generated CPF %s: %d %s", doc, a.status, a.body)
	}

	var q map[string]any
	if st := e.control(http.MethodPost, "/d24/deposits/"+itoa(created.DepositID)+"/quickpay", map[string]string{"status": "REFUSED"}, &q); st != 200 || q["refund_id"] == nil {
		t.Fatalf("refuse: %d %v", st, q)
	}
	cb = callback.WaitFor(t, 2, 5*time.Second)[1]
	verifyDepositNotification2(t, cb, e.creds)
	json.Unmarshal(cb.Body, &kyc)
	if kyc["refunded"] != true {
		t.Fatalf("refusal callback %s", cb.Body)
	}
	rf := e.signed("GET", "/v3/refunds/"+itoa(int64(q["refund_id"].(float64))), nil)
	if rf.status != 200 || !strings.Contains(string(rf.body), `"amount":1000`) {
		t.Fatalf("refund %d %s", rf.status, rf.body)
	}
	if st := e.control(http.MethodPost, "/d24/deposits/"+itoa(created.DepositID)+"/quickpay", map[string]string{"status": "bogus"}, nil); st != 400 {
		t.Fatalf("bad quickpay status: %d", st)
	}
}

// verifyDepositNotification2 checks the D24 signature of a notification
// whose body is not only ids.
func verifyDepositNotification2(t testing.TB, r platformtest.Received, c *d24.Credentials) {
	t.Helper()
	want := "D24 " + d24.SignDeposit(c.SecretKey, r.Header.Get("X-Date"), c.Login, r.Body)
	if r.Header.Get("X-Login") != c.Login || r.Header.Get("Authorization") != want {
		t.Fatalf("notification headers %v, want Authorization %q", r.Header, want)
	}
}

// TestQuickpayCallbackAnswerDecides: a callback URL answering other than
// 2XX refuses the deposit: it is refunded whole and the callback comes
// again with refunded true; a 2XX answer leaves it approved.
func TestQuickpayCallbackAnswerDecides(t *testing.T) {
	e := newEnv(t)
	callback := platformtest.NewReceiver(t)
	e.control(http.MethodPut, "/d24/panel", map[string]string{"quickpay_callback_url": callback.URL}, nil)
	create := func(invoice string) int64 {
		var c quickAnswer
		e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": invoice, "amount": 250, "country": "MX", "currency": "MXN",
			"payment_method": "SE", "payer": map[string]any{"id": 74662347}}).json(t, &c)
		return c.DepositID
	}
	refunded := func(id int64) bool {
		var st struct {
			Refunded bool `json:"refunded"`
		}
		e.signed("GET", "/v3/deposits/"+itoa(id), nil).json(t, &st)
		return st.Refunded
	}
	approved := create("qa-1")
	e.advance(30 * time.Second)
	callback.WaitFor(t, 1, 5*time.Second)
	callback.SetStatus(http.StatusBadRequest)
	refused := create("qa-2")
	e.advance(30 * time.Second)
	got := callback.WaitFor(t, 3, 5*time.Second)
	var second, third map[string]any
	json.Unmarshal(got[1].Body, &second)
	json.Unmarshal(got[2].Body, &third)
	if second["depositId"] != float64(refused) || second["refunded"] != nil || third["depositId"] != float64(refused) || third["refunded"] != true {
		t.Fatalf("callbacks %s / %s", got[1].Body, got[2].Body)
	}
	if second["document"] == nil || !strings.HasPrefix(second["document"].(string), "SMJO770930") {
		t.Fatalf("MX KYC document %v", second["document"])
	}
	deadline := time.Now().Add(5 * time.Second)
	for !refunded(refused) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !refunded(refused) || refunded(approved) {
		t.Fatalf("refunded: refused %v, approved %v", refunded(refused), refunded(approved))
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(callback.Requests()); n != 3 { // one attempt each: the answer is final
		t.Fatalf("%d callbacks, want 3", n)
	}
}
