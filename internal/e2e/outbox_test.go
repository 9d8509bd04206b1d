package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/outbox"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// asTenant is the same emulator seen by another tenant's merchant.
func (e *d24Env) asTenant(id string) *d24Env {
	c, ok := e.h.App.Tenants.Credentials(id, "d24")
	if !ok {
		e.t.Fatalf("no d24 credentials for tenant %s", id)
	}
	return &d24Env{t: e.t, tenant: id, h: e.h, p: e.p, creds: c.(*d24.Credentials)}
}

// hangingReceiver never answers (until the test ends).
func hangingReceiver(t *testing.T) (string, *atomic.Int64) {
	var hits atomic.Int64
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv.URL, &hits
}

// TestOutboxFairToOtherTenants: while tenant A has 100 deliveries to a
// receiver that never answers, tenant B's deliveries to a healthy receiver
// arrive at most 1 s after the change that caused them.
func TestOutboxFairToOtherTenants(t *testing.T) {
	a := newD24(t)
	b := a.asTenant(a.h.NewTenant())
	hang, hangHits := hangingReceiver(t)
	for i := range 100 {
		a.deposit(fmt.Sprintf("inv-a-%d", i), hang+"/hook")
	}
	rcv := platformtest.NewReceiver(t)
	var worst time.Duration
	for i := range 5 {
		start := time.Now()
		b.deposit(fmt.Sprintf("inv-b-%d", i), rcv.URL+"/hook")
		got := rcv.WaitFor(t, i+1, 10*time.Second)
		if late := got[i].Time.Sub(start); late > worst {
			worst = late
		}
	}
	t.Logf("tenant B's 5 deliveries: worst %s after the change (tenant A: 100 hanging deliveries, %d attempts in flight or done)", worst, hangHits.Load())
	if worst > time.Second {
		t.Errorf("tenant B's delivery arrived %s after the change, want ≤ 1 s", worst)
	}
	// Tenant B's fast-forward runs B's scenario step (the default deposit
	// completes after 30 s) and its notification without waiting for A's
	// hanging attempts.
	st, body := b.signed("POST", "/v3/deposits", map[string]any{"invoice_id": "inv-b-scenario", "amount": 100, "country": "BR", "currency": "BRL",
		"payment_method": "IX", "notification_url": rcv.URL + "/hook",
		"payer": map[string]any{"document": "84932568207", "first_name": "Ricardo", "last_name": "Carlos", "email": "r@example.com"}})
	if st != 200 {
		t.Fatalf("create deposit: %d %s", st, body)
	}
	start := time.Now()
	var adv struct {
		Attempts int `json:"delivery_attempts"`
	}
	if st := a.h.Control("POST", "/clock/advance", map[string]string{"by": "31s", "tenant": b.tenant}, &adv); st != 200 {
		t.Fatalf("advance: %d", st)
	}
	took := time.Since(start)
	t.Logf("tenant B's fast-forward: %s, %d delivery attempts", took, adv.Attempts)
	// The attempt may be the background worker's (the step's commit wakes
	// it): the fast-forward waits for it either way.
	if took > time.Second || len(rcv.Requests()) != 6 {
		t.Errorf("tenant B's fast-forward took %s (%d received), want ≤ 1 s and its delivery received", took, len(rcv.Requests()))
	}
	if n := hangHits.Load(); n > 4 {
		t.Errorf("the hanging receiver holds %d attempts, want at most the per-host bound (4)", n)
	}
}

// TestResendDuringAutomaticAttemptStaysDelivered: a resend answered 200
// while the automatic attempt hangs and then fails leaves the delivery
// delivered, with both attempts recorded once.
func TestResendDuringAutomaticAttemptStaysDelivered(t *testing.T) {
	e := newD24(t)
	var hits atomic.Int64
	first := make(chan struct{})
	finish := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			close(first)
			<-finish
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	e.deposit("inv-overlap", srv.URL+"/hook")
	<-first
	id := e.webhooks()[0].ID
	var rec controlapi.Webhook
	if st := e.h.Control("POST", "/webhooks/"+id+"/resend", nil, &rec); st != 200 || rec.Status != outbox.StatusDelivered {
		t.Fatalf("resend: %d %s", st, rec.Status)
	}
	close(finish)
	deadline := time.Now().Add(5 * time.Second)
	for len(rec.Attempts) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		e.h.Control("GET", "/webhooks/"+id, nil, &rec)
	}
	if rec.Status != outbox.StatusDelivered || len(rec.Attempts) != 2 || rec.NextAt != nil ||
		rec.Attempts[0].Status != 200 || !rec.Attempts[0].Resend || rec.Attempts[1].Status != 500 || rec.Attempts[1].Resend {
		t.Fatalf("after a 200 resend and a 500 automatic attempt: %s, next %v, attempts %+v", rec.Status, rec.NextAt, rec.Attempts)
	}
	if hits.Load() != 2 {
		t.Errorf("receiver hit %d times, want 2", hits.Load())
	}
}

// TestConcurrentResendsRecordedOnce: 50 concurrent resends of a delivered
// webhook add exactly 50 attempts, one per receiver hit.
func TestConcurrentResendsRecordedOnce(t *testing.T) {
	e := newD24(t)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		time.Sleep(5 * time.Millisecond)
	}))
	defer srv.Close()
	e.deposit("inv-resend", srv.URL+"/hook")
	hooks := e.waitSettled(1, 5*time.Second)
	id := hooks[0].ID
	const n = 50
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", e.h.URL+"/_fakeprovider/webhooks/"+id+"/resend", nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("resend: %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	var rec controlapi.Webhook
	e.h.Control("GET", "/webhooks/"+id, nil, &rec)
	resends, answered := 0, 0
	for _, a := range rec.Attempts {
		if a.Resend {
			resends++
		}
		if a.Status != 0 {
			answered++
		}
	}
	t.Logf("%d attempts recorded (%d resends), %d answered, %d receiver hits", len(rec.Attempts), resends, answered, hits.Load())
	if len(rec.Attempts) != n+1 || resends != n || int64(answered) != hits.Load() || hits.Load() != n+1 || rec.Status != outbox.StatusDelivered {
		t.Errorf("%d attempts (%d resends, %d answered) for %d receiver hits, status %s; want %d attempts, one per hit", len(rec.Attempts), resends, answered, hits.Load(), rec.Status, n+1)
	}
}

// TestConcurrentResendsOfFailingDelivery: 50 resends racing the automatic
// attempt of a delivery whose receiver answers 500 add one attempt per
// receiver hit, and the retry schedule is not revived early by a stale
// resend (the second automatic attempt is due 5 minutes later).
func TestConcurrentResendsOfFailingDelivery(t *testing.T) {
	e := newD24(t)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		time.Sleep(2 * time.Millisecond)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	e.deposit("inv-resend-500", srv.URL+"/hook")
	id := e.webhooks()[0].ID
	const n = 50
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(e.h.URL+"/_fakeprovider/webhooks/"+id+"/resend", "application/json", nil)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}()
	}
	wg.Wait()
	time.Sleep(300 * time.Millisecond)
	var rec controlapi.Webhook
	e.h.Control("GET", "/webhooks/"+id, nil, &rec)
	automatic := 0
	for _, a := range rec.Attempts {
		if !a.Resend {
			automatic++
		}
	}
	t.Logf("%d attempts (%d automatic) for %d receiver hits, status %s", len(rec.Attempts), automatic, hits.Load(), rec.Status)
	if int64(len(rec.Attempts)) != hits.Load() || automatic != 1 || rec.Status != outbox.StatusPending || rec.NextAt == nil {
		t.Errorf("%d attempts (%d automatic) for %d receiver hits, status %s; want one per hit, one automatic, a retry pending", len(rec.Attempts), automatic, hits.Load(), rec.Status)
	}
}

// TestAttemptsBounded: resends beyond MaxAttempts drop the oldest resends
// (counted), never the automatic attempts that the retry schedule counts.
func TestAttemptsBounded(t *testing.T) {
	e := newD24(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	e.deposit("inv-bounded", srv.URL+"/hook")
	id := e.waitSettled(1, 5*time.Second)[0].ID
	const n = outbox.MaxAttempts + 20
	for range n {
		if st := e.h.Control("POST", "/webhooks/"+id+"/resend", nil, nil); st != 200 {
			t.Fatalf("resend: %d", st)
		}
	}
	var rec controlapi.Webhook
	e.h.Control("GET", "/webhooks/"+id, nil, &rec)
	if len(rec.Attempts) != outbox.MaxAttempts || rec.AttemptsDropped != n+1-outbox.MaxAttempts || rec.Attempts[0].Resend {
		t.Fatalf("%d attempts kept, %d dropped, first resend=%v; want %d kept, %d dropped, the automatic one first",
			len(rec.Attempts), rec.AttemptsDropped, rec.Attempts[0].Resend, outbox.MaxAttempts, n+1-outbox.MaxAttempts)
	}
}
