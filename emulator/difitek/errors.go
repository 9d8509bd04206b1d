package difitek

import (
	"fmt"
	"net/http"
)

// APIError is a Difitek error answer: the HTTP status (repeated in the
// body's "status") and the data object with the exception code.
type APIError struct {
	Status           int
	Code             int
	UserMessage      string
	DeveloperMessage string
	Fields           map[string]any
}

func (e *APIError) Error() string {
	return fmt.Sprintf("difitek %d/%d: %s", e.Status, e.Code, e.DeveloperMessage)
}

// with returns a copy with another developer message.
func (e *APIError) with(format string, args ...any) *APIError {
	c := *e
	c.DeveloperMessage = fmt.Sprintf(format, args...)
	return &c
}

// withField returns a copy naming the offending field.
func (e *APIError) withField(field, problem string) *APIError {
	c := *e
	c.Fields = map[string]any{field: problem}
	if c.DeveloperMessage == "" || c.DeveloperMessage == e.DeveloperMessage {
		c.DeveloperMessage = e.DeveloperMessage + ": " + field
	}
	return &c
}

// Exception codes. 10017, 10018 and 20009 are the real service's; the others
// are this emulator's own table (see README "Error codes").
var (
	errAuthMissing   = &APIError{http.StatusUnauthorized, 10001, "Unable to log in", "Missing cv-auth header", nil}
	errAuthMalformed = &APIError{http.StatusUnauthorized, 10002, "Unable to log in", "Malformed cv-auth header", nil}
	errAuthAPIKey    = &APIError{http.StatusUnauthorized, 10003, "Unable to log in", "Invalid API key", nil}
	errAuthNetwork   = &APIError{http.StatusUnauthorized, 10004, "Unable to log in", "API key is not valid for this network", nil}
	errAuthDigest    = &APIError{http.StatusUnauthorized, 10005, "Unable to log in", "Invalid token digest", nil}
	errAuthLogin     = &APIError{http.StatusUnauthorized, 10006, "Unable to log in", "Invalid username or password", nil}
	errAuthExpired   = &APIError{http.StatusUnauthorized, 10007, "Unable to log in", "Token expired", nil}
	errAuthReplay    = &APIError{http.StatusUnauthorized, 10008, "Unable to log in", "Nonce already used", nil}
	errAuthSSO       = &APIError{http.StatusUnauthorized, 10009, "Unable to log in", "Invalid jwt-auth token", nil}
	errAuthPublic    = &APIError{http.StatusForbidden, 10010, "Please log in to continue", "This endpoint requires a logged-in user", nil}
	errAuthAdmin     = &APIError{http.StatusForbidden, 10011, "You are not allowed to do this", "This endpoint requires an administrator", nil}
	errAuthBlocked   = &APIError{http.StatusForbidden, 10012, "Your account has been blocked", "User is blocked", nil}
	errAuthBasic     = &APIError{http.StatusUnauthorized, 10013, "Unable to connect", "HTTP Basic authentication failed", nil}

	errEmailMissing  = &APIError{http.StatusBadRequest, 10017, "Failed to re-send verification email", "Parameter missing: email", nil}
	errEmailResend   = &APIError{http.StatusBadRequest, 10018, "Failed to re-send verification email", "Email address is unknown or already verified", nil}
	errVerifySecret  = &APIError{http.StatusBadRequest, 10019, "Failed to verify email", "Invalid user_id or secret", nil}
	errResetSecret   = &APIError{http.StatusBadRequest, 10020, "Failed to reset password", "Invalid user_id or secret", nil}
	errPasswordMatch = &APIError{http.StatusBadRequest, 10021, "Passwords do not match", "Password confirmation does not match", nil}
	errPasswordWrong = &APIError{http.StatusBadRequest, 10022, "Your current password is incorrect", "Current password is incorrect", nil}
	errEmailMatch    = &APIError{http.StatusBadRequest, 10023, "Email addresses do not match", "new_email_confirm does not match new_email", nil}

	errEmailTaken = &APIError{http.StatusBadRequest, 20009, "This email address is already in use", "Email already exists in network", nil}

	errInvalidJSON   = &APIError{http.StatusBadRequest, 30001, "Invalid request", "Request body is not valid JSON", nil}
	errMissingParam  = &APIError{http.StatusBadRequest, 30002, "Invalid request", "Parameter missing", nil}
	errInvalidParam  = &APIError{http.StatusBadRequest, 30003, "Invalid request", "Invalid parameter", nil}
	errNotFound      = &APIError{http.StatusNotFound, 30004, "Not Found", "Not Found", nil}
	errForbidden     = &APIError{http.StatusForbidden, 30005, "You are not allowed to do this", "Not allowed for this user", nil}
	errMinCommitment = &APIError{http.StatusBadRequest, 40001, "The amount is below the minimum investment", "investment_amount is below the offering's min_commitment", nil}
	errMaxCommitment = &APIError{http.StatusBadRequest, 40002, "The amount is above the maximum investment", "investment_amount is above the offering's max_commitment", nil}
	errNotInvestable = &APIError{http.StatusBadRequest, 40003, "This offering is not open for investment", "Offering life_cycle_stage is not Published", nil}
	errLifeCycle     = &APIError{http.StatusBadRequest, 40004, "This change is not allowed", "Invalid life_cycle_stage transition", nil}
	errAlreadyMember = &APIError{http.StatusBadRequest, 40005, "This user is already a member", "User is already a member of the organization", nil}

	errTooLarge    = &APIError{http.StatusRequestEntityTooLarge, 50413, "Request too large", "Request body too large", nil}
	errInternal    = &APIError{http.StatusInternalServerError, 50000, "An error occurred. Please try again later.", "Internal server error", nil}
	errUnavailable = &APIError{http.StatusServiceUnavailable, 50503, "Service unavailable. Please try again later.", "Service unavailable", nil}
)

// statusError is the generic error of a status (injected faults).
func statusError(status int) *APIError {
	return &APIError{Status: status, Code: 50000 + status%1000, UserMessage: "An error occurred. Please try again later.",
		DeveloperMessage: http.StatusText(status)}
}
