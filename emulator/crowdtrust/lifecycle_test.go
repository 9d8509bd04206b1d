package crowdtrust_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	ct "github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
	"github.com/fakeprovider/fakeprovider/internal/scenario"
)

// TestMagicInputs: the built-in scenarios select each outcome by the SSN's
// last four digits.
func TestMagicInputs(t *testing.T) {
	e := start(t)
	rcv := platformtest.NewReceiver(t)
	if st := e.h.Control("POST", "/crowdtrust/accounts/main/webhook", map[string]string{"webhook": rcv.URL}, nil); st != 200 {
		t.Fatalf("set webhook: %d", st)
	}
	kp := e.defaultCreds().Test
	submit := func(ssn string, work bool) string {
		a := e.signed("POST", "/bacapi/test/checks", checkBody(ssn, work), kp)
		mustStatus(t, a, 200)
		var c ct.CheckView
		a.json(t, &c)
		return c.SearchID
	}
	get := func(id string) ct.CheckView {
		var c ct.CheckView
		a := e.signed("GET", "/bacapi/test/checks/"+id, nil, kp)
		mustStatus(t, a, 200)
		a.json(t, &c)
		return c
	}
	pass := submit("123-45-6789", false)
	passWork := submit("123456789", true)
	fail := submit("123-45-0000", false)
	delayedPass := submit("123-45-1111", false)
	errored := submit("123-45-3333", false)
	pending := submit("123-45-4444", false)
	e.h.Advance(0)
	for _, tc := range []struct {
		id, status, pass, date string
	}{
		{pass, ct.StatusComplete, "true", "null"},
		{passWork, ct.StatusCompleteWorkHis, "true", "null"},
		{fail, ct.StatusComplete, "false", "2014-01-15"},
		{delayedPass, ct.StatusPending, "null", "null"},
		{errored, ct.StatusPending, "null", "null"},
		{pending, ct.StatusPending, "null", "null"},
	} {
		if c := get(tc.id); c.Status != tc.status || c.BadActorCheckPass != tc.pass || c.DisqualifyingEventDate != tc.date {
			t.Errorf("check %s at once: %+v, want %s/%s/%s", tc.id, c, tc.status, tc.pass, tc.date)
		}
	}
	e.h.Advance(72 * time.Hour)
	if c := get(delayedPass); c.Status != ct.StatusComplete || c.BadActorCheckPass != "true" {
		t.Errorf("1111 after 3 days: %+v", c)
	}
	if c := get(errored); c.Status != ct.StatusError || c.BadActorCheckPass != "null" {
		t.Errorf("3333 after 1h: %+v", c)
	}
	if c := get(pending); c.Status != ct.StatusPending {
		t.Errorf("4444 after 3 days: %+v", c)
	}
	rcv.WaitFor(t, 5, 5*time.Second)
	var done ct.Check
	if st := e.h.Control("POST", "/crowdtrust/checks/"+pending+"/complete", map[string]string{"pass": "false", "disqualifyingEventDate": "2019-05-05"}, &done); st != 200 {
		t.Fatalf("complete: %d", st)
	}
	if c := get(pending); c.Status != ct.StatusComplete || c.BadActorCheckPass != "false" || c.DisqualifyingEventDate != "2019-05-05" {
		t.Errorf("4444 after control: %+v", c)
	}
	rcv.WaitFor(t, 6, 5*time.Second)
	if st := e.h.Control("POST", "/crowdtrust/checks/"+pending+"/complete", map[string]string{"pass": "maybe"}, nil); st != 400 {
		t.Errorf("bad pass: %d", st)
	}
	if st := e.h.Control("POST", "/crowdtrust/checks/999999/error", nil, nil); st != 404 {
		t.Errorf("unknown check: %d", st)
	}
}

// TestWebhookRetries: a failing receiver is retried on the documented
// schedule, in scenario time.
func TestWebhookRetries(t *testing.T) {
	e := start(t)
	rcv := platformtest.NewReceiver(t)
	rcv.SetStatus(500)
	e.h.Control("POST", "/crowdtrust/accounts/main/webhook", map[string]string{"webhook": rcv.URL}, nil)
	mustStatus(t, e.signed("POST", "/bacapi/test/checks", checkBody("123-45-6789", false), e.defaultCreds().Test), 200)
	e.h.Advance(0)
	rcv.WaitFor(t, 1, 5*time.Second)
	e.h.Advance(time.Minute)
	rcv.WaitFor(t, 2, 5*time.Second)
	rcv.SetStatus(200)
	e.h.Advance(10 * time.Minute)
	rcv.WaitFor(t, 3, 5*time.Second)
	e.h.Advance(2 * time.Hour)
	if n := len(rcv.Requests()); n != 3 {
		t.Errorf("deliveries after success: %d", n)
	}
}

// TestTenantIsolation: an account created with a token of another tenant
// belongs to that tenant; its checks are invisible to the default tenant.
func TestTenantIsolation(t *testing.T) {
	e := start(t)
	other := e.h.NewTenant()
	keys := e.createAccount(t, other, "a@b.example", "")
	kp := ct.KeyPair{APIKey: keys.TestAPIKey, SecretKey: keys.TestSecretKey}
	a := e.signed("POST", "/bacapi/test/checks", checkBody("123-45-4444", false), kp)
	mustStatus(t, a, 200)
	var c ct.CheckView
	a.json(t, &c)
	mustStatus(t, e.signed("GET", "/bacapi/test/checks/"+c.SearchID, nil, e.defaultCreds().Test), 404)
	var accounts []ct.Account
	e.h.Control("GET", "/crowdtrust/accounts?tenant="+other, nil, &accounts)
	if len(accounts) != 1 || accounts[0].Email != "a@b.example" {
		t.Fatalf("accounts of %s: %+v", other, accounts)
	}
	e.h.Control("GET", "/crowdtrust/accounts", nil, &accounts)
	if len(accounts) != 0 {
		t.Fatalf("default tenant accounts: %+v", accounts)
	}
}

// TestAccountCreation covers the tosToken rules and field validation.
func TestAccountCreation(t *testing.T) {
	e := start(t)
	var tok ct.TosToken
	e.h.Control("POST", "/crowdtrust/tos-tokens", map[string]string{"token": "8a7gh3k4"}, &tok)
	post := func(body string) answer {
		return e.send("POST", "/bacapi/account", []byte(body), http.Header{"Content-Type": {"application/json"}})
	}
	for _, tc := range []struct{ name, body, want string }{
		{"malformed", `{"email":`, `{"status":400,"message":"Invalid Input"}`},
		{"array", `[]`, `{"status":400,"message":"Invalid Input","details":{"field":"body","cause":"The request body must be a JSON object"}}`},
		{"no token", `{"email":"a@b.co","organizationName":"X"}`, `{"status":400,"message":"Invalid Input","details":{"field":"tosToken","cause":"The tosToken field is required"}}`},
		{"bad email", `{"email":"nope","tosToken":"8a7gh3k4","organizationName":"X"}`, `{"status":400,"message":"Invalid Input","details":{"field":"email","cause":"The provided email is invalid"}}`},
		{"email number", `{"email":5}`, `{"status":400,"message":"Invalid Input","details":{"field":"email","cause":"The provided email must be a string"}}`},
		{"bad token", `{"email":"a@b.co","tosToken":"ABC","organizationName":"X"}`, `{"status":400,"message":"Invalid Input","details":{"field":"tosToken","cause":"The provided tosToken is invalid"}}`},
		{"unissued token", `{"email":"a@b.co","tosToken":"zzzzzzzz","organizationName":"X"}`, `{"status":400,"message":"Invalid Input","details":{"field":"tosToken","cause":"The provided tosToken is invalid"}}`},
		{"no organization", `{"email":"a@b.co","tosToken":"8a7gh3k4"}`, `{"status":400,"message":"Invalid Input","details":{"field":"organizationName","cause":"The organizationName field is required"}}`},
		{"http webhook", `{"email":"a@b.co","tosToken":"8a7gh3k4","organizationName":"X","webhook":"http://example.com/h"}`, `{"status":400,"message":"Invalid Input","details":{"field":"webhook","cause":"The webhook url must be over SSL (https)"}}`},
	} {
		a := post(tc.body)
		if a.status != 400 || string(a.body) != tc.want {
			t.Errorf("%s: %d %s, want %s", tc.name, a.status, a.body, tc.want)
		}
	}
	ok := `{"email":"a@b.co","tosToken":"8a7gh3k4","organizationName":"X","webhook":"https://hooks.example.com/ct"}`
	mustStatus(t, post(ok), 200)
	a := post(ok)
	if string(a.body) != `{"status":400,"message":"Invalid Input","details":{"field":"tosToken","cause":"The provided tosToken has already been used"}}` {
		t.Errorf("reused token: %s", a.body)
	}
	e.h.Control("POST", "/crowdtrust/tos-tokens", map[string]string{"token": "ce84db50"}, nil)
	// No source says an email may hold one account only: a second is made.
	mustStatus(t, post(`{"email":"A@b.co","tosToken":"ce84db50","organizationName":"Y"}`), 200)
	// The dev flag accepts any well-formed token, for the default tenant.
	e.p.SetAnyTosToken(true)
	mustStatus(t, post(`{"email":"c@d.co","tosToken":"q1w2e3r4","organizationName":"Z"}`), 200)
	var accounts []ct.Account
	e.h.Control("GET", "/crowdtrust/accounts", nil, &accounts)
	if len(accounts) != 3 {
		t.Errorf("accounts: %d", len(accounts))
	}
}

// TestScenarioFilesParse: every built-in scenario file is valid for this
// provider's events.
func TestScenarioFilesParse(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/crowdtrust/*.yaml")
	if err != nil || len(files) < 6 {
		t.Fatalf("scenario files: %v %v", files, err)
	}
	events := map[string]map[string]string{ct.Name: {ct.EventCheckCreated: ct.KindCheck}}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := scenario.Parse(f, raw, events); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestStateHoldsNoSSN: the stored check has only the masked SSN.
func TestStateHoldsNoSSN(t *testing.T) {
	e := start(t)
	mustStatus(t, e.signed("POST", "/bacapi/test/checks", checkBody("987-65-4321", false), e.defaultCreds().Test), 200)
	var checks []json.RawMessage
	e.h.Control("GET", "/crowdtrust/checks", nil, &checks)
	if len(checks) != 1 {
		t.Fatalf("checks: %d", len(checks))
	}
	var c ct.Check
	if err := json.Unmarshal(checks[0], &c); err != nil || c.SSN != "***-**-4321" || c.SSNLast4 != "4321" {
		t.Fatalf("stored: %s", checks[0])
	}
}

// TestCreateAnswersImmediateResult: the default scenario completes a check
// inside the create, so the POST answer already carries the result, as the
// documented example shows; a delayed scenario answers Pending.
func TestCreateAnswersImmediateResult(t *testing.T) {
	e := start(t)
	kp := e.defaultCreds().Test
	for _, tc := range []struct{ ssn, status, pass string }{
		{"123-45-6789", ct.StatusComplete, "true"},
		{"123-45-0000", ct.StatusComplete, "false"},
		{"123-45-1111", ct.StatusPending, "null"},
	} {
		a := e.signed("POST", "/bacapi/test/checks", checkBody(tc.ssn, false), kp)
		mustStatus(t, a, 200)
		var c ct.CheckView
		a.json(t, &c)
		if c.Status != tc.status || c.BadActorCheckPass != tc.pass {
			t.Errorf("ssn %s: POST answered %s/%s, want %s/%s", tc.ssn, c.Status, c.BadActorCheckPass, tc.status, tc.pass)
		}
	}
}
