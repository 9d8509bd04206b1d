// Package platformtest starts fakeprovider for tests: in-process with a
// chosen set of providers (New), or as the real binary (StartBinary), and
// offers a loopback webhook receiver.
package platformtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
)

// Harness is an in-process emulator listening on a loopback port.
type Harness struct {
	t   testing.TB
	App *app.App
	// URL is the shared listener's base URL, e.g. "http://127.0.0.1:41234".
	URL string
	// token is the control token the emulator requires (if any); Control
	// sends it.
	token string

	stopOnce sync.Once
	stop     func()
}

// Option adjusts the harness's app options.
type Option func(*app.Options)

// WithOptions edits the app options directly.
func WithOptions(fn func(*app.Options)) Option { return Option(fn) }

// WithNow pins the wall clock.
func WithNow(now func() time.Time) Option { return func(o *app.Options) { o.Now = now } }

// WithScenarios adds a user scenario directory.
func WithScenarios(dir string) Option { return func(o *app.Options) { o.ScenariosDir = dir } }

// WithData uses a persistent store file.
func WithData(path string) Option { return func(o *app.Options) { o.Data = path } }

// New starts the emulator with providers on 127.0.0.1:0 and stops it at
// the end of the test.
func New(t testing.TB, providers []platform.Provider, opts ...Option) *Harness {
	t.Helper()
	o := app.Options{
		Addr:              "127.0.0.1:0",
		ExplainAuth:       true,
		WebhookRetryScale: 1,
		Logger:            slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		ShutdownTimeout:   5 * time.Second,
	}
	var checked declaredFieldsCheck
	o.ObserveEvent = checked.observer(providers)
	t.Cleanup(func() { checked.report(t) }) // after Stop, the later cleanup
	for _, fn := range opts {
		fn(&o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, o, providers)
	if err != nil {
		cancel()
		t.Fatalf("platformtest: start: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	h := &Harness{t: t, App: a, URL: a.URL(), token: o.ControlToken}
	h.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("platformtest: run: %v", err)
		}
	}
	t.Cleanup(h.Stop)
	return h
}

// Stop shuts the emulator down gracefully (as on SIGTERM) and waits; a
// persistent store can then be opened by another harness (a restart).
func (h *Harness) Stop() { h.stopOnce.Do(h.stop) }

// Credentials returns the default tenant's credentials of provider (the
// provider's own struct).
func (h *Harness) Credentials(provider string) any {
	c, ok := h.App.Tenants.Credentials(tenant.DefaultID, provider)
	if !ok {
		h.t.Fatalf("platformtest: no credentials for %s", provider)
	}
	return c
}

// NewTenant mints a tenant and returns its id.
func (h *Harness) NewTenant() string {
	t, err := h.App.Tenants.Create(context.Background())
	if err != nil {
		h.t.Fatalf("platformtest: new tenant: %v", err)
	}
	return t.ID
}

// Control calls the control API and decodes a JSON answer into out (when
// not nil); it returns the status.
func (h *Harness) Control(method, path string, body any, out any) int {
	h.t.Helper()
	return doJSON(h.t, method, h.URL+"/_fakeprovider"+path, body, out, h.token)
}

// Advance fast-forwards scenario time by d (all tenants) and runs every
// step and delivery that falls due before returning.
func (h *Harness) Advance(d time.Duration) {
	h.t.Helper()
	if st := h.Control(http.MethodPost, "/clock/advance", map[string]string{"by": d.String()}, nil); st != http.StatusOK {
		h.t.Fatalf("platformtest: clock advance: status %d", st)
	}
}

// DoJSON sends body (JSON-encoded unless it is []byte or nil) and decodes a
// JSON answer into out (when not nil); it returns the status.
func DoJSON(t testing.TB, method, url string, body any, out any) int {
	t.Helper()
	return doJSON(t, method, url, body, out, "")
}

func doJSON(t testing.TB, method, url string, body any, out any, token string) int {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, url, raw, err)
		}
	}
	return resp.StatusCode
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// Receiver is a loopback webhook receiver that records what it gets.
type Receiver struct {
	URL string

	mu       sync.Mutex
	requests []Received
	status   int
	notify   chan struct{}
}

// Received is one request a Receiver got.
type Received struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
	Time   time.Time
}

// NewReceiver starts a receiver answering 200 (see SetStatus); it stops at
// the end of the test.
func NewReceiver(t testing.TB) *Receiver {
	r := &Receiver{status: http.StatusOK, notify: make(chan struct{}, 1)}
	srv := newLoopbackServer(t, http.HandlerFunc(r.serve))
	r.URL = srv
	return r
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.requests = append(r.requests, Received{Method: req.Method, Path: req.URL.RequestURI(), Header: req.Header.Clone(), Body: body, Time: time.Now()})
	status := r.status
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
	w.WriteHeader(status)
}

// SetStatus sets the status the receiver answers with (e.g. 500 for "down").
func (r *Receiver) SetStatus(code int) {
	r.mu.Lock()
	r.status = code
	r.mu.Unlock()
}

// Requests returns what the receiver got so far.
func (r *Receiver) Requests() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.requests...)
}

// WaitFor waits (bounded by timeout) until the receiver has at least n
// requests and returns them. Deliveries run asynchronously after a commit
// unless a clock advance drove them, so tests that do not advance use it.
func (r *Receiver) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if got := r.Requests(); len(got) >= n {
			return got
		}
		select {
		case <-r.notify:
		case <-deadline:
			t.Fatalf("receiver: got %d requests, want %d", len(r.Requests()), n)
		}
	}
}

// LogBuffer is a goroutine-safe sink for the emulator's log.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is everything logged so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// WithLog sends the emulator's log, from debug up, to buf (as text).
func WithLog(buf *LogBuffer) Option {
	return func(o *app.Options) {
		o.Logger = slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

// AuthReasons lists the auth-failure reasons in the journal, newest first.
func (h *Harness) AuthReasons() []string {
	var out []string
	for _, e := range h.App.Journal.List(journal.Filter{}) {
		if !e.Auth.OK {
			out = append(out, e.Auth.Reason)
		}
	}
	return out
}
