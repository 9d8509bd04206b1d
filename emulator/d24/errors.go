package d24

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// APIError is a deposits-family error: {"code","description","type"[,"details"]}.
type APIError struct {
	HTTP        int      `json:"-"`
	Code        int      `json:"code"`
	Description string   `json:"description"`
	Type        string   `json:"type,omitempty"`
	Details     []string `json:"details,omitempty"`
}

func (e *APIError) Error() string { return e.Description }

// CashoutError is a cashout error: {"code","message"[,"reason","reason_code"]}.
type CashoutError struct {
	HTTP       int    `json:"-"`
	Code       int    `json:"code"`
	Message    string `json:"message"`
	Reason     string `json:"reason,omitempty"`
	ReasonCode int    `json:"reason_code,omitempty"`
}

func (e *CashoutError) Error() string { return e.Message }

var (
	errInvalidCredentials = &APIError{HTTP: 401, Code: 100, Description: "Invalid credentials", Type: "INVALID_CREDENTIALS"}
	errInvalidSignature   = &APIError{HTTP: 400, Code: 102, Description: "Invalid signature", Type: "INVALID_SIGNATURE"}
	errInvalidDateRange   = &APIError{HTTP: 400, Code: 103, Description: "X-Date header is outside the allowed range", Type: "INVALID_DATE_RANGE"}
	errIdempotencyKeyUsed = &APIError{HTTP: 400, Code: 104, Description: "Idempotency key has been already used", Type: "IDEMPOTENCY_KEY_ALREADY_USED"}
	errResourceNotFound   = &APIError{HTTP: 404, Code: 208, Description: "Resource not found", Type: "RESOURCE_NOT_FOUND"}
	errInvalidRefund      = &APIError{HTTP: 400, Code: 802, Description: "Amount to refund not valid", Type: "INVALID_AMOUNT_TO_REFUND"}
	errMissingBankAccount = &APIError{HTTP: 400, Code: 804, Description: "Missing bank account", Type: "MISSING_BANK_ACCOUNT"}

	errCashoutBadBody     = &CashoutError{HTTP: 400, Code: 502, Message: "Invalid request body"}
	errCashoutCredentials = &CashoutError{HTTP: 401, Code: 401, Message: "Invalid credentials"}
	errCashoutControl     = &CashoutError{HTTP: 401, Code: 302, Message: "Invalid control string"}
	errCashoutNotFound    = &CashoutError{HTTP: 412, Code: 509, Message: "Cashout not found with this ID"}
	errCashoutTransition  = &CashoutError{HTTP: 412, Code: 510, Message: "Invalid status transition"}
	errCashoutExternalID  = &CashoutError{HTTP: 412, Code: 511, Message: "External ID already used"}
	errCashoutBankCode    = &CashoutError{HTTP: 412, Code: 303, Message: "Invalid bank code"}
)

// missingHeader is error 101 naming the header.
func missingHeader(name string) *APIError {
	return &APIError{HTTP: 400, Code: 101, Description: "Missing or invalid format for required header " + name, Type: "MISSING_REQUIRED_HEADER"}
}

// emptyHeader is error 105 naming the header.
func emptyHeader(name string) *APIError {
	return &APIError{HTTP: 400, Code: 105, Description: "Empty value for header " + name, Type: "EMPTY_HEADER_VALUE"}
}

// validation is error 201 with one detail per problem.
func validation(details ...string) *APIError {
	return &APIError{HTTP: 400, Code: 201, Description: "Invalid request body", Type: "BEAN_VALIDATION_ERROR", Details: details}
}

// invalidParam is cashout error 300 naming the parameter.
func invalidParam(param, reason string) *CashoutError {
	msg := "Invalid params " + param
	if reason != "" {
		msg += " " + reason
	}
	return &CashoutError{HTTP: 400, Code: 300, Message: msg}
}

func quote(s string) string { return strconv.Quote(s) }
func itoa(n int) string     { return strconv.Itoa(n) }

// writer renders D24's answers: bare JSON objects on success; errors in
// the envelope of their type, anything else as the family's 500.
type writer struct {
	// generic is the family's answer to a status with no documented body.
	generic func(status int) error
}

// Success implements platform.Writer.
func (w writer) Success(r *http.Request, status int, v any) platform.Rendered {
	body, err := json.Marshal(v)
	if err != nil {
		return w.Error(r, platform.ErrInternal)
	}
	return platform.Rendered{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

// Error implements platform.Writer.
func (w writer) Error(r *http.Request, err error) platform.Rendered {
	var ae *platform.AuthError
	if errors.As(err, &ae) && ae.Public != nil {
		err = ae.Public
	}
	var apiErr *APIError
	var coErr *CashoutError
	var reconErr *ReconError
	switch {
	case errors.As(err, &reconErr):
		return render(reconErr.HTTP, reconErr)
	case errors.As(err, &apiErr):
		return render(apiErr.HTTP, apiErr)
	case errors.As(err, &coErr):
		return render(coErr.HTTP, coErr)
	}
	return w.Error(r, w.generic(http.StatusInternalServerError))
}

// genericAPI is the deposits family's answer to a status with no documented body.
func genericAPI(status int) error {
	typ := strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	code := 501
	if status == http.StatusRequestEntityTooLarge {
		code = 201
	}
	return &APIError{HTTP: status, Code: code, Description: http.StatusText(status), Type: typ}
}

// genericCashout is the cashout family's answer to a status with no documented body.
func genericCashout(status int) error {
	code := 500
	if status == http.StatusRequestEntityTooLarge {
		code = 502
	}
	return &CashoutError{HTTP: status, Code: code, Message: http.StatusText(status)}
}

// cashoutEnvelope is the name of the cashout family's envelope.
const cashoutEnvelope = "cashout"

// envelopes are D24's error envelopes: the deposits family's (the main one)
// and the cashout API's, with their answers to the platform's failures.
var envelopes = map[string]*platform.Envelope{
	"": {Writer: writer{generic: genericAPI}, Errors: platform.Errors{
		NotFound: errResourceNotFound,
		// The documented error table: code 200 METHOD_NOT_ALLOWED, HTTP 405.
		MethodNotAllowed: &APIError{HTTP: http.StatusMethodNotAllowed, Code: 200, Description: "Method not allowed", Type: "METHOD_NOT_ALLOWED"},
		BodyTooLarge:     genericAPI(http.StatusRequestEntityTooLarge),
		Unavailable:      genericAPI(http.StatusServiceUnavailable),
		Internal:         genericAPI(http.StatusInternalServerError),
		Status:           genericAPI,
	}},
	cashoutEnvelope: {Writer: writer{generic: genericCashout}, Paths: []string{"/v3/cashout"}, Errors: platform.Errors{
		NotFound:         errCashoutNotFound,
		MethodNotAllowed: genericCashout(http.StatusMethodNotAllowed),
		BodyTooLarge:     genericCashout(http.StatusRequestEntityTooLarge),
		Unavailable:      genericCashout(http.StatusServiceUnavailable),
		Internal:         genericCashout(http.StatusInternalServerError),
		Status:           genericCashout,
	}},
}

func render(status int, v any) platform.Rendered {
	body, _ := json.Marshal(v)
	return platform.Rendered{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}
