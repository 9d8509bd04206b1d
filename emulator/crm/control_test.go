package crm_test

import (
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

func TestPropTradingAndTransferWebhooks(t *testing.T) {
	e := newEnv(t)
	rcv := platformtest.NewReceiver(t)
	e.subscribe(t, rcv.URL, "k", false, "crm.webhooks.requests.propTrading.reject",
		"crm.webhooks.groups.requests.propTradingLive", "crm.webhooks.requests.transfer.approve.node.1")
	var off crm.Webhook
	e.control(t, "POST", "/webhooks", map[string]any{"name": "off", "url": rcv.URL, "events": []string{"crm.webhooks.groups.requests.propTrading"}, "enabled": false}, &off)
	user := e.createClient(t, "prop@example.com")
	other := e.createClient(t, "other@example.com")
	must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": user, "currency": "USD", "amount": 100, "order_id": "pppppppppppppppp"}), 200)

	var pt, live, tr crm.Request
	e.control(t, "POST", "/requests/prop-trading", map[string]any{"user_id": user, "amount": 15, "currency": "USD", "package_name": "Pro 25K"}, &pt)
	e.control(t, "POST", "/requests/"+pt.ID+"/approve", nil, nil) // propTrading approve: not subscribed
	e.control(t, "POST", "/requests/prop-trading-live", map[string]any{"user_id": user, "nodes": 2}, &live)
	e.control(t, "POST", "/requests/"+live.ID+"/reject", map[string]string{"comment": "no"}, nil)
	e.control(t, "POST", "/requests/transfer", map[string]any{"user_id": user, "amount": 20, "currency": "USD", "target_user_id": other}, &tr)
	e.control(t, "POST", "/requests/"+tr.ID+"/approve", map[string]int{"node": 1}, nil)

	got := rcv.WaitFor(t, 2, 5*time.Second)
	events := map[string]webhookBody{}
	for _, r := range got {
		w := verifyWebhook(t, r, "k", false)
		events[w.Source.Event] = w
	}
	lw, ok := events["crm.webhooks.requests.propTradingLive.reject"]
	if !ok || lw.Data["type"] != "prop_trading_live_step" || lw.Data["status"] != "rejected" || lw.Data["platform"] != "mt5" {
		t.Fatalf("live reject webhook %+v", events)
	}
	tw, ok := events["crm.webhooks.requests.transfer.approve.node.1"]
	if !ok || tw.Data["transfer_type"] != "others" || tw.Data["beneficiary_user_id"] != other || tw.Data["status"] != "approved" || tw.Data["source_trading_id"] != "WALLET" {
		t.Fatalf("transfer webhook %+v", events)
	}
	if w := e.wallet(t, user); w["USD"] != 65 {
		t.Fatalf("wallet after fee 15 and transfer 20: %v", w)
	}
	if w := e.wallet(t, other); w["USD"] != 20 {
		t.Fatalf("beneficiary wallet %v", w)
	}
	// Approving a terminal request and approving out of order are refused.
	if st := e.h.Control("POST", "/crm/requests/"+tr.ID+"/approve", nil, nil); st != 400 {
		t.Fatalf("approve terminal: %d", st)
	}
	var multi crm.Request
	e.control(t, "POST", "/requests/transfer", map[string]any{"user_id": user, "amount": 1, "currency": "USD", "nodes": 3}, &multi)
	if st := e.h.Control("POST", "/crm/requests/"+multi.ID+"/approve", map[string]int{"node": 2}, nil); st != 400 {
		t.Fatalf("approve node 2 first: %d", st)
	}
	e.control(t, "DELETE", "/webhooks/"+off.ID, nil, nil)
	var hooks []crm.Webhook
	e.control(t, "GET", "/webhooks", nil, &hooks)
	if len(hooks) != 1 {
		t.Fatalf("webhooks after delete %+v", hooks)
	}
	if st := e.h.Control("POST", "/crm/webhooks", map[string]any{"name": "x", "url": "ftp://x", "events": []string{"a"}}, nil); st != 400 {
		t.Fatalf("bad webhook url: %d", st)
	}
	if n := len(rcv.Requests()); n != 2 {
		t.Fatalf("receiver got %d deliveries, want 2", n)
	}
}
