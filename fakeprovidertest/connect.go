package fakeprovidertest

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
)

// EnvURL names the environment variable that makes StartOrConnect and
// Shared use a running emulator (the binary, a docker compose service, a
// GitHub Actions service container) instead of starting one in-process.
const EnvURL = "FAKEPROVIDER_URL"

// EnvControlToken names the environment variable with the control token of
// a running emulator started with --control-token (the same variable the
// emulator reads); Connect sends it on every control call.
const EnvControlToken = "FAKEPROVIDER_CONTROL_TOKEN"

// Connect attaches to an emulator that is already running at baseURL (e.g.
// "http://localhost:8080"), with the same helpers as Start. Everything goes
// through the control API; Sign uses this build's providers' signers with
// the credentials the server reports, and the local wall clock. Close does
// not stop that server.
func Connect(t testing.TB, baseURL string) *Server {
	t.Helper()
	s, err := connect(baseURL)
	if err != nil {
		t.Fatalf("fakeprovidertest: %v", err)
	}
	s.Tenant.t = t
	return s
}

func connect(baseURL string) (*Server, error) {
	baseURL = strings.TrimRight(baseURL, "/")
	s := &Server{BaseURL: baseURL, providers: map[string]platform.Provider{}, client: &http.Client{Timeout: 60 * time.Second},
		token: os.Getenv(EnvControlToken)}
	s.Tenant = &Tenant{srv: s, ID: tenant.DefaultID, global: true}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, raw, err := s.call(http.MethodGet, "/health", nil, nil)
		if err == nil && st == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s is not healthy: status %d, %v %s", baseURL, st, err, raw)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var creds map[string]any
	if _, _, err := s.call(http.MethodGet, "/credentials", nil, &creds); err != nil {
		return nil, err
	}
	for _, p := range app.Providers() {
		if _, ok := creds[p.Name()]; ok {
			s.providers[p.Name()] = p
			s.names = append(s.names, p.Name())
		}
	}
	return s, nil
}

// StartOrConnect is Connect(t, $FAKEPROVIDER_URL) when that variable is set,
// else Start(t, opts...): the same test runs in-process on a laptop and
// against the service container in CI.
func StartOrConnect(t testing.TB, opts ...Option) *Server {
	t.Helper()
	if u := os.Getenv(EnvURL); u != "" {
		return Connect(t, u)
	}
	return Start(t, opts...)
}
