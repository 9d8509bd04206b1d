package platformtest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Widget is a minimal asynchronous provider for platform tests: widgets are
// created with a callback URL (POST /widgets, header X-Key), scenarios move
// their status (event "widget.created", kind "widget"), and every status
// change notifies the callback with a body signed by X-Signature = hex
// HMAC-SHA256(key, body), retried at 5, 25 and 125 minutes like a real
// provider's schedule. The default key is WidgetKey.
type Widget struct {
	// DeliveryTimeout bounds one webhook attempt (zero: the platform's 5 s).
	DeliveryTimeout time.Duration
	deps            platform.Deps
}

// WidgetKey is the default tenant's Widget key.
const WidgetKey = "widget-key"

// NewWidget returns a Widget provider.
func NewWidget() *Widget { return &Widget{} }

// WidgetCreds are the Widget credentials.
type WidgetCreds struct {
	Key string `json:"key"`
}

// WidgetRecord is a stored widget.
type WidgetRecord struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Amount      float64 `json:"amount"`
	Status      string  `json:"status"`
	Reason      string  `json:"reason,omitempty"`
	CallbackURL string  `json:"callback_url"`
}

var widgetRetry = []time.Duration{5 * time.Minute, 25 * time.Minute, 125 * time.Minute}

// Name implements platform.Provider.
func (w *Widget) Name() string { return "widget" }

// Credentials implements platform.Provider.
func (w *Widget) Credentials() platform.CredentialSpec {
	return platform.CredentialSpec{
		Default: func() any { return &WidgetCreds{Key: WidgetKey} },
		New:     func() any { return &WidgetCreds{Key: "widget-" + strconv.FormatInt(time.Now().UnixNano(), 36)} },
		Decode: func(raw json.RawMessage) (any, error) {
			var c WidgetCreds
			return &c, json.Unmarshal(raw, &c)
		},
		Keys: func(c any) []string { return []string{c.(*WidgetCreds).Key} },
	}
}

type widgetError struct {
	status int
	msg    string
}

func (e *widgetError) Error() string { return e.msg }

type widgetWriter struct{}

func (widgetWriter) Success(r *http.Request, status int, v any) platform.Rendered {
	body, _ := json.Marshal(v)
	return platform.Rendered{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

func (widgetWriter) Error(r *http.Request, err error) platform.Rendered {
	status, msg := http.StatusInternalServerError, "internal"
	var we *widgetError
	var fe *platform.FaultError
	switch {
	case errors.As(err, &we):
		status, msg = we.status, we.msg
	case errors.As(err, &fe):
		status, msg = fe.Status, "fault"
	case errors.Is(err, platform.ErrNotFound):
		status, msg = http.StatusNotFound, "not found"
	case errors.Is(err, platform.ErrMethodNotAllowed):
		status, msg = http.StatusMethodNotAllowed, "method not allowed"
	case errors.Is(err, platform.ErrBodyTooLarge):
		status, msg = http.StatusRequestEntityTooLarge, "too large"
	}
	body, _ := json.Marshal(map[string]string{"error": msg})
	return platform.Rendered{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

var errUnauthorized = &widgetError{http.StatusUnauthorized, "unauthorized"}

func (w *Widget) verify(r *http.Request, body []byte) (platform.Caller, error) {
	key := r.Header.Get("X-Key")
	tenant, creds, ok := w.deps.Tenants.Lookup("widget", key)
	if !ok {
		return platform.Caller{}, platform.Deny(errUnauthorized, "unknown X-Key %q", key)
	}
	return platform.Caller{Tenant: tenant, Key: key, Creds: creds}, nil
}

// Mount implements platform.Provider.
func (w *Widget) Mount(m *platform.Mount) error {
	w.deps = m.Deps()
	m.SetWriter(widgetWriter{})
	m.Event("widget.created", "widget")
	m.Handle(http.MethodPost, "/widgets", w.verify, w.create)
	m.Handle(http.MethodGet, "/widgets/{id}", w.verify, w.get)
	// A route whose contract is inferred, for the platform's tests of the
	// X-Fakeprovider-Inferred header and of the route listing.
	m.Handle(http.MethodGet, "/widgets/{id}/summary", w.verify, w.get, platform.Named("widgets.summary"),
		platform.InferredAs("a test route whose answer is inferred"))
	m.StatusTarget("widget", w.setStatus)
	m.Signer("hmac", func(ctx context.Context, tenant string, d *platform.Delivery, now time.Time) error {
		c, _ := w.deps.Tenants.Credentials(tenant, "widget")
		mac := hmac.New(sha256.New, []byte(c.(*WidgetCreds).Key))
		mac.Write(d.Body)
		d.Header.Set("X-Signature", hex.EncodeToString(mac.Sum(nil)))
		d.Header.Set("Content-Type", "application/json")
		return nil
	})
	return nil
}

func (w *Widget) create(req *platform.Request) (any, error) {
	var in WidgetRecord
	if err := json.Unmarshal(req.Body, &in); err != nil || in.Name == "" {
		return nil, &widgetError{http.StatusBadRequest, "invalid widget"}
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		seq, err := tx.Records().NextSeq("widget")
		if err != nil {
			return nil, err
		}
		rec := WidgetRecord{ID: strconv.FormatUint(seq, 10), Name: in.Name, Amount: in.Amount, Status: "new", CallbackURL: in.CallbackURL}
		if err := tx.Records().Put("widget", rec.ID, rec); err != nil {
			return nil, err
		}
		if err := tx.Publish(platform.Event{Name: "widget.created", Kind: "widget", ID: rec.ID,
			Fields: map[string]any{"name": rec.Name, "amount": rec.Amount}}); err != nil {
			return nil, err
		}
		return platform.Created(rec), nil
	})
}

func (w *Widget) get(req *platform.Request) (any, error) {
	var rec WidgetRecord
	err := req.View(func(tx *platform.Tx) error {
		ok, err := tx.Records().Get("widget", req.Var("id"), &rec)
		if err == nil && !ok {
			err = platform.ErrNotFound
		}
		return err
	})
	return rec, err
}

func (w *Widget) setStatus(tx *platform.Tx, id, status string, fields platform.Fields) error {
	var rec WidgetRecord
	ok, err := tx.Records().Get("widget", id, &rec)
	if err != nil {
		return err
	}
	if !ok {
		return platform.ErrNotFound
	}
	rec.Status = status
	if reason, ok := fields["reason"].(string); ok {
		rec.Reason = reason
	}
	if err := tx.Records().Put("widget", id, rec); err != nil {
		return err
	}
	if rec.CallbackURL == "" {
		return nil
	}
	body, _ := json.Marshal(map[string]string{"id": id, "status": status})
	_, err = tx.Notify(platform.Delivery{URL: rec.CallbackURL, Body: body, Signer: "hmac", Retry: widgetRetry, Timeout: w.DeliveryTimeout,
		Event: "widget." + status, Kind: "widget", ResourceID: id})
	return err
}
