package d24

import (
	"strconv"
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
