package d24

import (
	"crypto/rand"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

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

// Credentials implements platform.Provider.
func (p *Provider) Credentials() platform.CredentialSpec { return credentials.Spec() }

// credentials declares D24's credentials to the platform; each key family
// has its own prefix, so a deposit login never finds a cashout tenant.
var credentials = platform.CredentialsOf[Credentials]{
	Default: DefaultCredentials,
	New: func() *Credentials {
		return &Credentials{
			Login: randomKey(10), SecretKey: randomKey(33), ReadOnlyKey: randomKey(10),
			CashoutLogin: randomKey(32), CashoutPass: randomKey(32), CashoutSecretKey: randomKey(33),
			ReconciliationEmail: "reconciliation-" + strings.ToLower(randomKey(10)) + "@merchant.test", ReconciliationPassword: randomKey(16),
		}
	},
	Complete: completeCredentials,
	Keys: func(c *Credentials) []string {
		keys := []string{"login:" + c.Login, "ro:" + c.ReadOnlyKey, "cashout:" + c.CashoutLogin}
		if c.ReconciliationEmail != "" {
			keys = append(keys, "recon:"+strings.ToLower(c.ReconciliationEmail))
		}
		return keys
	},
}

// completeCredentials gives a tenant stored before the Reconciliation API
// was emulated its reconciliation user (fill's: the defaults for the
// default tenant, fresh values for the others), so its login works.
func completeCredentials(c, fill *Credentials) bool {
	if c.ReconciliationEmail != "" && c.ReconciliationPassword != "" {
		return false
	}
	if c.ReconciliationEmail == "" {
		c.ReconciliationEmail = fill.ReconciliationEmail
	}
	if c.ReconciliationPassword == "" {
		c.ReconciliationPassword = fill.ReconciliationPassword
	}
	return true
}
