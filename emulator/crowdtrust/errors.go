package crowdtrust

import (
	"net/http"
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
