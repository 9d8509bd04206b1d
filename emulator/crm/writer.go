package crm

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// APIError is a CRM error answer: {"error":true,"code":<status>,"type":"…"}.
// Message is a developer hint shown only on validation failures.
type APIError struct {
	Status  int
	Type    string
	Message string
}

func (e *APIError) Error() string {
	if e.Message != "" {
		return e.Type + ": " + e.Message
	}
	return e.Type
}

type errorBody struct {
	Error   bool   `json:"error"`
	Code    int    `json:"code"`
	Type    string `json:"type"`
	Message string `json:"message,omitempty"`
}

func apiErr(status int, typ string) *APIError { return &APIError{Status: status, Type: typ} }

// Errors with their documented type strings.
var (
	errInvalidAPIKey           = apiErr(http.StatusForbidden, "invalid_api_key")
	errInvalidSignature        = apiErr(http.StatusForbidden, "invalid_signature")
	errUserNotFound            = apiErr(http.StatusBadRequest, "user_not_found")
	errAccountNotFound         = apiErr(http.StatusBadRequest, "account_not_found")
	errInsufficientFunds       = apiErr(http.StatusBadRequest, "insufficient_funds")
	errRequestNotPending       = apiErr(http.StatusBadRequest, "request_status_not_pending")
	errCompetitionNotExists    = apiErr(http.StatusBadRequest, "competition_not_exists")
	errInvalidValidationCode   = apiErr(http.StatusBadRequest, "invalid_validation_code")
	errKYCDuplicate            = apiErr(http.StatusBadRequest, "kyc_duplicate_error")
	errPSPTokenInvalid         = apiErr(http.StatusBadRequest, "psp_token_invalid")
	errPaymentNotFound         = apiErr(http.StatusBadRequest, "payment_not_found")
	errPaymentNotPending       = apiErr(http.StatusBadRequest, "payment_status_not_pending")
	errPaymentStatusNotAllowed = apiErr(http.StatusBadRequest, "payment_status_not_allowed")
	errPaymentAmountNotAllowed = apiErr(http.StatusBadRequest, "payment_amount_not_allowed")
	errPaymentCurrencyNotAllow = apiErr(http.StatusBadRequest, "payment_currency_not_allowed")
	errPSPSettingNotFound      = apiErr(http.StatusBadRequest, "psp_setting_not_found")
	errRouteNotFound           = apiErr(http.StatusNotFound, "not_found")
)

// connectionNotFound and accountNotFoundOn name the platform in the type.
func connectionNotFound(platformName string) *APIError {
	return apiErr(http.StatusBadRequest, platformName+"_connection_not_found")
}

func tradingAccountNotFound(platformName string) *APIError {
	return apiErr(http.StatusBadRequest, platformName+"_account_not_found")
}

// invalid is a 400 invalid_request with a hint of which rule failed.
func invalid(msg string) *APIError {
	return &APIError{Status: http.StatusBadRequest, Type: "invalid_request", Message: msg}
}

type writer struct{}

var jsonHeader = http.Header{"Content-Type": {"application/json; charset=utf-8"}}

// Success renders a bare resource: the CRM has no success envelope.
func (writer) Success(_ *http.Request, status int, v any) platform.Rendered {
	if status == http.StatusNoContent || v == nil {
		return platform.Rendered{Status: status, Header: http.Header{}}
	}
	body, err := json.Marshal(v)
	if err != nil {
		return writer{}.Error(nil, platform.ErrInternal)
	}
	return platform.Rendered{Status: status, Header: jsonHeader.Clone(), Body: body}
}

// Error renders {"error":true,"code":…,"type":…} for every failure.
func (writer) Error(_ *http.Request, err error) platform.Rendered {
	var ae *APIError
	if !errors.As(err, &ae) {
		ae = apiErr(http.StatusInternalServerError, "internal_server_error")
	}
	body, _ := json.Marshal(errorBody{Error: true, Code: ae.Status, Type: ae.Type, Message: ae.Message})
	return platform.Rendered{Status: ae.Status, Header: jsonHeader.Clone(), Body: body}
}

// envelope is the CRM's one error envelope and its answers to the
// platform's failures.
var envelope = &platform.Envelope{Writer: writer{}, Errors: platform.Errors{
	NotFound:         errRouteNotFound,
	MethodNotAllowed: apiErr(http.StatusMethodNotAllowed, "method_not_allowed"),
	BodyTooLarge:     apiErr(http.StatusRequestEntityTooLarge, "payload_too_large"),
	Unavailable:      apiErr(http.StatusServiceUnavailable, "service_unavailable"),
	Internal:         apiErr(http.StatusInternalServerError, "internal_server_error"),
	Status:           func(status int) error { return apiErr(status, typeForStatus(status)) },
}}

func typeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid_request"
	case http.StatusForbidden:
		return "invalid_api_key"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusTooManyRequests:
		return "too_many_requests"
	case http.StatusServiceUnavailable:
		return "service_unavailable"
	}
	if status >= 500 {
		return "internal_server_error"
	}
	return "error"
}
