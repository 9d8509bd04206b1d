package platform_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// nameWriter renders the error's text as the body with status 499, so the
// test sees which error reached the writer.
type nameWriter struct{}

func (nameWriter) Success(_ *http.Request, status int, _ any) platform.Rendered {
	return platform.Rendered{Status: status}
}
func (nameWriter) Error(_ *http.Request, err error) platform.Rendered {
	return platform.Rendered{Status: 499, Body: []byte(err.Error())}
}

func TestEnvelopeMapsPlatformErrorsOnce(t *testing.T) {
	own := errors.New("provider's own")
	e := &platform.Envelope{Writer: nameWriter{}, Errors: platform.Errors{
		NotFound:         errors.New("p-not-found"),
		RouteNotFound:    errors.New("p-no-route"),
		MethodNotAllowed: errors.New("p-405"),
		BodyTooLarge:     errors.New("p-413"),
		Unavailable:      errors.New("p-503"),
		Internal:         errors.New("p-500"),
		Status:           func(status int) error { return fmt.Errorf("p-status-%d", status) },
	}}
	tests := []struct {
		err  error
		want string
	}{
		{platform.ErrNotFound, "p-not-found"},
		{fmt.Errorf("no deposit: %w", platform.ErrNotFound), "p-not-found"},
		{platform.ErrRouteNotFound, "p-no-route"},
		{platform.ErrMethodNotAllowed, "p-405"},
		{platform.ErrBodyTooLarge, "p-413"},
		{platform.ErrUnavailable, "p-503"},
		{platform.ErrInternal, "p-500"},
		{&platform.FaultError{Status: 429}, "p-status-429"},
		{own, "provider's own"},
	}
	for _, tt := range tests {
		if got := e.Error(nil, tt.err); string(got.Body) != tt.want {
			t.Errorf("%v: writer got %q, want %q", tt.err, got.Body, tt.want)
		}
	}
	verbatim := e.Error(nil, &platform.FaultError{Status: 502, Body: []byte(`{"x":1}`)})
	if verbatim.Status != 502 || string(verbatim.Body) != `{"x":1}` || verbatim.Header.Get("Content-Type") != "application/json" {
		t.Errorf("fault body: %d %q %v", verbatim.Status, verbatim.Body, verbatim.Header)
	}
	// Without answers of its own, the writer sees the platform's errors;
	// without RouteNotFound, an unknown path is NotFound.
	bare := &platform.Envelope{Writer: nameWriter{}, Errors: platform.Errors{NotFound: errors.New("p-not-found")}}
	if got := bare.Error(nil, platform.ErrUnavailable); string(got.Body) != platform.ErrUnavailable.Error() {
		t.Errorf("bare unavailable: %q", got.Body)
	}
	if got := bare.Error(nil, platform.ErrRouteNotFound); string(got.Body) != "p-not-found" {
		t.Errorf("bare route not found: %q", got.Body)
	}
	if got := bare.Error(nil, &platform.FaultError{Status: 500}); string(got.Body) != "injected fault: status 500" {
		t.Errorf("bare fault: %q", got.Body)
	}
}
