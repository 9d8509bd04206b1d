package d24_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
)

// TestKYC: country rules and the scenario-driven rejection of a document.
func TestKYC(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name       string
		body       map[string]any
		wantStatus int
		wantCode   int
		want       string
	}{
		{"valid CPF", map[string]any{"country": "BR", "document": "84932568207", "document_type": "CPF", "first_name": "Ana", "email": "ana@example.com"}, 200, 0, `"description":"Valid account"`},
		{"valid RUT", map[string]any{"country": "CL", "document": "12.345.678-5", "document_type": "RUT"}, 200, 0, "Valid account"},
		{"email only", map[string]any{"country": "MX", "email": "a@b.mx", "user_ip": "2001:db8::1"}, 200, 0, "Valid account"},
		{"bank account", map[string]any{"country": "BR", "document": "84932568207", "bank_account": map[string]any{"bank_code": "001", "account_number": "3423422-7"}}, 200, 0, "Valid account"},
		{"rejected by scenario", map[string]any{"country": "BR", "document": "11144477735", "document_type": "CPF"}, 400, 105, "USER_REJECTED_KYC_CHECK"},
		{"CPF check digit", map[string]any{"country": "BR", "document": "84932568208"}, 400, 411, "INVALID_USER_DOCUMENT"},
		{"RUT check digit", map[string]any{"country": "CL", "document": "12345678-9"}, 400, 411, "INVALID_USER_DOCUMENT"},
		{"unknown country", map[string]any{"country": "XX", "document": "1"}, 400, 201, "country"},
		{"nothing to check", map[string]any{"country": "BR"}, 400, 201, "at least one"},
		{"bad email", map[string]any{"country": "BR", "email": "nope"}, 400, 201, "email"},
		{"bad phone", map[string]any{"country": "BR", "phone": "12"}, 400, 201, "phone"},
		{"bad ip", map[string]any{"country": "BR", "email": "a@b.br", "user_ip": "x"}, 400, 201, "user_ip"},
		{"bad CLABE", map[string]any{"country": "MX", "bank_account": map[string]any{"account_number": "032180000118359710"}}, 400, 201, "CLABE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.signed("POST", "/v1/kyc", tc.body)
			if a.status != tc.wantStatus || !strings.Contains(string(a.body), tc.want) {
				t.Fatalf("%d %s", a.status, a.body)
			}
			if tc.wantCode != 0 && a.code(t) != tc.wantCode {
				t.Fatalf("code %d: %s", a.code(t), a.body)
			}
		})
	}
	// The cashout key is not a deposit key.
	c := *e
	c.creds = &d24.Credentials{Login: e.creds.CashoutLogin, SecretKey: e.creds.CashoutSecretKey}
	if a := c.signed("POST", "/v1/kyc", map[string]any{"country": "BR", "email": "a@b.br"}); a.status != 401 || a.code(t) != 100 {
		t.Fatalf("KYC with the cashout key: %d %s", a.status, a.body)
	}
}

// TestAccountValidation: bank-account rules of each country, the
// documented rejection codes, and the cashout key as X-Login.
func TestAccountValidation(t *testing.T) {
	e := newEnv(t)
	acct := func(cc, doc, code, account string) map[string]any {
		ba := map[string]any{"account": account, "branch": "1234", "account_type": "C"}
		if code != "" {
			ba["bank_code"] = code
		}
		return map[string]any{"country": cc, "document": doc, "document_type": "ID", "first_name": "Ana", "last_name": "Souza", "bank_account": ba}
	}
	invalid := acct("BR", "84932568207", "001", "3423422-7")
	invalid["last_name"] = "Invalidson"
	tests := []struct {
		name       string
		body       any
		wantStatus int
		wantCode   int
	}{
		{"BR Banco do Brasil", acct("BR", "84932568207", "001", "3423422-7"), 200, 0},
		{"MX CLABE", acct("MX", "ABCD123456", "", "032180000118359719"), 200, 0},
		{"AR CBU", acct("AR", "30123456", "", "2850590940090418135201"), 200, 0},
		{"PE CCI", acct("PE", "12345678", "", "00219300123456789012"), 200, 0},
		{"CO Bancolombia", acct("CO", "1020304050", "007", "12345678901"), 200, 0},
		{"CO Nequi phone", acct("CO", "1020304050", "1507", "3001234567"), 200, 0},
		{"CL numeric", acct("CL", "12.345.678-5", "001", "00123456"), 200, 0},
		{"bank code as number", map[string]any{"country": "CO", "document": "1020304050", "document_type": "CC", "bank_account": map[string]any{"bank_code": 7, "account": "12345678901"}}, 200, 0},
		{"invalid by scenario", invalid, 400, 800},
		{"CLABE check digit", acct("MX", "ABCD123456", "", "032180000118359710"), 400, 800},
		{"CBU check digit", acct("AR", "30123456", "", "2850590940090418135202"), 400, 800},
		{"CCI unknown bank", acct("PE", "12345678", "", "99919300123456789012"), 400, 800},
		{"BR account pattern", acct("BR", "84932568207", "001", "12ab"), 400, 800},
		{"unknown bank", acct("BR", "84932568207", "999", "3423422-7"), 400, 803},
		{"BR needs bank code", acct("BR", "84932568207", "", "3423422-7"), 400, 803},
		{"bad document", acct("BR", "84932568208", "001", "3423422-7"), 400, 805},
		{"bad account type", map[string]any{"country": "BR", "document": "84932568207", "document_type": "CPF", "bank_account": map[string]any{"bank_code": "001", "account": "3423422-7", "account_type": "X"}}, 400, 819},
		{"missing fields", map[string]any{"country": "BR"}, 400, 201},
		{"not an object", `[1]`, 400, 201},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.signed("POST", "/v5/account/validate", tc.body)
			if a.status != tc.wantStatus {
				t.Fatalf("%d %s", a.status, a.body)
			}
			if tc.wantCode != 0 && a.code(t) != tc.wantCode {
				t.Fatalf("code %d: %s", a.code(t), a.body)
			}
			if tc.wantStatus == 200 && !strings.Contains(string(a.body), `"description":"Valid account"`) {
				t.Fatalf("%s", a.body)
			}
		})
	}
	// Signed with the deposit key: not a cashout key.
	now := time.Now().UTC().Format(d24.XDateLayout)
	body := `{"country":"BR"}`
	h := http.Header{"X-Date": {now}, "X-Login": {e.creds.Login}, "Authorization": {"D24 " + d24.SignDeposit(e.creds.SecretKey, now, e.creds.Login, []byte(body))}}
	if a := e.raw("POST", "/v5/account/validate", []byte(body), h); a.status != 401 || a.code(t) != 100 {
		t.Fatalf("deposit key: %d %s", a.status, a.body)
	}
	// The cashout key signed with the deposit secret: signature mismatch.
	h = http.Header{"X-Date": {now}, "X-Login": {e.creds.CashoutLogin}, "Authorization": {"D24 " + d24.SignDeposit(e.creds.SecretKey, now, e.creds.CashoutLogin, []byte(body))}}
	if a := e.raw("POST", "/v5/account/validate", []byte(body), h); a.status != 400 || a.code(t) != 102 {
		t.Fatalf("wrong secret: %d %s", a.status, a.body)
	}
}

// TestPixKeyValidation: every key kind, answered in request order.
func TestPixKeyValidation(t *testing.T) {
	e := newEnv(t)
	keys := []struct {
		key   string
		valid bool
	}{
		{"29318456719", true},                          // CPF
		{"29318456718", false},                         // CPF check digit
		{"11222333000181", true},                       // CNPJ
		{"11222333000182", false},                      // CNPJ check digit
		{"ana@example.com", true},                      // email
		{"ana@", false},                                // email
		{"+5511987654321", true},                       // phone
		{"+551198765", false},                          // phone too short
		{"+14155550100", false},                        // not a Brazilian phone
		{"123e4567-e89b-12d3-a456-426614174000", true}, // random key
		{"123e4567-e89b-12d3-a456-42661417400", false}, // random key, short
		{"", false},
	}
	var body []map[string]string
	for _, k := range keys {
		body = append(body, map[string]string{"pix": k.key})
	}
	a := e.signed("POST", "/v5/account/pix_key/validate", body)
	var got []struct {
		Pix   string `json:"pix"`
		Valid bool   `json:"valid"`
	}
	a.json(t, &got)
	if a.status != 200 || len(got) != len(keys) {
		t.Fatalf("%d %s", a.status, a.body)
	}
	for i, k := range keys {
		if got[i].Pix != k.key || got[i].Valid != k.valid {
			t.Errorf("%q: got %+v, want valid=%v", k.key, got[i], k.valid)
		}
	}
	for _, bad := range []string{`{}`, `[]`, `[{"key":"x"}]`, `[1]`, `nope`} {
		if a := e.signed("POST", "/v5/account/pix_key/validate", bad); a.status != 400 || a.code(t) != 201 {
			t.Errorf("%s: %d %s", bad, a.status, a.body)
		}
	}
}
