// Package crowdtrust emulates the CrowdTrust Bad Actor Check API (bacapi):
// account creation with LIVE and TEST key pairs, billing, asynchronous bad
// actor checks with webhooks, and PDF reports, behind the real HMAC-SHA256
// request signature.
package crowdtrust

import (
	"sync"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/fakeprovider/fakeprovider/internal/macs"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Name is the provider's name: path prefix, control path and store bucket.
const Name = "crowdtrust"

// Provider is the CrowdTrust emulator.
type Provider struct {
	deps  platform.Services
	mount *platform.Mount
	opts  Options
	macs  macs.Pool // the request signatures' hashers, reused

	fakerMu sync.Mutex
	faker   *gofakeit.Faker
}

// Options are CrowdTrust's settings; the platform binds each to its flag
// and environment variable (--crowdtrust-seed, FAKEPROVIDER_CROWDTRUST_SEED).
type Options struct {
	DateSkew             time.Duration `flag:"crowdtrust-date-skew" usage:"reject signed requests whose Date is further than this from the wall clock (0: no check)"`
	KeyMode              string        `flag:"crowdtrust-hmac-key-mode" usage:"HMAC key: raw (secret string bytes, the official client), b64 (base64-decoded secret, the docs sample) or both"`
	AnyTosToken          bool          `flag:"crowdtrust-accept-any-tos-token" usage:"accept any well-formed tosToken (8 lowercase letters or digits) on POST /bacapi/account, for the default tenant"`
	LoopbackHTTPWebhooks bool          `flag:"crowdtrust-allow-loopback-http-webhooks" usage:"accept http:// webhook URLs on loopback hosts (the real service requires https)"`
	PathWithoutSlash     bool          `flag:"crowdtrust-accept-path-without-slash" usage:"also accept signatures over the path without its leading slash (the docs prose form)"`
	AuthFailureStatus    int           `flag:"crowdtrust-auth-failure-status" usage:"status of every authentication failure: 403 (the docs' auth section) or 401 (the docs' status list)"`
	Seed                 int           `flag:"crowdtrust-seed" usage:"seed of generated fake data (report reference numbers, case details)"`
}

// DefaultOptions are the settings the emulator starts with.
func DefaultOptions() Options {
	return Options{DateSkew: 15 * time.Minute, KeyMode: KeyModeBoth, LoopbackHTTPWebhooks: true, PathWithoutSlash: true,
		AuthFailureStatus: 403, Seed: 1}
}

// New returns a CrowdTrust provider with default settings.
func New() *Provider { return NewWith(DefaultOptions()) }

// NewWith returns a CrowdTrust provider with opts.
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
		p.deps.Redact.AddKeys("number", "cvc", "ssn", "secretKey", "testSecretKey", "secret_key", "tosToken", "dateOfBirth")
		p.deps.Redact.AddHeaders("Authorization")
	}
	m.SetEnvelope("", envelope)
	p.routes(m)
	p.lifecycle(m)
	p.controls(m)
	return p.bindStoredKeys()
}

// fake runs fn with the provider's seeded faker.
func (p *Provider) fake(fn func(f *gofakeit.Faker)) {
	p.fakerMu.Lock()
	defer p.fakerMu.Unlock()
	fn(p.faker)
}
