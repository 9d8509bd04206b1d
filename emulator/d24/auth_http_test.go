package d24_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// TestDepositAuthFailures: each header problem gets its documented code,
// status and type, in the real envelope.
func TestDepositAuthFailures(t *testing.T) {
	// The server's wall clock stands still on a whole second, so that "6 s
	// ahead" is 6 s when the request arrives, however slow the machine.
	now := time.Now().UTC().Truncate(time.Second)
	e := newEnv(t, platformtest.WithNow(func() time.Time { return now }))
	good := func(xDate string, body string) http.Header {
		return http.Header{"X-Date": {xDate}, "X-Login": {e.creds.Login}, "Content-Type": {"application/json"},
			"Authorization": {"D24 " + d24.SignDeposit(e.creds.SecretKey, xDate, e.creds.Login, []byte(body))}}
	}
	fresh := now.Format(d24.XDateLayout)
	tests := []struct {
		name       string
		mutate     func(h http.Header)
		xDate      string
		wantStatus int
		wantCode   int
		wantType   string
	}{
		{"valid", func(h http.Header) {}, fresh, 404, 208, "RESOURCE_NOT_FOUND"},
		{"missing X-Date", func(h http.Header) { h.Del("X-Date") }, fresh, 400, 101, "MISSING_REQUIRED_HEADER"},
		{"missing X-Login", func(h http.Header) { h.Del("X-Login") }, fresh, 400, 101, "MISSING_REQUIRED_HEADER"},
		{"missing Authorization", func(h http.Header) { h.Del("Authorization") }, fresh, 400, 101, "MISSING_REQUIRED_HEADER"},
		{"lowercase d24 prefix", func(h http.Header) {
			h.Set("Authorization", strings.Replace(h.Get("Authorization"), "D24 ", "d24 ", 1))
		}, fresh, 400, 101, "MISSING_REQUIRED_HEADER"},
		{"X-Date with fraction", func(h http.Header) {}, now.Format("2006-01-02T15:04:05.000Z"), 400, 101, "MISSING_REQUIRED_HEADER"},
		{"unknown login", func(h http.Header) { h.Set("X-Login", "nobody0000") }, fresh, 401, 100, "INVALID_CREDENTIALS"},
		{"X-Date 6 s old", func(h http.Header) {}, now.Add(-6 * time.Second).Format(d24.XDateLayout), 400, 103, "INVALID_DATE_RANGE"},
		{"X-Date 6 s ahead", func(h http.Header) {}, now.Add(6 * time.Second).Format(d24.XDateLayout), 400, 103, "INVALID_DATE_RANGE"},
		{"X-Date 3 s old is fine", func(h http.Header) {}, now.Add(-3 * time.Second).Format(d24.XDateLayout), 404, 208, "RESOURCE_NOT_FOUND"},
		{"bad signature", func(h http.Header) { h.Set("Authorization", "D24 "+strings.Repeat("0", 64)) }, fresh, 400, 102, "INVALID_SIGNATURE"},
		{"uppercase hex", func(h http.Header) {
			h.Set("Authorization", "D24 "+strings.ToUpper(strings.TrimPrefix(h.Get("Authorization"), "D24 ")))
		}, fresh, 400, 102, "INVALID_SIGNATURE"},
		{"blank idempotency key", func(h http.Header) { h.Set("X-Idempotency-Key", " ") }, fresh, 400, 105, "EMPTY_HEADER_VALUE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := good(tc.xDate, "")
			tc.mutate(h)
			a := e.raw("GET", "/v3/deposits/300009999", nil, h)
			var got struct {
				Code        int    `json:"code"`
				Description string `json:"description"`
				Type        string `json:"type"`
			}
			a.json(t, &got)
			if a.status != tc.wantStatus || got.Code != tc.wantCode || got.Type != tc.wantType || got.Description == "" {
				t.Fatalf("%d %s, want %d code %d %s", a.status, a.body, tc.wantStatus, tc.wantCode, tc.wantType)
			}
			if tc.wantCode != 208 && a.header.Get("X-Fakeprovider-Auth-Error") == "" {
				t.Errorf("no explanation header")
			}
		})
	}
	// The signature covers the exact bytes: re-serialised JSON fails.
	body := `{"invoice_id":"x1","amount":100,"country":"BR","currency":"BRL"}`
	h := good(fresh, body)
	if a := e.raw("POST", "/v3/deposits", []byte(`{"invoice_id": "x1","amount":100,"country":"BR","currency":"BRL"}`), h); a.code(t) != 102 {
		t.Errorf("re-serialised body: %d %s", a.status, a.body)
	}
	if a := e.raw("POST", "/v3/deposits", []byte(body), h); a.status != 200 {
		t.Errorf("exact body: %d %s", a.status, a.body)
	}
}

func TestReadOnlyAndCashoutAuth(t *testing.T) {
	e := newEnv(t)
	if a := e.raw("GET", "/v3/banks?country=BR", nil, http.Header{"Authorization": {"Bearer " + e.creds.ReadOnlyKey}}); a.status != 200 {
		t.Fatalf("read-only: %d %s", a.status, a.body)
	}
	for _, auth := range []string{"", "Bearer wrongwrong", "Bearer " + e.creds.Login, e.creds.ReadOnlyKey} {
		a := e.raw("GET", "/v3/banks?country=BR", nil, http.Header{"Authorization": {auth}})
		if a.status != 401 || strings.TrimSpace(string(a.body)) != `{"code":100,"description":"Invalid credentials","type":"INVALID_CREDENTIALS"}` {
			t.Errorf("Authorization %q: %d %s", auth, a.status, a.body)
		}
	}
	body := mustJSON(e.cashoutBody("auth-1", "Ana"))
	sig := d24.SignPayload(e.creds.CashoutSecretKey, body)
	cases := []struct {
		name       string
		body       []byte
		sig        string
		wantStatus int
		wantCode   int
	}{
		{"valid", body, sig, 200, 0},
		{"bad signature", body, strings.Repeat("a", 64), 401, 302},
		{"uppercase signature", body, strings.ToUpper(sig), 401, 302},
		{"no signature", body, "", 401, 302},
		{"wrong pass", []byte(strings.Replace(string(body), e.creds.CashoutPass, "nope", 1)), "", 401, 401},
		{"malformed JSON", []byte(`{"login":`), "", 400, 502},
		{"not an object", []byte(`[1,2]`), "", 400, 502},
		{"login of another type", []byte(`{"login":{"id":1},"pass":"x"}`), "", 401, 401},
		{"numeric login, unknown", []byte(`{"login":12345,"pass":"x"}`), "", 401, 401},
	}
	for _, tc := range cases {
		a := e.raw("POST", "/v3/cashout", tc.body, http.Header{"Payload-Signature": {tc.sig}, "Content-Type": {"application/json"}})
		if a.status != tc.wantStatus || (tc.wantCode != 0 && a.code(t) != tc.wantCode) {
			t.Errorf("%s: %d %s", tc.name, a.status, a.body)
		}
		if tc.wantCode != 0 && !strings.Contains(string(a.body), `"message"`) {
			t.Errorf("%s: not the cashout envelope: %s", tc.name, a.body)
		}
	}
}
