package crowdtrust

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// KeyPair is one environment's API key and secret key.
type KeyPair struct {
	APIKey    string `json:"api_key"`
	SecretKey string `json:"secret_key"`
}

// Credentials are a tenant's CrowdTrust key pairs: the tenant's own account
// in both environments.
type Credentials struct {
	Live KeyPair `json:"live"`
	Test KeyPair `json:"test"`
}

// Default credentials of the default tenant: the synthetic keys of the
// published test vectors, so those vectors verify against the emulator.
const (
	DefaultLiveAPIKey    = "a1b2c3d4e5f6"
	DefaultLiveSecretKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	DefaultTestAPIKey    = "0123456789ab"
	DefaultTestSecretKey = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
)

// Credentials implements platform.Provider.
func (p *Provider) Credentials() platform.CredentialSpec { return credentials.Spec() }

// credentials declares CrowdTrust's credentials to the platform.
var credentials = platform.CredentialsOf[Credentials]{
	Default: func() *Credentials {
		return &Credentials{
			Live: KeyPair{APIKey: DefaultLiveAPIKey, SecretKey: DefaultLiveSecretKey},
			Test: KeyPair{APIKey: DefaultTestAPIKey, SecretKey: DefaultTestSecretKey},
		}
	},
	New:  func() *Credentials { return &Credentials{Live: newKeyPair(), Test: newKeyPair()} },
	Keys: func(c *Credentials) []string { return []string{c.Live.APIKey, c.Test.APIKey} },
}

// newKeyPair mints a key pair in the real format: a 12-hex-digit API key and
// a secret that is the base64 of 32 random bytes.
func newKeyPair() KeyPair {
	id := make([]byte, 6)
	secret := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	if _, err := rand.Read(secret); err != nil {
		panic(err)
	}
	return KeyPair{APIKey: hex.EncodeToString(id), SecretKey: base64.StdEncoding.EncodeToString(secret)}
}
