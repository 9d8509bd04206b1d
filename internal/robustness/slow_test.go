// Package robustness holds the tests that prove the server cannot be held
// up or crashed by slow or hostile clients and receivers.
package robustness

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

func short(o *app.Options) {
	o.ReadHeaderTimeout = 300 * time.Millisecond
	o.ReadTimeout = 600 * time.Millisecond
}

// connClosedWithin reports whether the server closed conn within d.
func connClosedWithin(conn net.Conn, d time.Duration) bool {
	conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.ReadAll(conn)
	var ne net.Error
	return err == nil || !(errors.As(err, &ne) && ne.Timeout())
}

// Slowloris-style clients that trickle headers or a body are cut off by the
// server's timeouts instead of holding a connection forever.
func TestSlowClientsAreCutOff(t *testing.T) {
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()}, platformtest.WithOptions(short))
	addr := strings.TrimPrefix(h.URL, "http://")
	cases := []struct {
		name  string
		start string
		drip  string
	}{
		{"headers", "GET /widgets/1 HTTP/1.1\r\nHost: x\r\n", "X-Slow: a\r\n"},
		{"body", "POST /widgets HTTP/1.1\r\nHost: x\r\nX-Key: widget-key\r\nContent-Length: 1000\r\n\r\n", "{"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			io.WriteString(conn, c.start)
			stop := make(chan struct{})
			go func() {
				tick := time.NewTicker(100 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
						if _, err := io.WriteString(conn, c.drip); err != nil {
							return
						}
					}
				}
			}()
			defer close(stop)
			if !connClosedWithin(conn, 5*time.Second) {
				t.Fatal("the server kept a trickling client's connection open for 5 s")
			}
		})
	}
	// The server is still up.
	if st := platformtest.DoJSON(t, http.MethodGet, h.URL+"/_fakeprovider/health", nil, nil); st != http.StatusOK {
		t.Fatalf("health after slow clients: %d", st)
	}
}

// A webhook receiver that never answers does not block API requests; its
// attempt ends with the provider's timeout and is recorded.
func TestHangingReceiverDoesNotBlockAPI(t *testing.T) {
	release := make(chan struct{})
	hang := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hang.Serve(ln)
	defer func() { close(release); hang.Close() }()

	const sc = "version: 1\nname: widget-done\nprovider: widget\non: widget.created\ndefault: true\nsteps:\n  - status: done\n"
	dir := t.TempDir()
	writeFile(t, dir+"/done.yaml", sc)
	w := platformtest.NewWidget()
	w.DeliveryTimeout = 700 * time.Millisecond
	h := platformtest.New(t, []platform.Provider{w}, platformtest.WithScenarios(dir))

	create := func() int {
		body := []byte(`{"name":"gear","callback_url":"http://` + ln.Addr().String() + `/hook"}`)
		req, _ := http.NewRequest(http.MethodPost, h.URL+"/widgets", bytes.NewReader(body))
		req.Header.Set("X-Key", platformtest.WidgetKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Each create's scenario completes at once and notifies the hanging receiver.
	for i := 0; i < 10; i++ {
		if st := create(); st != http.StatusCreated {
			t.Fatalf("create: %d", st)
		}
	}
	var wg sync.WaitGroup
	var slow []time.Duration
	var mu sync.Mutex
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			req, _ := http.NewRequest(http.MethodGet, h.URL+"/widgets/1", nil)
			req.Header.Set("X-Key", platformtest.WidgetKey)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
			if d := time.Since(start); d > 500*time.Millisecond {
				mu.Lock()
				slow = append(slow, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(slow) > 0 {
		t.Errorf("%d API calls took over 500ms while deliveries hung: %v", len(slow), slow)
	}
	h.Advance(0) // waits for the attempts in flight
	var hooks struct {
		Webhooks []struct {
			Attempts []struct{ Error string }
		}
	}
	h.Control(http.MethodGet, "/webhooks?limit=1000", nil, &hooks)
	if len(hooks.Webhooks) != 10 {
		t.Fatalf("%d deliveries, want 10", len(hooks.Webhooks))
	}
	for _, d := range hooks.Webhooks {
		if len(d.Attempts) != 1 || !strings.Contains(d.Attempts[0].Error, "deadline") {
			t.Fatalf("attempts %+v, want one timed out", d.Attempts)
		}
	}
}
