package crm_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
)

// Vectors of the spec (§2.4, §5.2, §6.3), as literal values.
func TestSignV2Vectors(t *testing.T) {
	tests := []struct {
		name, key, body, want string
	}{
		{"V2-A", "It's a Secret to Everybody", "Hello, World!", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"},
		{"V2-B", "test-api-key-123", `{"id":"ab12cd34"}`, "sha256=5874084a77edbf7e207ca47bb63cbb16de879b5b620647453507741a284bbff5"},
		{"V2-B'", "test-api-key-123", `{"id": "ab12cd34"}`, "sha256=dbe2b93b8a9a74f979006bc1c43a1d0d4ce7bc761d8974e059607b5d3ec06fa9"},
		{"V2-C", "test-api-key-123", `{"id":"ab12cd34","comment":"KYC 未通过"}`, "sha256=3a542a1a3e61c1df8143a0a1cb58a0216b2518dd0f7f0ba360aa44dd0ad4fbb7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := crm.SignV2(tt.key, []byte(tt.body)); got != tt.want {
				t.Errorf("SignV2 = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSignV1Vector(t *testing.T) {
	body := []byte(`{"id":"ab12cd34","comment":"Sanitized reason"}`)
	str, err := crm.V1String("test-api-key-123", body)
	if err != nil {
		t.Fatal(err)
	}
	if want := "comment=Sanitized reason&id=ab12cd34test-api-key-123"; str != want {
		t.Errorf("V1String = %q, want %q", str, want)
	}
	sig, _ := crm.SignV1("test-api-key-123", body)
	if want := "2297D00E0BE4973B305DBA85FA7521C4925D34D6"; sig != want {
		t.Errorf("SignV1 = %s, want %s", sig, want)
	}
}

const pspVectorBody = `{"merchant_id":"f23eb3a856284d0a87913e33ed581852","order_no":"td0bhyp3lqm1","transaction_id":"98765434567876","amount":432.98,"currency":"USD","time":1631696419516,"status":1,"user_id":"ewem9cab","sign":""}`

func TestPSPSignVector(t *testing.T) {
	sig, err := crm.PSPSign("demo-crm-pay-token", []byte(pspVectorBody))
	if err != nil {
		t.Fatal(err)
	}
	if want := "6AC7372E7E5BD89D0F1D1DC9B29EC950A0109378"; sig != want {
		t.Errorf("PSPSign = %s, want %s", sig, want)
	}
	// sign itself and empty values are left out.
	withSign := strings.Replace(pspVectorBody, `"sign":""`, `"sign":"whatever","custom_1":""`, 1)
	if again, _ := crm.PSPSign("demo-crm-pay-token", []byte(withSign)); again != sig {
		t.Errorf("PSPSign with sign/empty members = %s, want %s", again, sig)
	}
}

func TestWebhookSignatureVectors(t *testing.T) {
	tests := []struct{ secret, body, want string }{
		{"It's a Secret to Everybody", "Hello, World!", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"},
		{"whsec-demo", `{"id":"ab12cd34"}`, "a1977af226c5753406051c4d8cdc36f0791777002ad77585834a9043b8d0b058"},
	}
	for _, tt := range tests {
		if got := crm.WebhookSignature(tt.secret, []byte(tt.body)); got != tt.want {
			t.Errorf("WebhookSignature(%q) = %s, want %s", tt.secret, got, tt.want)
		}
	}
}

// referenceSign runs the Python reference signer of testdata on a batch of
// [mode, key, body] triples.
func referenceSign(t *testing.T, batch [][3]string) []string {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not on PATH")
	}
	in, _ := json.Marshal(batch)
	cmd := exec.Command("python3", "testdata/reference_signer.py", "--batch")
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("reference signer: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(batch) {
		t.Fatalf("reference signer gave %d answers for %d inputs", len(lines), len(batch))
	}
	return lines
}

func TestSignaturesMatchPythonReference(t *testing.T) {
	bodies := []string{
		`{"id":"ab12cd34"}`,
		`{"id": "ab12cd34", "comment": "KYC 未通过"}`,
		`{"user_id":"ab12cd34","currency":"USD","amount":-12.5,"order_id":"0123456789abcdef"}`,
		`{"b":true,"a":null,"c":{"x":1},"d":[1,"2"],"e":""}`,
		pspVectorBody,
	}
	var batch [][3]string
	var got []string
	for _, b := range bodies {
		body := []byte(b)
		v1, _ := crm.SignV1("k-1", body)
		psp, _ := crm.PSPSign("tok", body)
		batch = append(batch, [3]string{"v2", "k-1", b}, [3]string{"webhook", "s", b}, [3]string{"v1", "k-1", b}, [3]string{"psp", "tok", b})
		got = append(got, crm.SignV2("k-1", body), crm.WebhookSignature("s", body), v1, psp)
	}
	want := referenceSign(t, batch)
	for i := range batch {
		if got[i] != want[i] {
			t.Errorf("%s %s: Go %s, python %s", batch[i][0], batch[i][2], got[i], want[i])
		}
	}
}

// TestVerifier exercises the auth rules against the running emulator.
func TestVerifier(t *testing.T) {
	e := newEnv(t)
	key := e.creds.APIKey
	body := []byte(`{"user_id":"zzzzzzzz"}`)
	v2 := crm.SignV2(key, body)
	v1, _ := crm.SignV1(key, body)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name       string
		method     string
		path       string
		body       []byte
		header     http.Header
		wantStatus int
		wantType   string
	}{
		{"GET without key", "GET", "/public/v1/form/registration/trader", nil, h(), 403, "invalid_api_key"},
		{"GET unknown key", "GET", "/public/v1/form/registration/trader", nil, h("key", "nope"), 403, "invalid_api_key"},
		{"GET with key needs no signature", "GET", "/public/v1/form/registration/trader", nil, h("key", key), 200, ""},
		{"POST without signature", "POST", "/public/v1/users/downlines", body, h("key", key), 403, "invalid_signature"},
		{"POST wrong signature", "POST", "/public/v1/users/downlines", body, h("key", key, "signature", "sha256="+strings.Repeat("0", 64)), 403, "invalid_signature"},
		{"POST uppercase hex", "POST", "/public/v1/users/downlines", body, h("key", key, "signature", "sha256="+strings.ToUpper(v2[7:])), 403, "invalid_signature"},
		{"POST without prefix", "POST", "/public/v1/users/downlines", body, h("key", key, "signature", v2[7:]), 403, "invalid_signature"},
		{"POST v1 in v2 mode", "POST", "/public/v1/users/downlines", body, h("key", key, "signature", v1), 403, "invalid_signature"},
		{"POST v2 ok reaches handler", "POST", "/public/v1/users/downlines", body, h("key", key, "signature", v2), 400, "user_not_found"},
		{"signature of another body", "POST", "/public/v1/users/downlines", []byte(`{"user_id": "zzzzzzzz"}`), h("key", key, "signature", v2), 403, "invalid_signature"},
		{"key checked before signature", "POST", "/public/v1/users/downlines", body, h("key", "nope", "signature", v2), 403, "invalid_api_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.raw(t, tt.method, tt.path, tt.body, tt.header)
			if a.Status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", a.Status, tt.wantStatus, a.Body)
			}
			if tt.wantType != "" {
				if got := a.errType(t); got != tt.wantType {
					t.Errorf("type %q, want %q", got, tt.wantType)
				}
				if tt.wantStatus == 403 && a.Header.Get("X-Fakeprovider-Auth-Error") == "" {
					t.Errorf("no explain header on an auth failure")
				}
			}
		})
	}
}

func TestAuthModes(t *testing.T) {
	e := newEnv(t)
	key := e.creds.APIKey
	body := []byte(`{"user_id":"zzzzzzzz"}`)
	v2 := crm.SignV2(key, body)
	v1, _ := crm.SignV1(key, body)
	tests := []struct {
		mode       string
		v1Ok, v2Ok bool
	}{
		{"v2", false, true},
		{"v1", true, false},
		{"both", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			e.control(t, "PUT", "/settings/auth-mode", map[string]string{"mode": tt.mode}, nil)
			for _, c := range []struct {
				sig string
				ok  bool
			}{{v1, tt.v1Ok}, {v2, tt.v2Ok}} {
				a := e.raw(t, "POST", "/public/v1/users/downlines", body, http.Header{"Key": {key}, "Signature": {c.sig}})
				want := "invalid_signature"
				if c.ok {
					want = "user_not_found"
				}
				if got := a.errType(t); got != want {
					t.Errorf("mode %s signature %s: %s, want %s", tt.mode, c.sig, got, want)
				}
			}
		})
	}
	if st := e.h.Control("PUT", "/crm/settings/auth-mode", map[string]string{"mode": "v3"}, nil); st != 400 {
		t.Errorf("bad mode: status %d", st)
	}
}

func TestTenantIsolation(t *testing.T) {
	e := newEnv(t)
	id := e.createClient(t, "iso@example.com")
	other := e.h.NewTenant()
	var out struct {
		CRM crm.Credentials `json:"crm"`
	}
	e.h.Control("GET", "/credentials?tenant="+other, nil, &out)
	if out.CRM.APIKey == "" || out.CRM.APIKey == e.creds.APIKey || len(out.CRM.APIKey) != 32 {
		t.Fatalf("other tenant's credentials %+v", out.CRM)
	}
	must(t, e.call(t, "GET", "/public/v1/users/"+id, nil), 200)
	if typ := must(t, e.callAs(t, &out.CRM, "GET", "/public/v1/users/"+id, nil), 400).errType(t); typ != "user_not_found" {
		t.Fatalf("other tenant sees the client: %s", typ)
	}
	var list struct{ Count int }
	must(t, e.callAs(t, &out.CRM, "GET", "/public/v1/users?skip=0&limit=10", nil), 200).decode(t, &list)
	if list.Count != 0 {
		t.Fatalf("other tenant lists %d clients", list.Count)
	}
	// The default tenant's signature does not authenticate the other key.
	body := []byte(`{"user_id":"abcd1234"}`)
	a := e.raw(t, "POST", "/public/v1/users/downlines", body, http.Header{"Key": {out.CRM.APIKey}, "Signature": {crm.SignV2(e.creds.APIKey, body)}})
	if a.errType(t) != "invalid_signature" {
		t.Fatalf("cross-tenant signature: %s", a.Body)
	}
}
