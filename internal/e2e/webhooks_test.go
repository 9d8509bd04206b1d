package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
	"github.com/fakeprovider/fakeprovider/internal/robustness"
)

// TestCrashWebhooksResume: deliveries pending in the outbox when the
// process is killed with SIGKILL are sent after the restart. It uses
// CrowdTrust (webhook URL set through its control endpoint, a check
// completed through another): the receiver refuses every attempt before
// the kill and accepts after, and every completed check's webhook must
// arrive. Skipped until CrowdTrust is wired.
func TestCrashWebhooksResume(t *testing.T) {
	var ct robustness.Client
	for _, c := range robustness.Clients(app.Providers()) {
		if c.Name() == "crowdtrust" {
			ct = c
		}
	}
	if ct == nil {
		t.Skip("crowdtrust is not wired")
	}
	var up atomic.Bool
	var mu sync.Mutex
	got := map[string]int{}
	var attempts atomic.Int64
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		attempts.Add(1)
		if !up.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if id, err := robustness.Field(body, "searchId"); err == nil {
			mu.Lock()
			got[id]++
			mu.Unlock()
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer recv.Close()

	data := t.TempDir() + "/hooks.db"
	// 0.005 turns CrowdTrust's 1 min / 10 min / 1 h retries into 0.3 s / 3 s / 18 s.
	args := []string{"--data", data, "--webhook-retry-scale", "0.005"}
	p := platformtest.StartBinary(t, args...)
	ctx := context.Background()
	control := func(base, path string, body string) {
		t.Helper()
		resp, err := http.Post(base+"/_fakeprovider/crowdtrust"+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Fatalf("control %s: %d %s", path, resp.StatusCode, raw)
		}
	}
	control(p.URL, "/accounts/main/webhook", fmt.Sprintf(`{"webhook":%q}`, recv.URL+"/hook"))
	creds, err := robustness.Credentials(ctx, p.URL, []robustness.Client{ct}, "")
	if err != nil {
		t.Fatal(err)
	}
	sess := robustness.NewSession(p.URL, ct, creds[ct.Name()])
	if _, err := sess.RunAll(ctx); err != nil {
		t.Fatal(err)
	}
	var create = -1
	exs := ct.Examples()
	for i, ex := range exs {
		if ex.Name == "check-live-create" {
			create = i
		}
	}
	if create < 0 {
		t.Skip("crowdtrust has no check-live-create example")
	}
	const n = 10
	var ids []string
	for range n {
		res, err := sess.Run(ctx, exs[create])
		if err != nil || res.Status >= 300 {
			t.Fatalf("create check: %v %d %s", err, res.Status, res.Body)
		}
		id, err := robustness.Field(res.Body, "searchId")
		if err != nil {
			t.Fatal(err)
		}
		control(p.URL, "/checks/"+id+"/complete", `{}`)
		ids = append(ids, id)
	}
	// Every completion is acknowledged: its delivery is in the outbox.
	p.Kill()
	before := attempts.Load()
	up.Store(true)
	p = platformtest.StartBinary(t, args...)
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		missing := 0
		for _, id := range ids {
			if got[id] == 0 {
				missing++
			}
		}
		mu.Unlock()
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d webhooks pending at the kill never arrived after the restart (%d attempts refused before the kill)", missing, n, before)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d webhooks delivered after the restart (%d attempts refused before the kill)", n, before)
	if err := p.Stop(t); err != nil {
		t.Errorf("stop: %v", err)
	}
}
