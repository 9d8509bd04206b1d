package d24_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// TestRealBinary is the merchant flow against the built binary: create a
// hosted deposit → pay on the checkout page → signed notification →
// status COMPLETED → partial refund → refund notification → cashout create
// → status → cancel; then the deposit survives a restart with --data.
func TestRealBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	data := filepath.Join(t.TempDir(), "state.db")
	proc := platformtest.StartBinary(t, "--data", data)
	root := strings.TrimSuffix(proc.URL, "/")
	var all map[string]any
	platformtest.DoJSON(t, http.MethodGet, root+"/_fakeprovider/credentials", nil, &all)
	if _, ok := all["d24"]; !ok {
		t.Skip("the binary does not include the d24 provider")
	}
	e := &env{t: t, url: root, root: root, p: d24.New(), creds: d24.DefaultCredentials()}
	rcv := platformtest.NewReceiver(t)

	a := e.signed("POST", "/v3/deposits/", map[string]any{"invoice_id": "bin-1", "amount": 250, "country": "BR", "currency": "BRL", "notification_url": rcv.URL})
	var dep struct {
		DepositID   int64  `json:"deposit_id"`
		RedirectURL string `json:"redirect_url"`
	}
	a.json(t, &dep)
	if a.status != 200 || dep.DepositID == 0 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(dep.RedirectURL, url.Values{"action": {"pay"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout pay: %v %v", err, resp)
	}
	resp.Body.Close()
	n := verifyDepositNotification(t, rcv.WaitFor(t, 1, 10*time.Second)[0], e.creds)
	if n["deposit_id"] != dep.DepositID {
		t.Fatalf("notification %v", n)
	}
	if st := e.depositStatus(dep.DepositID); st != "COMPLETED" {
		t.Fatalf("status %s", st)
	}
	bank := map[string]any{"beneficiary": "A", "bank_code": "001", "branch": "1", "account_number": "123456-7", "account_type": "SAVING"}
	a = e.signed("POST", "/v3/refunds", map[string]any{"deposit_id": dep.DepositID, "invoice_id": "bin-1", "amount": 100, "bank_account": bank})
	var rf struct {
		RefundID int64 `json:"refund_id"`
	}
	a.json(t, &rf)
	if a.status != 200 || rf.RefundID == 0 {
		t.Fatalf("refund: %d %s", a.status, a.body)
	}
	if st := e.control(http.MethodPost, "/clock/advance", map[string]string{"by": "1m"}, nil); st != 200 {
		t.Fatalf("advance %d", st)
	}
	n = verifyDepositNotification(t, rcv.WaitFor(t, 2, 10*time.Second)[1], e.creds)
	if n["refund_id"] != rf.RefundID {
		t.Fatalf("refund notification %v", n)
	}
	a = e.signed("POST", "/v3/cashout", e.cashoutBody("bin-co-1", "Ana"))
	var co struct {
		CashoutID string `json:"cashout_id"`
	}
	a.json(t, &co)
	ref := map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass, "cashout_id": co.CashoutID, "external_id": "bin-co-1"}
	if a := e.signed("POST", "/v3/cashout/status", ref); a.status != 200 || !strings.Contains(string(a.body), `"cashout_status":0`) {
		t.Fatalf("cashout status: %d %s", a.status, a.body)
	}
	if a := e.signed("DELETE", "/v3/cashout/cancel", ref); a.status != 200 {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}

	if err := proc.Stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}
	proc = platformtest.StartBinary(t, "--data", data)
	e.url = strings.TrimSuffix(proc.URL, "/")
	if st := e.depositStatus(dep.DepositID); st != "COMPLETED" {
		t.Fatalf("after restart: %s", st)
	}
}
