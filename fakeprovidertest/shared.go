package fakeprovidertest

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
)

// The shared server of a test binary: the package's only global state,
// started lazily (once) by the first Shared call and stopped by Main.
var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Main runs a test binary's tests and then stops the shared server (if a
// test started it) and removes its state. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(fakeprovidertest.Main(m)) }
//
// Without Main, Shared still works, but the shared server's temporary state
// file is left in the temporary directory when the binary exits.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.srv != nil {
		if err := shared.srv.Close(); err != nil && code == 0 {
			code = 1
		}
	}
	return code
}

// Shared returns a fresh tenant on the test binary's shared server,
// starting the server on first use. Each call mints a new tenant (fresh
// credentials; data, webhooks, scenario runs and clock offset of its own),
// so tests using it can run with t.Parallel() without seeing each other.
// Its Advance and Reset act on that tenant only. See Main. With
// $FAKEPROVIDER_URL set, the shared server is that running emulator. The
// tenant is deleted when the test ends, unless it failed.
func Shared(t testing.TB) *Tenant {
	t.Helper()
	shared.once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			shared.srv, shared.err = connect(u)
			return
		}
		shared.srv, shared.err = start(config{opts: sharedOptions()})
	})
	if shared.err != nil {
		t.Fatalf("fakeprovidertest: start shared server: %v", shared.err)
	}
	tn := shared.srv.Tenant.For(t).NewTenant()
	// A long-running emulator ($FAKEPROVIDER_URL) would otherwise collect a
	// tenant per test: the tenant goes when its test passes, and stays, for
	// the inspector, when it fails.
	t.Cleanup(func() {
		if !t.Failed() {
			shared.srv.call(http.MethodDelete, "/tenants/"+url.PathEscape(tn.ID), nil, nil) //nolint:errcheck // deleted by the test already is fine
		}
	})
	return tn
}

func sharedOptions() (o appOptions) {
	o.ExplainAuth = true
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	return o
}
