package acceptance

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

const d24Scenario = `version: 1
name: acceptance-d24-review
provider: d24
on: deposit.created
priority: 100
match:
  - {field: payer.last_name, equals: Acceptance}
steps:
  - after: 5m
    status: FOR_REVIEW
  - after: 5m
    status: COMPLETED
`

// TestUserScenarioSignedWebhooks: a user scenario drives a D24 deposit
// through two statuses; each notification reaches the loopback receiver
// signed as D24 signs requests, checked here with a plain HMAC over the
// documented inputs.
func TestUserScenarioSignedWebhooks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "review.yaml"), []byte(d24Scenario), 0o644)
	b := start(t, "--scenarios", dir)
	const login, secret = "gFNQnUZXSE", "gUfmqFBEGvIemZhzcpkfpBMcHhyoXUxFp"
	rcv := platformtest.NewReceiver(t)
	body := []byte(`{"invoice_id":"acc-1","amount":10,"country":"BR","currency":"BRL","payment_method":"IX","notification_url":"` + rcv.URL + `","payer":{"document":"84932568207","first_name":"A","last_name":"Acceptance","email":"a@example.com"}}`)
	xDate := time.Now().UTC().Format("2006-01-02T15:04:05Z")
	sign := func(xDate string, body []byte) string {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(xDate + login))
		mac.Write(body)
		return "D24 " + hex.EncodeToString(mac.Sum(nil))
	}
	req, _ := http.NewRequest(http.MethodPost, b.url+"/v3/deposits", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Date", xDate)
	req.Header.Set("X-Login", login)
	req.Header.Set("Authorization", sign(xDate, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("create deposit: %v %v", err, resp)
	}
	resp.Body.Close()
	b.advance(10 * time.Minute)
	got := rcv.WaitFor(t, 2, 5*time.Second)
	for _, r := range got {
		if r.Header.Get("X-Login") != login || r.Header.Get("Authorization") != sign(r.Header.Get("X-Date"), r.Body) {
			t.Fatalf("notification not validly signed: %v %s", r.Header, r.Body)
		}
		if !strings.HasPrefix(string(r.Body), `{"deposit_id":3000`) {
			t.Fatalf("notification body %s", r.Body)
		}
	}
	var runs struct {
		Runs []struct {
			Scenario string `json:"scenario"`
			Status   string `json:"status"`
		} `json:"runs"`
	}
	b.control(http.MethodGet, "/scenarios/runs?provider=d24", nil, &runs)
	if len(runs.Runs) != 1 || runs.Runs[0].Scenario != "acceptance-d24-review" || runs.Runs[0].Status != "done" {
		t.Fatalf("runs %+v", runs)
	}
}
