package crowdtrust

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/macs"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// HMAC key modes: which bytes key the HMAC.
const (
	// KeyModeRaw keys the HMAC with the secret string's bytes (official client).
	KeyModeRaw = "raw"
	// KeyModeB64 keys it with the base64-decoded secret (docs sample).
	KeyModeB64 = "b64"
	// KeyModeBoth accepts either.
	KeyModeBoth = "both"
)

// Environments of a key and of a path.
const (
	EnvLive = "live"
	EnvTest = "test"
)

// ContentMD5 is the Content-MD5 value of a body: base64 MD5, empty for an
// empty body.
func ContentMD5(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	sum := md5.Sum(body)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// StringToSign is VERB\nContent-MD5\nContent-Type\nDate\nPath.
func StringToSign(method, contentMD5, contentType, date, path string) string {
	return method + "\n" + contentMD5 + "\n" + contentType + "\n" + date + "\n" + path
}

// Sign is the base64 HMAC-SHA256 of stringToSign keyed as mode says
// (KeyModeRaw or KeyModeB64).
func Sign(secret, mode, stringToSign string) string {
	key, ok := signingKey(secret, mode)
	if !ok {
		return ""
	}
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// envOfPath says which environment a real path belongs to.
func envOfPath(realPath string) string {
	if realPath == "/bacapi/test" || strings.HasPrefix(realPath, "/bacapi/test/") {
		return EnvTest
	}
	return EnvLive
}

// principal is an authenticated account in one environment.
type principal struct {
	Tenant  string
	Account string
	Env     string
	Secret  string
}

// verify is the Verifier of every signed bacapi route. Every failure is the
// same 403; the reason goes to AuthError.Reason only.
func (p *Provider) verify(r *http.Request, body []byte) (platform.Caller, error) {
	forbidden := p.authFailure()
	sentPath := r.URL.EscapedPath()
	realPath := strings.TrimPrefix(sentPath, platform.Prefix(r))
	env := envOfPath(realPath)

	authz := r.Header.Get("Authorization")
	apiKey, sig, ok := strings.Cut(authz, ":")
	if !ok || apiKey == "" || sig == "" {
		return platform.Caller{}, platform.Deny(forbidden, "Authorization must be {apiKey}:{base64 signature}; got %d characters (no scheme word, one colon)", len(authz))
	}
	who, found := p.lookupKey(r, apiKey)
	if !found {
		return platform.Caller{}, platform.Deny(forbidden, "unknown apiKey %q", apiKey)
	}
	if who.Env != env {
		ae := platform.Deny(forbidden, "apiKey %q is a %s key; %s keys work only under %s", apiKey, strings.ToUpper(who.Env), strings.ToUpper(who.Env), envPrefix(who.Env))
		ae.Tenant = who.Tenant
		return platform.Caller{}, ae
	}
	deny := func(format string, args ...any) error {
		ae := platform.Deny(forbidden, format, args...)
		ae.Tenant = who.Tenant
		return ae
	}

	date := r.Header.Get("Date")
	if date == "" {
		return platform.Caller{}, deny("missing Date header")
	}
	signedAt, err := http.ParseTime(date)
	if err != nil {
		return platform.Caller{}, deny("Date %q is not an HTTP-date (RFC 1123, RFC 850 or asctime, GMT)", date)
	}
	if skew := p.opts.DateSkew; skew > 0 {
		now := p.deps.Clock.Now()
		if d := now.Sub(signedAt); d > skew || d < -skew {
			return platform.Caller{}, deny("Date %q is %s away from the server clock %s (allowed %s)",
				date, d.Round(time.Second), now.UTC().Format(http.TimeFormat), skew)
		}
	}

	md5Header := r.Header.Get("Content-MD5")
	if want := ContentMD5(body); md5Header != want {
		if want == "" {
			return platform.Caller{}, deny("Content-MD5 must be empty for an empty body, got %q", md5Header)
		}
		return platform.Caller{}, deny("Content-MD5 %q does not match the body (base64 MD5 of the %d body bytes is %q)", md5Header, len(body), want)
	}

	contentType := r.Header.Get("Content-Type")
	paths := []string{sentPath}
	if p.opts.PathWithoutSlash {
		paths = append(paths, strings.TrimPrefix(sentPath, "/"))
	}
	modes := []string{KeyModeRaw, KeyModeB64}
	switch p.opts.KeyMode {
	case KeyModeRaw:
		modes = []string{KeyModeRaw}
	case KeyModeB64:
		modes = []string{KeyModeB64}
	}
	for _, path := range paths {
		sts := StringToSign(r.Method, md5Header, contentType, date, path)
		for _, mode := range modes {
			if p.signatureMatches(who.Secret, mode, sts, sig) {
				return platform.Caller{Tenant: who.Tenant, Key: apiKey, Env: env, User: who.Account}, nil
			}
		}
	}
	sts := StringToSign(r.Method, md5Header, contentType, date, sentPath)
	return platform.Caller{}, deny("signature mismatch: expected HMAC-SHA256 (key mode %s) over %q = %q",
		p.opts.KeyMode, sts, Sign(who.Secret, modes[0], sts))
}

// signatureMatches is Sign(secret, mode, stringToSign) == sig, with the
// provider's reused hashers and without building the expected string.
func (p *Provider) signatureMatches(secret, mode, stringToSign, sig string) bool {
	key, ok := signingKey(secret, mode)
	return ok && macs.EqualBase64(sig, p.macs.Sum(key, nil, stringToSign))
}

// signingKey is the HMAC key of secret in key mode mode: the secret's
// bytes, or what its base64 decodes to (false when it does not decode).
func signingKey(secret, mode string) (string, bool) {
	if mode != KeyModeB64 {
		return secret, true
	}
	decoded, err := base64.StdEncoding.DecodeString(secret)
	return string(decoded), err == nil
}

// authFailure is the one answer to every authentication failure.
func (p *Provider) authFailure() *apiError {
	if p.opts.AuthFailureStatus == 401 {
		return errUnauthorized
	}
	return errForbidden
}

func envPrefix(env string) string {
	if env == EnvTest {
		return "/bacapi/test/"
	}
	return "/bacapi/ (not /bacapi/test/)"
}

// The keys made at run time are bound to their tenant with the tenant
// registry, so a request finds its tenant with one map lookup: the created
// accounts' API keys and the issued tosTokens. The store stays the source
// of truth: a bound key whose record is gone (after a reset) finds nothing.
func accountKey(apiKey string) string { return "account:" + apiKey }
func tosKey(token string) string      { return "tos:" + token }

// bindStoredKeys binds the created accounts' keys and the issued tokens of
// every tenant at start.
func (p *Provider) bindStoredKeys() error {
	if p.deps.Tenants == nil {
		return nil
	}
	for _, tenant := range p.deps.Tenants.IDs() {
		err := p.mount.View(context.Background(), tenant, func(tx *platform.Tx) error {
			if err := tx.Records().ForEach(kindAPIKey, func(id string, _ []byte) error {
				p.deps.Tenants.Bind(Name, accountKey(id), tenant)
				return nil
			}); err != nil {
				return err
			}
			return tx.Records().ForEach(kindToken, func(id string, _ []byte) error {
				p.deps.Tenants.Bind(Name, tosKey(id), tenant)
				return nil
			})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// lookupKey finds the account and secret behind an API key: a tenant's own
// keys first, then the created accounts.
func (p *Provider) lookupKey(r *http.Request, apiKey string) (principal, bool) {
	if tenant, c, ok := credentials.Lookup(p.deps.Tenants, Name, apiKey); ok {
		switch apiKey {
		case c.Live.APIKey:
			return principal{Tenant: tenant, Account: mainAccount, Env: EnvLive, Secret: c.Live.SecretKey}, true
		case c.Test.APIKey:
			return principal{Tenant: tenant, Account: mainAccount, Env: EnvTest, Secret: c.Test.SecretKey}, true
		}
		return principal{}, false
	}
	if tenant, _, ok := p.deps.Tenants.Lookup(Name, accountKey(apiKey)); ok {
		return p.createdAccountKey(r.Context(), tenant, apiKey)
	}
	return principal{}, false
}

func (p *Provider) createdAccountKey(ctx context.Context, tenant, apiKey string) (principal, bool) {
	var who principal
	var found bool
	err := p.mount.View(ctx, tenant, func(tx *platform.Tx) error {
		// Read only, on every request: decoded records are shared.
		var rec apiKeyRecord
		ok, err := tx.Records().GetShared(kindAPIKey, apiKey, &rec)
		if err != nil || !ok {
			return err
		}
		var acct Account
		if ok, err = tx.Records().GetShared(kindAccount, rec.Account, &acct); err != nil || !ok {
			return err
		}
		secret := acct.SecretKey
		if rec.Env == EnvTest {
			secret = acct.TestSecretKey
		}
		who, found = principal{Tenant: tenant, Account: acct.ID, Env: rec.Env, Secret: secret}, true
		return nil
	})
	return who, found && err == nil
}
