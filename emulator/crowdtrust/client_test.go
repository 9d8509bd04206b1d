package crowdtrust_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	ct "github.com/fakeprovider/fakeprovider/emulator/crowdtrust"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// TestExamplesWithSignRequest runs every Example, signed by SignRequest,
// against the emulator, at the real paths and under the /crowdtrust prefix.
func TestExamplesWithSignRequest(t *testing.T) {
	e := start(t)
	for _, prefix := range []string{"", "/crowdtrust"} {
		answers := map[string]map[string]any{}
		for _, ex := range e.p.Examples() {
			path := ex.Path
			if ex.From != "" {
				id, _ := answers[ex.From][ex.IDField].(string)
				if id == "" {
					t.Fatalf("%s: no %s in %v", ex.Name, ex.IDField, answers[ex.From])
				}
				path = strings.ReplaceAll(path, "{id}", id)
			}
			req, _ := http.NewRequest(ex.Method, e.h.URL+prefix+path, bytes.NewReader(ex.Body))
			if len(ex.Body) == 0 {
				req.Body = http.NoBody
			}
			if err := e.p.SignRequest(req, ex.Body, e.defaultCreds(), e.clock.now()); err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("%s%s: %d %s (%s)", prefix, ex.Name, resp.StatusCode, raw, resp.Header.Get(platform.ExplainHeader))
			}
			var v map[string]any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatalf("%s: %s", ex.Name, raw)
			}
			answers[ex.Name] = v
		}
	}
	if err := e.p.SignRequest(&http.Request{}, nil, "nope", e.clock.now()); err == nil {
		t.Error("SignRequest accepted foreign credentials")
	}
}

func TestSignCommand(t *testing.T) {
	p := ct.New()
	creds := p.Credentials().Default()
	var out bytes.Buffer
	v := ct.Vectors[1]
	err := p.SignCommand([]string{"-body", v.Body, "-date", v.Date, "/bacapi/checks"}, creds, &out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Date: " + v.Date, "Content-Type: application/json", "Content-MD5: " + v.MD5,
		"Authorization: a1b2c3d4e5f6:" + v.Raw, "curl -sS -X POST", "'http://localhost:8080/bacapi/checks'",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	v4 := ct.Vectors[3]
	if err := p.SignCommand([]string{"-date", v4.Date, "/bacapi/test/checks/1253"}, creds, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Authorization: 0123456789ab:"+v4.Raw) || strings.Contains(out.String(), "Content-Type") {
		t.Errorf("TEST GET:\n%s", out.String())
	}
	if err := p.SignCommand([]string{"bacapi/checks"}, creds, &out); err == nil {
		t.Error("relative path accepted")
	}
}
