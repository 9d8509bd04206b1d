package crowdtrust_test

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	ct "github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// wallClock is a settable wall clock for auth windows.
type wallClock struct{ v atomic.Int64 }

func (c *wallClock) set(t time.Time)      { c.v.Store(t.UnixNano()) }
func (c *wallClock) now() time.Time       { return time.Unix(0, c.v.Load()).UTC() }
func newWallClock(t time.Time) *wallClock { c := &wallClock{}; c.set(t); return c }

// env is a running emulator with only this provider.
type env struct {
	t     *testing.T
	h     *platformtest.Harness
	p     *ct.Provider
	clock *wallClock
}

func start(t *testing.T, opts ...platformtest.Option) *env {
	t.Helper()
	clock := newWallClock(time.Now().UTC())
	p := ct.New()
	opts = append([]platformtest.Option{platformtest.WithNow(clock.now)}, opts...)
	h := platformtest.New(t, []platform.Provider{p}, opts...)
	return &env{t: t, h: h, p: p, clock: clock}
}

// answer is an HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

// send sends a request with the given headers.
func (e *env) send(method, path string, body []byte, h http.Header) answer {
	e.t.Helper()
	a := platformtest.Send(e.t, method, e.h.URL+path, body, h)
	return answer{status: a.Status, header: a.Header, body: a.Body}
}

// signed sends a request signed like the official client with kp at the
// emulator's wall clock.
func (e *env) signed(method, path string, body []byte, kp ct.KeyPair) answer {
	e.t.Helper()
	return e.send(method, path, body, ct.SignedHeaders(method, path, body, kp, e.clock.now().Format(http.TimeFormat)))
}

func (e *env) defaultCreds() *ct.Credentials {
	return e.h.Credentials(ct.Name).(*ct.Credentials)
}

// mustStatus fails unless the answer has status want.
func mustStatus(t *testing.T, a answer, want int) {
	t.Helper()
	if a.status != want {
		t.Fatalf("status %d, want %d; body %s; auth reason %q", a.status, want, a.body, a.header.Get(platform.ExplainHeader))
	}
}
