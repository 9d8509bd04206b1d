package difitek

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// decodeBody reads a JSON object body; an empty body is an empty object.
func decodeBody(req *platform.Request, v any) error {
	body := bytes.TrimSpace(req.Body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return errInvalidJSON.with("Request body must be a JSON object")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errInvalidJSON.with("Request body is not valid JSON: %v", err)
	}
	return nil
}

// principalOf is the verified caller's principal.
func principalOf(req *platform.Request) Principal {
	pr, _ := req.Caller.User.(Principal)
	return pr
}

// credsOf is the caller's tenant credentials.
func credsOf(req *platform.Request) *Credentials {
	c, _ := req.Caller.Creds.(*Credentials)
	if c == nil {
		return &Credentials{}
	}
	return c
}

// pathID reads an integer path variable.
func pathID(req *platform.Request, name string) (int64, error) { return parseID(req.Var(name)) }

// me loads the caller's user record.
func me(tx *platform.Tx, req *platform.Request) (UserRecord, error) {
	pr := principalOf(req)
	if pr.Public || pr.UserID == 0 {
		return UserRecord{}, errAuthPublic
	}
	return getRecord[UserRecord](tx, kindUser, pr.UserID)
}

// object is the O(k) data shape: {"<kind>": {...}}.
func object(key string, v any) map[string]any { return map[string]any{key: v} }

// process is the P data shape of a create, update or action: the id and the
// resulting object, so clients that read an id find one.
func process(key string, id int64, v any) map[string]any {
	out := map[string]any{"id": id}
	if v != nil {
		out[key] = v
	}
	return out
}

func mustDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}
