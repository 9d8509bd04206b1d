package crowdtrust_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ct "github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
	"github.com/ledongthuc/pdf"
)

// createAccount issues a tosToken for tenant and creates an account with it.
func (e *env) createAccount(t *testing.T, tenant, email, webhook string) ct.AccountKeys {
	t.Helper()
	var tok ct.TosToken
	path := "/crowdtrust/tos-tokens"
	if tenant != "" {
		path += "?tenant=" + tenant
	}
	if st := e.h.Control("POST", path, nil, &tok); st != 200 {
		t.Fatalf("issue token: %d", st)
	}
	body, _ := json.Marshal(map[string]string{"email": email, "tosToken": tok.Token, "organizationName": "Acme Funding", "webhook": webhook,
		"firstName": "Jane", "lastName": "Doe", "phone": "240-333-5555"})
	a := e.send("POST", "/bacapi/account", body, http.Header{"Content-Type": {"application/json"}})
	mustStatus(t, a, 200)
	var keys ct.AccountKeys
	a.json(t, &keys)
	if len(keys.APIKey) != 12 || len(keys.TestAPIKey) != 12 || len(keys.SecretKey) != 44 || len(keys.TestSecretKey) != 44 {
		t.Fatalf("key formats: %+v", keys)
	}
	return keys
}

func checkBody(ssn string, work bool) []byte {
	wh := ""
	if work {
		wh = `,"workHistory":[{"company":"Acme Capital","title":"CFO","startDate":"2015-01-05","endDate":""}]`
	}
	return []byte(`{"firstName":"Jack","lastName":"Smith","ssn":"` + ssn + `","dateOfBirth":"1984-07-10","regulationType":"D","platformName":"Reg D Platform"` + wh +
		`,"homeAddresses":[{"address1":"1 Galaxy Way","address2":"","city":"Rockville","state":"MD","zip":"20850"}]}`)
}

const validCard = `{"number":"4242424242424242","exp_month":6,"exp_year":2099,"cvc":"667","name":"John Wayne","address_line1":"1 Galaxy Way","address_city":"Rockville","address_zip":"20850","address_state":"MD","address_country":"US"}`

// delayedFailFlow runs the acceptance flow in one environment: submit a
// delayed-fail check, see it Pending, fast-forward, get the webhook, read
// the result and (LIVE) the PDF.
func delayedFailFlow(t *testing.T, e *env, rcv *platformtest.Receiver, kp ct.KeyPair, base string, seen int) string {
	t.Helper()
	a := e.signed("POST", base+"/checks", checkBody("222-65-2222", true), kp)
	mustStatus(t, a, 200)
	var c ct.CheckView
	a.json(t, &c)
	if c.Status != ct.StatusPending || c.BadActorCheckPass != "null" || c.DisqualifyingEventDate != "null" || c.SSN != "***-**-2222" {
		t.Fatalf("created check: %+v", c)
	}
	if bytes.Contains(a.body, []byte("222-65-2222")) || bytes.Contains(a.body, []byte("222652222")) {
		t.Fatalf("response leaks the SSN: %s", a.body)
	}
	e.h.Advance(time.Hour)
	a = e.signed("GET", base+"/checks/"+c.SearchID, nil, kp)
	mustStatus(t, a, 200)
	a.json(t, &c)
	if c.Status != ct.StatusPending {
		t.Fatalf("after 1h: %+v", c)
	}
	if base == "/bacapi" {
		mustStatus(t, e.signed("GET", base+"/checks/"+c.SearchID+"/report", nil, kp), 404)
	}
	e.h.Advance(3 * 24 * time.Hour)
	got := rcv.WaitFor(t, seen+1, 5*time.Second)
	hook := got[len(got)-1]
	if hook.Method != "POST" || hook.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("webhook %s %v", hook.Method, hook.Header)
	}
	var w ct.CheckView
	if err := json.Unmarshal(hook.Body, &w); err != nil {
		t.Fatalf("webhook body %s: %v", hook.Body, err)
	}
	if w.SearchID != c.SearchID || w.Status != ct.StatusCompleteWorkHis || w.BadActorCheckPass != "false" || w.DisqualifyingEventDate != "2016-03-01" || w.SSN != "***-**-2222" {
		t.Fatalf("webhook check: %s", hook.Body)
	}
	if bytes.Contains(hook.Body, []byte("2222-")) || bytes.Contains(hook.Body, []byte("222-65")) {
		t.Fatalf("webhook leaks the SSN: %s", hook.Body)
	}
	a = e.signed("GET", base+"/checks/"+c.SearchID, nil, kp)
	mustStatus(t, a, 200)
	if !bytes.Equal(a.body, hook.Body) {
		t.Fatalf("GET %s differs from webhook %s", a.body, hook.Body)
	}
	// The raw JSON keeps the real typing: strings everywhere.
	if !bytes.Contains(a.body, []byte(`"badActorCheckPass":"false"`)) || !bytes.Contains(a.body, []byte(`"searchId":"`+c.SearchID+`"`)) {
		t.Fatalf("typing: %s", a.body)
	}
	return c.SearchID
}

// readPDF parses a PDF and returns its text.
func readPDF(t *testing.T, raw []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("parse PDF: %v", err)
	}
	var sb strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		rows, err := p.GetTextByRow()
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		for _, row := range rows {
			for _, w := range row.Content {
				sb.WriteString(w.S)
			}
			sb.WriteString("\n")
		}
	}
	return sb.String()
}

func TestAcceptanceFlow(t *testing.T) {
	data := filepath.Join(t.TempDir(), "state.db")
	e := start(t, platformtest.WithData(data))
	rcv := platformtest.NewReceiver(t)
	keys := e.createAccount(t, "", "ops@acme.example", rcv.URL+"/hooks/crowdtrust")
	live := ct.KeyPair{APIKey: keys.APIKey, SecretKey: keys.SecretKey}
	test := ct.KeyPair{APIKey: keys.TestAPIKey, SecretKey: keys.TestSecretKey}

	// LIVE requires billing first.
	a := e.signed("POST", "/bacapi/checks", checkBody("222-65-2222", true), live)
	mustStatus(t, a, 400)
	if string(a.body) != `{"status":400,"message":"Billing information required"}` {
		t.Fatalf("no billing: %s", a.body)
	}
	a = e.signed("POST", "/bacapi/account/billing", []byte(validCard), live)
	mustStatus(t, a, 200)
	if bytes.Contains(a.body, []byte("4242424242424242")) || bytes.Contains(a.body, []byte("667")) {
		t.Fatalf("billing echoes card data: %s", a.body)
	}
	liveID := delayedFailFlow(t, e, rcv, live, "/bacapi", 0)
	a = e.signed("GET", "/bacapi/checks/"+liveID+"/report", nil, live)
	mustStatus(t, a, 200)
	if a.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("report content type %q", a.header.Get("Content-Type"))
	}
	text := readPDF(t, a.body)
	for _, want := range []string{"Bad Actor Check Report", liveID, "FAIL", "***-**-2222", "2016-03-01", "Jack"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}

	// TEST without billing.
	testID := delayedFailFlow(t, e, rcv, test, "/bacapi/test", 1)
	mustStatus(t, e.signed("GET", "/bacapi/test/checks/"+testID+"/report", nil, test), 404)
	// Each environment's ids are invisible to the other.
	for _, tc := range []struct {
		path string
		kp   ct.KeyPair
	}{{"/bacapi/checks/" + testID, live}, {"/bacapi/test/checks/" + liveID, test}, {"/bacapi/checks/abc", live}, {"/bacapi/checks/999999", live}} {
		a = e.signed("GET", tc.path, nil, tc.kp)
		mustStatus(t, a, 404)
		if string(a.body) != `{"status":404,"message":"This check does not exist"}` {
			t.Fatalf("%s: %s", tc.path, a.body)
		}
	}
	// Another account of the same tenant does not see them either.
	mustStatus(t, e.signed("GET", "/bacapi/checks/"+liveID, nil, e.defaultCreds().Live), 404)

	// Captured e-mails: the keys, and one per completed check.
	var emails []ct.Email
	e.h.Control("GET", "/crowdtrust/emails", nil, &emails)
	if len(emails) != 3 || !strings.Contains(emails[0].Body, keys.TestSecretKey) || emails[0].To != "ops@acme.example" {
		t.Fatalf("emails: %+v", emails)
	}

	// The state dump and the journal never hold the SSN or the card.
	var state, journal json.RawMessage
	e.h.Control("GET", "/state", nil, &state)
	e.h.Control("GET", "/requests", nil, &journal)
	for _, dump := range []json.RawMessage{state, journal} {
		for _, secret := range []string{"222-65-2222", "222652222", "4242424242424242", `"667"`} {
			if bytes.Contains(dump, []byte(secret)) {
				t.Errorf("dump holds %s", secret)
			}
		}
	}

	if !bytes.Contains(journal, []byte("/bacapi/account/billing")) || !bytes.Contains(journal, []byte("[redacted]")) {
		t.Fatalf("the journal has no redacted bodies: %.500s", journal)
	}
	if bytes.Contains(journal, []byte(keys.SecretKey)) || bytes.Contains(journal, []byte(keys.TestSecretKey)) {
		t.Error("the journal holds a secret key")
	}

	// Restart with the same data: accounts, keys and checks survive.
	e.h.Stop()
	e2 := start(t, platformtest.WithData(data))
	a = e2.signed("GET", "/bacapi/checks/"+liveID, nil, live)
	mustStatus(t, a, 200)
	var c ct.CheckView
	a.json(t, &c)
	if c.BadActorCheckPass != "false" {
		t.Fatalf("after restart: %s", a.body)
	}
	mustStatus(t, e2.signed("GET", "/bacapi/checks/"+liveID+"/report", nil, live), 200)
}
