package d24

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// writer renders D24's answers: bare JSON objects on success; errors in
// the envelope of their type, anything else as the family's 500.
type writer struct {
	// generic is the family's answer to a status with no documented body.
	generic func(status int) error
}

// Success implements platform.Writer.
func (w writer) Success(r *http.Request, status int, v any) platform.Rendered {
	body, err := jsonenc.Marshal(v)
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
		BadRequestBody:   validation("the request body could not be read (broken chunked encoding or shorter than Content-Length)"),
		Unavailable:      genericAPI(http.StatusServiceUnavailable),
		Internal:         genericAPI(http.StatusInternalServerError),
		Status:           genericAPI,
	}},
	cashoutEnvelope: {Writer: writer{generic: genericCashout}, Paths: []string{"/v3/cashout"}, Errors: platform.Errors{
		NotFound:         errCashoutNotFound,
		MethodNotAllowed: genericCashout(http.StatusMethodNotAllowed),
		BodyTooLarge:     genericCashout(http.StatusRequestEntityTooLarge),
		BadRequestBody:   errCashoutBadBody,
		Unavailable:      genericCashout(http.StatusServiceUnavailable),
		Internal:         genericCashout(http.StatusInternalServerError),
		Status:           genericCashout,
	}},
}

func render(status int, v any) platform.Rendered {
	body, _ := json.Marshal(v)
	return platform.Rendered{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}
