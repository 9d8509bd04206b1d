package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/outbox"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// d24Env is a merchant of the in-process emulator with D24 only.
type d24Env struct {
	t      *testing.T
	tenant string // "" for the default tenant
	h      *platformtest.Harness
	p      *d24.Provider
	creds  *d24.Credentials
}

func newD24(t *testing.T, opts ...platformtest.Option) *d24Env {
	p := d24.New()
	h := platformtest.New(t, []platform.Provider{p}, opts...)
	return &d24Env{t: t, h: h, p: p, creds: h.Credentials("d24").(*d24.Credentials)}
}

// signed sends a D24 request signed as the SDKs do.
func (e *d24Env) signed(method, path string, body any) (int, []byte) {
	e.t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(method, e.h.URL+"/d24"+path, bytes.NewReader(raw))
	if err := e.p.SignRequest(req, raw, e.creds, time.Now()); err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// deposit creates a deposit notifying notify and completes it, which sends
// its notification; it returns the deposit id.
func (e *d24Env) deposit(invoice, notify string) int64 {
	e.t.Helper()
	st, body := e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": invoice, "amount": 100, "country": "BR", "currency": "BRL",
		"payment_method": "IX", "notification_url": notify,
		"payer": map[string]any{"document": "84932568207", "first_name": "Ricardo", "last_name": "Carlos", "email": "r@example.com"}})
	if st != 200 {
		e.t.Fatalf("create deposit (%s): %d %s", notify, st, body)
	}
	var created struct {
		DepositID int64 `json:"deposit_id"`
	}
	if err := json.Unmarshal(body, &created); err != nil {
		e.t.Fatal(err)
	}
	path := fmt.Sprintf("/d24/deposits/%d/status", created.DepositID)
	if e.tenant != "" {
		path += "?tenant=" + e.tenant
	}
	if st := e.h.Control("POST", path, map[string]string{"status": "COMPLETED"}, nil); st >= 300 {
		e.t.Fatalf("complete deposit: %d", st)
	}
	return created.DepositID
}

func (e *d24Env) webhooks() []controlapi.Webhook {
	e.t.Helper()
	var out struct {
		Webhooks []controlapi.Webhook `json:"webhooks"`
	}
	if st := e.h.Control("GET", "/webhooks?provider=d24", nil, &out); st != 200 {
		e.t.Fatalf("webhooks: %d", st)
	}
	return out.Webhooks
}

// waitSettled waits until no delivery is pending and returns them all.
func (e *d24Env) waitSettled(n int, timeout time.Duration) []controlapi.Webhook {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		hooks := e.webhooks()
		pending := 0
		for _, w := range hooks {
			if w.Status == outbox.StatusPending {
				pending++
			}
		}
		if len(hooks) >= n && pending == 0 {
			return hooks
		}
		if time.Now().After(deadline) {
			for _, w := range hooks {
				if w.Status == outbox.StatusPending {
					e.t.Logf("pending: %s %+v", w.Delivery.URL, w.Attempts)
				}
			}
			e.t.Fatalf("%d of %d deliveries still pending after %s", pending, len(hooks), timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func openFDs() int {
	ents, _ := os.ReadDir("/proc/self/fd")
	return len(ents)
}

// TestWebhookToEmulatorIsRefused: a D24 notification_url aimed at the
// emulator itself — its control API (reset, resend of its own delivery) or
// its provider API — in every spelling of the address is refused at dial
// time, recorded with the reason, not retried, and nothing is reset.
func TestWebhookToEmulatorIsRefused(t *testing.T) {
	e := newD24(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(e.h.URL, "http://"))
	hosts := []string{"127.0.0.1", "127.0.0.2", "127.255.255.254", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0x7f.1",
		"localhost", "LOCALHOST", "localhost.", "127.0.0.1.", "[::1]", "[::ffff:127.0.0.1]", "[0:0:0:0:0:ffff:7f00:1]", "0.0.0.0", "0", "[::]"}
	paths := []string{"/_fakeprovider/reset", "/_fakeprovider/webhooks/wh_0000000000000001/resend", "/%5Ffakeprovider/reset",
		"//_fakeprovider/reset", "/./_fakeprovider/reset", "/d24/../_fakeprovider/reset", "/v3/deposits"}
	goroutines, fds := runtime.NumGoroutine(), openFDs()
	var urls []string
	for i, h := range hosts {
		urls = append(urls, "http://"+h+":"+port+paths[i%len(paths)])
	}
	for _, p := range paths {
		urls = append(urls, "http://127.0.0.1:"+port+p)
	}
	urls = append(urls, "https://localhost:"+port+"/_fakeprovider/reset")
	var ids []int64
	for i, u := range urls {
		ids = append(ids, e.deposit(fmt.Sprintf("inv-self-%d", i), u))
	}
	hooks := e.waitSettled(len(urls), 15*time.Second)
	time.Sleep(500 * time.Millisecond) // anything that would recurse has had time to
	for _, w := range hooks {
		if w.Status != outbox.StatusRefused || len(w.Attempts) != 1 || !w.Attempts[0].Refused ||
			!strings.Contains(w.Attempts[0].Error, "own listener") || w.NextAt != nil {
			t.Errorf("%s → %s, %d attempts %+v; want one refused attempt and no retry", w.Delivery.URL, w.Status, len(w.Attempts), w.Attempts)
		}
	}
	if len(hooks) != len(urls) {
		t.Errorf("%d deliveries, want %d (a resend delivered to itself would add none, a loop many)", len(hooks), len(urls))
	}
	// Nothing was reset: every deposit is still there.
	for _, id := range ids {
		if st, body := e.signed("GET", fmt.Sprintf("/v3/deposits/%d", id), nil); st != 200 {
			t.Fatalf("deposit %d after the attack: %d %s", id, st, body)
		}
	}
	g, f := runtime.NumGoroutine(), openFDs()
	t.Logf("%d deliveries to the emulator itself refused; goroutines %d → %d, fds %d → %d", len(hooks), goroutines, g, fds, f)
	if g > goroutines+50 || f > fds+50 {
		t.Errorf("goroutines %d → %d, fds %d → %d: the attack still grows", goroutines, g, fds, f)
	}

	// A resend of a refused delivery is refused again, inside the request.
	var rec controlapi.Webhook
	if st := e.h.Control("POST", "/webhooks/"+hooks[0].ID+"/resend", nil, &rec); st != 200 {
		t.Fatalf("resend: %d", st)
	}
	if len(rec.Attempts) != 2 || !rec.Attempts[1].Refused || rec.Status != outbox.StatusRefused {
		t.Errorf("resend of a refused delivery: %s %+v", rec.Status, rec.Attempts)
	}
}

// TestWebhookRedirectToEmulatorIsNotFollowed: a receiver that answers with
// a redirect to the emulator's reset gets its 3xx recorded as a failed
// attempt; the redirect is not followed.
func TestWebhookRedirectToEmulatorIsNotFollowed(t *testing.T) {
	e := newD24(t)
	var hits atomic.Int64
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, e.h.URL+"/_fakeprovider/reset", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	id := e.deposit("inv-redirect", redirect.URL+"/hook")
	deadline := time.Now().Add(10 * time.Second)
	var w controlapi.Webhook
	for {
		hooks := e.webhooks()
		if len(hooks) == 1 && len(hooks[0].Attempts) > 0 {
			w = hooks[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no attempt recorded")
		}
		time.Sleep(20 * time.Millisecond)
	}
	a := w.Attempts[0]
	if a.Status != http.StatusTemporaryRedirect || !strings.Contains(a.Error, "redirects are not followed") || w.Status != outbox.StatusPending || w.NextAt == nil {
		t.Errorf("redirecting receiver: %s %+v", w.Status, a)
	}
	if st, body := e.signed("GET", fmt.Sprintf("/v3/deposits/%d", id), nil); st != 200 {
		t.Fatalf("deposit after the redirect: %d %s", st, body)
	}
	if hits.Load() != 1 {
		t.Errorf("receiver hit %d times, want 1", hits.Load())
	}
}
