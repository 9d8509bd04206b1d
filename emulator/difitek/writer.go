package difitek

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// successEnvelope is a success answer; key order as in the API reference.
type successEnvelope struct {
	Outcome string `json:"outcome"`
	Data    any    `json:"data"`
	Status  int    `json:"status"`
}

// errorEnvelope is an error answer; key order as in the introduction.
type errorEnvelope struct {
	Status  int       `json:"status"`
	Outcome string    `json:"outcome"`
	Data    errorData `json:"data"`
}

type errorData struct {
	Code             int            `json:"code"`
	DeveloperMessage string         `json:"developer_message"`
	UserMessage      string         `json:"user_message"`
	Fields           map[string]any `json:"fields"`
}

type writer struct{}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// Success implements platform.Writer.
func (writer) Success(r *http.Request, status int, v any) platform.Rendered {
	if v == nil {
		v = map[string]any{}
	}
	body, err := jsonenc.Marshal(successEnvelope{Outcome: "success", Data: v, Status: status})
	if err != nil {
		return writer{}.Error(r, errInternal)
	}
	return platform.Rendered{Status: status, Header: answerHeader(r), Body: body}
}

// answerHeader is the header of an answer; answers to single sign-on
// calls say their contract is inferred.
func answerHeader(r *http.Request) http.Header {
	h := jsonHeader.Clone()
	if r != nil && r.Header.Get(HeaderJWTAuth) != "" {
		if tok, err := ParseToken(r.Header.Get(HeaderCVAuth)); err == nil && tok.Username == SocialUsername {
			h.Set(platform.InferredHeader, reasonSSO)
		}
	}
	return h
}

// Error implements platform.Writer.
func (writer) Error(r *http.Request, err error) platform.Rendered {
	e := toAPIError(err)
	fields := e.Fields
	if fields == nil {
		fields = map[string]any{}
	}
	body, _ := json.Marshal(errorEnvelope{Status: e.Status, Outcome: "error", Data: errorData{
		Code: e.Code, DeveloperMessage: e.DeveloperMessage, UserMessage: e.UserMessage, Fields: fields,
	}})
	return platform.Rendered{Status: e.Status, Header: answerHeader(r), Body: body}
}

// toAPIError maps an error a handler returns to the envelope; the
// platform's errors arrive as the answers of envelope.Errors.
func toAPIError(err error) *APIError {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae
	}
	return errInternal
}

// envelope is Difitek's one error envelope and its answers to the
// platform's failures.
var envelope = &platform.Envelope{Writer: writer{}, Errors: platform.Errors{
	NotFound:         errNotFound,
	MethodNotAllowed: statusError(http.StatusMethodNotAllowed),
	BodyTooLarge:     errTooLarge,
	BadRequestBody:   &APIError{http.StatusBadRequest, errInvalidJSON.Code, errInvalidJSON.UserMessage, "Request body could not be read (broken chunked encoding or shorter than Content-Length)", nil},
	Unavailable:      errUnavailable,
	Internal:         errInternal,
	Status:           func(status int) error { return statusError(status) },
}}
