package crowdtrust

import (
	"crypto/rand"
	"encoding/json"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// controls declares the control endpoints under /_fakeprovider/crowdtrust.
func (p *Provider) controls(m *platform.Mount) {
	m.Control(http.MethodPost, "/tos-tokens", p.issueToken)
	m.Control(http.MethodGet, "/tos-tokens", listRecords[TosToken](kindToken))
	m.Control(http.MethodGet, "/emails", listRecords[Email](kindEmail))
	m.Control(http.MethodGet, "/accounts", listRecords[Account](kindAccount))
	m.Control(http.MethodPost, "/accounts/{id}/webhook", p.setWebhook)
	m.Control(http.MethodGet, "/checks", listRecords[Check](kindCheck))
	m.Control(http.MethodGet, "/checks/{searchId}", getCheckControl)
	m.Control(http.MethodPost, "/checks/{searchId}/complete", p.completeControl)
	m.Control(http.MethodPost, "/checks/{searchId}/error", func(c *platform.ControlRequest) (any, error) {
		return setStatusControl(c, StatusError, nil)
	})
}

const tokenAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// issueToken is POST /tos-tokens: a terms-of-service token for the tenant,
// as the website e-mails it; {"token":"…"} chooses its value.
func (p *Provider) issueToken(c *platform.ControlRequest) (any, error) {
	var in struct {
		Token string `json:"token"`
	}
	if len(c.Body) > 0 {
		if err := json.Unmarshal(c.Body, &in); err != nil {
			return nil, platform.BadControl("body must be {\"token\":\"8 lowercase letters or digits\"} or empty: %v", err)
		}
	}
	if in.Token == "" {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		for i := range b {
			b[i] = tokenAlphabet[int(b[i])%len(tokenAlphabet)]
		}
		in.Token = string(b)
	}
	if !tosTokenPattern.MatchString(in.Token) {
		return nil, platform.BadControl("token must be 8 lowercase letters or digits, got %q", in.Token)
	}
	if owner, taken := p.tokenTenant(c.Context(), in.Token); taken {
		return nil, platform.BadControl("token %q was already issued (tenant %s)", in.Token, owner)
	}
	var t TosToken
	err := c.Update(func(tx *platform.Tx) error {
		t = TosToken{Token: in.Token, Issued: tx.Now()}
		return tx.Records().Put(kindToken, t.Token, t)
	})
	if err == nil {
		p.deps.Tenants.Bind(Name, tosKey(t.Token), c.Tenant)
	}
	return t, err
}

// listRecords lists every record of a kind of the tenant.
func listRecords[T any](kind string) platform.ControlFunc {
	return func(c *platform.ControlRequest) (any, error) {
		out := []T{}
		err := c.View(func(tx *platform.Tx) error {
			return tx.Records().ForEach(kind, func(_ string, raw []byte) error {
				var v T
				if err := json.Unmarshal(raw, &v); err != nil {
					return err
				}
				out = append(out, v)
				return nil
			})
		})
		return out, err
	}
}

// setWebhook is POST /accounts/{id}/webhook {"webhook":"https://…"}: the
// tenant's own account ("main") gets its webhook URL this way.
func (p *Provider) setWebhook(c *platform.ControlRequest) (any, error) {
	var in struct {
		Webhook string `json:"webhook"`
	}
	if err := json.Unmarshal(c.Body, &in); err != nil {
		return nil, platform.BadControl("body must be {\"webhook\":\"https://…\"}: %v", err)
	}
	if in.Webhook != "" && !webhookAllowed(in.Webhook, p.opts.LoopbackHTTPWebhooks) {
		return nil, platform.BadControl("webhook must be https (or http on loopback): %q", in.Webhook)
	}
	var acct *Account
	err := c.Update(func(tx *platform.Tx) error {
		var err error
		if acct, err = loadAccount(tx, c.Var("id")); err != nil {
			return platform.ControlNotFound("no account %q", c.Var("id"))
		}
		acct.Webhook = in.Webhook
		return tx.Records().Put(kindAccount, acct.ID, acct)
	})
	return acct, err
}

func getCheckControl(c *platform.ControlRequest) (any, error) {
	var chk Check
	err := c.View(func(tx *platform.Tx) error {
		ok, err := tx.Records().Get(kindCheck, c.Var("searchId"), &chk)
		if err == nil && !ok {
			err = platform.ControlNotFound("no check %q", c.Var("searchId"))
		}
		return err
	})
	return chk, err
}

// completeControl is POST /checks/{searchId}/complete
// {"pass":"true|false","disqualifyingEventDate":"yyyy-MM-dd|null","status":"…"}.
func (p *Provider) completeControl(c *platform.ControlRequest) (any, error) {
	fields := map[string]any{}
	if len(c.Body) > 0 {
		if err := json.Unmarshal(c.Body, &fields); err != nil {
			return nil, platform.BadControl("body must be a JSON object: %v", err)
		}
	}
	status, _ := fields["status"].(string)
	if status == "" {
		status = StatusComplete
	}
	return setStatusControl(c, status, fields)
}

func setStatusControl(c *platform.ControlRequest, status string, fields map[string]any) (any, error) {
	var chk Check
	err := c.Update(func(tx *platform.Tx) error {
		if err := tx.SetStatus(kindCheck, c.Var("searchId"), status, fields); err != nil {
			return err
		}
		_, err := tx.Records().Get(kindCheck, c.Var("searchId"), &chk)
		return err
	})
	return chk, err
}
