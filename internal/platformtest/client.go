package platformtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Answer is an HTTP answer read whole.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send sends one request with exactly body and header (no header is
// added; a nil or empty body is sent as no body) and reads the answer.
func Send(t testing.TB, method, url string, body []byte, header http.Header) Answer {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(body) == 0 {
		req.Body = http.NoBody
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return Answer{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// SignedHeader is the header a real client of the provider sends for the
// request: signer signs it with creds at now, as the provider's SDKs do.
func SignedHeader(t testing.TB, signer platform.ClientSigner, creds any, method, url string, body []byte, now time.Time) http.Header {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := signer.SignRequest(req, body, creds, now); err != nil {
		t.Fatal(err)
	}
	return req.Header
}

// Body is body as bytes: nil, a string or []byte as is, anything else
// JSON-encoded.
func Body(t testing.TB, body any) []byte {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return []byte(b)
	case []byte:
		return b
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
