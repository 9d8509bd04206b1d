package crowdtrust_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ct "github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// binaryClient talks to a running binary, signing with the real wall clock.
type binaryClient struct {
	t    *testing.T
	base string
}

func (c binaryClient) do(method, path string, body []byte, h http.Header) answer {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if len(body) == 0 {
		req.Body = http.NoBody
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: raw}
}

func (c binaryClient) signed(method, path string, body []byte, kp ct.KeyPair) answer {
	c.t.Helper()
	return c.do(method, path, body, ct.SignedHeaders(method, path, body, kp, time.Now().UTC().Format(http.TimeFormat)))
}

func (c binaryClient) advance(d time.Duration) {
	c.t.Helper()
	if st := platformtest.DoJSON(c.t, "POST", c.base+"/_fakeprovider/clock/advance", map[string]string{"by": d.String()}, nil); st != 200 {
		c.t.Fatalf("advance: %d", st)
	}
}

// TestRealBinary is the acceptance flow against the built binary: account,
// billing, a delayed-fail check in LIVE and TEST, webhook, result, PDF,
// byte-identical 403s, and a restart with --data.
func TestRealBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	data := filepath.Join(t.TempDir(), "state.db")
	proc := platformtest.StartBinary(t, "--data", data)
	c := binaryClient{t, strings.TrimSuffix(proc.URL, "/")}
	var creds map[string]json.RawMessage
	platformtest.DoJSON(t, "GET", c.base+"/_fakeprovider/credentials", nil, &creds)
	if _, ok := creds[ct.Name]; !ok {
		t.Skip("the binary does not include the crowdtrust provider yet")
	}
	rcv := platformtest.NewReceiver(t)
	var tok ct.TosToken
	if st := platformtest.DoJSON(t, "POST", c.base+"/_fakeprovider/crowdtrust/tos-tokens", nil, &tok); st != 200 {
		t.Fatalf("token: %d", st)
	}
	body, _ := json.Marshal(map[string]string{"email": "ops@acme.example", "tosToken": tok.Token, "organizationName": "Acme", "webhook": rcv.URL})
	a := c.do("POST", "/bacapi/account", body, http.Header{"Content-Type": {"application/json"}})
	mustStatus(t, a, 200)
	var keys ct.AccountKeys
	a.json(t, &keys)
	live := ct.KeyPair{APIKey: keys.APIKey, SecretKey: keys.SecretKey}
	test := ct.KeyPair{APIKey: keys.TestAPIKey, SecretKey: keys.TestSecretKey}

	mustStatus(t, c.signed("POST", "/bacapi/checks", checkBody("123-45-2222", false), live), 400)
	mustStatus(t, c.signed("POST", "/bacapi/account/billing", []byte(validCard), live), 200)
	ids := map[string]string{}
	for i, tc := range []struct {
		base string
		kp   ct.KeyPair
	}{{"/bacapi", live}, {"/bacapi/test", test}} {
		a = c.signed("POST", tc.base+"/checks", checkBody("123-45-2222", false), tc.kp)
		mustStatus(t, a, 200)
		var chk ct.CheckView
		a.json(t, &chk)
		ids[tc.base] = chk.SearchID
		a = c.signed("GET", tc.base+"/checks/"+chk.SearchID, nil, tc.kp)
		a.json(t, &chk)
		if chk.Status != ct.StatusPending {
			t.Fatalf("%s: not pending: %s", tc.base, a.body)
		}
		c.advance(73 * time.Hour)
		got := rcv.WaitFor(t, i+1, 10*time.Second)
		var hook ct.CheckView
		if err := json.Unmarshal(got[i].Body, &hook); err != nil || hook.SearchID != chk.SearchID || hook.BadActorCheckPass != "false" || hook.SSN != "***-**-2222" {
			t.Fatalf("webhook %s: %v", got[i].Body, err)
		}
		a = c.signed("GET", tc.base+"/checks/"+chk.SearchID, nil, tc.kp)
		mustStatus(t, a, 200)
		a.json(t, &chk)
		if chk.Status != ct.StatusComplete || chk.BadActorCheckPass != "false" {
			t.Fatalf("%s result: %s", tc.base, a.body)
		}
	}
	a = c.signed("GET", "/bacapi/checks/"+ids["/bacapi"]+"/report", nil, live)
	mustStatus(t, a, 200)
	if text := readPDF(t, a.body); !strings.Contains(text, ids["/bacapi"]) {
		t.Fatalf("PDF text: %s", text)
	}
	mustStatus(t, c.signed("GET", "/bacapi/test/checks/"+ids["/bacapi/test"]+"/report", nil, test), 404)

	// Every auth failure variant is the same 403.
	now := time.Now().UTC()
	path := "/bacapi/checks/" + ids["/bacapi"]
	good := ct.SignedHeaders("GET", path, nil, live, now.Format(http.TimeFormat))
	variants := map[string]http.Header{
		"no auth":      {},
		"unknown key":  ct.SignedHeaders("GET", path, nil, ct.KeyPair{APIKey: "ffffffffffff", SecretKey: live.SecretKey}, now.Format(http.TimeFormat)),
		"wrong env":    ct.SignedHeaders("GET", path, nil, test, now.Format(http.TimeFormat)),
		"old date":     ct.SignedHeaders("GET", path, nil, live, now.Add(-time.Hour).Format(http.TimeFormat)),
		"bad date":     ct.SignedHeaders("GET", path, nil, live, "yesterday"),
		"bad sig":      func() http.Header { h := good.Clone(); h.Set("Authorization", live.APIKey+":AAAA"); return h }(),
		"md5 on empty": func() http.Header { h := good.Clone(); h.Set("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="); return h }(),
	}
	for name, h := range variants {
		a = c.do("GET", path, nil, h)
		if a.status != 403 || string(a.body) != forbiddenBody {
			t.Errorf("%s: %d %s", name, a.status, a.body)
		}
	}
	if err := proc.Stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}

	proc2 := platformtest.StartBinary(t, "--data", data)
	c2 := binaryClient{t, strings.TrimSuffix(proc2.URL, "/")}
	a = c2.signed("GET", path, nil, live)
	mustStatus(t, a, 200)
	if !bytes.Contains(a.body, []byte(`"badActorCheckPass":"false"`)) {
		t.Fatalf("after restart: %s", a.body)
	}
	mustStatus(t, c2.signed("GET", "/bacapi/test/checks/"+ids["/bacapi/test"], nil, test), 200)
}
