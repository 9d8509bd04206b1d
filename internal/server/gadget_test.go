package server_test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// gadget is a test provider with what Widget lacks: an idempotent create,
// handlers that panic (directly and inside a transaction), a slow route for
// graceful shutdown, and an envelope of its own so tests can tell a
// provider-shaped answer from the platform's neutral one.
type gadget struct {
	name    string
	path    string // collection path, "/gadgets" by default
	deps    platform.Deps
	entered chan struct{}
	release chan struct{}
}

const gadgetKey = "gadget-key"

func newGadget() *gadget {
	return &gadget{name: "gadget", path: "/gadgets", entered: make(chan struct{}, 16), release: make(chan struct{})}
}

type gadgetCreds struct {
	Key string `json:"key"`
}

type gadgetRecord struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type gadgetError struct {
	status int
	code   string
}

func (e *gadgetError) Error() string { return e.code }

var (
	errGadgetAuth     = &gadgetError{http.StatusForbidden, "BAD_KEY"}
	errGadgetConflict = &gadgetError{http.StatusConflict, "IDEMPOTENCY_CONFLICT"}
	errGadgetInvalid  = &gadgetError{http.StatusUnprocessableEntity, "INVALID"}
)

func (g *gadget) Name() string { return g.name }

func (g *gadget) Credentials() platform.CredentialSpec {
	return platform.CredentialSpec{
		Default: func() any { return &gadgetCreds{Key: g.name + "-key"} },
		New: func() any {
			b := make([]byte, 8)
			rand.Read(b)
			return &gadgetCreds{Key: g.name + "-" + hex.EncodeToString(b)}
		},
		Decode: func(raw json.RawMessage) (any, error) {
			var c gadgetCreds
			return &c, json.Unmarshal(raw, &c)
		},
		Keys: func(c any) []string { return []string{c.(*gadgetCreds).Key} },
	}
}

type gadgetWriter struct{}

func gadgetBody(code string) []byte {
	b, _ := json.Marshal(map[string]any{"gadget_error": map[string]string{"code": code}})
	return b
}

func (gadgetWriter) Success(r *http.Request, status int, v any) platform.Rendered {
	body, _ := json.Marshal(map[string]any{"gadget": v})
	return platform.Rendered{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

func (gadgetWriter) Error(r *http.Request, err error) platform.Rendered {
	status, code := http.StatusInternalServerError, "INTERNAL"
	var ge *gadgetError
	var fe *platform.FaultError
	switch {
	case errors.As(err, &ge):
		status, code = ge.status, ge.code
	case errors.As(err, &fe):
		status, code = fe.Status, "FAULT"
	case errors.Is(err, platform.ErrNotFound):
		status, code = http.StatusNotFound, "NOT_FOUND"
	case errors.Is(err, platform.ErrMethodNotAllowed):
		status, code = http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED"
	case errors.Is(err, platform.ErrBodyTooLarge):
		status, code = http.StatusRequestEntityTooLarge, "TOO_LARGE"
	case errors.Is(err, platform.ErrUnavailable):
		status, code = http.StatusServiceUnavailable, "UNAVAILABLE"
	}
	return platform.Rendered{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: gadgetBody(code)}
}

func (g *gadget) verify(r *http.Request, body []byte) (platform.Caller, error) {
	key := r.Header.Get("X-Gadget-Key")
	tenant, creds, ok := g.deps.Tenants.Lookup(g.name, key)
	if !ok {
		return platform.Caller{}, platform.Deny(errGadgetAuth, "X-Gadget-Key %q belongs to no tenant", key)
	}
	return platform.Caller{Tenant: tenant, Key: key, Creds: creds}, nil
}

func (g *gadget) Mount(m *platform.Mount) error {
	g.deps = m.Deps()
	m.SetWriter(gadgetWriter{})
	m.Handle(http.MethodPost, g.path, g.verify, g.create, platform.Idempotent("Idempotency-Key", errGadgetConflict), platform.Named("gadgets.create"))
	m.Handle(http.MethodGet, g.path+"/{id}", g.verify, g.get, platform.Named("gadgets.get"))
	m.Handle(http.MethodPost, g.path+"/actions/panic", g.verify, func(*platform.Request) (any, error) {
		panic("gadget handler exploded: SECRET-STACK-MARKER")
	})
	m.Handle(http.MethodPost, g.path+"/actions/txpanic", g.verify, func(req *platform.Request) (any, error) {
		return req.Commit(func(tx *platform.Tx) (any, error) {
			if err := tx.Records().Put("gadget", "from-panic", gadgetRecord{ID: "from-panic"}); err != nil {
				return nil, err
			}
			panic("transaction exploded: SECRET-STACK-MARKER")
		})
	})
	m.Handle(http.MethodGet, g.path+"/actions/slow", g.verify, func(req *platform.Request) (any, error) {
		g.entered <- struct{}{}
		<-g.release
		return map[string]bool{"done": true}, nil
	})
	m.HandleHTTP("", http.MethodGet, g.path+"/actions/page", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("panic") != "" {
			panic("page exploded: SECRET-STACK-MARKER")
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<h1>gadget</h1>"))
	}))
	m.Control(http.MethodPost, "/gadgets/{id}/label", func(req *platform.ControlRequest) (any, error) {
		var in struct {
			Label string `json:"label"`
		}
		if err := json.Unmarshal(req.Body, &in); err != nil || in.Label == "" {
			return nil, platform.BadControl("body needs a label")
		}
		var rec gadgetRecord
		err := req.Update(func(tx *platform.Tx) error {
			ok, err := tx.Records().Get("gadget", req.Var("id"), &rec)
			if err != nil {
				return err
			}
			if !ok {
				return platform.ControlNotFound("no gadget %q", req.Var("id"))
			}
			rec.Label = in.Label
			return tx.Records().Put("gadget", rec.ID, rec)
		})
		if err != nil {
			return nil, err
		}
		return platform.WithStatus(http.StatusAccepted, rec), nil
	})
	return nil
}

func (g *gadget) create(req *platform.Request) (any, error) {
	var in gadgetRecord
	if err := json.Unmarshal(req.Body, &in); err != nil || in.Label == "" {
		return nil, errGadgetInvalid
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		seq, err := tx.Records().NextSeq("gadget")
		if err != nil {
			return nil, err
		}
		rec := gadgetRecord{ID: strconv.FormatUint(seq, 10), Label: in.Label}
		if err := tx.Records().Put("gadget", rec.ID, rec); err != nil {
			return nil, err
		}
		return platform.Created(rec), nil
	})
}

func (g *gadget) get(req *platform.Request) (any, error) {
	var rec gadgetRecord
	err := req.View(func(tx *platform.Tx) error {
		ok, err := tx.Records().Get("gadget", req.Var("id"), &rec)
		if err == nil && !ok {
			err = platform.ErrNotFound
		}
		return err
	})
	return rec, err
}
