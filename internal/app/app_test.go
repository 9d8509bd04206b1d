package app_test

import (
	"context"
	"crypto/tls"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

var _ = flag.Bool("update", false, "rewrite golden files (none in this package; accepted so that go test ./... -update works)")

func widgets() []platform.Provider { return []platform.Provider{platformtest.NewWidget()} }

func post(t *testing.T, url, key, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("X-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// A record written through the store survives a restart with the same
// data file; so do tenants and their credentials.
func TestRestartWithSameData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	h := platformtest.New(t, widgets(), platformtest.WithData(path))
	if st, body := post(t, h.URL+"/widgets", platformtest.WidgetKey, `{"name":"kept"}`); st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	tid := h.NewTenant()
	c, _ := h.App.Tenants.Credentials(tid, "widget")
	key := c.(*platformtest.WidgetCreds).Key
	if st, _ := post(t, h.URL+"/widgets", key, `{"name":"tenant's"}`); st != 201 {
		t.Fatal("tenant create")
	}
	h.Stop()
	http.DefaultClient.CloseIdleConnections()

	h2 := platformtest.New(t, widgets(), platformtest.WithData(path))
	req, _ := http.NewRequest("GET", h2.URL+"/widgets/1", nil)
	req.Header.Set("X-Key", platformtest.WidgetKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(raw), `"name":"kept"`) {
		t.Errorf("widget after restart: %d %s", resp.StatusCode, raw)
	}
	if st, body := post(t, h2.URL+"/widgets", key, `{"name":"second"}`); st != 201 || !strings.Contains(body, `"id":"2"`) {
		t.Errorf("tenant after restart (credentials and sequence kept): %d %s", st, body)
	}
	if !strings.HasSuffix(h2.App.Store.Path(), "state.db") || h2.App.Store.Temporary() {
		t.Errorf("store %s temporary %v", h2.App.Store.Path(), h2.App.Store.Temporary())
	}
}

// Without a data file the state is temporary and removed when Run ends.
func TestTemporaryStateRemovedAfterRun(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, app.Options{Addr: "127.0.0.1:0"}, widgets())
	if err != nil {
		t.Fatal(err)
	}
	path := a.Store.Path()
	if !a.Store.Temporary() {
		t.Fatal("not temporary")
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	if err := platformtest.WaitHealthy(ctxTimeout(t), a.URL()); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s still there after Run (%v)", path, err)
	}
	// Close of an App that never ran removes its file too.
	b, err := app.New(context.Background(), app.Options{Addr: "127.0.0.1:0", NoListen: true}, widgets())
	if err != nil {
		t.Fatal(err)
	}
	p := b.Store.Path()
	b.Close()
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("%s still there after Close", p)
	}
}

func ctxTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestTLSSelfSigned(t *testing.T) {
	h := platformtest.New(t, widgets(), platformtest.WithOptions(func(o *app.Options) { o.TLS = true }))
	if !strings.HasPrefix(h.URL, "https://") {
		t.Fatalf("URL %s", h.URL)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := c.Get(h.URL + "/_fakeprovider/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("health over TLS: %d", resp.StatusCode)
	}
	cert := resp.TLS.PeerCertificates[0]
	if err := cert.VerifyHostname("localhost"); err != nil {
		t.Errorf("certificate: %v", err)
	}
	if err := cert.VerifyHostname("127.0.0.1"); err != nil {
		t.Errorf("certificate: %v", err)
	}
	c.CloseIdleConnections()
	_, err = app.New(context.Background(), app.Options{Addr: "127.0.0.1:0", TLSCert: "only-cert.pem"}, widgets())
	if err == nil {
		t.Error("--tls-cert without --tls-key accepted")
	}
}

func TestPprofOnlyWhenAsked(t *testing.T) {
	for _, on := range []bool{false, true} {
		h := platformtest.New(t, widgets(), platformtest.WithOptions(func(o *app.Options) { o.Pprof = on }))
		resp, err := http.Get(h.URL + "/_fakeprovider/debug/pprof/cmdline")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if (resp.StatusCode == 200) != on {
			t.Errorf("pprof %v: %d", on, resp.StatusCode)
		}
		http.DefaultClient.CloseIdleConnections()
	}
}

func TestLoadCredentials(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(file, []byte(`{"tenant":"x","widget":{"key":"k"}}`), 0o600)
	cases := []struct {
		src     string
		want    string
		wantErr bool
	}{
		{"", "", false},
		{`{"widget":{"key":"inline"}}`, `{"key":"inline"}`, false},
		{`  {"widget":{"key":"spaced"}}`, `{"key":"spaced"}`, false},
		{file, `{"key":"k"}`, false},
		{filepath.Join(t.TempDir(), "missing.json"), "", true},
		{`{broken`, "", true},
	}
	for _, c := range cases {
		m, err := app.LoadCredentials(c.src)
		if (err != nil) != c.wantErr {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if _, ok := m["tenant"]; ok {
			t.Errorf("%q: the tenant key is not an override", c.src)
		}
		if c.want != "" && string(m["widget"]) != c.want {
			t.Errorf("%q: %s", c.src, m["widget"])
		}
	}
}
