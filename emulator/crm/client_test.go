package crm_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

func TestSignCommand(t *testing.T) {
	p := crm.New()
	creds := p.Credentials().Default()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"v2 POST", []string{"-path", "/public/v1/users/downlines", "-body", `{"id":"ab12cd34"}`}, []string{
			"key: test-api-key-123",
			"signature: sha256=5874084a77edbf7e207ca47bb63cbb16de879b5b620647453507741a284bbff5",
			"curl -sS -X POST -H 'key: test-api-key-123'",
		}},
		{"v1", []string{"-v1", "-body", `{"id":"ab12cd34","comment":"Sanitized reason"}`}, []string{
			"signature: 2297D00E0BE4973B305DBA85FA7521C4925D34D6",
		}},
		{"GET has no signature", []string{"-path", "/public/v1/users?skip=0&limit=5"}, []string{
			"key: test-api-key-123\ncurl -sS -X GET -H 'key: test-api-key-123' 'http://localhost:8080/crm/public/v1/users?skip=0&limit=5'",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := p.SignCommand(tt.args, creds, &out); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

// TestExamplesSucceed runs every Example, signed by SignRequest, in order.
func TestExamplesSucceed(t *testing.T) {
	e := newEnv(t)
	answers := map[string]map[string]any{}
	for _, ex := range e.p.Examples() {
		path := ex.Path
		if ex.From != "" {
			id, _ := answers[ex.From][ex.IDField].(string)
			if id == "" {
				t.Fatalf("%s: no %s in %s's answer", ex.Name, ex.IDField, ex.From)
			}
			path = strings.ReplaceAll(path, "{id}", id)
		}
		a := e.call(t, ex.Method, path, ex.Body)
		if a.Status >= 300 {
			t.Fatalf("%s: %d %s", ex.Name, a.Status, a.Body)
		}
		var v map[string]any
		_ = json.Unmarshal(a.Body, &v)
		answers[ex.Name] = v
	}
}

func TestSignRequestPayCallback(t *testing.T) {
	p := crm.New()
	creds := p.Credentials().Default().(*crm.Credentials)
	r, _ := http.NewRequest("POST", "http://x/crm/pay/callback", nil)
	if err := p.SignRequest(r, []byte(`{}`), creds, timeZero); err != nil {
		t.Fatal(err)
	}
	if r.Header.Get("crm-pay-token") != crm.DefaultPSPToken || r.Header.Get("key") != "" {
		t.Fatalf("headers %v", r.Header)
	}
	if err := p.SignRequest(r, nil, "wrong", timeZero); err == nil {
		t.Fatal("wrong credentials type accepted")
	}
}

func TestWriterMapsPlatformErrors(t *testing.T) {
	e := newEnv(t)
	w := platformWriter(t, e)
	tests := []struct {
		err    error
		status int
		typ    string
	}{
		{platform.ErrInternal, 500, "internal_server_error"},
		{platform.ErrBodyTooLarge, 413, "payload_too_large"},
		{platform.ErrNotFound, 404, "not_found"},
		{platform.ErrUnavailable, 503, "service_unavailable"},
		{&platform.FaultError{Status: 502}, 502, "internal_server_error"},
		{&platform.FaultError{Status: 429}, 429, "too_many_requests"},
		{errors.New("boom"), 500, "internal_server_error"},
	}
	for _, tt := range tests {
		out := w.Error(nil, tt.err)
		var body struct {
			Error bool
			Code  int
			Type  string
		}
		if err := json.Unmarshal(out.Body, &body); err != nil || out.Status != tt.status || !body.Error || body.Code != tt.status || body.Type != tt.typ {
			t.Errorf("%v: %d %s", tt.err, out.Status, out.Body)
		}
	}
	raw := w.Error(nil, &platform.FaultError{Status: 500, Body: []byte(`{"x":1}`)})
	if string(raw.Body) != `{"x":1}` || raw.Status != 500 {
		t.Errorf("fault body not verbatim: %s", raw.Body)
	}
}
