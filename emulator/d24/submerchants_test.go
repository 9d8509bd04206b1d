package d24_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

type subMerchant struct {
	SubMerchantID         int64   `json:"sub_merchant_id"`
	MarkupFee             float64 `json:"markup_fee"`
	SubMerchantName       string  `json:"sub_merchant_name"`
	Email                 string  `json:"email"`
	Status                string  `json:"status"`
	ExternalSubMerchantID string  `json:"external_submerchant_id"`
}

func (e *env) signup(name, external string) subMerchant {
	e.t.Helper()
	var s subMerchant
	if st := e.control(http.MethodPost, "/d24/sub_merchants", map[string]any{"sub_merchant_name": name, "email": "owner@" + name + ".test",
		"external_submerchant_id": external}, &s); st != 200 || s.SubMerchantID == 0 {
		e.t.Fatalf("signup: %d %+v", st, s)
	}
	return s
}

// TestSubMerchantVectors reads a SubMerchant and updates its commission
// with requests signed by testdata/d24sign.py (V16, V17).
func TestSubMerchantVectors(t *testing.T) {
	at, _ := time.Parse(time.RFC3339, v1Date)
	e := newEnv(t, platformtest.WithNow(func() time.Time { return at }))
	s := e.signup("Dunder Mifflin", "Office2")
	if s.SubMerchantID != 18701 || s.Status != "INACTIVE" || s.MarkupFee != 2 {
		t.Fatalf("signup %+v", s)
	}
	a := e.raw(http.MethodGet, "/v3/sub_merchants/18701", nil, vectorHeader(v16Auth))
	var got subMerchant
	a.json(t, &got)
	if a.status != 200 || got != s {
		t.Fatalf("V16: %d %s", a.status, a.body)
	}
	a = e.raw(http.MethodPut, "/v3/sub_merchant/18701/markup_fee", []byte(v17Body), vectorHeader(v17Auth))
	if a.status != 200 || len(a.body) != 0 {
		t.Fatalf("V17: %d %q", a.status, a.body)
	}
	a = e.raw(http.MethodGet, "/v3/sub_merchants/18701", nil, vectorHeader(v16Auth))
	a.json(t, &got)
	if got.MarkupFee != 2.5 {
		t.Fatalf("after V17: %s", a.body)
	}
	if a := e.raw(http.MethodPut, "/v3/sub_merchant/18701/markup_fee", []byte(`{"markup_fee": 2.51}`), vectorHeader(v17Auth)); a.status != 400 || a.code(t) != 102 {
		t.Fatalf("V17 with another body: %d %s", a.status, a.body)
	}
}

// TestSubMerchantLifecycle: a signup is notified to the Referral URL, is
// activated by the default scenario, can then take deposits; commission
// updates (both documented paths) and deactivation are notified too.
func TestSubMerchantLifecycle(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	if st := e.control(http.MethodPut, "/d24/panel", map[string]string{"referral_url": rcv.URL}, nil); st != 200 {
		t.Fatalf("panel: %d", st)
	}
	s := e.signup("Acme", "acme-1")
	id := itoa(s.SubMerchantID)
	if n := verifyDepositNotification(t, rcv.WaitFor(t, 1, 5*time.Second)[0], e.creds); n["sub_merchant_id"] != s.SubMerchantID {
		t.Fatalf("signup notification %v", n)
	}
	deposit := func(invoice string, sub any) answer {
		return e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": invoice, "amount": 10, "country": "BR", "currency": "BRL",
			"payment_method": "IX", "sub_merchant_id": sub})
	}
	if a := deposit("sm-0", s.SubMerchantID); a.status != 400 || a.code(t) != 201 {
		t.Fatalf("deposit for an INACTIVE SubMerchant: %d %s", a.status, a.body)
	}
	e.advance(time.Minute)
	if n := verifyDepositNotification(t, rcv.WaitFor(t, 2, 5*time.Second)[1], e.creds); n["sub_merchant_id"] != s.SubMerchantID {
		t.Fatalf("activation notification %v", n)
	}
	var got subMerchant
	e.signed("GET", "/v3/sub_merchants/"+id, nil).json(t, &got)
	if got.Status != "ACTIVE" || got.ExternalSubMerchantID != "acme-1" {
		t.Fatalf("after review: %+v", got)
	}
	for i, sub := range []any{s.SubMerchantID, id, nil} {
		if a := deposit("sm-"+itoa(int64(i+1)), sub); a.status != 200 {
			t.Fatalf("deposit with sub_merchant_id %v: %d %s", sub, a.status, a.body)
		}
	}
	if a := deposit("sm-9", 99999); a.status != 400 || a.code(t) != 201 {
		t.Fatalf("unknown SubMerchant: %d %s", a.status, a.body)
	}
	card := cardBody("sm-card", "4111111111111111", "123", "")
	card["sub_merchant_id"] = 99999
	if a := e.card().signed("POST", "/v3/deposits", card); a.status != 400 || a.code(t) != 201 {
		t.Fatalf("card deposit, unknown SubMerchant: %d %s", a.status, a.body)
	}
	card["sub_merchant_id"], card["invoice_id"] = s.SubMerchantID, "sm-card-2"
	if a := e.card().signed("POST", "/v3/deposits", card); a.status != 200 {
		t.Fatalf("card deposit for the SubMerchant: %d %s", a.status, a.body)
	}

	tests := []struct {
		name, path, body string
		status, code     int
	}{
		{"guide path", "/v3/sub_merchant/" + id + "/markup_fee", `{"markup_fee": 3.25}`, 200, 0},
		{"reference path, string", "/v3/sub_merchants/" + id + "/markup_fee", `{"markup_fee": "1.5"}`, 200, 0},
		{"the table's fee name", "/v3/sub_merchant/" + id + "/markup_fee", `{"fee": 1.75}`, 200, 0},
		{"missing", "/v3/sub_merchant/" + id + "/markup_fee", `{}`, 400, 201},
		{"negative", "/v3/sub_merchant/" + id + "/markup_fee", `{"markup_fee": -1}`, 400, 201},
		{"three decimals", "/v3/sub_merchant/" + id + "/markup_fee", `{"markup_fee": 1.234}`, 400, 201},
		{"not a number", "/v3/sub_merchant/" + id + "/markup_fee", `{"markup_fee": "x"}`, 400, 201},
		{"unknown", "/v3/sub_merchant/99999/markup_fee", `{"markup_fee": 1}`, 404, 208},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.signed(http.MethodPut, tc.path, tc.body)
			if a.status != tc.status || (tc.code != 0 && a.code(t) != tc.code) {
				t.Fatalf("%d %s", a.status, a.body)
			}
		})
	}
	e.signed("GET", "/v3/sub_merchants/"+id, nil).json(t, &got)
	if got.MarkupFee != 1.75 {
		t.Fatalf("markup_fee %v", got.MarkupFee)
	}
	if got := len(rcv.WaitFor(t, 5, 5*time.Second)); got != 5 { // signup, activation, three updates
		t.Fatalf("%d notifications", got)
	}
	if st := e.control(http.MethodPost, "/d24/sub_merchants/"+id+"/status", map[string]string{"status": "INACTIVE"}, &got); st != 200 || got.Status != "INACTIVE" {
		t.Fatalf("deactivate: %d %+v", st, got)
	}
	rcv.WaitFor(t, 6, 5*time.Second)
	if a := deposit("sm-10", s.SubMerchantID); a.status != 400 {
		t.Fatalf("deposit after deactivation: %d %s", a.status, a.body)
	}
	if a := e.signed("GET", "/v3/sub_merchants/99999", nil); a.status != 404 || a.code(t) != 208 {
		t.Fatalf("unknown: %d %s", a.status, a.body)
	}
	if a := e.signed("GET", "/v3/sub_merchants/abc", nil); a.status != 400 || a.code(t) != 201 {
		t.Fatalf("non-numeric: %d %s", a.status, a.body)
	}

	rejected := e.signup("Rejectable", "")
	e.advance(2 * time.Minute)
	e.signed("GET", "/v3/sub_merchants/"+itoa(rejected.SubMerchantID), nil).json(t, &got)
	if got.Status != "INACTIVE" {
		t.Fatalf("rejected SubMerchant %+v", got)
	}
	for _, bad := range []map[string]any{{"email": "x@y.z"}, {"sub_merchant_name": "A", "email": "nope"}, {"sub_merchant_name": "A", "email": "a@b.c", "markup_fee": 100}} {
		if st := e.control(http.MethodPost, "/d24/sub_merchants", bad, nil); st != 400 {
			t.Fatalf("signup %v: %d", bad, st)
		}
	}
}

// TestReferralSignupForm: the panel gives the referral link; a client opens
// it with the platform's externalSubMerchantId, submits the form and the
// SubMerchant exists, notified to the Referral URL.
func TestReferralSignupForm(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	var pnl map[string]any
	if st := e.control(http.MethodPut, "/d24/panel", map[string]string{"referral_url": rcv.URL}, nil); st != 200 {
		t.Fatalf("panel: %d", st)
	}
	e.control(http.MethodGet, "/d24/panel", nil, &pnl)
	link := pnl["referral_signup_url"].(string) + "&externalSubMerchantId=user-9876"
	if !strings.Contains(link, "/d24/referral?id=") {
		t.Fatalf("panel %v", pnl)
	}
	resp, err := http.Get(link)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("form: %v %v", err, resp)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `value="user-9876"`) {
		t.Fatalf("form page %s", page)
	}
	resp, err = http.PostForm(link, url.Values{"sub_merchant_name": {"Dunder Mifflin"}, "email": {"johndoe@d24.com"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("signup: %v %v", err, resp)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`id="sub-merchant-id">(\d+)<`).FindStringSubmatch(string(page))
	if m == nil {
		t.Fatalf("signup page %s", page)
	}
	var got subMerchant
	e.signed("GET", "/v3/sub_merchants/"+m[1], nil).json(t, &got)
	if got.ExternalSubMerchantID != "user-9876" || got.Email != "johndoe@d24.com" || got.Status != "INACTIVE" {
		t.Fatalf("SubMerchant %+v", got)
	}
	if n := verifyDepositNotification(t, rcv.WaitFor(t, 1, 5*time.Second)[0], e.creds); itoa(n["sub_merchant_id"]) != m[1] {
		t.Fatalf("notification %v", n)
	}
	if resp, _ := http.PostForm(link, url.Values{"sub_merchant_name": {"X"}, "email": {"nope"}}); resp.StatusCode != 400 {
		t.Fatalf("bad email: %d", resp.StatusCode)
	}
	if resp, _ := http.Get(strings.Split(link, "?")[0] + "?id=bm9ib2R5"); resp.StatusCode != 404 { // "nobody"
		t.Fatalf("unknown platform: %d", resp.StatusCode)
	}
}
