package crowdtrust

import (
	"errors"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// TestWriterMapsPlatformErrors: every platform error gets the envelope.
func TestWriterMapsPlatformErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
		code int
	}{
		{platform.ErrInternal, `{"status":500,"message":"Internal Server Error"}`, 500},
		{platform.ErrBodyTooLarge, `{"status":413,"message":"Request Entity Too Large"}`, 413},
		{platform.ErrNotFound, `{"status":404,"message":"Not Found"}`, 404},
		{platform.ErrUnavailable, `{"status":503,"message":"Service Unavailable"}`, 503},
		{&platform.FaultError{Status: 502}, `{"status":502,"message":"Bad Gateway"}`, 502},
		{errors.New("boom"), `{"status":500,"message":"Internal Server Error"}`, 500},
		{invalid("ssn", "bad"), `{"status":400,"message":"Invalid Input","details":{"field":"ssn","cause":"bad"}}`, 400},
	} {
		out := envelope.Error(nil, tc.err)
		if out.Status != tc.code || string(out.Body) != tc.want || out.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%v: %d %s", tc.err, out.Status, out.Body)
		}
	}
}
