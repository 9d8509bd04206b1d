// Package acceptance holds end-to-end tests of platform capabilities
// against the real fakeprovider binary, driven through real providers.
package acceptance

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// userScenario moves a check through three statuses an hour apart.
const userScenario = `version: 1
name: acceptance-three-statuses
description: Error after 1h, back to Pending after 2h, failed Complete after 3h.
provider: crowdtrust
on: check.created
priority: 100
match:
  - {field: lastName, equals: Acceptance}
steps:
  - after: 1h
    status: Error
  - after: 1h
    status: Pending
  - after: 1h
    status: Complete
    fields: {pass: "false", disqualifyingEventDate: "2015-05-05"}
`

// brokenScenario has an unknown key on line 6.
const brokenScenario = `version: 1
name: acceptance-broken
provider: crowdtrust
on: check.created
steps:
  - aftr: 1h
    status: Error
`

type binary struct {
	t    *testing.T
	proc *platformtest.Process
	url  string
}

func start(t *testing.T, args ...string) *binary {
	t.Helper()
	p := platformtest.StartBinary(t, args...)
	return &binary{t: t, proc: p, url: strings.TrimSuffix(p.URL, "/")}
}

func (b *binary) control(method, path string, body, out any) int {
	b.t.Helper()
	return platformtest.DoJSON(b.t, method, b.url+"/_fakeprovider"+path, body, out)
}

// signed sends a CrowdTrust request signed as a real client does, with
// the default tenant's TEST key pair.
func (b *binary) signed(method, path string, body []byte) (int, []byte) {
	b.t.Helper()
	p := crowdtrust.New()
	creds := p.Credentials().Default()
	req, err := http.NewRequest(method, b.url+path, bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := platform.ClientSigner(p).SignRequest(req, body, creds, time.Now()); err != nil {
		b.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func (b *binary) checkStatus(id string) string {
	b.t.Helper()
	code, raw := b.signed(http.MethodGet, "/bacapi/test/checks/"+id, nil)
	if code != http.StatusOK {
		b.t.Fatalf("GET check %s: %d %s", id, code, raw)
	}
	var c struct {
		Status string `json:"status"`
	}
	json.Unmarshal(raw, &c)
	return c.Status
}

func (b *binary) advance(d time.Duration) {
	b.t.Helper()
	if st := b.control(http.MethodPost, "/clock/advance", map[string]string{"by": d.String()}, nil); st != http.StatusOK {
		b.t.Fatalf("advance: %d", st)
	}
}

type delivery struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Attempts []struct {
		ScenarioTime time.Time `json:"scenario_time"`
		Status       int       `json:"response_status"`
	} `json:"attempts"`
}

func (b *binary) deliveries() []delivery {
	b.t.Helper()
	var out struct {
		Webhooks []delivery `json:"webhooks"`
	}
	b.control(http.MethodGet, "/webhooks?provider=crowdtrust", nil, &out)
	return out.Webhooks
}

// TestScenarioWebhooksAndFaultsAgainstBinary: a user scenario moves a
// resource through three statuses under fast-forward; its webhook to a
// receiver that is down follows the retry schedule, survives a restart
// with the same --data and is delivered once the receiver is up; a fault
// rule fails exactly N calls; lint rejects a broken file with its line.
func TestScenarioWebhooksAndFaultsAgainstBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	scenarios := filepath.Join(dir, "scenarios")
	os.Mkdir(scenarios, 0o755)
	os.WriteFile(filepath.Join(scenarios, "three.yaml"), []byte(userScenario), 0o644)
	data := filepath.Join(dir, "state.db")
	args := []string{"--data", data, "--scenarios", scenarios}

	b := start(t, args...)
	rcv := platformtest.NewReceiver(t)
	rcv.SetStatus(http.StatusInternalServerError)
	if st := b.control(http.MethodPost, "/crowdtrust/accounts/main/webhook", map[string]string{"webhook": rcv.URL}, nil); st != http.StatusOK {
		t.Fatalf("set webhook: %d", st)
	}
	body := []byte(`{"firstName":"Jane","lastName":"Acceptance","ssn":"123-45-6789","dateOfBirth":"1980-01-02","regulationType":"D","platformName":"P","homeAddresses":[{"address1":"1 Main St","address2":"","city":"Rockville","state":"MD","zip":"20850"}]}`)
	code, raw := b.signed(http.MethodPost, "/bacapi/test/checks", body)
	if code != http.StatusOK {
		t.Fatalf("create check: %d %s", code, raw)
	}
	var created struct {
		SearchID string `json:"searchId"`
		Status   string `json:"status"`
	}
	json.Unmarshal(raw, &created)
	if created.Status != "Pending" {
		t.Fatalf("created %s, want Pending", created.Status)
	}
	id := created.SearchID

	// First status, and its webhook fails against the receiver that is down.
	b.advance(time.Hour)
	if st := b.checkStatus(id); st != "Error" {
		t.Fatalf("after 1h: %s, want Error", st)
	}
	// Second status; on the way, the Error webhook is retried after 1 min
	// and 10 min (CrowdTrust's schedule), each failing.
	b.advance(time.Hour)
	if st := b.checkStatus(id); st != "Pending" {
		t.Fatalf("after 2h: %s, want Pending", st)
	}
	ds := b.deliveries()
	if len(ds) != 1 || len(ds[0].Attempts) != 3 {
		t.Fatalf("deliveries after 2h: %+v, want one with 3 failed attempts", ds)
	}
	at := ds[0].Attempts
	if gap := at[1].ScenarioTime.Sub(at[0].ScenarioTime); gap < time.Minute || gap > time.Minute+5*time.Second {
		t.Errorf("first retry after %s, want 1m", gap)
	}
	if gap := at[2].ScenarioTime.Sub(at[1].ScenarioTime); gap < 10*time.Minute || gap > 10*time.Minute+5*time.Second {
		t.Errorf("second retry after %s, want 10m", gap)
	}
	for _, a := range at {
		if a.Status != http.StatusInternalServerError {
			t.Errorf("attempt answered %d, want 500", a.Status)
		}
	}
	if n := len(rcv.Requests()); n != 3 {
		t.Errorf("receiver saw %d attempts, want 3", n)
	}

	// Restart with the same state file; the pending retry (due 1 h after
	// the last attempt) and the scenario run resume.
	if err := b.proc.Stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}
	b = start(t, args...)
	rcv.SetStatus(http.StatusOK)
	b.advance(15 * time.Minute)
	ds = b.deliveries()
	if len(ds) != 1 || ds[0].Status != "delivered" || len(ds[0].Attempts) != 4 {
		t.Fatalf("after restart: %+v, want the Error webhook delivered on its 4th attempt", ds)
	}
	got := rcv.Requests()
	var hook struct {
		SearchID string `json:"searchId"`
		Status   string `json:"status"`
	}
	json.Unmarshal(got[len(got)-1].Body, &hook)
	if hook.SearchID != id || hook.Status != "Error" {
		t.Fatalf("delivered webhook %s", got[len(got)-1].Body)
	}

	// Third status, from the run restored after the restart.
	b.advance(time.Hour)
	if st := b.checkStatus(id); st != "Complete" {
		t.Fatalf("after 3h: %s, want Complete", st)
	}
	rcv.WaitFor(t, 5, 5*time.Second)

	// A fault rule fails exactly two matching calls.
	rule := map[string]any{"provider": "crowdtrust", "method": "GET", "path": "/bacapi/test/checks/*", "status": 503, "count": 2}
	if st := b.control(http.MethodPost, "/faults", rule, nil); st != http.StatusCreated && st != http.StatusOK {
		t.Fatalf("add fault: %d", st)
	}
	var codes []int
	for i := 0; i < 3; i++ {
		code, _ := b.signed(http.MethodGet, "/bacapi/test/checks/"+id, nil)
		codes = append(codes, code)
	}
	if codes[0] != 503 || codes[1] != 503 || codes[2] != 200 {
		t.Fatalf("calls under a count-2 fault answered %v, want [503 503 200]", codes)
	}

	// Lint rejects a broken file, naming its line.
	broken := filepath.Join(dir, "broken.yaml")
	os.WriteFile(broken, []byte(brokenScenario), 0o644)
	out, err := exec.Command(platformtest.Binary(t), "scenarios", "lint", broken).CombinedOutput()
	if err == nil {
		t.Fatalf("lint accepted a broken file: %s", out)
	}
	if !strings.Contains(string(out), "broken.yaml:6") {
		t.Fatalf("lint output lacks the line number: %s", out)
	}
}
