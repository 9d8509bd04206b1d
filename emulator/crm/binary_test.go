package crm_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// TestRealBinary is the acceptance flow against the built binary: create
// client → MT5 account → deposit → withdrawal request via control →
// webhook received and verified → approve via REST → balances consistent,
// then the state survives a restart with --data.
func TestRealBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	data := filepath.Join(t.TempDir(), "state.db")
	proc := platformtest.StartBinary(t, "--data", data)
	var all map[string]any
	platformtest.DoJSON(t, http.MethodGet, strings.TrimSuffix(proc.URL, "/")+"/_fakeprovider/credentials", nil, &all)
	if _, ok := all[crm.Name]; !ok {
		t.Skip("the binary does not include the crm provider")
	}
	p := crm.New()
	e := &env{url: strings.TrimSuffix(proc.URL, "/"), p: p, creds: p.Credentials().Default().(*crm.Credentials)}

	rcv := platformtest.NewReceiver(t)
	e.subscribe(t, rcv.URL, "whsec-demo", false, "crm.webhooks.groups.requests.withdrawal")
	user := e.createClient(t, "binary@example.com")
	login := e.createAccount(t, user)
	must(t, e.deposit(t, login, "500.00", "bin-dep"), 204)
	must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": user, "currency": "USD", "amount": 75.5, "order_id": "binwallet0000001"}), 200)

	var req crm.Request
	e.control(t, "POST", "/requests/withdrawal", map[string]any{"user_id": user, "platform": "mt5", "login": login, "amount": 120, "nodes": 2}, &req)
	e.control(t, "POST", "/requests/"+req.ID+"/approve", map[string]int{"node": 1}, nil)
	w := verifyWebhook(t, rcv.WaitFor(t, 1, 10*time.Second)[0], "whsec-demo", false)
	if w.Data["id"] != req.ID || w.Data["status"] != "pending" {
		t.Fatalf("webhook %+v", w)
	}
	must(t, e.call(t, "POST", "/public/v1/requests/withdrawal/approve", map[string]string{"id": req.ID}), 200)
	w = verifyWebhook(t, rcv.WaitFor(t, 2, 10*time.Second)[1], "whsec-demo", false)
	if w.Data["status"] != "approved" {
		t.Fatalf("final webhook %+v", w)
	}
	if b := e.balance(t, user, login); b != 380 {
		t.Fatalf("account balance %v, want 380", b)
	}
	if wl := e.wallet(t, user); wl["USD"] != 75.5 {
		t.Fatalf("wallet %v", wl)
	}
	// The real paths answer without the /crm prefix too.
	req2, _ := http.NewRequest("GET", e.url+"/public/v1/users/"+user, nil)
	req2.Header.Set("key", e.creds.APIKey)
	resp, err := http.DefaultClient.Do(req2)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("real path: %v %v", err, resp)
	}
	resp.Body.Close()
	if err := proc.Stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}

	proc2 := platformtest.StartBinary(t, "--data", data)
	e.url = strings.TrimSuffix(proc2.URL, "/")
	if b := e.balance(t, user, login); b != 380 {
		t.Fatalf("balance after restart %v", b)
	}
	if wl := e.wallet(t, user); wl["USD"] != 75.5 {
		t.Fatalf("wallet after restart %v", wl)
	}
	e.control(t, "GET", "/requests/"+req.ID, nil, &req)
	if req.Status != "approved" {
		t.Fatalf("request after restart %+v", req)
	}
	if a := e.call(t, "POST", "/public/v1/requests/withdrawal/approve", map[string]string{"id": req.ID}); a.errType(t) != "request_status_not_pending" {
		t.Fatalf("approve after restart %s", a.Body)
	}
}
