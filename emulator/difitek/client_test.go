package difitek_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/difitek"
)

// envelope is a decoded Difitek answer.
type envelope struct {
	Status  int             `json:"status"`
	Outcome string          `json:"outcome"`
	Data    json.RawMessage `json:"data"`
	http    int
}

func (e envelope) code() int {
	var d struct {
		Code int `json:"code"`
	}
	_ = json.Unmarshal(e.Data, &d)
	return d.Code
}

// id is data.id of a create answer.
func (e envelope) id(t *testing.T) int64 {
	t.Helper()
	var d struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(e.Data, &d); err != nil || d.ID == 0 {
		t.Fatalf("no data.id in %s", e.Data)
	}
	return d.ID
}

// into decodes data.<key> (or data when key is empty).
func (e envelope) into(t *testing.T, key string, v any) {
	t.Helper()
	raw := e.Data
	if key != "" {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(e.Data, &m); err != nil {
			t.Fatalf("data %s: %v", e.Data, err)
		}
		raw = m[key]
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

// client signs requests as a real SDK does.
type client struct {
	base     string // e.g. http://127.0.0.1:1234/difitek
	creds    *difitek.Credentials
	user, pw string
	network  string // path network (defaults to creds.Network)
	now      func() time.Time
}

func (c client) as(user, pw string) client { c.user, c.pw = user, pw; return c }

func (c client) public() client { return c.as(difitek.PublicUsername, difitek.PublicUsername) }

func (c client) do(t *testing.T, method, path string, body any) envelope {
	t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	contentType := ""
	if raw != nil {
		contentType = "application/json"
	}
	return c.send(t, method, path, contentType, raw)
}

// send makes a request with a body exactly as given (a client dialect's
// literal bytes).
func (c client) send(t *testing.T, method, path, contentType string, raw []byte) envelope {
	t.Helper()
	network := c.network
	if network == "" {
		network = c.creds.Network
	}
	req, err := http.NewRequest(method, c.base+"/v1/"+network+path, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if c.now != nil {
		now = c.now()
	}
	tok := difitek.SignToken(c.creds.APIKey, c.creds.APISecret, c.user, c.pw, difitek.NewNonce(), difitek.CreatedString(now))
	req.Header.Set(difitek.HeaderCVAuth, tok.String())
	req.Header.Set(difitek.HeaderNetwork, network)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var e envelope
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("%s %s: %q is not JSON", method, path, data)
	}
	e.http = resp.StatusCode
	if e.Status != e.http {
		t.Fatalf("%s %s: body status %d, HTTP %d", method, path, e.Status, e.http)
	}
	return e
}

// ok fails unless the call succeeded.
func (c client) ok(t *testing.T, method, path string, body any) envelope {
	t.Helper()
	e := c.do(t, method, path, body)
	if e.http != http.StatusOK || e.Outcome != "success" {
		t.Fatalf("%s %s as %s: %d %s", method, path, c.user, e.http, e.Data)
	}
	return e
}

// fails checks an error answer's status and code.
func (c client) fails(t *testing.T, method, path string, body any, status, code int) envelope {
	t.Helper()
	e := c.do(t, method, path, body)
	if e.http != status || e.Outcome != "error" || e.code() != code {
		t.Fatalf("%s %s as %s: %d code %d, want %d code %d (%s)", method, path, c.user, e.http, e.code(), status, code, e.Data)
	}
	return e
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
