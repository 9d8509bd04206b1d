package crm

import (
	"net/http"
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
