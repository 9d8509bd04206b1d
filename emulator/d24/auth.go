package d24

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/macs"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// XDateLayout is the X-Date format the SDKs send: UTC, second precision.
const XDateLayout = "2006-01-02T15:04:05Z"

// SignDeposit is the deposits-family signature: lowercase hex
// HMAC-SHA256(API Signature, X-Date + X-Login + raw body); the
// Authorization header is "D24 " followed by it.
func SignDeposit(secret, xDate, login string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(xDate))
	mac.Write([]byte(login))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignPayload is the cashout Payload-Signature: lowercase hex
// HMAC-SHA256(cashout API Signature, raw body).
func SignPayload(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// NotificationControl is the control field of a cashout notification:
// uppercase hex HMAC-SHA256(cashout API Signature, "Be4" + external_id + "Bo7").
func NotificationControl(secret, externalID string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("Be4" + externalID + "Bo7"))
	return strings.ToUpper(hex.EncodeToString(mac.Sum(nil)))
}

// headerValue returns a header's single value and whether it was sent.
func headerValue(r *http.Request, name string) (string, bool) {
	vs, ok := r.Header[http.CanonicalHeaderKey(name)]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// verifyDeposit checks the deposits-family headers in the order the real
// service reports them: presence and format, then the login, the date
// window and the signature.
func (p *Provider) verifyDeposit(r *http.Request, body []byte) (platform.Caller, error) {
	return p.verifyHMAC(r, body, "login:", "deposit API key", func(c *Credentials) string { return c.SecretKey })
}

// verifyAccountKey is the bank-account and Pix validation scheme: the
// deposits-family headers with the cashout API key as X-Login, signed with
// the cashout API Signature.
func (p *Provider) verifyAccountKey(r *http.Request, body []byte) (platform.Caller, error) {
	return p.verifyHMAC(r, body, "cashout:", "cashout API key", func(c *Credentials) string { return c.CashoutSecretKey })
}

// verifyHMAC checks the X-Date / X-Login / Authorization D24 headers with
// the login looked up by keyPrefix and the HMAC key secretOf returns.
func (p *Provider) verifyHMAC(r *http.Request, body []byte, keyPrefix, keyName string, secretOf func(*Credentials) string) (platform.Caller, error) {
	for _, name := range []string{"X-Date", "X-Login", "Authorization"} {
		v, ok := headerValue(r, name)
		if !ok || strings.TrimSpace(v) == "" {
			return platform.Caller{}, platform.Deny(missingHeader(name), "header %s is missing or empty", name)
		}
	}
	if v, ok := headerValue(r, "X-Idempotency-Key"); ok && strings.TrimSpace(v) == "" {
		return platform.Caller{}, platform.Deny(emptyHeader("X-Idempotency-Key"), "X-Idempotency-Key was sent blank")
	}
	xDate, _ := headerValue(r, "X-Date")
	login, _ := headerValue(r, "X-Login")
	auth, _ := headerValue(r, "Authorization")
	sent, ok := strings.CutPrefix(auth, "D24 ")
	if !ok {
		return platform.Caller{}, platform.Deny(missingHeader("Authorization"), "Authorization %q does not start with \"D24 \" (case-sensitive, one space)", auth)
	}
	at, err := time.Parse(XDateLayout, xDate)
	if err != nil || len(xDate) != len(XDateLayout) { // Parse would accept a fraction
		return platform.Caller{}, platform.Deny(missingHeader("X-Date"), "X-Date %q is not yyyy-MM-ddTHH:mm:ssZ (UTC, no fraction)", xDate)
	}
	tenant, creds, found := credentials.Lookup(p.deps.Tenants, Name, keyPrefix+login)
	if !found {
		return platform.Caller{}, platform.Deny(errInvalidCredentials, "X-Login %q is not a %s of any tenant", login, keyName)
	}
	now := p.deps.Clock.Now()
	if skew := now.Sub(at); skew > p.opts.DateWindow || -skew > p.opts.DateWindow {
		return platform.Caller{}, &platform.AuthError{Public: errInvalidDateRange, Tenant: tenant,
			Reason: "X-Date " + xDate + " is " + skew.Round(time.Second).String() + " from the server clock " + now.UTC().Format(XDateLayout) + "; the window is ±" + p.opts.DateWindow.String()}
	}
	secret := secretOf(creds)
	if sum := p.macs.Sum(secret, body, xDate, login); !macs.EqualHex(sent, sum[:]) {
		want := SignDeposit(secret, xDate, login, body)
		return platform.Caller{}, &platform.AuthError{Public: errInvalidSignature, Tenant: tenant,
			Reason: "Authorization D24 " + sent + " does not match; expected D24 " + want + " = hex(HMAC-SHA256(API Signature, X-Date + X-Login + body)) over X-Date " + quote(xDate) + ", X-Login " + quote(login) + " and a " + itoa(len(body)) + "-byte body"}
	}
	return platform.Caller{Tenant: tenant, Key: login, Creds: creds}, nil
}

// verifyReadOnly checks the lookups' Bearer read-only key.
func (p *Provider) verifyReadOnly(r *http.Request, body []byte) (platform.Caller, error) {
	auth, _ := headerValue(r, "Authorization")
	key, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		return platform.Caller{}, platform.Deny(errInvalidCredentials, "Authorization (%d characters, %s) is not \"Bearer <read-only API key>\"", len(auth), maskKey(auth))
	}
	tenant, c, found := p.deps.Tenants.Lookup(Name, "ro:"+key)
	if !found {
		return platform.Caller{}, platform.Deny(errInvalidCredentials, "%s is not a read-only API key of any tenant", maskKey(key))
	}
	return platform.Caller{Tenant: tenant, Key: key, Creds: c}, nil
}

// cashoutAuth is the credential part of every cashout body.
type cashoutAuth struct {
	Login string `json:"login"`
	Pass  string `json:"pass"`
}

// verifyCashout checks the body credentials and the Payload-Signature.
func (p *Provider) verifyCashout(r *http.Request, body []byte) (platform.Caller, error) {
	var in cashoutAuth
	// Read leniently: a login of another type is an unknown login (401),
	// not a malformed body.
	if _, err := decodeLenient(body, schema{"login": kText, "pass": kText}, &in); err != nil {
		return platform.Caller{}, platform.Deny(errCashoutBadBody, "%v", err)
	}
	tenant, creds, found := credentials.Lookup(p.deps.Tenants, Name, "cashout:"+in.Login)
	if !found {
		return platform.Caller{}, platform.Deny(errCashoutCredentials, "login %s is not a cashout API key of any tenant", maskKey(in.Login))
	}
	if !hmac.Equal([]byte(in.Pass), []byte(creds.CashoutPass)) {
		return platform.Caller{}, &platform.AuthError{Public: errCashoutCredentials, Tenant: tenant, Reason: "pass does not match the cashout API passphrase of login " + maskKey(in.Login)}
	}
	sig, _ := headerValue(r, "Payload-Signature")
	want := SignPayload(creds.CashoutSecretKey, body)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return platform.Caller{}, &platform.AuthError{Public: errCashoutControl, Tenant: tenant,
			Reason: "Payload-Signature " + quote(sig) + " does not match; expected " + want + " = lowercase hex(HMAC-SHA256(cashout API Signature, raw body)) over a " + itoa(len(body)) + "-byte body"}
	}
	return platform.Caller{Tenant: tenant, Key: in.Login, Creds: creds}, nil
}

// maskKey shows enough of a key to recognise it, never all of it: a reason
// is logged, journaled and shown in the inspector.
func maskKey(k string) string {
	if len(k) <= 8 {
		return quote(strings.Repeat("*", len(k)))
	}
	return quote(k[:3] + "…" + k[len(k)-3:])
}
