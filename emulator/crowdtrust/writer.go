package crowdtrust

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// apiError is the bacapi error envelope: {"status","message"[,"details"]}.
type apiError struct {
	Status  int           `json:"status"`
	Message string        `json:"message"`
	Details *errorDetails `json:"details,omitempty"`
}

type errorDetails struct {
	Field string `json:"field"`
	Cause string `json:"cause"`
}

func (e *apiError) Error() string {
	if e.Details != nil {
		return e.Message + ": " + e.Details.Field + ": " + e.Details.Cause
	}
	return e.Message
}

// The errors the real service answers.
var (
	errForbidden       = &apiError{Status: http.StatusForbidden, Message: "Forbidden"}
	errUnauthorized    = &apiError{Status: http.StatusUnauthorized, Message: "Unauthorized"}
	errCheckNotFound   = &apiError{Status: http.StatusNotFound, Message: "This check does not exist"}
	errReportNotReady  = &apiError{Status: http.StatusNotFound, Message: "Report not available"}
	errNotFound        = &apiError{Status: http.StatusNotFound, Message: "Not Found"}
	errMalformedJSON   = &apiError{Status: http.StatusBadRequest, Message: "Invalid Input"}
	errBillingRequired = &apiError{Status: http.StatusBadRequest, Message: "Billing information required"}
)

// invalid is the 400 of a field that failed validation.
func invalid(field, cause string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Message: "Invalid Input", Details: &errorDetails{Field: field, Cause: cause}}
}

// writer renders bacapi answers: JSON bodies, errors in the envelope.
type writer struct{}

func jsonRendered(status int, v any) platform.Rendered {
	body, err := json.Marshal(v)
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

// errorStatus maps any error to its status and envelope.
func errorStatus(err error) (int, apiError) {
	var ae *apiError
	var fe *platform.FaultError
	var ce *platform.ControlError
	switch {
	case errors.As(err, &ae):
		return ae.Status, *ae
	case errors.As(err, &fe):
		return fe.Status, apiError{Status: fe.Status, Message: statusText(fe.Status)}
	case errors.As(err, &ce):
		return ce.Status, apiError{Status: ce.Status, Message: ce.Message}
	case errors.Is(err, platform.ErrNotFound):
		return http.StatusNotFound, *errNotFound
	case errors.Is(err, platform.ErrMethodNotAllowed):
		return http.StatusMethodNotAllowed, apiError{Status: http.StatusMethodNotAllowed, Message: "Method Not Allowed"}
	case errors.Is(err, platform.ErrBadRequestBody):
		return http.StatusBadRequest, apiError{Status: http.StatusBadRequest, Message: "Bad Request"}
	case errors.Is(err, platform.ErrBodyTooLarge):
		return http.StatusRequestEntityTooLarge, apiError{Status: http.StatusRequestEntityTooLarge, Message: "Request Entity Too Large"}
	case errors.Is(err, platform.ErrUnavailable):
		return http.StatusServiceUnavailable, apiError{Status: http.StatusServiceUnavailable, Message: "Service Unavailable"}
	default:
		return http.StatusInternalServerError, apiError{Status: http.StatusInternalServerError, Message: "Internal Server Error"}
	}
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Error"
}
