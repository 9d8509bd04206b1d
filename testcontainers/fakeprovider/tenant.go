package fakeprovider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/fakeprovider/fakeprovider/controlapi"
)

// Tenant is one tenant of the emulator: its own credentials, data, webhooks
// and scenario clock. The zero ID is the default tenant.
type Tenant struct {
	c  *Container
	ID string
}

// Credentials returns the tenant's credentials by provider, as
// GET /_fakeprovider/credentials shows them (e.g. ["d24"]["login"]).
func (tn *Tenant) Credentials(ctx context.Context) (map[string]map[string]any, error) {
	var v controlapi.Tenant
	if err := tn.c.api.do(ctx, http.MethodGet, "/credentials"+tn.query(), nil, &v, http.StatusOK); err != nil {
		return nil, err
	}
	out := map[string]map[string]any{}
	for k, raw := range v.Credentials {
		var m map[string]any
		if json.Unmarshal(raw, &m) == nil {
			out[k] = m
		}
	}
	return out, nil
}

// AdvanceResult is the answer of POST /_fakeprovider/clock/advance.
type AdvanceResult = controlapi.AdvanceResult

// Advance fast-forwards the tenant's scenario time by d (the default
// tenant's: the whole server's) and returns once every scenario step and
// webhook attempt that fell due has run.
func (tn *Tenant) Advance(ctx context.Context, d time.Duration) (AdvanceResult, error) {
	body := controlapi.Advance{By: d.String(), Tenant: tn.ID}
	var res AdvanceResult
	err := tn.c.api.do(ctx, http.MethodPost, "/clock/advance", body, &res, http.StatusOK)
	return res, err
}

// Reset clears what a test can change — state, webhooks, runs, journal,
// faults, clock offset, run-time scenarios — of the tenant, and keeps its
// credentials (the default tenant's: of every tenant).
func (tn *Tenant) Reset(ctx context.Context) error {
	return tn.c.api.do(ctx, http.MethodPost, "/reset"+tn.query(), nil, nil, http.StatusNoContent)
}

// Filter selects journal entries: every set field must hold (zero values:
// everything); see GET /_fakeprovider/requests.
type Filter struct {
	Provider   string
	Method     string
	Path       string // exact
	PathPrefix string
	Status     string // 404, or a class: "4xx"
	Auth       string // "ok" or "failed"
	Route      string
	Unmatched  bool
	Text       string // in the path, query, auth reason or a (redacted) body
	Limit      int    // default 100, at most 1000
	Offset     int
}

func (f Filter) values(tenant string) url.Values {
	return controlapi.Criteria{Provider: f.Provider, Tenant: tenant, Method: f.Method, Path: f.Path, PathPrefix: f.PathPrefix,
		Status: f.Status, Auth: f.Auth, Route: f.Route, Unmatched: f.Unmatched, Text: f.Text, Limit: f.Limit, Offset: f.Offset}.Query()
}

// Count is how many of the tenant's journaled requests match f.
func (tn *Tenant) Count(ctx context.Context, f Filter) (int, error) {
	q := f.values(tn.ID)
	q.Del("limit")
	q.Del("offset")
	var v controlapi.Count
	err := tn.c.api.do(ctx, http.MethodGet, "/requests/count?"+q.Encode(), nil, &v, http.StatusOK)
	return v.Count, err
}

// ClearRequests removes the tenant's journal entries (the default tenant's:
// every entry).
func (tn *Tenant) ClearRequests(ctx context.Context) error {
	return tn.c.api.do(ctx, http.MethodDelete, "/requests"+tn.query(), nil, nil, http.StatusOK)
}

// Delete deletes the tenant, its credentials and everything it has.
func (tn *Tenant) Delete(ctx context.Context) error {
	if tn.ID == "" {
		return fmt.Errorf("fakeprovider: the default tenant cannot be deleted")
	}
	return tn.c.api.do(ctx, http.MethodDelete, "/tenants/"+url.PathEscape(tn.ID), nil, nil, http.StatusNoContent)
}

// Request is one journal entry: a request a provider received, with the
// auth verdict and, for a failure, the reason.
type Request = controlapi.Request

// Requests lists the requests made with the tenant's credentials, newest
// first (the journal).
func (tn *Tenant) Requests(ctx context.Context, f Filter) ([]Request, error) {
	return tn.requests(ctx, f, tn.ID)
}

func (tn *Tenant) requests(ctx context.Context, f Filter, tenant string) ([]Request, error) {
	q := f.values(tenant)
	var v controlapi.RequestList
	err := tn.c.api.do(ctx, http.MethodGet, "/requests?"+q.Encode(), nil, &v, http.StatusOK)
	return v.Requests, err
}

// Webhook is an outgoing webhook delivery with every attempt; its
// Delivery.BodyBytes is the body sent.
type Webhook = controlapi.Webhook

// Error is the control API's error answer; the methods' errors wrap it
// (errors.As) when the emulator refused the call.
type Error = controlapi.Error

// Webhooks lists the tenant's outgoing webhook deliveries, newest first, as
// GET /_fakeprovider/webhooks shows them (each with every attempt).
func (tn *Tenant) Webhooks(ctx context.Context) ([]Webhook, error) {
	var v controlapi.WebhookList
	q := url.Values{"limit": {"1000"}}
	if tn.ID != "" {
		q.Set("tenant", tn.ID)
	}
	err := tn.c.api.do(ctx, http.MethodGet, "/webhooks?"+q.Encode(), nil, &v, http.StatusOK)
	return v.Webhooks, err
}

func (tn *Tenant) query() string {
	if tn.ID == "" {
		return ""
	}
	return "?tenant=" + url.QueryEscape(tn.ID)
}

// api calls the control API.
type api struct {
	base   string
	client *http.Client
}

func newAPI(base string) *api {
	return &api{base: base + "/_fakeprovider", client: &http.Client{Timeout: 60 * time.Second}}
}

func (a *api) do(ctx context.Context, method, path string, body, out any, want int) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("fakeprovider: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if resp.StatusCode != want {
		var ce controlapi.Error
		if json.Unmarshal(raw, &ce) == nil && ce.Code != "" {
			return fmt.Errorf("fakeprovider: %s %s: status %d, want %d: %w", method, path, resp.StatusCode, want, &ce)
		}
		return fmt.Errorf("fakeprovider: %s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, bytes.TrimSpace(raw))
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("fakeprovider: %s %s: %w", method, path, err)
		}
	}
	return nil
}
