// Package server wires fakeprovider's HTTP side: one shared listener that
// serves every provider at its real paths and under /<provider>/, optional
// per-provider listeners, the control API under /_fakeprovider/, and the
// middleware every request passes (request id, journal, panic recovery,
// CORS), with graceful shutdown.
package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// ControlPrefix is where the control API lives; no provider path starts so.
const ControlPrefix = "/_fakeprovider"

// Config configures the listeners.
type Config struct {
	// Addr is the shared listener, e.g. "127.0.0.1:8080" (":0" picks a port).
	Addr string
	// HostAddrs optionally gives a provider (or an extra host of one) a
	// listener of its own at its real paths: "d24" → "127.0.0.1:8089".
	HostAddrs map[string]string
	// TLS, when set, serves HTTPS on every listener.
	TLS *tls.Config
	// CORSOrigins lists browser origins allowed to call the provider APIs;
	// "*" allows any. The control API answers CORS only for its own origins.
	CORSOrigins []string
	// AllowedHosts are extra Host names the control API answers for (a
	// compose service, host.docker.internal); ".example" allows a domain
	// and its subdomains, "*" any name. See guard.go.
	AllowedHosts []string
	// ControlToken, when set, is required by the control API.
	ControlToken string
	// MaxHeaderBytes bounds a request's header (0: DefaultMaxHeaderBytes).
	MaxHeaderBytes int
	// Timeouts.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	ShutdownTimeout   time.Duration
}

// Server is the HTTP side of the emulator.
type Server struct {
	cfg     Config
	log     *slog.Logger
	journal *journal.Journal
	now     func() time.Time

	shared  http.Handler
	perHost map[string]http.Handler

	mu        sync.Mutex
	listeners map[string]net.Listener // "" = shared
	servers   []*http.Server

	guard guardState
}

// DefaultMaxHeaderBytes is the largest request header (request line
// included) served by default: real SDKs send a few KiB; Go's own default
// of 1 MiB let one client park a megabyte per request in memory.
const DefaultMaxHeaderBytes = 64 << 10

// New builds the handlers. control registers the control API on its router.
func New(cfg Config, log *slog.Logger, j *journal.Journal, now func() time.Time, mounts []*platform.Mount, control func(r *mux.Router)) (*Server, error) {
	entries, err := collectRoutes(mounts)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, m := range mounts {
		known[m.Provider()] = true
		for _, h := range m.Hosts() {
			if known[h.Name] {
				return nil, fmt.Errorf("host name %q used twice", h.Name)
			}
			known[h.Name] = true
		}
	}
	for name := range cfg.HostAddrs {
		if !known[name] {
			return nil, fmt.Errorf("listener for unknown provider or host %q", name)
		}
	}
	s := &Server{cfg: cfg, log: log, journal: j, now: now, perHost: map[string]http.Handler{}, listeners: map[string]net.Listener{}}

	ctl := newRouter()
	// A plain router behind StripPrefix: a PathPrefix subrouter would answer
	// a wrong method with 404 instead of 405.
	control(ctl)
	// Two patterns (a path and its trailing-slash twin) per route under its
	// prefix, two more at its real path when shared.
	shared := make([]pattern, 0, 4*len(entries))
	for _, e := range entries {
		shared = append(shared, patternsOf("/"+e.host, e)...)
	}
	for _, e := range entries {
		if e.shared {
			shared = append(shared, patternsOf("", e)...)
		}
	}
	d := newDispatcher(s.controlGuard(http.StripPrefix(ControlPrefix, ctl)), shared)
	d.owners = owners(entries)
	s.shared = s.middleware(d)

	for name := range cfg.HostAddrs {
		var own []pattern
		for _, e := range entries {
			if e.host == name {
				own = append(own, patternsOf("", e)...)
			}
		}
		hd := newDispatcher(nil, own)
		for _, e := range entries {
			if e.host == name {
				hd.only = e.mount.NotFound()
				break
			}
		}
		s.perHost[name] = s.middleware(hd)
	}
	return s, nil
}

func newRouter() *mux.Router {
	r := mux.NewRouter().SkipClean(true).UseEncodedPath()
	r.NotFoundHandler = http.HandlerFunc(neutralNotFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(neutralMethodNotAllowed)
	return r
}

// neutralMethodNotAllowed is the 405 of paths no provider owns (the control
// API).
func neutralMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	controlapi.WriteError(w, http.StatusMethodNotAllowed, controlapi.CodeMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path)
}

// neutralNotFound is the 404 of paths no provider owns.
func neutralNotFound(w http.ResponseWriter, r *http.Request) {
	controlapi.WriteError(w, http.StatusNotFound, controlapi.CodeNotFound, "no route for "+r.Method+" "+r.URL.Path)
}

// Handler is the shared listener's handler (all providers and the control API).
func (s *Server) Handler() http.Handler { return s.shared }

// HostHandler is the handler of a per-provider listener.
func (s *Server) HostHandler(name string) http.Handler { return s.perHost[name] }

// WriteJSON writes v as a JSON answer.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"internal","message":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

// statusWriter records the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (hijack for
// dropped-connection faults, flush for event streams).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack passes through for dropped-connection faults.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Flush passes through for streaming answers.
func (w *statusWriter) Flush() { http.NewResponseController(w.ResponseWriter).Flush() }

// middleware: CORS, request id, journal, panic recovery.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		control := strings.HasPrefix(r.URL.Path, ControlPrefix+"/") || r.URL.Path == ControlPrefix
		// The control API's CORS is the guard's (its own origins only).
		if !control && s.cors(w, r) {
			return
		}
		start := time.Now()
		// One allocation for the request's writer, scope and recorder.
		st := &struct {
			sw    statusWriter
			scope platform.RequestScope
			rec   journal.Recorder
		}{sw: statusWriter{ResponseWriter: w}}
		sw := &st.sw
		var rec *journal.Recorder
		if !control {
			rec = &st.rec
			s.journal.Begin(rec, r, s.now())
			w.Header()["X-Request-Id"] = rec.IDHeader()
			r = st.scope.Bind(r, rec)
		}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					if rec != nil {
						s.journal.Finish(rec, 0, time.Since(start))
					}
					panic(p)
				}
				s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					WriteJSON(sw, http.StatusInternalServerError, map[string]any{"error": "internal", "message": "internal error"})
				}
			}
			if rec != nil {
				s.journal.SetResponseHeaders(rec, sw.Header())
				s.journal.Finish(rec, sw.status, time.Since(start))
			}
			s.logRequest(r, rec, sw.status, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// logRequest writes one debug line per request (--log-level debug).
func (s *Server) logRequest(r *http.Request, rec *journal.Recorder, status int, d time.Duration) {
	if !s.log.Enabled(r.Context(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", journal.Cut(r.URL.EscapedPath(), journal.MaxPath)),
		slog.Int("status", status), slog.Float64("duration_ms", float64(d.Microseconds())/1000)}
	if rec != nil {
		provider, route, tenant, authOK := rec.Labels()
		attrs = append(attrs, slog.String("request_id", rec.ID()), slog.String("provider", provider), slog.String("route", route),
			slog.String("tenant", tenant), slog.Bool("auth_ok", authOK))
	} else {
		attrs = append(attrs, slog.Bool("control", true))
	}
	s.log.LogAttrs(r.Context(), slog.LevelDebug, "request", attrs...)
}

// cors sets CORS headers for allowed origins and answers preflights; it
// reports whether the request was fully answered.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || len(s.cfg.CORSOrigins) == 0 {
		return false
	}
	allowed := false
	for _, o := range s.cfg.CORSOrigins {
		if o == "*" || strings.EqualFold(o, origin) {
			allowed = true
			break
		}
	}
	if !allowed {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "*")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		}
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// Listen binds every listener, so that their addresses are known before
// serving (":0" picks free ports).
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	bind := func(name, addr string) error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range s.listeners {
				l.Close()
			}
			if name == "" {
				return fmt.Errorf("listen %s: %w", addr, err)
			}
			return fmt.Errorf("listen %s for %s: %w", addr, name, err)
		}
		if s.cfg.TLS != nil {
			ln = tls.NewListener(ln, s.cfg.TLS)
		}
		s.listeners[name] = ln
		return nil
	}
	if err := bind("", s.cfg.Addr); err != nil {
		return err
	}
	names := make([]string, 0, len(s.cfg.HostAddrs))
	for n := range s.cfg.HostAddrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := bind(n, s.cfg.HostAddrs[n]); err != nil {
			return err
		}
	}
	return nil
}

// URL is the base URL of a listener ("" for the shared one).
func (s *Server) URL(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ln, ok := s.listeners[name]
	if !ok {
		return ""
	}
	scheme := "http"
	if s.cfg.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + ln.Addr().String()
}

// Names lists the per-host listeners.
func (s *Server) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for n := range s.listeners {
		if n != "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Serve serves every bound listener until ctx ends, then shuts down
// gracefully: in-flight requests finish (bounded by ShutdownTimeout).
func (s *Server) Serve(ctx context.Context) error {
	s.mu.Lock()
	errc := make(chan error, len(s.listeners))
	fresh := newFreshConns()
	for name, ln := range s.listeners {
		h := s.shared
		if name != "" {
			h = s.perHost[name]
		}
		maxHeader := s.cfg.MaxHeaderBytes
		if maxHeader <= 0 {
			maxHeader = DefaultMaxHeaderBytes
		}
		srv := &http.Server{
			Handler:           h,
			MaxHeaderBytes:    maxHeader,
			ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
			ReadTimeout:       s.cfg.ReadTimeout,
			WriteTimeout:      s.cfg.WriteTimeout,
			IdleTimeout:       s.cfg.IdleTimeout,
			ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
			BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
			ConnState:         fresh.track,
		}
		// Shutdown waits up to 5 s for connections that never sent a request
		// (a client pool's spare connection); nothing is in flight on them.
		// Hooks run after the listeners are closed.
		srv.RegisterOnShutdown(fresh.closeAll)
		s.servers = append(s.servers, srv)
		go func(ln net.Listener) {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}(ln)
	}
	servers := s.servers
	s.mu.Unlock()

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	timeout := s.cfg.ShutdownTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, srv := range servers {
		wg.Add(1)
		go func(srv *http.Server) {
			defer wg.Done()
			if err := srv.Shutdown(sctx); err != nil {
				srv.Close()
			}
		}(srv)
	}
	wg.Wait()
	return serveErr
}

// freshConns tracks connections that have not sent a request yet.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]bool
	n     atomic.Int64 // len(conns)
}

func newFreshConns() *freshConns { return &freshConns{conns: map[net.Conn]bool{}} }

func (f *freshConns) track(c net.Conn, state http.ConnState) {
	// Every request moves its connection to active and back to idle:
	// with no fresh connection held (the steady state of keep-alive
	// clients), there is nothing to forget and no lock to take. A
	// connection's own StateNew happens before its later states.
	if state != http.StateNew && f.n.Load() == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if state == http.StateNew {
		f.conns[c] = true
	} else if f.conns[c] {
		delete(f.conns, c)
	}
	f.n.Store(int64(len(f.conns)))
}

// closeAll closes the connections that have not sent a request yet.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		c.Close()
		delete(f.conns, c)
	}
	f.n.Store(0)
}
