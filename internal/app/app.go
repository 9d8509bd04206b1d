// Package app assembles fakeprovider: the platform (store, tenants, clock,
// journal, outbox, scenarios, faults, control API, server) and the list of
// providers. It is used by cmd/fakeprovider and by the in-process test
// package; imports run one way: app → emulator/* → platform.
package app

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/internal/clock"
	"github.com/fakeprovider/fakeprovider/internal/control"
	"github.com/fakeprovider/fakeprovider/internal/faults"
	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/outbox"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/scenario"
	"github.com/fakeprovider/fakeprovider/internal/schedule"
	"github.com/fakeprovider/fakeprovider/internal/server"
	"github.com/fakeprovider/fakeprovider/internal/store"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
	"github.com/fakeprovider/fakeprovider/scenarios"
)

// Version is the product version, set at build time with
// -ldflags "-X github.com/fakeprovider/fakeprovider/internal/app.Version=…".
var Version = "0.1.0-dev"

// Options configure the emulator. Zero values are the documented defaults.
type Options struct {
	// ObserveEvent, when set, sees every event a provider publishes, before
	// the scenario engine (tests check them against the declared fields).
	ObserveEvent func(provider string, ev platform.Event)
	// Addr of the shared listener; default 127.0.0.1:8080.
	Addr string
	// HostAddrs gives providers (or their extra hosts) listeners of their own.
	HostAddrs map[string]string
	// Data is the bbolt file; empty means a temporary file removed at Close.
	Data string
	// ExplainAuth adds X-Fakeprovider-Auth-Error to auth failures.
	ExplainAuth bool
	// TLS serves HTTPS: with TLSCert/TLSKey, or a self-signed certificate.
	TLS             bool
	TLSCert, TLSKey string
	CORSOrigins     []string
	// AllowedHosts are extra Host names the control API answers for
	// (besides loopback names, IP addresses and the machine's name).
	AllowedHosts []string
	// ControlToken, when set, is required by the control API.
	ControlToken string
	// MaxHeaderBytes bounds a request's header; 0 is 64 KiB.
	MaxHeaderBytes    int
	Credentials       string // file path, or inline JSON starting with '{'
	JournalSize       int
	MaxBodyBytes      int64
	WebhookRetryScale float64
	ScenariosDir      string
	ShutdownTimeout   time.Duration
	// Server timeouts; zero values are the defaults (10s, 60s, 60s, 120s).
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// Logger; nil means a discarding logger.
	Logger *slog.Logger
	// Now is the wall clock; nil means time.Now (tests pin it).
	Now func() time.Time
	// Pprof serves net/http/pprof under /_fakeprovider/debug/pprof/.
	Pprof bool
	// NoListen assembles without binding listeners (scenario lint).
	NoListen bool
	// WebhookLoopbackHost, when set, sends webhooks aimed at a loopback
	// address to this host instead (e.g. host.docker.internal from a
	// container); see outbox.RedirectLoopback.
	WebhookLoopbackHost string
}

// App is an assembled, listening emulator.
type App struct {
	Store    *store.Store
	Tenants  *tenant.Registry
	Clock    *clock.Clock
	Journal  *journal.Journal
	Server   *server.Server
	Mounts   []*platform.Mount
	Schedule *schedule.Scheduler
	Outbox   *outbox.Outbox
	Engine   *scenario.Engine
	Faults   *faults.Set
	log      *slog.Logger
}

// New assembles the emulator with providers (see Providers) and binds its
// listeners; Run serves.
func New(ctx context.Context, opts Options, providers []platform.Provider) (a *App, err error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:8080"
	}
	if opts.JournalSize <= 0 {
		opts.JournalSize = 1000
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 10 << 20
	}
	if opts.WebhookRetryScale <= 0 {
		opts.WebhookRetryScale = 1
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	log = slog.New(BoundLog(log.Handler()))
	overrides, err := LoadCredentials(opts.Credentials)
	if err != nil {
		return nil, err
	}

	st, err := store.Open(store.Options{Path: opts.Data, Logger: log})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			st.Close()
		}
	}()
	clk := clock.New(opts.Now)
	redactor := journal.NewRedactor()
	jr := journal.New(opts.JournalSize, redactor)
	tenants := tenant.New(st, providers)
	faultSet := faults.New()
	sched := schedule.New(st, clk, log.With("component", "schedule"))
	// Steps registered first: a step and a delivery due at once run step first.
	engine := scenario.New(st, clk, log.With("component", "scenarios"), faultSet, sched)
	ob := outbox.New(outbox.Options{Store: st, Clock: clk, Schedule: sched, Log: log.With("component", "outbox"), RetryScale: opts.WebhookRetryScale})

	deps := platform.Deps{
		Store:   st,
		Tenants: tenants,
		Clock:   clk,
		Log:     log,
		Config: platform.Config{
			ExplainAuth:       opts.ExplainAuth,
			MaxBodyBytes:      opts.MaxBodyBytes,
			WebhookRetryScale: opts.WebhookRetryScale,
		},
		Redact:  redactor,
		Journal: jr,
		Events:  observedEvents{engine, opts.ObserveEvent},
		Outbox:  ob,
		Faults:  faultSet,
	}
	var mounts []*platform.Mount
	seen := map[string]bool{}
	for _, p := range providers {
		if seen[p.Name()] {
			return nil, fmt.Errorf("provider %q listed twice", p.Name())
		}
		seen[p.Name()] = true
		pd := deps
		pd.Log = log.With("provider", p.Name())
		m := platform.MountOf(p, pd)
		if sub, err := fs.Sub(scenarios.FS, p.Name()); err == nil {
			m.Scenarios(sub)
		}
		mounts = append(mounts, m)
	}
	// Tenants load before Mount, so that providers can see them.
	if err := tenants.Load(ctx, overrides); err != nil {
		return nil, err
	}
	for i, p := range providers {
		if err := p.Mount(mounts[i]); err != nil {
			return nil, fmt.Errorf("mount %s: %w", p.Name(), err)
		}
	}

	signers := map[string]map[string]platform.SignFunc{}
	for _, m := range mounts {
		signers[m.Provider()] = m.Signers()
	}
	ob.SetSigners(signers)
	byName := map[string]*platform.Mount{}
	for _, m := range mounts {
		byName[m.Provider()] = m
	}
	ob.SetOutcome(func(tx *store.Tx, rec *outbox.Record, delivered bool) error {
		if m := byName[rec.Provider]; m != nil {
			return m.Outcome(tx, rec.Tenant, rec.Delivery, delivered)
		}
		return nil
	})
	engine.SetMounts(mounts)
	for _, p := range providers {
		if ef, ok := p.(scenario.EventFielder); ok {
			engine.DeclareFields(p.Name(), ef.EventFields())
		}
	}
	if err := engine.Load(ctx, opts.ScenariosDir); err != nil {
		return nil, err
	}
	// The clock offsets and every pending step and delivery.
	if err := sched.Load(ctx); err != nil {
		return nil, err
	}

	async := &control.Async{Clock: clk, Schedule: sched, Engine: engine, Outbox: ob, Faults: faultSet}
	api := &control.API{Version: Version, Store: st, Tenants: tenants, Journal: jr, Mounts: mounts, Log: log,
		Modules: controlModules(async),
		OnReset: []func(tx *store.Tx, tenant string) error{sched.Reset, ob.Reset, engine.Reset, async.ResetHook},
	}
	var tlsConf *tls.Config
	if opts.TLS || opts.TLSCert != "" {
		tlsConf, err = tlsConfig(opts.TLSCert, opts.TLSKey)
		if err != nil {
			return nil, err
		}
	}
	srv, err := server.New(server.Config{
		Addr:              opts.Addr,
		HostAddrs:         opts.HostAddrs,
		TLS:               tlsConf,
		CORSOrigins:       opts.CORSOrigins,
		AllowedHosts:      opts.AllowedHosts,
		ControlToken:      opts.ControlToken,
		MaxHeaderBytes:    opts.MaxHeaderBytes,
		ReadHeaderTimeout: orDefault(opts.ReadHeaderTimeout, 10*time.Second),
		ReadTimeout:       orDefault(opts.ReadTimeout, 60*time.Second),
		WriteTimeout:      orDefault(opts.WriteTimeout, 60*time.Second),
		IdleTimeout:       orDefault(opts.IdleTimeout, 120*time.Second),
		ShutdownTimeout:   opts.ShutdownTimeout,
	}, log, jr, clk.Now, mounts, func(r *mux.Router) {
		routes := &control.Routes{}
		api.Register(routes)
		if opts.Pprof {
			registerPprof(routes)
		}
		routes.Mount(r)
	})
	if err != nil {
		return nil, err
	}
	if !opts.NoListen {
		if err := srv.Listen(); err != nil {
			return nil, err
		}
		warnExposed(log, srv, opts.ControlToken != "")
		// Webhooks are never delivered to the emulator's own listeners.
		own := []string{srv.URL("")}
		for _, n := range srv.Names() {
			own = append(own, srv.URL(n))
		}
		if err := ob.SetOwnAddrs(own); err != nil {
			return nil, err
		}
	}
	ob.RedirectLoopback(opts.WebhookLoopbackHost, listenPorts(srv))
	return &App{Store: st, Tenants: tenants, Clock: clk, Journal: jr, Server: srv, Mounts: mounts, Schedule: sched, Outbox: ob, Engine: engine, Faults: faultSet, log: log}, nil
}

// URL is the shared listener's base URL.
func (a *App) URL() string { return a.Server.URL("") }

// Run serves until ctx ends, then shuts down gracefully and closes the store
// (removing it in temporary mode).
func (a *App) Run(ctx context.Context) error {
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); a.Schedule.Run(bg) }()
	err := a.Server.Serve(ctx)
	// Requests are done: stop the scheduler and the webhook workers
	// (attempts in flight finish and are recorded), then close the store.
	stop()
	wg.Wait()
	a.Outbox.Drain()
	if cerr := a.Store.Close(); cerr != nil && err == nil {
		err = cerr
	}
	return err
}

// LoadCredentials reads the default tenant's credential overrides: a JSON
// object shaped like GET /_fakeprovider/credentials, from a file or inline.
func LoadCredentials(src string) (map[string]json.RawMessage, error) {
	if src == "" {
		return nil, nil
	}
	raw := []byte(src)
	if !strings.HasPrefix(strings.TrimSpace(src), "{") {
		b, err := os.ReadFile(src)
		if err != nil {
			return nil, fmt.Errorf("credentials file: %w", err)
		}
		raw = b
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("credentials: not a JSON object: %w", err)
	}
	delete(m, "tenant")
	return m, nil
}

// ErrUsage marks command-line errors.
var ErrUsage = errors.New("usage")

// Close releases an App that will not Run (closes and, in temporary mode,
// removes the store).
func (a *App) Close() error { return a.Store.Close() }

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// observedEvents shows each event to fn, if set, before passing it on.
type observedEvents struct {
	platform.EventSink
	fn func(provider string, ev platform.Event)
}

func (o observedEvents) Publish(tx *platform.Tx, ev platform.Event) error {
	if o.fn != nil {
		o.fn(tx.Provider(), ev)
	}
	return o.EventSink.Publish(tx, ev)
}
