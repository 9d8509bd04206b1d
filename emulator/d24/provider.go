// Package d24 emulates the D24 (Directa24) payments API: deposits v3,
// card (PCI) deposits with 3-D Secure on the card host, refunds,
// subscriptions, KYC, bank-account and Pix validation, cashouts v3 (with
// MX debit-card cashouts on the card host), read-only lookups and their
// notifications, with the real signature schemes, error envelopes and
// status lifecycles.
package d24

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Name is the provider's name in paths, flags and the control API.
const Name = "d24"

// Credentials are a merchant's D24 credentials: the deposit API key
// (X-Login) and API Signature (HMAC key), the read-only API key, and the
// cashout API key, passphrase and API Signature.
type Credentials struct {
	Login            string `json:"login"`
	SecretKey        string `json:"secret_key"`
	ReadOnlyKey      string `json:"read_only_key"`
	CashoutLogin     string `json:"cashout_login"`
	CashoutPass      string `json:"cashout_pass"`
	CashoutSecretKey string `json:"cashout_secret_key"`
	// ReconciliationEmail and ReconciliationPassword are the Reconciliation
	// API user's accessKey and secretKey.
	ReconciliationEmail    string `json:"reconciliation_email"`
	ReconciliationPassword string `json:"reconciliation_password"`
}

// DefaultCredentials are the default tenant's fixed credentials: the
// public dummy values of the official SDKs' tests, so the spec's test
// vectors verify unchanged.
func DefaultCredentials() *Credentials {
	return &Credentials{
		Login:            "gFNQnUZXSE",
		SecretKey:        "gUfmqFBEGvIemZhzcpkfpBMcHhyoXUxFp",
		ReadOnlyKey:      "EgIECaVuyW",
		CashoutLogin:     "cashout_login",
		CashoutPass:      "cashout_pass",
		CashoutSecretKey: "cashout_secret_key",

		ReconciliationEmail:    "reconciliation@merchant.test",
		ReconciliationPassword: "reconciliation_password",
	}
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomKey returns n random alphanumeric characters.
func randomKey(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Provider is the D24 emulator.
type Provider struct {
	deps       platform.Deps
	mount      *platform.Mount
	dateWindow *time.Duration
}

// New returns a D24 provider with default settings.
func New() *Provider {
	window := 5 * time.Second
	return &Provider{dateWindow: &window}
}

// Name implements platform.Provider.
func (p *Provider) Name() string { return Name }

// Credentials implements platform.Provider.
func (p *Provider) Credentials() platform.CredentialSpec {
	return platform.CredentialSpec{
		Default: func() any { return DefaultCredentials() },
		New: func() any {
			return &Credentials{
				Login: randomKey(10), SecretKey: randomKey(33), ReadOnlyKey: randomKey(10),
				CashoutLogin: randomKey(32), CashoutPass: randomKey(32), CashoutSecretKey: randomKey(33),
				ReconciliationEmail: "reconciliation-" + strings.ToLower(randomKey(10)) + "@merchant.test", ReconciliationPassword: randomKey(16),
			}
		},
		Decode: func(raw json.RawMessage) (any, error) {
			var c Credentials
			err := json.Unmarshal(raw, &c)
			return &c, err
		},
		Keys: func(creds any) []string {
			c := creds.(*Credentials)
			keys := []string{"login:" + c.Login, "ro:" + c.ReadOnlyKey, "cashout:" + c.CashoutLogin}
			if c.ReconciliationEmail != "" {
				keys = append(keys, "recon:"+strings.ToLower(c.ReconciliationEmail))
			}
			return keys
		},
	}
}

// Flags implements platform.Configurable.
func (p *Provider) Flags(f *platform.FlagSet) {
	p.dateWindow = f.Duration("d24-date-window", 5*time.Second, "how far X-Date may be from the server clock, either way (D24 refuses beyond 5 s)")
}

// Mount implements platform.Provider.
func (p *Provider) Mount(m *platform.Mount) error {
	p.deps, p.mount = m.Deps(), m
	if p.deps.Redact != nil {
		p.deps.Redact.AddKeys("pass", "document", "document_id", "bank_account", "account_number", "beneficiary_name", "beneficiary_lastname",
			"card_number", "cvv", "expiration_month", "expiration_year", "holder_name", "card_token")
		p.deps.Redact.AddHeaders("Payload-Signature")
	}
	for name, e := range envelopes {
		m.SetEnvelope(name, e)
	}
	for _, h := range p.ExtraHosts() {
		m.Host(h)
	}
	p.routes(m)
	p.familyRoutes(m)
	p.notifications(m)
	p.controls(m)
	return nil
}

// creds returns the tenant's credentials.
func (p *Provider) creds(tenant string) *Credentials {
	c, ok := p.deps.Tenants.Credentials(tenant, Name)
	if !ok {
		return DefaultCredentials()
	}
	return c.(*Credentials)
}

// inferredPage: the payer-facing pages stand in for D24's own, which are
// not part of the API.
const inferredPage = "the emulator's stand-in for a payer-facing D24 page"

// routes declares every endpoint at its real path.
func (p *Provider) routes(m *platform.Mount) {
	idem := platform.Idempotent("X-Idempotency-Key", errIdempotencyKeyUsed)
	m.Handle(http.MethodPost, "/v3/deposits", p.verifyDeposit, p.createDeposit, idem, platform.Named("deposit.create"))
	m.Handle(http.MethodGet, "/v3/deposits/{id}", p.verifyDeposit, p.getDeposit, platform.Named("deposit.status"))
	m.Handle(http.MethodPost, "/v3/refunds", p.verifyDeposit, p.createRefund, idem, platform.Named("refund.create"))
	m.Handle(http.MethodGet, "/v3/refunds/{id}", p.verifyDeposit, p.getRefund, platform.Named("refund.status"))

	cashout := platform.InEnvelope(cashoutEnvelope)
	m.Handle(http.MethodPost, "/v3/cashout", p.verifyCashout, p.createCashout, cashout, platform.Named("cashout.create"))
	m.Handle(http.MethodPost, "/v3/cashout/status", p.verifyCashout, p.cashoutStatus, cashout, platform.Named("cashout.status"))
	m.Handle(http.MethodPut, "/v3/cashout/status", p.verifyCashout, p.updateCashoutStatus, cashout, platform.Named("cashout.update"))
	m.Handle(http.MethodDelete, "/v3/cashout/cancel", p.verifyCashout, p.cancelCashout, cashout, platform.Named("cashout.cancel"))

	m.Handle(http.MethodGet, "/v3/payment_methods", p.verifyReadOnly, p.paymentMethods, platform.Named("lookup.payment_methods"))
	m.Handle(http.MethodGet, "/v3/exchange_rates", p.verifyReadOnly, p.exchangeRates, platform.Named("lookup.exchange_rates"))
	m.Handle(http.MethodGet, "/v3/exchange_rates/crypto", p.verifyReadOnly, p.cryptoRates, platform.Named("lookup.crypto"),
		platform.InferredAs("fields documented; how fx_rate, converted_amount and fee are computed is not (converted_amount = amount / fx_rate, fee 1%)"))
	m.Handle(http.MethodGet, "/v3/banks", p.verifyReadOnly, p.banks, platform.Named("lookup.banks"))
	m.Handle(http.MethodGet, "/v3/states", p.verifyReadOnly, p.states, platform.Named("lookup.states"))

	// The card host (cc-api) takes card data; its deposits share the main
	// host's records, so status and refunds work on the main host.
	m.HandleOn(CardHost, http.MethodPost, "/v3/deposits", p.verifyDeposit, p.createCardDeposit, idem, platform.Named("card.deposit.create"),
		platform.InferredAs("the sandbox test-card table could not be retrieved: the rejecting, 3DS and delayed card numbers are the emulator's own"))
	m.HandleOn(CardHost, http.MethodPost, "/v3/cashout", p.verifyCashout, p.createCardCashout, cashout, platform.Named("card.cashout.create"))
	m.HandleHTTP(CardHost, http.MethodGet, "/3ds/{token}", http.HandlerFunc(p.challengePage), platform.Named("card.3ds.page"), platform.InferredAs(inferredPage))
	m.HandleHTTP(CardHost, http.MethodPost, "/3ds/{token}", http.HandlerFunc(p.challengeAction), platform.Named("card.3ds.action"), platform.InferredAs(inferredPage))

	m.Handle(http.MethodPost, "/v3/subscriptions", p.verifyDeposit, p.createSubscription, idem, platform.Named("subscription.create"))
	m.Handle(http.MethodGet, "/v3/subscriptions/{id}", p.verifyDeposit, p.getSubscription, platform.Named("subscription.status"),
		platform.InferredAs("the status page could not be retrieved: path from the docs' menu, answer shape inferred"))
	m.Handle(http.MethodDelete, "/v3/subscriptions/{id}", p.verifyDeposit, p.cancelSubscription, platform.Named("subscription.cancel"))

	// /v1/kyc is also served at its real path on the shared port: its
	// literal segment wins over Difitek's /v1/{network}.
	m.Handle(http.MethodPost, "/v1/kyc", p.verifyDeposit, p.kyc, platform.Named("kyc.check"))
	m.Handle(http.MethodPost, "/v5/account/validate", p.verifyAccountKey, p.validateAccount, platform.Named("account.validate"))
	m.Handle(http.MethodPost, "/v5/account/pix_key/validate", p.verifyAccountKey, p.validatePixKeys, platform.Named("account.pix_validate"))

	m.HandleHTTP("", http.MethodGet, "/checkout/{token}", http.HandlerFunc(p.checkoutPage), platform.Named("checkout.page"), platform.InferredAs(inferredPage))
	m.HandleHTTP("", http.MethodPost, "/checkout/{token}", http.HandlerFunc(p.checkoutAction), platform.Named("checkout.action"), platform.InferredAs(inferredPage))
}
