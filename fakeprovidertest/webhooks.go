package fakeprovidertest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
)

// Webhook is one request a WebhookReceiver received, with the verdict on
// its signature.
type Webhook struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
	Time   time.Time
	// Scheme is the signature scheme recognised: "d24-deposit"
	// (Authorization: D24 …), "d24-cashout" (the form's control field),
	// "crm" (X-Crm-Signature), or "" for an unsigned request (CrowdTrust
	// sends none).
	Scheme string
	// SignatureOK tells whether the signature verified with the tenant's
	// credentials (for CRM, with the secret given to WithWebhookSecret);
	// SignatureProblem says why not.
	SignatureOK      bool
	SignatureProblem string
}

// WebhookReceiver records the webhooks the emulator sends and checks each
// signature the way a merchant's endpoint must, with the tenant's own
// credentials, computed here from the providers' documented schemes. It is a
// NewReceiver, so it works against an emulator in another process or a
// container (see NewReceiver). It answers 200, or what SetStatus says.
type WebhookReceiver struct {
	// URL is the receiver's base URL; any path under it is accepted.
	URL string

	tn      *Tenant
	mu      sync.Mutex
	got     []Webhook
	status  int
	secrets []string
	notify  chan struct{}
}

// ReceiverOption configures a WebhookReceiver.
type ReceiverOption func(*WebhookReceiver)

// WithWebhookSecret adds a secret a CRM webhook may be signed with (the
// "secret" of the webhook registered through the CRM API).
func WithWebhookSecret(secret string) ReceiverOption {
	return func(r *WebhookReceiver) { r.secrets = append(r.secrets, secret) }
}

// NewWebhookReceiver starts a receiver for the tenant's webhooks; it stops
// at the end of the test.
func (tn *Tenant) NewWebhookReceiver(opts ...ReceiverOption) *WebhookReceiver {
	tn.t.Helper()
	r := &WebhookReceiver{tn: tn, status: http.StatusOK, notify: make(chan struct{}, 1)}
	for _, o := range opts {
		o(r)
	}
	r.URL = NewReceiver(tn.t, http.HandlerFunc(r.serve)).URL
	return r
}

func (r *WebhookReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 10<<20))
	wh := Webhook{Method: req.Method, Path: req.URL.RequestURI(), Header: req.Header.Clone(), Body: body, Time: time.Now()}
	r.verify(&wh)
	r.mu.Lock()
	r.got = append(r.got, wh)
	status := r.status
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
	w.WriteHeader(status)
}

// SetStatus makes the receiver answer code from now on (e.g. 503 to see
// the provider's retries).
func (r *WebhookReceiver) SetStatus(code int) {
	r.mu.Lock()
	r.status = code
	r.mu.Unlock()
}

// Received returns the webhooks received so far, oldest first.
func (r *WebhookReceiver) Received() []Webhook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Webhook(nil), r.got...)
}

// WaitFor waits until n webhooks have arrived (failing the test after
// timeout) and returns them. With an in-process emulator, Advance already
// returns after the deliveries it caused.
func (r *WebhookReceiver) WaitFor(n int, timeout time.Duration) []Webhook {
	r.tn.t.Helper()
	deadline := time.After(timeout)
	for {
		if got := r.Received(); len(got) >= n {
			return got
		}
		select {
		case <-r.notify:
		case <-time.After(waitTick):
		case <-deadline:
			r.tn.t.Fatalf("fakeprovidertest: %d webhooks received in %s, want %d", len(r.Received()), timeout, n)
			return nil
		}
	}
}

// RequireSigned fails the test unless every webhook received so far that
// carries a signature verified, and returns them.
func (r *WebhookReceiver) RequireSigned() []Webhook {
	r.tn.t.Helper()
	got := r.Received()
	for _, w := range got {
		if w.Scheme != "" && !w.SignatureOK {
			r.tn.t.Fatalf("fakeprovidertest: webhook %s %s: %s signature does not verify: %s", w.Method, w.Path, w.Scheme, w.SignatureProblem)
		}
	}
	return got
}

// verify recognises the signature scheme of w and checks it.
func (r *WebhookReceiver) verify(w *Webhook) {
	switch {
	case strings.HasPrefix(w.Header.Get("Authorization"), "D24 "):
		w.Scheme = "d24-deposit"
		c, ok := r.tn.Credentials("d24").(*d24.Credentials)
		if !ok {
			w.SignatureProblem = "the tenant has no D24 credentials"
			return
		}
		if login := w.Header.Get("X-Login"); login != c.Login {
			w.SignatureProblem = "X-Login " + login + " is not the tenant's " + c.Login
			return
		}
		// HMAC-SHA256(API Signature, X-Date + X-Login + body), lowercase hex.
		want := hmacHex(c.SecretKey, w.Header.Get("X-Date")+w.Header.Get("X-Login")+string(w.Body))
		w.SignatureOK = hmac.Equal([]byte(strings.TrimPrefix(w.Header.Get("Authorization"), "D24 ")), []byte(want))
		if !w.SignatureOK {
			w.SignatureProblem = "Authorization is not D24 HMAC-SHA256(secret_key, X-Date + X-Login + body)"
		}
	case w.Header.Get("X-Crm-Signature") != "":
		w.Scheme = "crm"
		got := strings.TrimPrefix(w.Header.Get("X-Crm-Signature"), "sha256=")
		for _, s := range r.secrets {
			if hmac.Equal([]byte(got), []byte(hmacHex(s, string(w.Body)))) {
				w.SignatureOK = true
				return
			}
		}
		w.SignatureProblem = "X-Crm-Signature is not HMAC-SHA256 of the body with a secret given to WithWebhookSecret"
	case strings.HasPrefix(w.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		form, err := url.ParseQuery(string(w.Body))
		if err != nil || form.Get("control") == "" {
			return
		}
		w.Scheme = "d24-cashout"
		c, ok := r.tn.Credentials("d24").(*d24.Credentials)
		if !ok {
			w.SignatureProblem = "the tenant has no D24 credentials"
			return
		}
		// Uppercase hex HMAC-SHA256(cashout API Signature, "Be4" + external_id + "Bo7").
		want := strings.ToUpper(hmacHex(c.CashoutSecretKey, "Be4"+form.Get("external_id")+"Bo7"))
		w.SignatureOK = hmac.Equal([]byte(form.Get("control")), []byte(want))
		if !w.SignatureOK {
			w.SignatureProblem = `control is not HMAC-SHA256(cashout_secret_key, "Be4" + external_id + "Bo7")`
		}
	}
}

func hmacHex(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}
