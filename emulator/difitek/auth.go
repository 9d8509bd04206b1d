package difitek

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/golang-jwt/jwt/v5"
)

// Header names of the cv-auth scheme.
const (
	HeaderCVAuth  = "cv-auth"
	HeaderJWTAuth = "jwt-auth"
	HeaderNetwork = "network"
)

// Usernames with a special meaning in cv-auth.
const (
	PublicUsername = "new"
	SocialUsername = "social"
)

// Token is a parsed cv-auth header:
//
//	AuthToken ApiKey="…", TokenDigest="…", Nonce="…", Created="…", Username="…", Password="…"
type Token struct {
	APIKey      string
	TokenDigest string
	Nonce       string
	Created     string
	Username    string
	Password    string
}

// ParseToken parses a cv-auth header value. Fields are found by name, as the
// service does; ApiKey, TokenDigest, Nonce, Created and Username are required.
func ParseToken(h string) (Token, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(h), "AuthToken ")
	if !ok {
		return Token{}, errors.New(`cv-auth does not start with "AuthToken "`)
	}
	var t Token
	seen := map[string]bool{}
	for name, value := range tokenFields(rest) {
		seen[name] = true
		switch name {
		case "ApiKey":
			t.APIKey = value
		case "TokenDigest":
			t.TokenDigest = value
		case "Nonce":
			t.Nonce = value
		case "Created":
			t.Created = value
		case "Username":
			t.Username = value
		case "Password":
			t.Password = value
		}
	}
	var missing []string
	for _, name := range []string{"ApiKey", "TokenDigest", "Nonce", "Created", "Username"} {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return Token{}, fmt.Errorf("cv-auth lacks %s", strings.Join(missing, ", "))
	}
	if t.APIKey == "" || t.Nonce == "" || t.Created == "" || t.Username == "" {
		return Token{}, errors.New("cv-auth has an empty ApiKey, Nonce, Created or Username")
	}
	return t, nil
}

// tokenFields yields the name="value" pairs of s in order: every match of
// (\w+)="([^"]*)" from left to right, without overlaps. Hand-written: the
// regular expression was a fifth of the CPU of verifying a request.
func tokenFields(s string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for i := 0; i < len(s); {
			if !isWordByte(s[i]) {
				i++
				continue
			}
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			// A shorter name from a later start in the same run ends at the
			// same place, so a run not followed by =" never matches.
			if !strings.HasPrefix(s[j:], `="`) {
				i = j
				continue
			}
			end := strings.IndexByte(s[j+2:], '"')
			if end < 0 {
				return // no closing quote: nothing further can match
			}
			if !yield(s[i:j], s[j+2:j+2+end]) {
				return
			}
			i = j + 2 + end + 1
		}
	}
}

func isWordByte(c byte) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// String renders the token exactly as the SDKs do.
func (t Token) String() string {
	return fmt.Sprintf(`AuthToken ApiKey="%s", TokenDigest="%s", Nonce="%s", Created="%s", Username="%s", Password="%s"`,
		t.APIKey, t.TokenDigest, t.Nonce, t.Created, t.Username, t.Password)
}

// TokenDigest is base64(SHA-1(nonce + created + apiSecret)) over the strings
// as sent.
func TokenDigest(nonce, created, apiSecret string) string {
	sum := sha1.Sum([]byte(nonce + created + apiSecret))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// digestEqual compares digests in constant time.
func digestEqual(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// xorKey XORs data with the repeating key (the API secret's bytes). The
// scheme's password "encryption" is this, both ways.
func xorKey(data []byte, key string) []byte {
	out := make([]byte, len(data))
	if key == "" {
		copy(out, data)
		return out
	}
	for i, b := range data {
		out[i] = b ^ key[i%len(key)]
	}
	return out
}

// EncodePassword is the Password field: base64(password XOR apiSecret).
func EncodePassword(password, apiSecret string) string {
	return base64.StdEncoding.EncodeToString(xorKey([]byte(password), apiSecret))
}

// DecodePassword reverses EncodePassword.
func DecodePassword(field, apiSecret string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(field)
	if err != nil {
		return "", fmt.Errorf("password field is not base64: %w", err)
	}
	return string(xorKey(raw, apiSecret)), nil
}

// CreatedString formats a time as the Node.js SDK does: UTC, seconds
// truncated, "+00:00".
func CreatedString(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05") + "+00:00"
}

// ParseCreated reads an ISO-8601 Created value with a numeric offset or Z.
func ParseCreated(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("created value %q is not an ISO-8601 time", s)
}

const nonceAlphabet = "123456789abcdefghijklmnopqrstuvwxyz"

// NonceFromBytes derives a nonce as the Node.js SDK does: each random byte
// picks a character of a 35-character alphabet; the nonce is the hex MD5 of
// those characters.
func NonceFromBytes(random []byte) string {
	chars := make([]byte, len(random))
	for i, b := range random {
		chars[i] = nonceAlphabet[int(b)%len(nonceAlphabet)]
	}
	sum := md5.Sum(chars)
	return hex.EncodeToString(sum[:])
}

// NewNonce is a fresh nonce from 10 random bytes.
func NewNonce() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return NonceFromBytes(b)
}

// SignToken builds the cv-auth token a client sends for username/password.
// The public caller's password ("new") is XORed like any other, as the
// Node.js SDK does.
func SignToken(apiKey, apiSecret, username, password, nonce, created string) Token {
	return Token{
		APIKey:      apiKey,
		TokenDigest: TokenDigest(nonce, created, apiSecret),
		Nonce:       nonce,
		Created:     created,
		Username:    username,
		Password:    EncodePassword(password, apiSecret),
	}
}

// access is the credentials class a route requires.
type access int

const (
	// accessPublic: any valid cv-auth, including the public caller new/new.
	accessPublic access = iota
	// accessUser: a named user (e-mail and password, or SSO).
	accessUser
	// accessAdmin: a named user whose is_admin is true.
	accessAdmin
)

// Principal is who a verified request acts as (platform.Caller.User).
type Principal struct {
	// Public is the new/new caller: no user.
	Public bool
	UserID int64
	Email  string
	Admin  bool
}

// networkOf is the network segment of a path as sent: /v1/{network}/… or
// the admin-style /v1/admin/{network}/….
func networkOf(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.EscapedPath(), strings.TrimSuffix(platform.Prefix(r), "/"))
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(segs) < 2 || segs[0] != "v1" {
		return ""
	}
	seg := segs[1]
	if seg == "admin" && len(segs) > 3 {
		seg = segs[2]
	}
	if u, err := url.PathUnescape(seg); err == nil {
		return u
	}
	return seg
}

func (p *Provider) verifier(level access) platform.Verifier {
	return func(r *http.Request, body []byte) (platform.Caller, error) {
		return p.verify(r, level)
	}
}

// verify checks a request's cv-auth (and jwt-auth for SSO) as the service
// does; see README "Authentication".
func (p *Provider) verify(r *http.Request, level access) (platform.Caller, error) {
	if p.opts.BasicUser != "" {
		u, pw, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(p.opts.BasicUser)) != 1 ||
			subtle.ConstantTimeCompare([]byte(pw), []byte(p.opts.BasicPassword)) != 1 {
			return platform.Caller{}, platform.Deny(errAuthBasic, "HTTP Basic gate: Authorization does not carry the configured user/password")
		}
	}
	network := networkOf(r)
	h := r.Header.Get(HeaderCVAuth)
	if h == "" {
		if level == accessPublic && p.opts.PublicAnonymous && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			if tenant, creds, ok := p.tenantOfNetwork(network); ok {
				return platform.Caller{Tenant: tenant, Creds: creds, User: Principal{Public: true}}, p.ensureSeeded(r.Context(), tenant, creds)
			}
		}
		return platform.Caller{}, platform.Deny(errAuthMissing, "no cv-auth header")
	}
	tok, err := ParseToken(h)
	if err != nil {
		return platform.Caller{}, platform.Deny(errAuthMalformed, "%v; expected AuthToken ApiKey=\"…\", TokenDigest=\"…\", Nonce=\"…\", Created=\"…\", Username=\"…\", Password=\"…\"", err)
	}
	tenant, creds, ok := credentials.Lookup(p.deps.Tenants, Name, tok.APIKey)
	if !ok {
		return platform.Caller{}, platform.Deny(errAuthAPIKey, "unknown ApiKey %q", tok.APIKey)
	}
	fail := func(public error, format string, args ...any) (platform.Caller, error) {
		return platform.Caller{}, &platform.AuthError{Public: public, Reason: fmt.Sprintf(format, args...), Tenant: tenant}
	}
	if network != creds.Network {
		return fail(errAuthNetwork, "ApiKey %q belongs to network %q, path names network %q", tok.APIKey, creds.Network, network)
	}
	if want := TokenDigest(tok.Nonce, tok.Created, creds.APISecret); !digestEqual(want, tok.TokenDigest) {
		return fail(errAuthDigest, "TokenDigest %q; expected base64(sha1(Nonce+Created+api_secret)) = %q over Nonce=%q Created=%q",
			tok.TokenDigest, want, tok.Nonce, tok.Created)
	}
	if w := p.opts.CreatedWindow; w > 0 {
		created, err := ParseCreated(tok.Created)
		if err != nil {
			return fail(errAuthExpired, "%v", err)
		}
		now := p.deps.Clock.Now()
		skew := now.Sub(created)
		if skew < 0 {
			skew = -skew
		}
		if skew > w {
			return fail(errAuthExpired, "Created %s is %.0fs from the server clock %s; window is %s", tok.Created, skew.Seconds(), now.UTC().Format("2006-01-02T15:04:05Z"), w)
		}
	}
	// Whether the network is seeded and the caller's login are read in
	// one transaction (one per request instead of two).
	var ssoAddr string
	var ssoErr error
	lookup := ""
	switch tok.Username {
	case PublicUsername:
	case SocialUsername:
		ssoAddr, ssoErr = p.ssoEmail(r.Header.Get(HeaderJWTAuth), creds)
		lookup = ssoAddr
	default:
		lookup = tok.Username
	}
	st, err := p.authState(r.Context(), tenant, lookup)
	if err != nil {
		return platform.Caller{}, err
	}
	if !st.seeded {
		if err := p.ensureSeeded(r.Context(), tenant, creds); err != nil {
			return platform.Caller{}, err
		}
		if st, err = p.authState(r.Context(), tenant, lookup); err != nil {
			return platform.Caller{}, err
		}
	}
	if p.opts.NonceReplay {
		if used, err := p.useNonce(r.Context(), tenant, tok.Nonce); err != nil {
			return platform.Caller{}, err
		} else if used {
			return fail(errAuthReplay, "Nonce %q was already used", tok.Nonce)
		}
	}
	caller := platform.Caller{Tenant: tenant, Key: tok.APIKey, Creds: creds}
	var pr Principal
	switch tok.Username {
	case PublicUsername:
		if level != accessPublic {
			return fail(errAuthPublic, "Username \"new\" is the public caller; this endpoint needs a named user")
		}
		caller.User = Principal{Public: true}
		return caller, nil
	case SocialUsername:
		if ssoErr != nil {
			return fail(errAuthSSO, "%v", ssoErr)
		}
		u := st.user
		if !st.found {
			return fail(errAuthSSO, "jwt-auth email %q is not a user of network %q", ssoAddr, creds.Network)
		}
		pr = Principal{UserID: u.ID, Email: u.Email, Admin: u.IsAdmin}
		if u.HasBeenBlocked {
			return fail(errAuthBlocked, "user %d is blocked", u.ID)
		}
	default:
		password, err := DecodePassword(tok.Password, creds.APISecret)
		if err != nil {
			return fail(errAuthLogin, "%v", err)
		}
		u, lg := st.user, st.login
		if !st.found {
			return fail(errAuthLogin, "no user %q in network %q", tok.Username, creds.Network)
		}
		if subtle.ConstantTimeCompare([]byte(hashPassword(lg.Salt, password)), []byte(lg.Hash)) != 1 {
			return fail(errAuthLogin, "Password of %q decodes (base64, XOR api_secret) to a %d-byte string that is not the user's password", tok.Username, len(password))
		}
		if u.HasBeenBlocked {
			return fail(errAuthBlocked, "user %d is blocked", u.ID)
		}
		pr = Principal{UserID: u.ID, Email: u.Email, Admin: u.IsAdmin}
	}
	if level == accessAdmin && !pr.Admin {
		return fail(errAuthAdmin, "user %d is not an administrator", pr.UserID)
	}
	caller.User = pr
	return caller, nil
}

// ssoEmail validates a jwt-auth token (HS256 with the tenant's sso_secret)
// and returns its email claim.
func (p *Provider) ssoEmail(token string, creds *Credentials) (string, error) {
	if token == "" {
		return "", errors.New("username \"social\" needs a jwt-auth header")
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return []byte(creds.SSOSecret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(p.deps.Clock.Now))
	if err != nil {
		return "", fmt.Errorf("jwt-auth: %v (HS256 signed with the network's sso_secret expected)", err)
	}
	email, _ := claims["email"].(string)
	if email == "" {
		return "", errors.New("jwt-auth has no email claim")
	}
	return email, nil
}

// tenantOfNetwork finds the tenant whose network is name.
func (p *Provider) tenantOfNetwork(name string) (string, *Credentials, bool) {
	return credentials.Lookup(p.deps.Tenants, Name, networkKey(name))
}

// authState is what verification reads from the store.
type authState struct {
	seeded bool
	user   authUser
	login  login
	found  bool // the login and its user exist
}

// authState reads whether the tenant's network is seeded and, when email
// is not "", the user's login entry and auth record.
func (p *Provider) authState(ctx context.Context, tenant, email string) (authState, error) {
	var st authState
	var err error
	// Read on every request and never modified: decoded records are shared
	// and need no transaction while nothing was written since
	// (platform.Mount.ReadShared). Each read is of its own moment: a
	// change between them is as if the request had come just before it.
	if st.seeded, err = p.seeded(ctx, tenant); err != nil || email == "" {
		return st, err
	}
	ok, err := p.mount.ReadShared(ctx, tenant, kindLogin, emailKey(email), &st.login)
	if err != nil || !ok {
		return st, err
	}
	if st.found, err = p.mount.ReadShared(ctx, tenant, kindUserAuth, idKey(st.login.UserID), &st.user); err != nil || st.found {
		return st, err
	}
	// A store written before the projection existed: the user record.
	err = p.mount.View(ctx, tenant, func(tx *platform.Tx) error {
		var err error
		st.found, err = tx.Records().Get(kindUser, idKey(st.login.UserID), &st.user)
		return err
	})
	return st, err
}

// authUser is the part of a user record that authentication reads, kept
// as its own record by putRecord (a store written before it existed falls
// back to the user record): every authenticated request decodes it.
type authUser struct {
	ID             int64  `json:"id"`
	Email          string `json:"email"`
	IsAdmin        bool   `json:"is_admin"`
	HasBeenBlocked bool   `json:"has_been_blocked"`
}

// useNonce records a nonce and reports whether it was seen before.
func (p *Provider) useNonce(ctx context.Context, tenant, nonce string) (bool, error) {
	var used bool
	err := p.mount.Update(ctx, tenant, func(tx *platform.Tx) error {
		used = tx.Records().GetRaw(kindNonce, nonce) != nil
		if used {
			return nil
		}
		return tx.Records().Put(kindNonce, nonce, timestamp(p.deps.Clock.Now()))
	})
	return used, err
}
