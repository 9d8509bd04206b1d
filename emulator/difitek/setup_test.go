package difitek

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/clock"
	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/server"
	"github.com/fakeprovider/fakeprovider/internal/store"
	"github.com/gorilla/mux"
)

// fakeTenants maps tenant ids to credentials.
type fakeTenants map[string]*Credentials

// Lookup finds the tenant by the keys the provider declares, as the
// tenant registry does.
func (f fakeTenants) Lookup(provider, key string) (string, any, bool) {
	keys := New().Credentials().Keys
	for id, c := range f {
		if slices.Contains(keys(c), key) {
			return id, c, true
		}
	}
	return "", nil, false
}

func (f fakeTenants) Bind(provider, key, tenant string) {}

func (f fakeTenants) Credentials(tenant, provider string) (any, bool) {
	c, ok := f[tenant]
	return c, ok
}

func (f fakeTenants) IDs() []string {
	var ids []string
	for id := range f {
		ids = append(ids, id)
	}
	return ids
}

// testEnv is a mounted provider on a temporary store, served by the
// server's dispatcher.
type testEnv struct {
	p      *Provider
	m      *platform.Mount
	srv    *httptest.Server
	wall   time.Time
	tenant fakeTenants
}

func newTestEnv(t testing.TB, tenants fakeTenants, configure ...func(*Provider)) *testEnv {
	t.Helper()
	st, err := store.Open(store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	env := &testEnv{p: New(), tenant: tenants, wall: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	for _, fn := range configure {
		fn(env.p)
	}
	deps := platform.Deps{Store: st, Tenants: tenants, Clock: clock.New(func() time.Time { return env.wall }),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Config: platform.Config{ExplainAuth: true}}
	env.m = platform.NewMount(Name, deps)
	if err := env.p.Mount(env.m); err != nil {
		t.Fatal(err)
	}
	// The server's own dispatcher: real paths, the /difitek prefix and
	// trailing-slash twins, answered as in production.
	srv, err := server.New(server.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), journal.New(16, nil),
		func() time.Time { return env.wall }, []*platform.Mount{env.m}, func(*mux.Router) {})
	if err != nil {
		t.Fatal(err)
	}
	env.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(env.srv.Close)
	return env
}

// response is a decoded Difitek answer.
type response struct {
	Status  int             `json:"status"`
	Outcome string          `json:"outcome"`
	Data    json.RawMessage `json:"data"`
	HTTP    int             `json:"-"`
	Explain string          `json:"-"`
}

func (r response) code() int {
	var d struct {
		Code int `json:"code"`
	}
	_ = json.Unmarshal(r.Data, &d)
	return d.Code
}

// send makes a request with the given cv-auth header (none when empty).
func (env *testEnv) send(t *testing.T, method, path, cvAuth string, body []byte, extra ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, env.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if cvAuth != "" {
		req.Header.Set(HeaderCVAuth, cvAuth)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		req.Header.Set(extra[i], extra[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out response
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: body %q is not JSON: %v", method, path, raw, err)
	}
	out.HTTP = resp.StatusCode
	out.Explain = resp.Header.Get(platform.ExplainHeader)
	return out
}

// as signs a request as username/password of creds.
func (env *testEnv) as(t *testing.T, c *Credentials, username, password, method, path string, body []byte) response {
	t.Helper()
	tok := SignToken(c.APIKey, c.APISecret, username, password, NewNonce(), CreatedString(env.wall))
	return env.send(t, method, path, tok.String(), body)
}

func (env *testEnv) view(t *testing.T, tenant string, fn func(tx *platform.Tx) error) {
	t.Helper()
	if err := env.m.View(context.Background(), tenant, fn); err != nil {
		t.Fatal(err)
	}
}
