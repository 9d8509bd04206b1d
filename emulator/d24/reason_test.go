package d24_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// An auth-failure reason is logged, journaled and shown in the inspector:
// it never holds a secret key, the cashout passphrase, a read-only key or a
// value of the body (the pass the client submitted, its login).
func TestAuthFailureReasonsHoldNoSecret(t *testing.T) {
	var logs platformtest.LogBuffer
	h := platformtest.New(t, []platform.Provider{d24.New()}, platformtest.WithLog(&logs))
	c := h.Credentials("d24").(*d24.Credentials)
	const submitted = "Pw-Zq9-never-shown"
	const strangerKey = "ro-key-of-someone-else-77"
	xDate := time.Now().UTC().Format(d24.XDateLayout)
	deposit := []byte(`{"invoice_id":"inv-1","amount":10,"country":"BR","currency":"BRL","password":"` + submitted + `"}`)
	cashout := func(login, pass string) []byte {
		return []byte(`{"login":"` + login + `","pass":"` + pass + `","external_id":"e1","amount":1}`)
	}
	good := cashout(c.CashoutLogin, c.CashoutPass)
	cases := []struct {
		method, path string
		body         []byte
		header       map[string]string
	}{
		{"POST", "/v3/deposits", deposit, map[string]string{"X-Login": c.Login, "X-Date": xDate, "Authorization": "D24 " + strings.Repeat("0", 64)}},
		{"POST", "/v3/cashout", cashout(c.CashoutLogin, submitted), nil},
		{"POST", "/v3/cashout", cashout("unknown-login-"+submitted, submitted), nil},
		{"POST", "/v3/cashout", good, map[string]string{"Payload-Signature": d24.SignPayload("wrong", good)}},
		{"GET", "/v3/exchange_rates?country=BR&amount=1", nil, map[string]string{"Authorization": "Bearer " + strangerKey}},
		{"GET", "/v3/exchange_rates?country=BR&amount=1", nil, map[string]string{"Authorization": "Token " + c.ReadOnlyKey}},
	}
	var explained []string
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, h.URL+tc.path, bytes.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 4 {
			t.Fatalf("%s %s: status %d", tc.method, tc.path, resp.StatusCode)
		}
		explained = append(explained, resp.Header.Get(platform.ExplainHeader))
	}
	reasons := h.AuthReasons()
	if len(reasons) != len(cases) {
		t.Fatalf("%d failures journaled, want %d: %q", len(reasons), len(cases), reasons)
	}
	for _, where := range [][]string{reasons, explained, {logs.String()}} {
		for _, s := range where {
			for _, secret := range []string{submitted, strangerKey, c.SecretKey, c.CashoutPass, c.CashoutSecretKey, c.ReadOnlyKey, c.CashoutLogin} {
				if strings.Contains(s, secret) {
					t.Errorf("%q in %s", secret, s)
				}
			}
		}
	}
}
