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

// TestRealBinaryQuickpaySubMerchantsReconciliation runs the three families
// against the built binary, with the Reconciliation host on its own
// listener (--d24-merchants-addr): a SubMerchant signs up, is approved and
// gets a new commission (each notified to the Referral URL); the docs'
// QuickPay Pix deposit for it gets the OneShot answer, is paid, sends the
// QuickPay callback and shows the KYC payer; the reconciliation user logs
// in on its own listener and finds the deposit.
func TestRealBinaryQuickpaySubMerchantsReconciliation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	merchantsAddr := platformtest.FreeAddr(t)
	proc := platformtest.StartBinary(t, "--d24-merchants-addr", merchantsAddr)
	root := strings.TrimSuffix(proc.URL, "/")
	var all map[string]any
	platformtest.DoJSON(t, http.MethodGet, root+"/_fakeprovider/credentials", nil, &all)
	if _, ok := all["d24"]; !ok {
		t.Skip("the binary does not include the d24 provider")
	}
	e := &env{t: t, url: root, root: root, p: d24.New(), creds: d24.DefaultCredentials()}
	referral, callback, notices := platformtest.NewReceiver(t), platformtest.NewReceiver(t), platformtest.NewReceiver(t)
	if st := e.control(http.MethodPut, "/d24/panel", map[string]string{"referral_url": referral.URL, "quickpay_callback_url": callback.URL}, nil); st != 200 {
		t.Fatalf("panel: %d", st)
	}

	s := e.signup("Dunder Mifflin", "Office2")
	e.advance(time.Minute) // reviewed and activated
	if a := e.signed(http.MethodPut, "/v3/sub_merchant/"+itoa(s.SubMerchantID)+"/markup_fee", `{"markup_fee": 2.00}`); a.status != 200 {
		t.Fatalf("commission: %d %s", a.status, a.body)
	}
	for i, r := range referral.WaitFor(t, 2, 10*time.Second) {
		if n := verifyDepositNotification(t, r, e.creds); n["sub_merchant_id"] != s.SubMerchantID {
			t.Fatalf("referral notification %d: %v", i, n)
		}
	}
	var got subMerchant
	e.signed("GET", "/v3/sub_merchants/"+itoa(s.SubMerchantID), nil).json(t, &got)
	if got.Status != "ACTIVE" || got.ExternalSubMerchantID != "Office2" {
		t.Fatalf("SubMerchant %+v", got)
	}

	body := strings.Replace(v14Body, `"notification_url":"https://www.d24.com/d24/notify"`, `"notification_url":"`+notices.URL+`","sub_merchant_id":`+itoa(s.SubMerchantID), 1)
	a := e.signed("POST", "/v3/deposits", body)
	var dep quickAnswer
	a.json(t, &dep)
	if a.status != 200 || dep.CheckoutType != "ONE_SHOT" || dep.UserID == "" {
		t.Fatalf("QuickPay deposit: %d %s", a.status, a.body)
	}
	e.advance(30 * time.Second) // paid
	cb := callback.WaitFor(t, 1, 10*time.Second)[0]
	verifyDepositNotification2(t, cb, e.creds)
	var kyc map[string]any
	json.Unmarshal(cb.Body, &kyc)
	if kyc["depositId"] != float64(dep.DepositID) || kyc["success"] != true {
		t.Fatalf("QuickPay callback %s", cb.Body)
	}
	if n := verifyDepositNotification(t, notices.WaitFor(t, 1, 10*time.Second)[0], e.creds); n["deposit_id"] != dep.DepositID {
		t.Fatalf("deposit notification %v", n)
	}
	st := e.signed("GET", "/v3/deposits/"+itoa(dep.DepositID), nil)
	if !strings.Contains(string(st.body), `"full_name":"John Smith"`) || !strings.Contains(string(st.body), `"status":"COMPLETED"`) {
		t.Fatalf("QuickPay status %s", st.body)
	}

	m := &env{t: t, url: "http://" + merchantsAddr, root: root, p: e.p, creds: e.creds}
	loginBody := mustJSON(map[string]string{"accessKey": e.creds.ReconciliationEmail, "secretKey": e.creds.ReconciliationPassword})
	// A whitelist without this test's 127.0.0.1 refuses the login (83).
	if st := e.control(http.MethodPut, "/d24/panel", map[string]any{"reconciliation_ip_whitelist": []string{"203.0.113.7"}}, nil); st != 200 {
		t.Fatalf("panel whitelist: %d", st)
	}
	a = m.raw(http.MethodPost, "/v1/auth/login", loginBody, http.Header{"Content-Type": {"application/json"}})
	if a.status != 403 || a.code(t) != 83 {
		t.Fatalf("login from outside the whitelist: %d %s", a.status, a.body)
	}
	e.control(http.MethodPut, "/d24/panel", map[string]any{"reconciliation_ip_whitelist": []string{"127.0.0.1"}}, nil)
	a = m.raw(http.MethodPost, "/v1/auth/login", loginBody, http.Header{"Content-Type": {"application/json"}})
	var token string
	for _, c := range (&http.Response{Header: a.header}).Cookies() {
		if c.Name == "BEARER_TOKEN" {
			token = c.Value
		}
	}
	if a.status != 200 || token == "" {
		t.Fatalf("login: %d %s", a.status, a.body)
	}
	a = m.raw(http.MethodGet, "/v1/deposits?country=BR&paymentMethod=IX", nil, http.Header{"Cookie": {"BEARER_TOKEN=" + token}})
	var l reconList
	a.json(t, &l)
	if a.status != 200 || l.Rows != 1 || int64(l.Data[0]["idDeposit"].(float64)) != dep.DepositID || l.Data[0]["clientDocument"] != kyc["document"] {
		t.Fatalf("reconciliation: %d %s", a.status, a.body)
	}
	if a := m.raw(http.MethodGet, "/v1/deposits", nil, nil); a.status != 401 {
		t.Fatalf("without a session: %d %s", a.status, a.body)
	}
}
