package d24_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// TestRealBinary is the merchant flow against the built binary: create a
// hosted deposit → pay on the checkout page → signed notification →
// status COMPLETED → partial refund → refund notification → cashout create
// → status → cancel; then the deposit survives a restart with --data.
func TestRealBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	data := filepath.Join(t.TempDir(), "state.db")
	proc := platformtest.StartBinary(t, "--data", data)
	root := strings.TrimSuffix(proc.URL, "/")
	var all map[string]any
	platformtest.DoJSON(t, http.MethodGet, root+"/_fakeprovider/credentials", nil, &all)
	if _, ok := all["d24"]; !ok {
		t.Skip("the binary does not include the d24 provider")
	}
	e := &env{t: t, url: root, root: root, p: d24.New(), creds: d24.DefaultCredentials()}
	rcv := platformtest.NewReceiver(t)

	a := e.signed("POST", "/v3/deposits/", map[string]any{"invoice_id": "bin-1", "amount": 250, "country": "BR", "currency": "BRL", "notification_url": rcv.URL})
	var dep struct {
		DepositID   int64  `json:"deposit_id"`
		RedirectURL string `json:"redirect_url"`
	}
	a.json(t, &dep)
	if a.status != 200 || dep.DepositID == 0 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(dep.RedirectURL, url.Values{"action": {"pay"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout pay: %v %v", err, resp)
	}
	resp.Body.Close()
	n := verifyDepositNotification(t, rcv.WaitFor(t, 1, 10*time.Second)[0], e.creds)
	if n["deposit_id"] != dep.DepositID {
		t.Fatalf("notification %v", n)
	}
	if st := e.depositStatus(dep.DepositID); st != "COMPLETED" {
		t.Fatalf("status %s", st)
	}
	bank := map[string]any{"beneficiary": "A", "bank_code": "001", "branch": "1", "account_number": "123456-7", "account_type": "SAVING"}
	a = e.signed("POST", "/v3/refunds", map[string]any{"deposit_id": dep.DepositID, "invoice_id": "bin-1", "amount": 100, "bank_account": bank})
	var rf struct {
		RefundID int64 `json:"refund_id"`
	}
	a.json(t, &rf)
	if a.status != 200 || rf.RefundID == 0 {
		t.Fatalf("refund: %d %s", a.status, a.body)
	}
	if st := e.control(http.MethodPost, "/clock/advance", map[string]string{"by": "1m"}, nil); st != 200 {
		t.Fatalf("advance %d", st)
	}
	n = verifyDepositNotification(t, rcv.WaitFor(t, 2, 10*time.Second)[1], e.creds)
	if n["refund_id"] != rf.RefundID {
		t.Fatalf("refund notification %v", n)
	}
	a = e.signed("POST", "/v3/cashout", e.cashoutBody("bin-co-1", "Ana"))
	var co struct {
		CashoutID string `json:"cashout_id"`
	}
	a.json(t, &co)
	ref := map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass, "cashout_id": co.CashoutID, "external_id": "bin-co-1"}
	if a := e.signed("POST", "/v3/cashout/status", ref); a.status != 200 || !strings.Contains(string(a.body), `"cashout_status":0`) {
		t.Fatalf("cashout status: %d %s", a.status, a.body)
	}
	if a := e.signed("DELETE", "/v3/cashout/cancel", ref); a.status != 200 {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}

	// Real clients' shapes end to end: the Java SDK's LocalDate and a
	// numeric payer id, a bank code as /v3/banks gives it, the documented
	// crypto answer, a country beyond the first six.
	a = e.signed("POST", "/v3/deposits", `{"invoice_id":"bin-java","amount":100.50,"country":"BR","currency":"BRL","payment_method":"IX","payer":{"id":74662347,"document":"84932568207","document_type":"CPF","email":"j@example.com","first_name":"Jose","last_name":"Silva","birth_date":[1990,1,31]},"early_release":false,"test":false}`)
	var java struct {
		DepositID int64  `json:"deposit_id"`
		UserID    string `json:"user_id"`
	}
	a.json(t, &java)
	if a.status != 200 || java.UserID != "74662347" {
		t.Fatalf("Java-shaped deposit: %d %s", a.status, a.body)
	}
	if st := e.signed("GET", "/v3/deposits/"+itoa(java.DepositID), nil); !strings.Contains(string(st.body), `"birth_date":"1990-01-31"`) {
		t.Fatalf("Java-shaped deposit status: %s", st.body)
	}
	var banks []map[string]any
	e.signed("GET", "/v3/banks?country=BR", nil).json(t, &banks)
	body := e.cashoutBody("bin-co-2", "Ana")
	body["bank_code"] = banks[0]["code"]
	if a := e.signed("POST", "/v3/cashout", body); a.status != 200 {
		t.Fatalf("cashout with the /v3/banks code %v: %d %s", banks[0]["code"], a.status, a.body)
	}
	if a := e.signed("GET", "/v3/exchange_rates/crypto?currency=BRL&crypto=USDT", nil); a.status != 200 || !strings.Contains(string(a.body), `"fee":`) || strings.Contains(string(a.body), `"crypto_amount"`) {
		t.Fatalf("crypto exchange: %d %s", a.status, a.body)
	}
	if a := e.signed("GET", "/v3/payment_methods?country=EC", nil); a.status != 200 || !strings.Contains(string(a.body), `"code":"PX"`) {
		t.Fatalf("EC payment methods: %d %s", a.status, a.body)
	}
	if st := e.signed("GET", "/v3/deposits/"+itoa(dep.DepositID), nil); strings.Contains(string(st.body), `"user_id":""`) || strings.Contains(string(st.body), `"payer":{}`) {
		t.Fatalf("hosted deposit paid on the page: %s", st.body)
	}

	if err := proc.Stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}
	proc = platformtest.StartBinary(t, "--data", data)
	e.url = strings.TrimSuffix(proc.URL, "/")
	if st := e.depositStatus(dep.DepositID); st != "COMPLETED" {
		t.Fatalf("after restart: %s", st)
	}
}

// TestRealBinaryCardsSubscriptionsKYC runs the card host on its own
// listener (--d24-card-addr): card success and rejection, a 3DS challenge
// completed then notified, a subscription charged three times under
// fast-forward then cancelled, KYC pass and fail, and Pix key validation.
func TestRealBinaryCardsSubscriptionsKYC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	cardAddr := platformtest.FreeAddr(t)
	proc := platformtest.StartBinary(t, "--d24-card-addr", cardAddr)
	root := strings.TrimSuffix(proc.URL, "/")
	var all map[string]any
	platformtest.DoJSON(t, http.MethodGet, root+"/_fakeprovider/credentials", nil, &all)
	if _, ok := all["d24"]; !ok {
		t.Skip("the binary does not include the d24 provider")
	}
	e := &env{t: t, url: root + "/d24", root: root, p: d24.New(), creds: d24.DefaultCredentials()}
	card := &env{t: t, url: "http://" + cardAddr, root: root, p: e.p, creds: e.creds}
	rcv := platformtest.NewReceiver(t)

	var got cardAnswer
	a := card.signed("POST", "/v3/deposits", cardBody("bin-card-1", "4111111111111111", "123", rcv.URL))
	a.json(t, &got)
	if a.status != 200 || got.PaymentInfo.Result != "SUCCESS" || e.depositStatus(got.DepositID) != "COMPLETED" {
		t.Fatalf("card success: %d %s", a.status, a.body)
	}
	a = card.signed("POST", "/v3/deposits", cardBody("bin-card-2", "4000000000000002", "123", rcv.URL))
	a.json(t, &got)
	if got.PaymentInfo.Result != "REJECTED" || got.PaymentInfo.ReasonCode != "1" || got.PaymentInfo.Reason == "" {
		t.Fatalf("card rejection: %d %s", a.status, a.body)
	}
	a = card.signed("POST", "/v3/deposits", cardBody("bin-card-3", "4000000000003220", "123", rcv.URL))
	a.json(t, &got)
	if got.PaymentInfo.Result != "PENDING_AUTHENTICATION" || !strings.HasPrefix(got.RedirectURL, "http://"+cardAddr+"/3ds/") {
		t.Fatalf("3DS: %d %s", a.status, a.body)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(got.RedirectURL, url.Values{"action": {"authenticate"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("3DS challenge: %v %v", err, resp)
	}
	resp.Body.Close()
	if n := verifyDepositNotification(t, rcv.WaitFor(t, 1, 10*time.Second)[0], e.creds); n["deposit_id"] != got.DepositID {
		t.Fatalf("3DS notification %v", n)
	}
	if st := e.depositStatus(got.DepositID); st != "COMPLETED" {
		t.Fatalf("3DS status %s", st)
	}

	sub := e.subscribe(subscriptionBody("bin-sub-1", "Doe", "MONTHLY", 12, true, rcv.URL))
	e.advance(60 * 24 * time.Hour)
	if s := e.subscription(sub); s.Payments != 3 || s.Status != "ACTIVE" {
		t.Fatalf("subscription after 60 days: %+v", s)
	}
	rcv.WaitFor(t, 5, 10*time.Second) // the 3DS deposit, the subscription's creation and three charges
	if a := e.signed("DELETE", "/v3/subscriptions/"+itoa(sub), "{}"); a.status != 200 {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}

	if a := e.signed("POST", "/v1/kyc", map[string]any{"country": "BR", "document": "84932568207", "document_type": "CPF"}); a.status != 200 {
		t.Fatalf("KYC pass: %d %s", a.status, a.body)
	}
	if a := e.signed("POST", "/v1/kyc", map[string]any{"country": "BR", "document": "11144477735", "document_type": "CPF"}); a.status != 400 || a.code(t) != 105 {
		t.Fatalf("KYC fail: %d %s", a.status, a.body)
	}
	a = e.signed("POST", "/v5/account/pix_key/validate", []map[string]string{{"pix": "29318456719"}, {"pix": "not a key"}, {"pix": "+5511987654321"}})
	if a.status != 200 || string(a.body) != `[{"pix":"29318456719","valid":true},{"pix":"not a key","valid":false},{"pix":"+5511987654321","valid":true}]` {
		t.Fatalf("Pix keys: %d %s", a.status, a.body)
	}
}
