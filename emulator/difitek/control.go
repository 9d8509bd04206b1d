package difitek

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// controls declares the sandbox panel under /_fakeprovider/difitek.
func (p *Provider) controls(m *platform.Mount) {
	m.Control(http.MethodGet, "/emails", p.controlEmails)
	m.Control(http.MethodGet, "/emails/latest", p.controlLatestEmail)
	m.Control(http.MethodPost, "/offerings/{id}/stage", p.controlStage(kindOffering))
	m.Control(http.MethodPost, "/investments/{id}/stage", p.controlStage(kindInvestment))
	m.Control(http.MethodPost, "/kyc/{id}/status", p.controlStage(kindKYC))
	m.Control(http.MethodPost, "/users/{id}/approve", p.controlUser("approved"))
	m.Control(http.MethodPost, "/users/{id}/block", p.controlUser("blocked"))
	m.Control(http.MethodPost, "/users/{id}/unblock", p.controlUser("unblocked"))
	m.Control(http.MethodPost, "/users/{id}/admin", p.controlUser("admin"))
	m.Control(http.MethodPost, "/users/{id}/verify", p.controlUser("verified"))
	m.Control(http.MethodPost, "/seed", p.controlSeed)
}

// controlSeeded seeds the control call's tenant's demo network if needed.
func (p *Provider) controlSeeded(c *platform.ControlRequest) error {
	creds, ok := credentials.Of(p.deps.Tenants, c.Tenant, Name)
	if !ok {
		return platform.ControlNotFound("tenant %q has no difitek credentials", c.Tenant)
	}
	return p.ensureSeeded(c.Context(), c.Tenant, creds)
}

// controlEmails lists captured e-mails, newest first; ?to= filters by
// recipient (case-insensitive), ?type= by kind.
func (p *Provider) controlEmails(c *platform.ControlRequest) (any, error) {
	var out []Email
	to, typ := strings.ToLower(c.URL.Query().Get("to")), c.URL.Query().Get("type")
	err := c.View(func(tx *platform.Tx) error {
		all, err := listRecords[Email](tx, kindEmail)
		for i := len(all) - 1; i >= 0; i-- {
			e := all[i]
			if (to == "" || strings.ToLower(e.To) == to) && (typ == "" || e.Type == typ) {
				out = append(out, e)
			}
		}
		return err
	})
	if out == nil {
		out = []Email{}
	}
	return map[string]any{"emails": out}, err
}

func (p *Provider) controlLatestEmail(c *platform.ControlRequest) (any, error) {
	v, err := p.controlEmails(c)
	if err != nil {
		return nil, err
	}
	list := v.(map[string]any)["emails"].([]Email)
	if len(list) == 0 {
		return nil, platform.ControlNotFound("no captured e-mail matches")
	}
	return list[0], nil
}

type stageBody struct {
	Stage  string         `json:"stage"`
	Status string         `json:"status"`
	Fields map[string]any `json:"fields"`
}

// controlStage moves an offering, investment or KYC check, as a scenario
// step does: body {"stage":"Published"} (or "status").
func (p *Provider) controlStage(kind string) platform.ControlFunc {
	return func(c *platform.ControlRequest) (any, error) {
		var in stageBody
		if len(c.Body) > 0 {
			if err := json.Unmarshal(c.Body, &in); err != nil {
				return nil, platform.BadControl("body must be JSON: %v", err)
			}
		}
		stage := in.Stage
		if stage == "" {
			stage = in.Status
		}
		if stage == "" {
			return nil, platform.BadControl(`body needs "stage"`)
		}
		if err := p.controlSeeded(c); err != nil {
			return nil, err
		}
		id := c.Var("id")
		var out any
		err := c.Update(func(tx *platform.Tx) error {
			var err error
			switch kind {
			case kindOffering:
				n, perr := strconv.ParseInt(id, 10, 64)
				if perr != nil {
					return platform.ControlNotFound("no offering %q", id)
				}
				out, err = setOfferingStage(tx, n, stage)
			case kindInvestment:
				n, perr := strconv.ParseInt(id, 10, 64)
				if perr != nil {
					return platform.ControlNotFound("no investment %q", id)
				}
				out, err = setInvestmentStage(tx, n, stage)
			default:
				out, err = setKYCStatus(tx, id, stage, in.Fields)
			}
			return err
		})
		return out, controlError(err)
	}
}

// controlUser approves, blocks, unblocks, verifies or promotes a user.
func (p *Provider) controlUser(status string) platform.ControlFunc {
	return func(c *platform.ControlRequest) (any, error) {
		n, err := strconv.ParseInt(c.Var("id"), 10, 64)
		if err != nil {
			return nil, platform.ControlNotFound("no user %q", c.Var("id"))
		}
		var in moderation
		_ = json.Unmarshal(c.Body, &in)
		if err := p.controlSeeded(c); err != nil {
			return nil, err
		}
		var u UserRecord
		err = c.Update(func(tx *platform.Tx) error {
			var err error
			u, err = setUserStatus(tx, n, status, map[string]any{"user_message": in.UserMessage})
			return err
		})
		return u, controlError(err)
	}
}

// controlSeed creates the tenant's demo network now (it is otherwise
// created on the first API call).
func (p *Provider) controlSeed(c *platform.ControlRequest) (any, error) {
	if err := p.controlSeeded(c); err != nil {
		return nil, err
	}
	return map[string]any{"seeded": true}, nil
}

// controlError turns API errors into control errors with their status.
func controlError(err error) error {
	if ae, ok := err.(*APIError); ok {
		return &platform.ControlError{Status: ae.Status, Message: ae.DeveloperMessage}
	}
	return err
}
