// Package d24 emulates the D24 (Directa24) payments API: deposits v3,
// card (PCI) deposits with 3-D Secure on the card host, refunds,
// subscriptions, KYC, bank-account and Pix validation, cashouts v3 (with
// MX debit-card cashouts on the card host), read-only lookups and their
// notifications, with the real signature schemes, error envelopes and
// status lifecycles.
package d24

import (
	"time"

	"github.com/fakeprovider/fakeprovider/internal/macs"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Name is the provider's name in paths, flags and the control API.
const Name = "d24"

// Provider is the D24 emulator.
type Provider struct {
	deps  platform.Services
	mount *platform.Mount
	opts  Options
	macs  macs.Pool // the deposit signatures' hashers, reused
}

// Options are D24's settings; the platform binds each to its flag and
// environment variable (--d24-date-window, FAKEPROVIDER_D24_DATE_WINDOW).
type Options struct {
	DateWindow time.Duration `flag:"d24-date-window" usage:"how far X-Date may be from the server clock, either way (D24 refuses beyond 5 s)"`
}

// DefaultOptions are the settings of a real D24 merchant account.
func DefaultOptions() Options { return Options{DateWindow: 5 * time.Second} }

// New returns a D24 provider with default settings.
func New() *Provider { return NewWith(DefaultOptions()) }

// NewWith returns a D24 provider with opts.
func NewWith(opts Options) *Provider { return &Provider{opts: opts} }

// Name implements platform.Provider.
func (p *Provider) Name() string { return Name }

// Flags implements platform.Configurable.
func (p *Provider) Flags(f *platform.FlagSet) { f.Bind(&p.opts) }

// CardHost is the extra host of the card (PCI) API: cc-api…/v3/deposits
// and the MX debit-card cashouts. It is served under /d24-card/… on the
// shared port and alone with --d24-card-addr.
const CardHost = "d24-card"

// MerchantsHost is the extra host of the Reconciliation (Merchants) API.
// It is served under /d24-merchants/… on the shared port and alone with
// --d24-merchants-addr.
const MerchantsHost = "d24-merchants"

// ExtraHosts implements platform.MultiHost.
func (p *Provider) ExtraHosts() []platform.HostSpec {
	return []platform.HostSpec{
		{Name: CardHost, Usage: "also serve the D24 card host (cc-api: PCI deposits, MX debit-card cashouts) on this address, at its real paths"},
		{Name: MerchantsHost, Usage: "also serve the D24 Reconciliation API host (merchants-api) on this address, at its real paths"},
	}
}

// Mount implements platform.Provider.
func (p *Provider) Mount(m *platform.Mount) error {
	p.deps, p.mount = m.Services(), m
	if p.deps.Redact != nil {
		p.deps.Redact.AddKeys("pass", "document", "document_id", "bank_account", "account_number", "beneficiary_name", "beneficiary_lastname",
			"card_number", "cvv", "expiration_month", "expiration_year", "holder_name", "card_token")
		p.deps.Redact.AddHeaders("Payload-Signature")
	}
	for name, e := range envelopes {
		m.SetEnvelope(name, e)
	}
	p.routes(m)
	p.familyRoutes(m)
	p.lifecycle(m)
	p.controls(m)
	return nil
}

// creds returns the tenant's credentials.
func (p *Provider) creds(tenant string) *Credentials {
	c, ok := credentials.Of(p.deps.Tenants, tenant, Name)
	if !ok {
		return DefaultCredentials()
	}
	return c
}
