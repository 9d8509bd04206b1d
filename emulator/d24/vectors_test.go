package d24_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// TestNewEndpointVectors sends requests whose Authorization values were
// computed by the independent Python signer (testdata/d24sign.py) to the
// card host, KYC, Pix validation (cashout key as X-Login, cashout API
// Signature as HMAC key) and subscription cancellation, at the vectors'
// X-Date.
func TestNewEndpointVectors(t *testing.T) {
	at, _ := time.Parse(time.RFC3339, v1Date)
	e := newEnv(t, platformtest.WithNow(func() time.Time { return at }))
	tests := []struct {
		name, path, login, body, auth string
		wantStatus                    int
		want                          string
	}{
		{"V10 Pix validation, cashout key", "/v5/account/pix_key/validate", "cashout_login",
			`[{"pix":"29318456719"},{"pix":"ana@example.com"}]`,
			"a2d8afdaff78e6c26c72dc3c80af7031505e0c49129b716885549f7623d3b1d2", 200, `"valid":true`},
		{"V11 card deposit", "card:/v3/deposits", v1Login,
			`{"invoice_id":"1000000002","amount":100,"country":"BR","currency":"BRL","client_ip":"203.0.113.7","payer":{"document":"84932568207","first_name":"Ricardo","last_name":"Carlos","email":"ricardo@example.com"},"credit_card":{"card_number":"4111111111111111","cvv":"123","expiration_month":12,"expiration_year":2030,"holder_name":"Ricardo Carlos"}}`,
			"778d0de7982d582b55a5b166c5cf2289705040e2be3b05de9bb17c5f7d38a1d6", 200, `"result":"SUCCESS"`},
		{"V12 KYC", "/v1/kyc", v1Login,
			`{"country":"BR","document":"84932568207","document_type":"CPF","email":"ricardo@example.com"}`,
			"3a6db41c488649c29e36c6becb1303b4e434e02f03c423ae356597de3a33050b", 200, `"Valid account"`},
		{"V13 subscription cancel", "DELETE /v3/subscriptions/999999", v1Login, `{}`,
			"e2266d1d2fa9fd59272c22125520bed9a7b5b6f8f2ee141f990dc7003ec1ddfc", 404, `"code":420`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, method, path := e, http.MethodPost, tc.path
			if p, ok := strings.CutPrefix(path, "card:"); ok {
				c, path = e.card(), p
			}
			if p, ok := strings.CutPrefix(path, "DELETE "); ok {
				method, path = http.MethodDelete, p
			}
			h := http.Header{"X-Date": {v1Date}, "X-Login": {tc.login}, "Authorization": {"D24 " + tc.auth}, "Content-Type": {"application/json"}}
			a := c.raw(method, path, []byte(tc.body), h)
			if a.status != tc.wantStatus || !strings.Contains(string(a.body), tc.want) {
				t.Fatalf("%d %s", a.status, a.body)
			}
		})
	}
}
