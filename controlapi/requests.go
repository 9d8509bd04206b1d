package controlapi

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Request is one journal entry: a request a provider received, with the
// auth verdict and, for a failure, the exact reason (for signature schemes,
// the expected string-to-sign).
type Request struct {
	ID         string      `json:"id"`
	Time       time.Time   `json:"time"`
	Provider   string      `json:"provider"`
	Tenant     string      `json:"tenant"`
	Route      string      `json:"route,omitempty"`
	Method     string      `json:"method"`
	Path       string      `json:"path"`
	Query      string      `json:"query,omitempty"`
	Status     int         `json:"status"`
	DurationMS float64     `json:"duration_ms"`
	Auth       RequestAuth `json:"auth"`
	Fault      string      `json:"fault,omitempty"`
	// Unmatched marks a request no provider route matched.
	Unmatched      bool              `json:"unmatched,omitempty"`
	RequestHeaders map[string]string `json:"request_headers,omitempty"`
	// ResponseHeaders are the answer's headers (redacted like the request's).
	ResponseHeaders map[string]string `json:"response_headers,omitempty"`
	RequestBody     string            `json:"request_body,omitempty"`
	ResponseBody    string            `json:"response_body,omitempty"`
}

// RequestAuth is a request's auth verdict.
type RequestAuth struct {
	OK     bool   `json:"ok"`
	Reason string `json:"reason"`
}

// RequestList is GET /requests and POST /requests/find: a page of matching
// entries, newest first; Total counts every match.
type RequestList struct {
	Requests []Request `json:"requests"`
	Total    int       `json:"total"`
}

// Criteria is the body of POST /requests/count and /requests/find: the
// names of GET /requests' query parameters.
type Criteria struct {
	Provider   string `json:"provider,omitempty"`
	Tenant     string `json:"tenant,omitempty"`
	Method     string `json:"method,omitempty"`
	Path       string `json:"path,omitempty"`
	PathPrefix string `json:"path_prefix,omitempty"`
	// Status is a number (404) or a string: "404", or a class such as "4xx".
	Status any `json:"status,omitempty"`
	// Auth is "ok" or "failed".
	Auth      string `json:"auth,omitempty"`
	Route     string `json:"route,omitempty"`
	Unmatched bool   `json:"unmatched,omitempty"`
	// Since and Until are RFC 3339 times (wall clock): Since ≤ t < Until.
	Since string `json:"since,omitempty"`
	Until string `json:"until,omitempty"`
	// Text is a case-insensitive substring of the path, query, route, auth
	// reason or a (redacted) body.
	Text   string `json:"text,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	Offset int    `json:"offset,omitempty"`
}

// Count is GET or POST /requests/count.
type Count struct {
	Count int `json:"count"`
}

// Removed is DELETE /requests: how many entries went.
type Removed struct {
	Removed int `json:"removed"`
}

// NearRoute is a provider route close to a request no route matched.
type NearRoute struct {
	Provider string `json:"provider"`
	Method   string `json:"method"`
	Path     string `json:"path"`
	Name     string `json:"name"`
	// Differences says what differs, e.g. `segment 3: "deposit" here, "deposits" in the route`.
	Differences []string `json:"differences"`
}

// UnmatchedRequest is a request no route matched, with the nearest routes.
type UnmatchedRequest struct {
	Request
	Nearest []NearRoute `json:"nearest"`
}

// UnmatchedList is GET /requests/unmatched.
type UnmatchedList struct {
	Requests []UnmatchedRequest `json:"requests"`
}

// Query is c as the query parameters of GET /requests, /requests/count and
// /requests/unmatched (the zero fields left out).
func (c Criteria) Query() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("provider", c.Provider)
	set("tenant", c.Tenant)
	set("method", c.Method)
	set("path", c.Path)
	set("path_prefix", c.PathPrefix)
	if c.Status != nil {
		set("status", fmt.Sprint(c.Status))
	}
	set("auth", c.Auth)
	set("route", c.Route)
	if c.Unmatched {
		q.Set("unmatched", "true")
	}
	set("since", c.Since)
	set("until", c.Until)
	set("text", c.Text)
	if c.Limit > 0 {
		q.Set("limit", strconv.Itoa(c.Limit))
	}
	if c.Offset > 0 {
		q.Set("offset", strconv.Itoa(c.Offset))
	}
	return q
}

// Time is t as Criteria's Since and Until take it ("" for the zero time).
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
