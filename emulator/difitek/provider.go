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
	deps  platform.Deps
	mount *platform.Mount

	createdWindow *time.Duration
	nonceReplay   *bool
	basicUser     *string
	basicPassword *string
	anonymous     *bool
	seed          *int

	fakerMu sync.Mutex
	faker   *gofakeit.Faker
}

// New returns a Difitek provider with default settings.
func New() *Provider {
	var (
		window time.Duration
		replay bool
		user   string
		pass   string
		anon   bool
		seed   = 1
	)
	return &Provider{
		createdWindow: &window, nonceReplay: &replay, basicUser: &user, basicPassword: &pass,
		anonymous: &anon, seed: &seed,
	}
}

// Name implements platform.Provider.
func (p *Provider) Name() string { return Name }

// Flags implements platform.Configurable.
func (p *Provider) Flags(f *platform.FlagSet) {
	p.createdWindow = f.Duration("difitek-created-window", 0,
		"reject cv-auth tokens whose Created is further than this from the wall clock (0: off, the real policy is unknown)")
	p.nonceReplay = f.Bool("difitek-nonce-replay", false, "reject a cv-auth Nonce used before")
	p.basicUser = f.String("difitek-basic-user", "", "require HTTP Basic auth with this user in front of the API (empty: off)")
	p.basicPassword = f.String("difitek-basic-password", "", "password of --difitek-basic-user")
	p.anonymous = f.Bool("difitek-public-anonymous", false, "let public GET endpoints answer without a cv-auth header (network taken from the path)")
	p.seed = f.Int("difitek-seed", 1, "seed of the demo network's fake data")
}

// Mount implements platform.Provider.
func (p *Provider) Mount(m *platform.Mount) error {
	p.deps = m.Deps()
	p.mount = m
	p.faker = gofakeit.New(uint64(*p.seed))
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
