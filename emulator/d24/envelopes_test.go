package d24_test

import (
	"net/http"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// TestEnvelopeByFamily: unknown paths and wrong methods answer in the
// envelope of their family, under the provider's prefix, on the card host
// and at the real path: cashout paths in the cashout envelope, the others
// in the deposits family's.
func TestEnvelopeByFamily(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		method, path string
		status       int
		body         string
	}{
		{http.MethodGet, "/d24/v3/cashout/nope", 412, `{"code":509,"message":"Cashout not found with this ID"}`},
		{http.MethodGet, "/d24-card/v3/cashout/nope", 412, `{"code":509,"message":"Cashout not found with this ID"}`},
		{http.MethodGet, "/d24/v3/nope", 404, `{"code":208,"description":"Resource not found","type":"RESOURCE_NOT_FOUND"}`},
		{http.MethodGet, "/d24/v3/cashout", 405, `{"code":500,"message":"Method Not Allowed"}`},
		{http.MethodGet, "/d24-card/v3/cashout", 405, `{"code":500,"message":"Method Not Allowed"}`},
		{http.MethodGet, "/d24/v3/refunds", 405, `{"code":200,"description":"Method not allowed","type":"METHOD_NOT_ALLOWED"}`},
		{http.MethodGet, "/v3/refunds", 405, `{"code":200,"description":"Method not allowed","type":"METHOD_NOT_ALLOWED"}`},
	}
	for _, tt := range tests {
		a := platformtest.Send(t, tt.method, e.root+tt.path, nil, nil)
		if a.Status != tt.status || string(a.Body) != tt.body {
			t.Errorf("%s %s: %d %s, want %d %s", tt.method, tt.path, a.Status, a.Body, tt.status, tt.body)
		}
	}
}
