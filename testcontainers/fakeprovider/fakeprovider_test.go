package fakeprovider_test

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/fakeprovider/fakeprovider/testcontainers/fakeprovider"
)

// The image to test: $FAKEPROVIDER_IMAGE, else fakeprovider:latest (make
// docker). Without it (or without a daemon) the tests skip, unless
// FAKEPROVIDER_REQUIRE_DOCKER=1 makes them fail.
func image(t *testing.T) string {
	t.Helper()
	img := os.Getenv("FAKEPROVIDER_IMAGE")
	if img == "" {
		img = "fakeprovider:latest"
	}
	if err := exec.Command("docker", "image", "inspect", img).Run(); err != nil {
		if os.Getenv("FAKEPROVIDER_REQUIRE_DOCKER") == "1" {
			t.Fatalf("image %s is not there (make docker) or no Docker daemon: %v", img, err)
		}
		t.Skipf("image %s is not there (make docker) or no Docker daemon: %v", img, err)
	}
	return img
}

// Ryuk (the reaper) is an image from Docker Hub, which may not be
// reachable; every test terminates its own containers instead.
func TestMain(m *testing.M) {
	if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	os.Exit(m.Run())
}

// hook is one webhook the receiver got.
type hook struct {
	host, path string
	header     http.Header
	body       []byte
}

// receiver is a test webhook endpoint on 127.0.0.1 (and the Docker bridge).
func receiver(t *testing.T) (*httptest.Server, <-chan hook) {
	t.Helper()
	ln, err := fakeprovider.ListenReceiver()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan hook, 16)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- hook{host: r.Host, path: r.URL.Path, header: r.Header.Clone(), body: body}
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, got
}

// d24 signs like a D24 client: Authorization: D24 hex(HMAC-SHA256(secret,
// X-Date + X-Login + body)).
type d24 struct {
	base, login, secret string
}

func (c d24) do(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(string(raw)))
	date := time.Now().UTC().Format("2006-01-02T15:04:05Z")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Date", date)
	req.Header.Set("X-Login", c.login)
	req.Header.Set("Authorization", "D24 "+sign(c.secret, date+c.login+string(raw)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber() // deposit ids are large numbers
	dec.Decode(&out)
	return resp.StatusCode, out
}

func sign(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func tenantD24(t *testing.T, ctx context.Context, ctr *fakeprovider.Container, tn *fakeprovider.Tenant) d24 {
	t.Helper()
	creds, err := tn.Credentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	login, _ := creds["d24"]["login"].(string)
	secret, _ := creds["d24"]["secret_key"].(string)
	if login == "" || secret == "" {
		t.Fatalf("no d24 login/secret_key in %v", creds["d24"])
	}
	return d24{base: ctr.URL("d24"), login: login, secret: secret}
}

func deposit(lastName, notify string) map[string]any {
	return map[string]any{
		"invoice_id": fmt.Sprintf("tc-%d", time.Now().UnixNano()), "amount": 100, "country": "BR", "currency": "BRL",
		"payment_method": "IX",
		"payer": map[string]any{"id": "c1", "document": "84932568207", "document_type": "CPF",
			"first_name": "Ricardo", "last_name": lastName, "email": "ricardo@example.com"},
		"notification_url": notify,
	}
}

// Credentials, a new tenant, a deposit, Advance with its webhook reaching
// a receiver on this machine (signed over the same body, Host kept), the
// journal, Reset.
func TestRunTenantAdvanceWebhookJournalReset(t *testing.T) {
	img := image(t)
	ctx := context.Background()
	ctr, err := fakeprovider.Run(ctx, img,
		fakeprovider.WithWebhooksToHost(),
		fakeprovider.WithWebhookRetryScale(0.01),
		testcontainers.WithEnv(map[string]string{"FAKEPROVIDER_EXPLAIN_AUTH": "true"}),
	)
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ctr.URL("d24"), "http://") || !strings.HasSuffix(ctr.URL("d24"), "/d24") {
		t.Errorf("URL(d24) = %s", ctr.URL("d24"))
	}
	def, err := ctr.Credentials(ctx)
	if err != nil || def["d24"]["login"] == nil {
		t.Fatalf("default credentials: %v, %v", def, err)
	}
	tn, err := ctr.NewTenant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client := tenantD24(t, ctx, ctr, tn)
	if client.login == def["d24"]["login"] {
		t.Errorf("the new tenant has the default tenant's login %s", client.login)
	}

	srv, hooks := receiver(t)
	st, dep := client.do(t, http.MethodPost, "/v3/deposits", deposit("Carrasco", srv.URL+"/webhooks/d24"))
	if st != http.StatusOK && st != http.StatusCreated {
		t.Fatalf("create deposit: %d %v", st, dep)
	}
	if _, err := tn.Advance(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	select {
	case h := <-hooks:
		if h.path != "/webhooks/d24" {
			t.Errorf("webhook path %s", h.path)
		}
		if want := strings.TrimPrefix(srv.URL, "http://"); h.host != want {
			t.Errorf("webhook Host %q, want the registered %q", h.host, want)
		}
		want := "D24 " + sign(client.secret, h.header.Get("X-Date")+h.header.Get("X-Login")+string(h.body))
		if got := h.header.Get("Authorization"); got != want {
			t.Errorf("webhook Authorization %q, want %q over the body received", got, want)
		}
	case <-time.After(10 * time.Second):
		wh, _ := tn.Webhooks(ctx)
		t.Fatalf("no webhook reached the receiver; deliveries: %+v", wh)
	}

	reqs, err := tn.Requests(ctx, fakeprovider.Filter{Provider: "d24"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range reqs {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/v3/deposits") {
			found = true
			if !r.Auth.OK {
				t.Errorf("deposit creation: auth failed: %s", r.Auth.Reason)
			}
		}
	}
	if !found {
		t.Errorf("the journal has no POST /v3/deposits: %+v", reqs)
	}
	if n, err := tn.Count(ctx, fakeprovider.Filter{Method: "POST", PathPrefix: "/d24/v3/deposits", Status: "2xx", Auth: "ok"}); err != nil || n != 1 {
		t.Errorf("count of the deposit creation: %d, %v", n, err)
	}

	if err := tn.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if wh, err := tn.Webhooks(ctx); err != nil || len(wh) != 0 {
		t.Errorf("after Reset: webhooks %+v, %v; want none", wh, err)
	}
	if _, err := ctr.Advance(ctx, time.Minute); err != nil {
		t.Errorf("advance the whole server: %v", err)
	}
	if err := ctr.Reset(ctx); err != nil {
		t.Errorf("reset the whole server: %v", err)
	}

	// A refused call's error carries the control API's envelope.
	if err := tn.Delete(ctx); err != nil {
		t.Fatalf("delete the tenant: %v", err)
	}
	err = tn.Delete(ctx)
	var ce *fakeprovider.Error
	if !errors.As(err, &ce) || ce.Code != "not_found" || ce.Message == "" {
		t.Errorf("delete the deleted tenant: %v; want a *fakeprovider.Error with code not_found", err)
	}
}

// A scenario file of the test's own, and state on a data volume that
// survives a stop and start.
func TestScenariosAndDataVolume(t *testing.T) {
	img := image(t)
	ctx := context.Background()
	b := make([]byte, 4)
	rand.Read(b)
	vol := "fakeprovider-tc-" + hex.EncodeToString(b)
	ctr, err := fakeprovider.Run(ctx, img,
		fakeprovider.WithScenarios("testdata"),
		fakeprovider.WithDataVolume(vol),
	)
	testcontainers.CleanupContainer(t, ctr, testcontainers.RemoveVolumes(vol))
	if err != nil {
		t.Fatal(err)
	}
	tn, err := ctr.NewTenant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client := tenantD24(t, ctx, ctr, tn)
	st, dep := client.do(t, http.MethodPost, "/v3/deposits", deposit("Tcdecline", ""))
	if st != http.StatusOK && st != http.StatusCreated {
		t.Fatalf("create deposit: %d %v", st, dep)
	}
	id := fmt.Sprint(dep["deposit_id"])
	if _, err := tn.Advance(ctx, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if st, got := client.do(t, http.MethodGet, "/v3/deposits/"+id, nil); got["status"] != "DECLINED" {
		t.Errorf("deposit after the test's scenario: %d %v, want DECLINED", st, got)
	}

	timeout := 5 * time.Second
	if err := ctr.Stop(ctx, &timeout); err != nil {
		t.Fatal(err)
	}
	if err := ctr.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ctr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	client.base = ctr.URL("d24")
	if st, got := client.do(t, http.MethodGet, "/v3/deposits/"+id, nil); got["status"] != "DECLINED" {
		t.Errorf("deposit after a restart on the volume: %d %v, want DECLINED", st, got)
	}
}
