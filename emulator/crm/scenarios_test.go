package crm_test

import (
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

func TestScenarioWithdrawalThreeNodes(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	e.subscribe(t, rcv.URL, "s3cret", false, "crm.webhooks.groups.requests.withdrawal")
	user := e.createClient(t, "three@example.com")
	must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": user, "currency": "USD", "amount": 100, "order_id": "aaaaaaaaaaaaaaaa"}), 200)
	var req crm.Request
	e.control(t, "POST", "/requests/withdrawal", map[string]any{"user_id": user, "amount": 30, "currency": "USD", "nodes": 3, "comment": "approve3 please"}, &req)
	want := []string{"pending", "pending", "approved"}
	for i := range want {
		e.h.Advance(10 * time.Second)
		got := rcv.WaitFor(t, i+1, 5*time.Second)
		w := verifyWebhook(t, got[i], "s3cret", false)
		if w.Data["status"] != want[i] || w.Source.Event != "crm.webhooks.requests.withdrawal.approve.node."+string(rune('1'+i)) {
			t.Fatalf("webhook %d: %s", i+1, got[i].Body)
		}
	}
	e.control(t, "GET", "/requests/"+req.ID, nil, &req)
	if req.Status != "approved" || req.ApprovedNodes != 3 {
		t.Fatalf("request %+v", req)
	}
}

func TestScenarioWithdrawalRejected(t *testing.T) {
	e := newEnv(t)
	user := e.createClient(t, "scen-rej@example.com")
	must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": user, "currency": "USD", "amount": 100, "order_id": "bbbbbbbbbbbbbbbb"}), 200)
	var req crm.Request
	e.control(t, "POST", "/requests/withdrawal", map[string]any{"user_id": user, "amount": 30, "currency": "USD", "comment": "reject this"}, &req)
	if w := e.wallet(t, user); w["USD"] != 70 {
		t.Fatalf("wallet %v", w)
	}
	e.h.Advance(10 * time.Second)
	e.control(t, "GET", "/requests/"+req.ID, nil, &req)
	if req.Status != "rejected" {
		t.Fatalf("request %+v", req)
	}
	if w := e.wallet(t, user); w["USD"] != 100 {
		t.Fatalf("wallet after reject %v", w)
	}
}

func TestScenarioTransferApproved(t *testing.T) {
	e := newEnv(t)
	user := e.createClient(t, "transfer@example.com")
	login := e.createAccount(t, user)
	must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": user, "currency": "USD", "amount": 100, "order_id": "cccccccccccccccc"}), 200)
	var req crm.Request
	e.control(t, "POST", "/requests/transfer", map[string]any{"user_id": user, "amount": 40, "currency": "USD", "target_platform": "mt5", "target_login": login, "comment": "approve"}, &req)
	e.h.Advance(5 * time.Second)
	if b := e.balance(t, user, login); b != 40 {
		t.Fatalf("target balance %v", b)
	}
	if w := e.wallet(t, user); w["USD"] != 60 {
		t.Fatalf("wallet %v", w)
	}
}

func TestScenarioPSPDeposits(t *testing.T) {
	e := newEnv(t)
	b := newBridge(t)
	e.control(t, "PUT", "/settings/psp", map[string]string{"app_url": b.srv.URL}, nil)
	user := e.createClient(t, "scen-psp@example.com")
	start := func(amount float64) string {
		var pay crm.Payment
		e.control(t, "POST", "/payments", map[string]any{"user_id": user, "amount": amount, "currency": "USD"}, &pay)
		return pay.OrderNo
	}
	ok, fail, proc := start(10), start(13.13), start(22.22)
	e.h.Advance(10 * time.Second)
	status := func(id string) string {
		var pay crm.Payment
		e.control(t, "GET", "/payments/"+id, nil, &pay)
		return pay.Status
	}
	if s := status(fail); s != "failed" {
		t.Errorf("13.13: %s", s)
	}
	if s := status(proc); s != "processing" {
		t.Errorf("22.22: %s", s)
	}
	if s := status(ok); s != "pending" {
		t.Errorf("10 before 60s: %s", s)
	}
	e.h.Advance(60 * time.Second)
	if s := status(ok); s != "success" {
		t.Errorf("10 after 60s: %s", s)
	}
	if s := status(proc); s != "processing" {
		t.Errorf("22.22 later: %s", s)
	}
	if w := e.wallet(t, user); w["USD"] != 10 {
		t.Errorf("wallet %v", w)
	}
}

func TestScenarioWebhookReceiverDown(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	e.subscribe(t, rcv.URL, "sec", false, "crm.webhooks.groups.requests.withdrawal")
	user := e.createClient(t, "down@example.com")
	must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": user, "currency": "USD", "amount": 100, "order_id": "dddddddddddddddd"}), 200)
	var req crm.Request
	e.control(t, "POST", "/requests/withdrawal", map[string]any{"user_id": user, "amount": 30, "currency": "USD", "nodes": 2, "comment": "webhook-down"}, &req)
	e.h.Advance(5 * time.Second)
	if n := len(rcv.Requests()); n != 0 {
		t.Fatalf("receiver got %d deliveries while down", n)
	}
	var list struct {
		Webhooks []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"webhooks"`
	}
	e.h.Control("GET", "/webhooks?provider=crm", nil, &list)
	if len(list.Webhooks) != 1 || list.Webhooks[0].Status != "dropped" {
		t.Fatalf("outbox %+v", list)
	}
	e.h.Control("POST", "/webhooks/"+list.Webhooks[0].ID+"/resend", nil, nil)
	got := rcv.WaitFor(t, 1, 5*time.Second)
	w := verifyWebhook(t, got[0], "sec", false)
	if w.Source.Event != "crm.webhooks.requests.withdrawal.approve.node.1" {
		t.Fatalf("resent %s", got[0].Body)
	}
}
