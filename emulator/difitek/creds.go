package difitek

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Credentials are one tenant's Difitek credentials: the network (customer
// id in every path), the API key and secret of its application, the demo
// administrator's login and the secret that signs SSO tokens (jwt-auth).
type Credentials struct {
	Network   string `json:"network"`
	APIKey    string `json:"api_key"`
	APISecret string `json:"api_secret"`
	Username  string `json:"username"`
	Password  string `json:"password"`
	SSOSecret string `json:"sso_secret"`
}

// Default credentials of the default tenant. They are the inputs of the
// Node.js SDK's own test (network testnetwork, key testapikey-001, secret
// ap1s3cr3t, user test@test.com / testtest), so published examples work.
const (
	DefaultNetwork   = "testnetwork"
	DefaultAPIKey    = "testapikey-001"
	DefaultAPISecret = "ap1s3cr3t"
	DefaultUsername  = "test@test.com"
	DefaultPassword  = "testtest"
	DefaultSSOSecret = "sso-secret-testnetwork"
)

func defaultCredentials() *Credentials {
	return &Credentials{
		Network: DefaultNetwork, APIKey: DefaultAPIKey, APISecret: DefaultAPISecret,
		Username: DefaultUsername, Password: DefaultPassword, SSOSecret: DefaultSSOSecret,
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newCredentials() *Credentials {
	network := "net" + randomHex(5)
	return &Credentials{
		Network:   network,
		APIKey:    randomHex(16),
		APISecret: randomHex(20),
		Username:  "admin@" + network + ".example.com",
		Password:  randomHex(8),
		SSOSecret: randomHex(32),
	}
}

// Credentials implements platform.Provider.
func (p *Provider) Credentials() platform.CredentialSpec { return credentials.Spec() }

// credentials declares Difitek's credentials to the platform.
var credentials = platform.CredentialsOf[Credentials]{
	Default: defaultCredentials,
	New:     newCredentials,
	Keys: func(c *Credentials) []string {
		var keys []string
		if c.APIKey != "" {
			keys = append(keys, c.APIKey)
		}
		if c.Network != "" {
			keys = append(keys, networkKey(c.Network))
		}
		return keys
	},
}

// sameEmail compares e-mail addresses as the service does: case-insensitive.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// networkKey is the tenant key of a network name: the first path segment
// of every call names the network, which names the tenant.
func networkKey(name string) string { return "network:" + name }
