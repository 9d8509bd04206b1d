package crm_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// env is a running emulator with the CRM provider and its default tenant.
type env struct {
	// url is the emulator's base URL (the harness or a real binary).
	url   string
	h     *platformtest.Harness
	p     *crm.Provider
	creds *crm.Credentials
}

func newEnv(t testing.TB, opts ...platformtest.Option) *env {
	t.Helper()
	p := crm.New()
	h := platformtest.New(t, []platform.Provider{p}, opts...)
	return &env{url: h.URL, h: h, p: p, creds: h.Credentials("crm").(*crm.Credentials)}
}

// answer is a raw HTTP answer.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.Body, v); err != nil {
		t.Fatalf("decode %s: %v", a.Body, err)
	}
}

// errType returns the type of a CRM error answer.
func (a answer) errType(t *testing.T) string {
	t.Helper()
	var e struct {
		Error bool   `json:"error"`
		Code  int    `json:"code"`
		Type  string `json:"type"`
	}
	a.decode(t, &e)
	if !e.Error || e.Code != a.Status {
		t.Fatalf("not a CRM error envelope (status %d): %s", a.Status, a.Body)
	}
	return e.Type
}

// raw sends a request with the given headers and exact body.
func (e *env) raw(t *testing.T, method, path string, body []byte, header http.Header) answer {
	t.Helper()
	h := header.Clone()
	if len(body) > 0 {
		if h == nil {
			h = http.Header{}
		}
		h.Set("Content-Type", "application/json")
	}
	a := platformtest.Send(t, method, e.url+"/crm"+path, body, h)
	return answer{Status: a.Status, Header: a.Header, Body: a.Body}
}

// call signs a request as a real client does and sends it; body is JSON
// encoded unless it is []byte or nil.
func (e *env) call(t *testing.T, method, path string, body any) answer {
	t.Helper()
	return e.callAs(t, e.creds, method, path, body)
}

func (e *env) callAs(t *testing.T, creds *crm.Credentials, method, path string, body any) answer {
	t.Helper()
	raw := platformtest.Body(t, body)
	return e.raw(t, method, path, raw, platformtest.SignedHeader(t, e.p, creds, method, e.url+"/crm"+path, raw, time.Now()))
}

// must checks the status of an answer.
func must(t *testing.T, a answer, status int) answer {
	t.Helper()
	if a.Status != status {
		t.Fatalf("status %d, want %d: %s", a.Status, status, a.Body)
	}
	return a
}

// createClient creates a client and returns its id.
func (e *env) createClient(t *testing.T, email string) string {
	t.Helper()
	var out struct {
		ID string `json:"id"`
	}
	must(t, e.call(t, "POST", "/public/v1/users/create", map[string]any{
		"email": email, "password": "Secret123!", "repeat_password": "Secret123!", "update_password": false,
		"form_id": crm.RegistrationFormID,
	}), http.StatusCreated).decode(t, &out)
	return out.ID
}

// createAccount opens an MT5 USD account for a client and returns its login.
func (e *env) createAccount(t *testing.T, userID string) int64 {
	t.Helper()
	var out struct {
		Login int64 `json:"login"`
	}
	must(t, e.call(t, "POST", "/public/v1/users/"+userID+"/mt5/accounts", map[string]any{
		"connection_id": crm.MT5ConnectionID, "group": `real\USD`, "leverage": 100,
	}), http.StatusOK).decode(t, &out)
	return out.Login
}

func (e *env) control(t *testing.T, method, path string, body, out any) {
	t.Helper()
	if st := platformtest.DoJSON(t, method, e.url+"/_fakeprovider/crm"+path, body, out); st != http.StatusOK {
		t.Fatalf("control %s %s: status %d", method, path, st)
	}
}

var timeZero = time.Time{}

func platformWriter(t *testing.T, _ *env) platform.Writer {
	t.Helper()
	return crm.Writer()
}
