// Package crowdtrust emulates the CrowdTrust Bad Actor Check API (bacapi):
// account creation with LIVE and TEST key pairs, billing, asynchronous bad
// actor checks with webhooks, and PDF reports, behind the real HMAC-SHA256
// request signature.
package crowdtrust

import (
	"sync"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Name is the provider's name: path prefix, control path and store bucket.
const Name = "crowdtrust"

// Provider is the CrowdTrust emulator.
type Provider struct {
	deps  platform.Deps
	mount *platform.Mount

	skew          *time.Duration
	keyMode       *string
	anyTosToken   *bool
	insecureHooks *bool
	lenientPath   *bool
	seed          *int
	authStatus    *int

	fakerMu sync.Mutex
	faker   *gofakeit.Faker
}

// New returns a CrowdTrust provider with default settings.
func New() *Provider {
	var (
		skew     = 15 * time.Minute
		mode     = KeyModeBoth
		anyTos   = false
		insecure = true
		lenient  = true
		seed     = 1
		status   = 403
	)
	return &Provider{
		skew: &skew, keyMode: &mode, anyTosToken: &anyTos, insecureHooks: &insecure,
		lenientPath: &lenient, seed: &seed, authStatus: &status,
	}
}

// Name implements platform.Provider.
func (p *Provider) Name() string { return Name }

// Flags implements platform.Configurable.
func (p *Provider) Flags(f *platform.FlagSet) {
	p.skew = f.Duration("crowdtrust-date-skew", 15*time.Minute,
		"reject signed requests whose Date is further than this from the wall clock (0: no check)")
	p.keyMode = f.String("crowdtrust-hmac-key-mode", KeyModeBoth,
		"HMAC key: raw (secret string bytes, the official client), b64 (base64-decoded secret, the docs sample) or both")
	p.anyTosToken = f.Bool("crowdtrust-accept-any-tos-token", false,
		"accept any well-formed tosToken (8 lowercase letters or digits) on POST /bacapi/account, for the default tenant")
	p.insecureHooks = f.Bool("crowdtrust-allow-loopback-http-webhooks", true,
		"accept http:// webhook URLs on loopback hosts (the real service requires https)")
	p.lenientPath = f.Bool("crowdtrust-accept-path-without-slash", true,
		"also accept signatures over the path without its leading slash (the docs prose form)")
	p.authStatus = f.Int("crowdtrust-auth-failure-status", 403,
		"status of every authentication failure: 403 (the docs' auth section) or 401 (the docs' status list)")
	p.seed = f.Int("crowdtrust-seed", 1, "seed of generated fake data (report reference numbers, case details)")
}

// Mount implements platform.Provider.
func (p *Provider) Mount(m *platform.Mount) error {
	p.deps = m.Deps()
	p.mount = m
	p.faker = gofakeit.New(uint64(*p.seed))
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
