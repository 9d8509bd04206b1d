package crm

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// writer renders the CRM's answers.
type writer struct{}

var jsonHeader = http.Header{"Content-Type": {"application/json; charset=utf-8"}}

// Success renders a bare resource: the CRM has no success envelope.
func (writer) Success(_ *http.Request, status int, v any) platform.Rendered {
	if status == http.StatusNoContent || v == nil {
		return platform.Rendered{Status: status, Header: http.Header{}}
	}
	body, err := jsonenc.Marshal(v)
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
	BadRequestBody:   apiErr(http.StatusBadRequest, "invalid_request"),
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
