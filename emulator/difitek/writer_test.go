package difitek

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

func TestWriterEnvelopes(t *testing.T) {
	r := httptest.NewRequest("GET", "/v1/testnetwork/self", nil)
	ok := writer{}.Success(r, 200, map[string]int{"a": 1})
	if string(ok.Body) != `{"outcome":"success","data":{"a":1},"status":200}` {
		t.Fatalf("success body %s", ok.Body)
	}
	tests := []struct {
		err          error
		status, code int
	}{
		{errEmailMissing, 400, 10017},
		{errEmailTaken, 400, 20009},
		{platform.ErrInternal, 500, 50000},
		{platform.ErrBodyTooLarge, 413, 50413},
		{platform.ErrNotFound, 404, 30004},
		{platform.ErrUnavailable, 503, 50503},
		{&platform.FaultError{Status: 502}, 502, 50502},
		{fmt.Errorf("wrapped: %w", errNotFound), 404, 30004},
		{errors.New("anything else"), 500, 50000},
		{platform.Deny(errAuthDigest, "why").Public, 401, 10005},
	}
	for _, tt := range tests {
		out := envelope.Error(r, tt.err)
		var env struct {
			Status  int    `json:"status"`
			Outcome string `json:"outcome"`
			Data    struct {
				Code             int            `json:"code"`
				DeveloperMessage string         `json:"developer_message"`
				UserMessage      string         `json:"user_message"`
				Fields           map[string]any `json:"fields"`
			} `json:"data"`
		}
		if err := json.Unmarshal(out.Body, &env); err != nil {
			t.Fatal(err)
		}
		if out.Status != tt.status || env.Status != tt.status || env.Outcome != "error" || env.Data.Code != tt.code ||
			env.Data.UserMessage == "" || env.Data.Fields == nil {
			t.Errorf("%v: %d %s", tt.err, out.Status, out.Body)
		}
	}
	// The real API's key order: status, outcome, data.
	out := writer{}.Error(r, errEmailMissing)
	if want := `{"status":400,"outcome":"error","data":{"code":10017,"developer_message":"Parameter missing: email","user_message":"Failed to re-send verification email","fields":{}}}`; string(out.Body) != want {
		t.Fatalf("error body\n got %s\nwant %s", out.Body, want)
	}
}

func TestNetworkOfPath(t *testing.T) {
	for path, want := range map[string]string{
		"/v1/testnetwork/self":          "testnetwork",
		"/v1/admin/demo/3/organization": "demo",
		"/v1/kyc":                       "kyc",
		"/v1/my%20net/self":             "my net",
		"/v2/testnetwork/self":          "",
		"/":                             "",
	} {
		r := httptest.NewRequest("GET", "http://x"+path, nil)
		if got := networkOf(r); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	r := httptest.NewRequest("GET", "http://x/difitek/v1/testnetwork/self", nil)
	if got := networkOf(platform.WithRoute(r, nil, "/difitek")); got != "testnetwork" {
		t.Errorf("under prefix: %q", got)
	}
}
