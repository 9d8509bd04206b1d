package crowdtrust

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// writer renders bacapi answers: JSON bodies, errors in the envelope.
type writer struct{}

func jsonRendered(status int, v any) platform.Rendered {
	body, err := jsonenc.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(apiError{Status: status, Message: "Internal Server Error"})
	}
	return platform.Rendered{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

// Success implements platform.Writer.
func (writer) Success(_ *http.Request, status int, v any) platform.Rendered {
	return jsonRendered(status, v)
}

// Error implements platform.Writer.
func (writer) Error(_ *http.Request, err error) platform.Rendered {
	return jsonRendered(errorStatus(err))
}

// errorStatus maps an error a handler returns to its status and envelope;
// the platform's errors arrive as the answers of envelope.Errors.
func errorStatus(err error) (int, apiError) {
	var ae *apiError
	var ce *platform.ControlError
	switch {
	case errors.As(err, &ae):
		return ae.Status, *ae
	case errors.As(err, &ce):
		return ce.Status, apiError{Status: ce.Status, Message: ce.Message}
	default:
		return http.StatusInternalServerError, *errInternal
	}
}

// statusError is the bare envelope of a status.
func statusError(status int) *apiError { return &apiError{Status: status, Message: statusText(status)} }

var errInternal = statusError(http.StatusInternalServerError)

// envelope is CrowdTrust's one error envelope and its answers to the
// platform's failures.
var envelope = &platform.Envelope{Writer: writer{}, Errors: platform.Errors{
	NotFound:         errNotFound,
	MethodNotAllowed: statusError(http.StatusMethodNotAllowed),
	BodyTooLarge:     statusError(http.StatusRequestEntityTooLarge),
	BadRequestBody:   statusError(http.StatusBadRequest),
	Unavailable:      statusError(http.StatusServiceUnavailable),
	Internal:         errInternal,
	Status:           func(status int) error { return statusError(status) },
}}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Error"
}
