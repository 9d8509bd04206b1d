// Package control is the /_fakeprovider API: health, credentials, tenants,
// reset, the request journal, state dumps, the provider route listing, and the control endpoints that
// providers and platform modules (clock, webhooks, scenarios, faults)
// register. Its paths and JSON shapes are a public contract.
package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/store"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
)

// Module is a platform part with control endpoints of its own.
type Module interface {
	ControlRoutes(r *Routes, api *API)
}

// API serves the control endpoints.
type API struct {
	Version string
	Store   *store.Store
	Tenants *tenant.Registry
	Journal *journal.Journal
	Mounts  []*platform.Mount
	Log     *slog.Logger
	Modules []Module
	// OnReset runs after a reset in the same transaction (scheduler and
	// outbox state of the tenant); tenant "" means all.
	OnReset []func(tx *store.Tx, tenant string) error
}

// Register adds the routes to r (a subrouter at /_fakeprovider).
func (a *API) Register(r *Routes) {
	r.Handle("/health", a.JSON(a.health)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/credentials", a.JSON(a.credentials)).Methods(http.MethodGet)
	r.Handle("/tenants", a.JSON(a.listTenants)).Methods(http.MethodGet)
	r.Handle("/tenants", a.JSON(a.createTenant)).Methods(http.MethodPost)
	r.Handle("/reset", a.JSON(a.reset)).Methods(http.MethodPost)
	r.Handle("/tenants/{id}", a.JSON(a.deleteTenant)).Methods(http.MethodDelete)
	a.registerRequests(r)
	r.Handle("/state", a.JSON(a.state)).Methods(http.MethodGet)
	r.Handle("/routes", a.JSON(a.routes)).Methods(http.MethodGet)
	for _, m := range a.Modules {
		m.ControlRoutes(r, a)
	}
	for _, m := range a.Mounts {
		for _, c := range m.Controls() {
			r.Handle("/"+m.Provider()+c.Path, a.providerControl(m, c)).Methods(c.Method)
		}
	}
}

// Func is a control handler: it returns a value for a 200 JSON answer, a
// *Status for another status, or an error.
type Func func(r *http.Request) (any, error)

// Status is a control answer with an explicit HTTP status (nil Body: none).
type Status struct {
	Code int
	Body any
}

// JSON adapts a Func to http.Handler.
func (a *API) JSON(fn Func) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r)
		if err != nil {
			a.writeError(w, err)
			return
		}
		if st, ok := v.(*Status); ok {
			if st.Body == nil {
				w.WriteHeader(st.Code)
				return
			}
			writeJSON(w, st.Code, st.Body)
			return
		}
		writeJSON(w, http.StatusOK, v)
	})
}

// writeError answers err in the control API's one error envelope.
func (a *API) writeError(w http.ResponseWriter, err error) {
	var ce *platform.ControlError
	if errors.As(err, &ce) {
		controlapi.WriteError(w, ce.Status, controlapi.CodeForStatus(ce.Status), ce.Message)
		return
	}
	var ae *platform.AuthError
	if errors.As(err, &ae) {
		controlapi.WriteError(w, http.StatusBadRequest, controlapi.CodeBadRequest, ae.Reason)
		return
	}
	a.Log.Error("control endpoint failed", "err", err)
	controlapi.WriteError(w, http.StatusInternalServerError, controlapi.CodeInternal, err.Error())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		controlapi.WriteError(w, http.StatusInternalServerError, controlapi.CodeInternal, "encoding the answer failed: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// TenantParam returns the ?tenant= parameter (the default tenant when
// absent) and checks that it exists.
func (a *API) TenantParam(r *http.Request) (string, error) {
	id := r.URL.Query().Get("tenant")
	if id == "" {
		return tenant.DefaultID, nil
	}
	if _, ok := a.Tenants.Get(id); !ok {
		return "", platform.ControlNotFound("no tenant %q", id)
	}
	return id, nil
}

// ReadBody reads a bounded control request body.
func ReadBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20+1))
	if err != nil {
		return nil, platform.BadControl("reading body: %v", err)
	}
	if len(body) > 10<<20 {
		return nil, &platform.ControlError{Status: http.StatusRequestEntityTooLarge, Message: "body over 10 MiB"}
	}
	return body, nil
}

// DecodeBody decodes a JSON control body into v; an empty body leaves v as is.
func DecodeBody(r *http.Request, v any) error {
	body, err := ReadBody(r)
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytesReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return platform.BadControl("invalid JSON body: %v", err)
	}
	return nil
}

func (a *API) health(r *http.Request) (any, error) {
	return controlapi.Health{Status: "ok", Version: a.Version}, nil
}

func (a *API) credentials(r *http.Request) (any, error) {
	id, err := a.TenantParam(r)
	if err != nil {
		return nil, err
	}
	return a.tenantView(id)
}

// tenantView is tenant id with its credentials, as the control API shows
// it.
func (a *API) tenantView(id string) (controlapi.Tenant, error) {
	v, _ := a.Tenants.View(id)
	out := controlapi.Tenant{ID: id, Credentials: make(map[string]json.RawMessage, len(v))}
	for p, c := range v {
		if p == "tenant" {
			continue
		}
		raw, err := json.Marshal(c)
		if err != nil {
			return controlapi.Tenant{}, err
		}
		out.Credentials[p] = raw
	}
	return out, nil
}

func (a *API) listTenants(r *http.Request) (any, error) {
	out := []controlapi.Tenant{}
	for _, id := range a.Tenants.IDs() {
		v, err := a.tenantView(id)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return controlapi.TenantList{Tenants: out}, nil
}

func (a *API) createTenant(r *http.Request) (any, error) {
	t, err := a.Tenants.Create(r.Context())
	if err != nil {
		return nil, err
	}
	v, err := a.tenantView(t.ID)
	if err != nil {
		return nil, err
	}
	return &Status{Code: http.StatusCreated, Body: v}, nil
}

func (a *API) reset(r *http.Request) (any, error) {
	id := r.URL.Query().Get("tenant")
	if id != "" {
		if _, ok := a.Tenants.Get(id); !ok {
			return nil, platform.ControlNotFound("no tenant %q", id)
		}
	}
	err := a.Store.Update(r.Context(), func(tx *store.Tx) error {
		if err := tx.ResetTenant(id); err != nil {
			return err
		}
		for _, fn := range a.OnReset {
			if err := fn(tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	a.Journal.Clear(id)
	return &Status{Code: http.StatusNoContent}, nil
}

// deleteTenant is DELETE /tenants/{id}: the tenant's state, journal, clock
// offset, scenarios and faults go, and so do its credentials, in one
// transaction (the journal after it).
func (a *API) deleteTenant(r *http.Request) (any, error) {
	id := mux.Vars(r)["id"]
	if _, ok := a.Tenants.Get(id); !ok {
		return nil, platform.ControlNotFound("no tenant %q", id)
	}
	if id == tenant.DefaultID {
		return nil, &platform.ControlError{Status: http.StatusConflict, Message: "the default tenant cannot be deleted (POST /_fakeprovider/reset?tenant=default clears it)"}
	}
	err := a.Store.Update(r.Context(), func(tx *store.Tx) error {
		if err := tx.ResetTenant(id); err != nil {
			return err
		}
		for _, fn := range a.OnReset {
			if err := fn(tx, id); err != nil {
				return err
			}
		}
		return a.Tenants.Delete(tx, id)
	})
	if err != nil {
		return nil, err
	}
	a.Journal.Clear(id)
	return &Status{Code: http.StatusNoContent}, nil
}

// MaxLimit caps the limit of a list (requests, webhooks): one answer stays
// a few MiB whatever is asked.
const MaxLimit = 1000

// LimitParam reads ?limit= (def when absent), capped at MaxLimit.
func LimitParam(r *http.Request, def int) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, platform.BadControl("limit must be a positive integer")
	}
	return min(n, MaxLimit), nil
}

func (a *API) state(r *http.Request) (any, error) {
	id, err := a.TenantParam(r)
	if err != nil {
		return nil, err
	}
	provider := r.URL.Query().Get("provider")
	var dump any
	err = a.Store.View(r.Context(), func(tx *store.Tx) error {
		dump = tx.Dump(id, provider)
		return nil
	})
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(dump)
	if err != nil {
		return nil, err
	}
	return controlapi.State{Tenant: id, State: raw}, nil
}

// providerControl adapts a provider's ControlFunc.
func (a *API) providerControl(m *platform.Mount, c platform.ControlRoute) http.Handler {
	return a.JSON(func(r *http.Request) (any, error) {
		id, err := a.TenantParam(r)
		if err != nil {
			return nil, err
		}
		body, err := ReadBody(r)
		if err != nil {
			return nil, err
		}
		r = platform.WithRoute(r, mux.Vars(r), "")
		v, err := c.Handler(platform.NewControlRequest(r, body, id, m))
		if err != nil {
			return nil, err
		}
		if resp, ok := v.(*platform.Response); ok {
			return &Status{Code: resp.Status, Body: resp.Body}, nil
		}
		return v, nil
	})
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
