package crm

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the CRM's legacy v1 and PSP signatures are SHA-1
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Header names of the Open API.
const (
	HeaderKey              = "key"
	HeaderSignature        = "signature"
	HeaderPayToken         = "crm-pay-token"
	HeaderWebhookSignature = "X-Crm-Signature"
)

// Auth modes a tenant can enforce for signed requests.
const (
	AuthV2   = "v2"
	AuthV1   = "v1"
	AuthBoth = "both"
)

// SignV2 is the v2 signature header value: "sha256=" + lowercase hex
// HMAC-SHA256 of the raw body keyed with the API key.
func SignV2(apiKey string, body []byte) string {
	return "sha256=" + hmacHex(apiKey, body)
}

// WebhookSignature is the X-Crm-Signature value (without prefix): lowercase
// hex HMAC-SHA256 of the raw body keyed with the webhook's secret token.
func WebhookSignature(secret string, body []byte) string { return hmacHex(secret, body) }

func hmacHex(key string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// V1String is the legacy v1 string to sign: the body's top-level keys in
// ASCII order joined as k=v&k=v (empty values kept), then the API key.
func V1String(apiKey string, body []byte) (string, error) {
	pairs, err := flatPairs(body, false)
	if err != nil {
		return "", err
	}
	return pairs + apiKey, nil
}

// SignV1 is the legacy v1 signature: uppercase hex SHA-1 of V1String.
func SignV1(apiKey string, body []byte) (string, error) {
	s, err := V1String(apiKey, body)
	if err != nil {
		return "", err
	}
	return sha1Upper(s), nil
}

// PSPSign is the PSP Open API sign: parameters with empty values and sign
// itself dropped, keys in ASCII order joined as k=v&k=v, the crm-pay-token
// appended, SHA-1, uppercase hex.
func PSPSign(token string, body []byte) (string, error) {
	pairs, err := flatPairs(body, true)
	if err != nil {
		return "", err
	}
	return sha1Upper(pairs + token), nil
}

func sha1Upper(s string) string {
	sum := sha1.Sum([]byte(s)) //nolint:gosec // mandated by the CRM's legacy scheme
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// flatPairs joins a JSON object's top-level members as sorted k=v pairs.
// Numbers keep their literal text (432.98, 1631696419516), booleans are
// true/false, null is empty, nested objects and arrays are their compact
// JSON. dropEmpty drops empty values and the "sign" member (PSP rule).
func flatPairs(body []byte, dropEmpty bool) (string, error) {
	keys, vals, err := flatMembers(body, dropEmpty)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(vals[k])
	}
	return b.String(), nil
}

// pairsShape is flatPairs with each value replaced by its length
// ("amount=<6 bytes>&email=<12 bytes>"): what an auth-failure reason may
// show of a signed body, which can carry a password.
func pairsShape(body []byte, dropEmpty bool) string {
	keys, vals, err := flatMembers(body, dropEmpty)
	if err != nil {
		return "(not a JSON object)"
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteString("=<")
		b.WriteString(strconv.Itoa(len(vals[k])))
		b.WriteString(" bytes>")
	}
	return b.String()
}

// flatMembers returns a JSON object's top-level keys, sorted, and their
// values as flatPairs writes them.
func flatMembers(body []byte, dropEmpty bool) ([]string, map[string]string, error) {
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&obj); err != nil {
		return nil, nil, fmt.Errorf("body is not a JSON object: %w", err)
	}
	keys := make([]string, 0, len(obj))
	vals := make(map[string]string, len(obj))
	for k, raw := range obj {
		v := scalarText(raw)
		if dropEmpty && (v == "" || k == "sign") {
			continue
		}
		keys = append(keys, k)
		vals[k] = v
	}
	sort.Strings(keys)
	return keys, vals, nil
}

func scalarText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '{', '[':
		var buf bytes.Buffer
		if json.Compact(&buf, raw) == nil {
			return buf.String()
		}
	}
	return string(raw)
}

func equalString(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// needsSignature: any POST/PUT/PATCH that carries a body is signed.
func needsSignature(method string, body []byte) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return len(bytes.TrimSpace(body)) > 0
	}
	return false
}

// verify authenticates an Open API request: the key header names the
// tenant; bodies are signed per the tenant's auth mode.
func (p *Provider) verify(r *http.Request, body []byte) (platform.Caller, error) {
	key := r.Header.Get(HeaderKey)
	if key == "" {
		return platform.Caller{}, platform.Deny(errInvalidAPIKey, "missing %q header", HeaderKey)
	}
	tenant, creds, ok := p.deps.Tenants.Lookup(Name, key)
	if !ok {
		return platform.Caller{}, platform.Deny(errInvalidAPIKey, "unknown API key %q", redactKey(key))
	}
	caller := platform.Caller{Tenant: tenant, Key: key, Creds: creds}
	if !needsSignature(r.Method, body) {
		return caller, nil
	}
	mode := AuthV2
	if p.mount != nil {
		_ = p.view(r.Context(), tenant, func(tx *platform.Tx) error {
			mode = loadSettings(tx).AuthMode
			return nil
		})
	}
	if err := checkSignature(key, mode, r.Header.Get(HeaderSignature), body); err != nil {
		err.Tenant = tenant
		return platform.Caller{}, err
	}
	return caller, nil
}

// checkSignature checks a body signature under an auth mode.
func checkSignature(apiKey, mode, got string, body []byte) *platform.AuthError {
	if got == "" {
		return platform.Deny(errInvalidSignature, "missing %q header on a %d-byte body (auth mode %s)", HeaderSignature, len(body), mode)
	}
	var reasons []string
	if mode == AuthV2 || mode == AuthBoth || mode == "" {
		want := SignV2(apiKey, body)
		if equalString(got, want) {
			return nil
		}
		reasons = append(reasons, fmt.Sprintf("v2 expected %s = sha256=hex(HMAC-SHA256(api key, raw %d-byte body))", want, len(body)))
	}
	if mode == AuthV1 || mode == AuthBoth {
		str, err := V1String(apiKey, body)
		if err != nil {
			reasons = append(reasons, "v1 needs a JSON object body: "+err.Error())
		} else {
			want := sha1Upper(str)
			if equalString(got, want) {
				return nil
			}
			// The pairs are the body's values (a password among them):
			// only their keys and lengths are shown.
			reasons = append(reasons, fmt.Sprintf("v1 expected %s = SHA1(%q + api key) uppercase, the body's top-level members as sorted key=value pairs",
				want, pairsShape(body, false)))
		}
	}
	return platform.Deny(errInvalidSignature, "signature %q does not match (auth mode %s): %s", got, mode, strings.Join(reasons, "; "))
}

// redactKey shows enough of an unknown key to recognise it in a log.
func redactKey(k string) string {
	if len(k) <= 6 {
		return strings.Repeat("*", len(k))
	}
	return k[:3] + "…" + k[len(k)-3:]
}
