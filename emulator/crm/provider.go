// Package crm emulates the Broctagon CRM Open API: the REST API a broker's
// back office integration calls (clients, MT4/MT5 accounts, wallets,
// reports, requests, self-registration, forms), the webhooks the CRM sends
// when client-portal requests are approved or rejected, the PSP Open API
// bridge (payment URL and payment callback) and external exchange rates.
package crm

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Name is the provider's name: path prefix, control path and store bucket.
const Name = "crm"

// Provider is the CRM Open API emulator.
type Provider struct {
	deps       platform.Services
	mount      *platform.Mount
	opts       Options
	httpClient *http.Client

	fakerMu sync.Mutex
	faker   *gofakeit.Faker
}

// Options are the CRM's settings; the platform binds each to its flag and
// environment variable (--crm-seed, FAKEPROVIDER_CRM_SEED).
type Options struct {
	Seed            int           `flag:"crm-seed" usage:"seed of the CRM's fake data (names, trades, bankcards)"`
	RepeatWindow    time.Duration `flag:"crm-repeat-window" usage:"an MT deposit/withdrawal reusing a comment within this window answers 200 {\"repeat\":true}"`
	OutboundTimeout time.Duration `flag:"crm-outbound-timeout" usage:"timeout of the CRM's own outgoing calls (PSP get payment URL, external exchange rates)"`
}

// DefaultOptions are the settings the emulator starts with.
func DefaultOptions() Options {
	return Options{Seed: 1, RepeatWindow: 2 * time.Minute, OutboundTimeout: 5 * time.Second}
}

// New returns a CRM provider with default settings.
func New() *Provider { return NewWith(DefaultOptions()) }

// NewWith returns a CRM provider with opts.
func NewWith(opts Options) *Provider { return &Provider{opts: opts} }

// Name implements platform.Provider.
func (p *Provider) Name() string { return Name }

// Flags implements platform.Configurable.
func (p *Provider) Flags(f *platform.FlagSet) { f.Bind(&p.opts) }

// Mount implements platform.Provider.
func (p *Provider) Mount(m *platform.Mount) error {
	p.deps = m.Services()
	p.mount = m
	p.faker = gofakeit.New(uint64(p.opts.Seed))
	p.httpClient = &http.Client{Timeout: p.opts.OutboundTimeout}
	if p.deps.Redact != nil {
		p.deps.Redact.AddKeys("password", "repeat_password", "master_password", "investor_password",
			"email_code", "phone_code", "secret", "psp_token", "fx_key", "api_key")
		p.deps.Redact.AddHeaders("key", "signature", "crm-pay-token", HeaderWebhookSignature)
	}
	m.SetEnvelope("", envelope)
	p.routes(m)
	p.lifecycle(m)
	p.controls(m)
	return nil
}

// view reads the tenant's records outside a request (verifier, signer).
func (p *Provider) view(ctx context.Context, tenant string, fn func(tx *platform.Tx) error) error {
	return p.mount.View(ctx, tenant, fn)
}

// fake runs fn with the provider's seeded faker; gofakeit.Faker is not safe
// for concurrent use.
func (p *Provider) fake(fn func(f *gofakeit.Faker)) {
	p.fakerMu.Lock()
	defer p.fakerMu.Unlock()
	fn(p.faker)
}
