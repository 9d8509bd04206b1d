package difitek

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
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
