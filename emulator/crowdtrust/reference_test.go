package crowdtrust_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	ct "github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"time"
)

// pythonSign signs a request with testdata/sign.py.
func pythonSign(t *testing.T, method, path, date string, kp ct.KeyPair, mode string, body []byte) http.Header {
	t.Helper()
	args := []string{"testdata/sign.py", method, path, date, kp.APIKey, kp.SecretKey, mode}
	if len(body) > 0 {
		f := filepath.Join(t.TempDir(), "body")
		if err := os.WriteFile(f, body, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	out, err := exec.Command("python3", args...).Output()
	if err != nil {
		t.Fatalf("sign.py: %v", err)
	}
	h := http.Header{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, value, _ := strings.Cut(line, ": ")
		h.Set(name, strings.TrimSuffix(value, "\r"))
	}
	return h
}

// TestPythonReferenceSigner: requests signed by an independent Python
// signer, in both key modes, are accepted; the same requests tampered with
// are refused.
func TestPythonReferenceSigner(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not on PATH")
	}
	e := start(t)
	creds := e.defaultCreds()
	date := e.clock.now().Format(http.TimeFormat)
	body := []byte(`{"firstName":"Ana","lastName":"Díaz","ssn":"123456789","dateOfBirth":"1990-02-28","regulationType":"A","platformName":"Reg A+ Portal"}`)
	for _, mode := range []string{"raw", "b64"} {
		h := pythonSign(t, "POST", "/bacapi/test/checks", date, creds.Test, mode, body)
		if want := ct.SignedHeaders("POST", "/bacapi/test/checks", body, creds.Test, date); mode == "raw" && h.Get("Authorization") != want.Get("Authorization") {
			t.Errorf("Go signer %q != Python signer %q", want.Get("Authorization"), h.Get("Authorization"))
		}
		a := e.send("POST", "/bacapi/test/checks", body, h)
		mustStatus(t, a, 200)
		var c ct.CheckView
		a.json(t, &c)
		if c.SSN != "***-**-6789" {
			t.Errorf("ssn %q", c.SSN)
		}
		get := pythonSign(t, "GET", "/bacapi/test/checks/"+c.SearchID, date, creds.Test, mode, nil)
		mustStatus(t, e.send("GET", "/bacapi/test/checks/"+c.SearchID, nil, get), 200)

		tampered := append([]byte{}, body...)
		tampered[len(tampered)-3] = 'X'
		mustStatus(t, e.send("POST", "/bacapi/test/checks", tampered, h), 403)
		e.clock.set(e.clock.now().Add(20 * time.Minute))
		mustStatus(t, e.send("GET", "/bacapi/test/checks/"+c.SearchID, nil, get), 403)
		e.clock.set(e.clock.now().Add(-20 * time.Minute))
	}
	// The Python signer agrees with the published vectors.
	for _, v := range ct.Vectors {
		h := pythonSign(t, v.Method, v.Path, v.Date, v.Key, "raw", []byte(v.Body))
		if got := h.Get("Authorization"); got != v.Key.APIKey+":"+v.Raw {
			t.Errorf("%s: python %q, want %q", v.Name, got, v.Raw)
		}
	}
}
