// Package difitek emulates the Difitek (formerly Crowd Valley) v1 back-office
// REST API: cv-auth authentication, users, organizations, offerings,
// investments, payouts, deal rooms, documents and the third-party KYC
// endpoints, with the sandbox's semantics (no e-mails or webhooks leave;
// captured e-mails are listed by the control API).
package difitek

import (
	"sync"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Name is the provider's name: path prefix, control path and store bucket.
const Name = "difitek"

// Provider is the Difitek emulator.
type Provider struct {
	deps  platform.Services
	mount *platform.Mount
	opts  Options

	fakerMu sync.Mutex
	faker   *gofakeit.Faker
}

// Options are Difitek's settings; the platform binds each to its flag and
// environment variable (--difitek-seed, FAKEPROVIDER_DIFITEK_SEED).
type Options struct {
	CreatedWindow   time.Duration `flag:"difitek-created-window" usage:"reject cv-auth tokens whose Created is further than this from the wall clock (0: off, the real policy is unknown)"`
	NonceReplay     bool          `flag:"difitek-nonce-replay" usage:"reject a cv-auth Nonce used before"`
	BasicUser       string        `flag:"difitek-basic-user" usage:"require HTTP Basic auth with this user in front of the API (empty: off)"`
	BasicPassword   string        `flag:"difitek-basic-password" usage:"password of --difitek-basic-user"`
	PublicAnonymous bool          `flag:"difitek-public-anonymous" usage:"let public GET endpoints answer without a cv-auth header (network taken from the path)"`
	Seed            int           `flag:"difitek-seed" usage:"seed of the demo network's fake data"`
}

// DefaultOptions are the settings the emulator starts with.
func DefaultOptions() Options { return Options{Seed: 1} }

// New returns a Difitek provider with default settings.
func New() *Provider { return NewWith(DefaultOptions()) }

// NewWith returns a Difitek provider with opts.
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
	if p.deps.Redact != nil {
		p.deps.Redact.AddKeys("password", "password_confirm", "new_password", "new_password_confirm",
			"secret", "passport_number", "driving_license_number", "tax_id", "birth_date", "api_secret", "sso_secret")
		p.deps.Redact.AddHeaders(HeaderCVAuth, HeaderJWTAuth)
	}
	m.SetEnvelope("", envelope)
	p.routes(m)
	p.lifecycle(m)
	p.controls(m)
	return nil
}

// fake runs fn with the provider's seeded faker (not goroutine-safe alone).
func (p *Provider) fake(fn func(f *gofakeit.Faker)) {
	p.fakerMu.Lock()
	defer p.fakerMu.Unlock()
	fn(p.faker)
}
