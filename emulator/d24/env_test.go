package d24_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// env talks to an emulator (in-process harness or binary) as a merchant.
type env struct {
	t     testing.TB
	url   string // base URL including any /d24 prefix
	root  string // base URL of the control API
	p     *d24.Provider
	creds *d24.Credentials
	h     *platformtest.Harness
}

func newEnv(t testing.TB, opts ...platformtest.Option) *env {
	p := d24.New()
	h := platformtest.New(t, []platform.Provider{p}, opts...)
	return &env{t: t, url: h.URL + "/d24", root: h.URL, p: p, creds: h.Credentials("d24").(*d24.Credentials), h: h}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

func (a answer) code(t testing.TB) int {
	t.Helper()
	var e struct {
		Code int `json:"code"`
	}
	a.json(t, &e)
	return e.Code
}

// raw sends a request with the given headers.
func (e *env) raw(method, path string, body []byte, header http.Header) answer {
	e.t.Helper()
	a := platformtest.Send(e.t, method, e.url+path, body, header)
	return answer{a.Status, a.Header, a.Body}
}

// signed sends a request signed as the SDKs do (scheme by path).
func (e *env) signed(method, path string, body any, extra ...string) answer {
	e.t.Helper()
	raw := platformtest.Body(e.t, body)
	h := platformtest.SignedHeader(e.t, e.p, e.creds, method, e.url+path, raw, time.Now())
	for i := 0; i+1 < len(extra); i += 2 {
		h.Set(extra[i], extra[i+1])
	}
	return e.raw(method, path, raw, h)
}

func (e *env) control(method, path string, body, out any) int {
	e.t.Helper()
	return platformtest.DoJSON(e.t, method, e.root+"/_fakeprovider"+path, body, out)
}

func (e *env) advance(d time.Duration) {
	e.t.Helper()
	if st := e.control(http.MethodPost, "/clock/advance", map[string]string{"by": d.String()}, nil); st != 200 {
		e.t.Fatalf("advance: %d", st)
	}
}

func (e *env) depositStatus(id int64) string {
	e.t.Helper()
	a := e.signed("GET", "/v3/deposits/"+itoa(id), nil)
	if a.status != 200 {
		e.t.Fatalf("deposit status: %d %s", a.status, a.body)
	}
	var d struct {
		Status string `json:"status"`
	}
	a.json(e.t, &d)
	return d.Status
}

func itoa(n int64) string {
	return strings.TrimSpace(strings.Replace(string(mustJSON(n)), "\n", "", -1))
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// cashoutBody is a valid BR cashout with the default credentials.
func (e *env) cashoutBody(external, beneficiary string) map[string]any {
	return map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass, "external_id": external,
		"country": "BR", "currency": "BRL", "amount": "150.25", "document_id": "84932568207",
		"beneficiary_name": beneficiary, "bank_code": "001", "bank_account": "3423422-7", "bank_branch": "1234",
		"account_type": "C", "notification_url": "http://127.0.0.1:1/none"}
}

func depositBody(invoice, lastName, notify string) map[string]any {
	return map[string]any{"invoice_id": invoice, "amount": 100, "country": "BR", "currency": "BRL", "payment_method": "IX",
		"notification_url": notify,
		"payer":            map[string]any{"document": "84932568207", "first_name": "Ricardo", "last_name": lastName, "email": "r@example.com"}}
}
