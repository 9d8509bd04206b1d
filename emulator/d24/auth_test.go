package d24_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
)

const (
	v1Key   = "gUfmqFBEGvIemZhzcpkfpBMcHhyoXUxFp"
	v1Date  = "2020-06-21T12:33:20Z"
	v1Login = "gFNQnUZXSE"
	v1Body  = `{"invoice_id":"1000000001","amount":100,"country":"BR","currency":"BRL","payment_method":"IX","payer":{"document":"84932568207","first_name":"Ricardo","last_name":"Carlos","email":"ricardo@example.com"}}`
	v5Body  = `{"login":"cashout_login","pass":"cashout_pass","external_id":"30000000001","country":"BR","currency":"BRL","amount":100,"document_id":"01716001340","beneficiary_name":"User","bank_account":"3423422-7","bank_code":"001","bank_branch":"1234","account_type":"C","notification_url":"https://webhook.site/url","type":"json"}`
	v6Body  = `{"login":"cashout_login","pass":"cashout_pass","cashout_id":11954}`
)

// TestSpecVectors checks the spec's literal vectors V1–V8.
func TestSpecVectors(t *testing.T) {
	for _, tc := range []struct {
		name, got, want string
	}{
		{"V1 deposit POST", d24.SignDeposit(v1Key, v1Date, v1Login, []byte(v1Body)), "a5d7cf30040452069f8c1a84eca850665169c2146b41e06f2561eb86c8f4f859"},
		{"V2 GET status", d24.SignDeposit(v1Key, v1Date, v1Login, nil), "5635101712c2965158b2b40e554d5fb5b3362fcc06d4241bd2d7e2104ccf7815"},
		{"V3 refund POST", d24.SignDeposit(v1Key, "2020-06-21T12:33:21Z", v1Login, []byte(`{"deposit_id":300000001,"invoice_id":"1000000001","amount":50.5}`)), "49fadce2abe4bd4334f2f619c542192ba8f47cf879528a5feac2502f37eac7fd"},
		{"V4 UTF-8 body", d24.SignDeposit(v1Key, v1Date, v1Login, []byte(`{"payer":{"first_name":"João"}}`)), "6255205e1483a99fc9a9267ff09a3861c2f86661ce18e0f0b91a1fb7593e3d04"},
		{"V5 cashout create", d24.SignPayload("cashout_secret_key", []byte(v5Body)), "a8bbe1d66477386150451cb0957f4d17978a0eafa77d6a314187a69b57570de3"},
		{"V6 cashout status", d24.SignPayload("cashout_secret_key", []byte(v6Body)), "db96878e3d4066e680a1dbebc977546276e1427aefbe14ead1b410a76d45cc60"},
		{"V7 cashout control", d24.NotificationControl("your_cashout_api_signature", "cashoutID1234"), "DDD345FB66A8053FBB69E0DBCACFDE5F63CA05140C3A2C446B7A0E4118F8BA1D"},
		{"V8 deposit notification", d24.SignDeposit(v1Key, v1Date, v1Login, []byte(`{"deposit_id":300000001}`)), "781a00b4c728b81d6ec9aecfbcd92b3b5036f594a636f61b45fce7933e56af97"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got, tc.want)
		}
	}
	// V9: the read-only scheme is the literal key.
	if c := d24.DefaultCredentials(); c.ReadOnlyKey != "EgIECaVuyW" || c.Login != v1Login || c.SecretKey != v1Key {
		t.Errorf("default credentials %+v do not carry the spec's vector keys", c)
	}
}

// TestPythonReferenceSigner compares the Go signer with an independent
// Python one over varied inputs.
func TestPythonReferenceSigner(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH")
	}
	type in struct {
		Kind       string `json:"kind"`
		Key        string `json:"key"`
		XDate      string `json:"x_date,omitempty"`
		XLogin     string `json:"x_login,omitempty"`
		Body       string `json:"body"`
		ExternalID string `json:"external_id,omitempty"`
	}
	cases := []in{
		{Kind: "deposit", Key: v1Key, XDate: v1Date, XLogin: v1Login, Body: v1Body},
		{Kind: "deposit", Key: "k", XDate: "2026-01-01T00:00:00Z", XLogin: "L", Body: ""},
		{Kind: "deposit", Key: "ñ-key", XDate: "2026-11-25T07:00:00Z", XLogin: "abcDEF1234", Body: `{"payer":{"first_name":"Zoë","last_name":"O'Brien \/ x"}}`},
		{Kind: "deposit", Key: "cashout_secret_key", XDate: v1Date, XLogin: "cashout_login", Body: `[{"pix":"29318456719"},{"pix":"ana@example.com"}]`},
		{Kind: "payload", Key: "cashout_secret_key", Body: v5Body},
		{Kind: "payload", Key: "s", Body: `{"login":"a", "pass":"b"}`},
		{Kind: "control", Key: "your_cashout_api_signature", ExternalID: "cashoutID1234"},
		{Kind: "control", Key: "x", ExternalID: "ext-ü-1"},
	}
	var stdin bytes.Buffer
	for _, c := range cases {
		line, _ := json.Marshal(c)
		stdin.Write(append(line, '\n'))
	}
	cmd := exec.Command(py, "testdata/d24sign.py")
	cmd.Stdin = &stdin
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python signer: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("python gave %d lines for %d cases", len(lines), len(cases))
	}
	for i, c := range cases {
		var got string
		switch c.Kind {
		case "deposit":
			got = d24.SignDeposit(c.Key, c.XDate, c.XLogin, []byte(c.Body))
		case "payload":
			got = d24.SignPayload(c.Key, []byte(c.Body))
		case "control":
			got = d24.NotificationControl(c.Key, c.ExternalID)
		}
		if got != lines[i] {
			t.Errorf("case %d (%s): Go %s, Python %s", i, c.Kind, got, lines[i])
		}
	}
}
