package crm

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Credentials are a tenant's CRM credentials: the Open API key (Back Office
// → Dev Space → Open API Keys) and the PSP integration's merchant id and
// crm-pay-token (Admin → PSP Settings).
type Credentials struct {
	APIKey        string `json:"api_key"`
	PSPMerchantID string `json:"psp_merchant_id"`
	PSPToken      string `json:"psp_token"`
}

// Default credentials of the default tenant; the API key is the one of the
// documented signature test vectors.
const (
	DefaultAPIKey        = "test-api-key-123"
	DefaultPSPMerchantID = "f23eb3a856284d0a87913e33ed581852"
	DefaultPSPToken      = "demo-crm-pay-token"
)

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Credentials implements platform.Provider.
func (p *Provider) Credentials() platform.CredentialSpec { return credentials.Spec() }

// credentials declares the CRM's credentials to the platform.
var credentials = platform.CredentialsOf[Credentials]{
	Default: func() *Credentials {
		return &Credentials{APIKey: DefaultAPIKey, PSPMerchantID: DefaultPSPMerchantID, PSPToken: DefaultPSPToken}
	},
	New: func() *Credentials {
		return &Credentials{APIKey: randomHex(16), PSPMerchantID: randomHex(16), PSPToken: randomHex(16)}
	},
	Keys: func(c *Credentials) []string {
		keys := []string{c.APIKey}
		if c.PSPToken != "" {
			keys = append(keys, payTokenKey(c.PSPToken))
		}
		return keys
	},
}

// payTokenKey is the tenant key of a PSP pay token: PSP callbacks carry no
// API key, only the token's signature.
func payTokenKey(token string) string { return "psp:" + token }
