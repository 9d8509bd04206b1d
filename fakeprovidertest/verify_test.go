package fakeprovidertest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/fakeprovidertest"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// A test asserts on what its client sent, with typed credentials, faults,
// scenarios and a receiver that checks webhook signatures.
func TestVerifyHelpers(t *testing.T) {
	t.Parallel()
	tn := fakeprovidertest.Shared(t)
	creds := tn.D24Credentials() // *d24.Credentials, no type assertion
	if creds.Login == "" || tn.CRMCredentials().APIKey == "" || tn.DifitekCredentials().APIKey == "" || tn.CrowdTrustCredentials().Live.APIKey == "" {
		t.Fatal("typed credentials are empty")
	}
	rcv := tn.NewWebhookReceiver()

	// A scenario of this test: the deposit is declined one minute on.
	sc := tn.LoadScenario(fmt.Sprintf(`version: 1
name: verify-decline-%s
provider: d24
on: deposit.created
priority: 50
tenant: %s
steps:
  - after: 1m
    status: DECLINED
`, strings.ReplaceAll(tn.ID, "_", "-"), tn.ID))
	if sc.Provider != "d24" || sc.Source != "runtime" {
		t.Fatalf("scenario %+v", sc)
	}

	body, _ := json.Marshal(map[string]any{"invoice_id": "verify-1", "amount": 100, "country": "BR", "currency": "BRL", "payment_method": "IX",
		"notification_url": rcv.URL + "/d24",
		"payer":            map[string]any{"document": "84932568207", "first_name": "Ricardo", "last_name": "Silva", "email": "r@example.com"}})
	req, _ := http.NewRequest(http.MethodPost, tn.URL("d24")+"/v3/deposits", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if err := tn.Sign(req, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	got := tn.RequireRequest(fakeprovidertest.Filter{Method: "post", Path: "/d24/v3/deposits", Status: "2xx", Auth: "ok"})
	if got.Provider != "d24" || !strings.Contains(got.RequestBody, "verify-1") || len(got.ResponseHeaders) == 0 {
		t.Errorf("journal entry %+v", got)
	}
	tn.RequireRequests(fakeprovidertest.Filter{PathPrefix: "/d24/", Text: "verify-1"}, 1)
	tn.RequireNoRequest(fakeprovidertest.Filter{Auth: "failed"})
	if n := tn.Count(fakeprovidertest.Filter{Provider: "d24"}); n != 1 {
		t.Errorf("count %d", n)
	}

	tn.Advance(2 * time.Minute)
	hooks := rcv.WaitFor(1, 5*time.Second)
	rcv.RequireSigned()
	if hooks[0].Scheme != "d24-deposit" || !hooks[0].SignatureOK || hooks[0].Path != "/d24" {
		t.Errorf("webhook %+v", hooks[0])
	}

	// A forged notification does not verify.
	forged, _ := http.NewRequest(http.MethodPost, rcv.URL+"/d24", strings.NewReader(`{"deposit_id":1}`))
	for k, v := range hooks[0].Header {
		forged.Header[k] = v
	}
	if resp, err := http.DefaultClient.Do(forged); err == nil {
		resp.Body.Close()
	}
	if all := rcv.Received(); len(all) != 2 || all[1].SignatureOK || all[1].SignatureProblem == "" {
		t.Errorf("forged webhook verified: %+v", all[len(all)-1])
	}

	// A fault for this tenant: the next status read fails with 503.
	f := tn.AddFault(fakeprovidertest.Fault{Provider: "d24", Method: "GET", Path: "/v3/deposits/*", Status: 503, Count: 1})
	if f.ID == "" || f.Tenant != tn.ID {
		t.Fatalf("fault %+v", f)
	}
	var deposit struct {
		DepositID int64 `json:"deposit_id"`
	}
	json.Unmarshal([]byte(got.ResponseBody), &deposit)
	get, _ := http.NewRequest(http.MethodGet, tn.URL("d24")+fmt.Sprintf("/v3/deposits/%d", deposit.DepositID), nil)
	tn.Sign(get, nil)
	if resp, err := http.DefaultClient.Do(get); err != nil || resp.StatusCode != 503 {
		t.Errorf("faulted GET: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}
	tn.RequireRequest(fakeprovidertest.Filter{Method: "GET", Status: "503"})

	tn.ClearRequests()
	if n := tn.Count(fakeprovidertest.Filter{}); n != 0 {
		t.Errorf("%d requests after ClearRequests", n)
	}
}

// recordingTB records a Fatal instead of failing the real test.
type recordingTB struct {
	testing.TB
	mu    sync.Mutex
	fatal string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Fatal(args ...any) {
	r.mu.Lock()
	r.fatal = fmt.Sprint(args...)
	r.mu.Unlock()
	runtime.Goexit()
}
func (r *recordingTB) Fatalf(format string, args ...any) { r.Fatal(fmt.Sprintf(format, args...)) }

// URL of a name that is not a provider fails the test instead of
// returning a URL that answers 404 later.
func TestURLOfUnknownProviderFails(t *testing.T) {
	t.Parallel()
	tn := fakeprovidertest.Shared(t)
	rec := &recordingTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		tn.For(rec).URL("stripe")
	}()
	<-done
	if !strings.Contains(rec.fatal, `URL("stripe"): no such provider`) || !strings.Contains(rec.fatal, "d24-card") {
		t.Errorf("URL(stripe): %q", rec.fatal)
	}
	if u := tn.URL("d24-card"); !strings.HasSuffix(u, "/d24-card") {
		t.Errorf("extra host URL %q", u)
	}
}

// A tenant can be deleted; its credentials stop working.
func TestDeleteTenant(t *testing.T) {
	t.Parallel()
	tn := fakeprovidertest.Shared(t).NewTenant()
	tn.Delete()
	for _, id := range []string{tn.ID} {
		resp, err := http.Get(tn.URL("") + "/_fakeprovider/credentials?tenant=" + id)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("deleted tenant's credentials: %d", resp.StatusCode)
		}
	}
}

// POST /_fakeprovider/scenarios refuses a status the provider does not
// take, with every problem and its line, instead of failing at run time.
func TestLoadScenarioChecksMeaning(t *testing.T) {
	t.Parallel()
	tn := fakeprovidertest.Shared(t)
	resp, err := http.Post(tn.URL("")+"/_fakeprovider/scenarios", "application/yaml", strings.NewReader(
		"version: 1\nname: meaning-x\nprovider: d24\non: deposit.created\npriority: 5\nsteps:\n  - after: 1m\n    status: DECLINEDX\n  - status: NOPE\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct{ Message string }
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 422 || !strings.Contains(e.Message, `request:7: status "DECLINEDX"`) || !strings.Contains(e.Message, `request:9: status "NOPE"`) {
		t.Errorf("load: %d %q", resp.StatusCode, e.Message)
	}
}

// The helpers work the same against an emulator in another process (the
// real binary), as they do against a container.
func TestVerifyHelpersAgainstBinary(t *testing.T) {
	t.Parallel()
	p := platformtest.StartBinary(t)
	srv := fakeprovidertest.Connect(t, p.URL)
	tn := srv.NewTenant()
	if tn.CRMCredentials().APIKey == "" || tn.D24Credentials().Login == "" {
		t.Fatal("typed credentials over the wire are empty")
	}
	req, _ := http.NewRequest(http.MethodGet, tn.URL("crm")+"/public/v1/users?skip=0&limit=5", nil)
	if err := tn.Sign(req, nil); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := tn.RequireRequest(fakeprovidertest.Filter{Provider: "crm", Method: "GET", Status: "200"})
	if got.Tenant != tn.ID || tn.Count(fakeprovidertest.Filter{}) != 1 {
		t.Errorf("journal over the wire: %+v", got)
	}
	f := tn.AddFault(fakeprovidertest.Fault{Provider: "crm", Status: 500, Count: 1})
	if len(tn.Faults()) == 0 {
		t.Error("no faults listed")
	}
	tn.RemoveFault(f.ID)
	tn.ClearRequests()
	tn.RequireNoRequest(fakeprovidertest.Filter{})
	tn.Delete()
}

// A Shared tenant is deleted when its test passes, so a long-running
// emulator does not collect one per test.
func TestSharedTenantDeletedAfterTest(t *testing.T) {
	t.Parallel()
	var id, base string
	t.Run("uses a tenant", func(t *testing.T) {
		tn := fakeprovidertest.Shared(t)
		id, base = tn.ID, tn.URL("")
	})
	resp, err := http.Get(base + "/_fakeprovider/credentials?tenant=" + id)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("the passed test's tenant %s is still there: %d", id, resp.StatusCode)
	}
}
