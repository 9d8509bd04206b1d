package difitek

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Request bodies are read leniently, the way the service's own clients
// write them (README "Request bodies"): Crowd Valley's clients are PHP, whose
// json_decode/json_encode round trip turns {} into [], leaves nulls for unset
// properties and carries form input as strings. Every handler reads its body
// through bodyFields and conform (conform.go), so the same rules hold on
// every endpoint.

// bodyFields parses a request body into its top-level fields: a JSON object;
// an empty body, null or [] (PHP's empty array) as no fields; or, with
// Content-Type application/x-www-form-urlencoded, a form whose values are
// strings and whose keys may nest PHP-style (address[city]=Leeds, tags[]=a).
// Numbers are kept as json.Number.
func bodyFields(contentType string, body []byte) (map[string]any, error) {
	if isForm(contentType) {
		return formFields(body)
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errInvalidJSON.with("Request body is not valid JSON: %s", syntaxProblem(err))
	}
	if _, err := dec.Token(); err == nil {
		return nil, errInvalidJSON.with("Request body is not valid JSON: unexpected data after the top-level value")
	}
	switch x := v.(type) {
	case map[string]any:
		return x, nil
	case nil:
		return map[string]any{}, nil
	case []any:
		if len(x) == 0 {
			return map[string]any{}, nil
		}
	}
	return nil, errInvalidJSON.with("Request body must be a JSON object")
}

// syntaxProblem describes a JSON syntax error without Go's wording.
func syntaxProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Error() + " at offset " + strconv.FormatInt(se.Offset, 10)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the body ends before the JSON value does"
	}
	return "it cannot be parsed"
}

func isForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// formFields parses a form body; PHP's bracket keys build nested objects
// and lists, as PHP's own parser reads them.
func formFields(body []byte) (map[string]any, error) {
	vals, err := url.ParseQuery(string(bytes.TrimSpace(body)))
	if err != nil {
		return nil, errInvalidJSON.with("Request body is not a valid form: %s", err.Error())
	}
	out := map[string]any{}
	for key, vs := range vals {
		path := formPath(key)
		if len(path) > maxFormNesting {
			continue // as PHP drops variables nested deeper than max_input_nesting_level
		}
		for _, v := range vs {
			setFormValue(out, path, v)
		}
	}
	return out, nil
}

// maxFormNesting bounds form keys' nesting (PHP's max_input_nesting_level).
const maxFormNesting = 64

// formPath splits "a[b][]" into ["a","b",""].
func formPath(key string) []string {
	i := strings.IndexByte(key, '[')
	if i <= 0 || !strings.HasSuffix(key, "]") {
		return []string{key}
	}
	return append([]string{key[:i]}, strings.Split(key[i+1:len(key)-1], "][")...)
}

func setFormValue(m map[string]any, path []string, v string) {
	head := path[0]
	if len(path) == 1 {
		m[head] = v
		return
	}
	if path[1] == "" { // a[]=x appends to a list
		list, _ := m[head].([]any)
		if len(path) == 2 {
			m[head] = append(list, v)
			return
		}
		child := map[string]any{}
		setFormValue(child, path[2:], v)
		m[head] = append(list, child)
		return
	}
	child, ok := m[head].(map[string]any)
	if !ok {
		child = map[string]any{}
		m[head] = child
	}
	setFormValue(child, path[1:], v)
}

// decodeBody reads the request body into v (a pointer to an input struct
// or map), coercing what PHP and form clients send (see conform). A value
// that cannot be read as its field's type is error 30003 naming every such
// field.
func decodeBody(req *platform.Request, v any) error {
	var p problems
	if err := decodeInto(req, v, &p); err != nil {
		return err
	}
	return p.err()
}

// decodeInto is decodeBody with the field problems left in p, so a handler
// can add its own (missing fields) and report them all at once.
func decodeInto(req *platform.Request, v any, p *problems) error {
	in, err := bodyFields(req.Header.Get("Content-Type"), req.Body)
	if err != nil {
		return err
	}
	return fill(in, v, p)
}

// principalOf is the verified caller's principal.
func principalOf(req *platform.Request) Principal {
	pr, _ := platform.UserOf[Principal](req.Caller)
	return pr
}

// credsOf is the caller's tenant credentials.
func credsOf(req *platform.Request) *Credentials {
	c := credentials.Caller(req.Caller)
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
