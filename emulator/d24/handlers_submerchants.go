package d24

import (
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Tools for Platforms: a platform's SubMerchants onboard through D24's
// Referral Signup form (here: a control call), are read with
// GET /v3/sub_merchants/{id}, get their commission with
// PUT /v3/sub_merchant/{id}/markup_fee, and every change is notified to the
// panel's Referral URL as {"sub_merchant_id":N}.

// kindSubMerchant is a platform's SubMerchant (id = sub_merchant_id).
const kindSubMerchant = "sub_merchant"

// subMerchantIDBase makes SubMerchant ids look like the docs' (18703).
const subMerchantIDBase = 18700

// defaultMarkupFee is the commission a SubMerchant starts with; the real
// default is set by the account manager.
const defaultMarkupFee = 2.00

// SubMerchant statuses: only ACTIVE ones process transactions.
const (
	subMerchantActive   = "ACTIVE"
	subMerchantInactive = "INACTIVE"
)

// SubMerchant is the SubMerchant status answer, as stored.
type SubMerchant struct {
	SubMerchantID         int64   `json:"sub_merchant_id"`
	MarkupFee             float64 `json:"markup_fee"`
	SubMerchantName       string  `json:"sub_merchant_name"`
	Email                 string  `json:"email"`
	Status                string  `json:"status"`
	ExternalSubMerchantID string  `json:"external_submerchant_id,omitempty"`
}

var (
	errSubMerchantNotFound = &APIError{HTTP: 404, Code: 208, Description: "Resource not found", Type: "RESOURCE_NOT_FOUND"}
)

func (p *Provider) getSubMerchant(req *platform.Request) (any, error) {
	id := req.Var("id")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return nil, validation("sub_merchant_id: must be a number")
	}
	return readRecord[SubMerchant](req, kindSubMerchant, id, errSubMerchantNotFound)
}

// markupFeeRequest is PUT …/markup_fee; the page's table also names the
// field "fee", so both are read.
type markupFeeRequest struct {
	MarkupFee Amount `json:"markup_fee"`
	Fee       Amount `json:"fee"`
}

func (p *Provider) updateMarkupFee(req *platform.Request) (any, error) {
	id := req.Var("id")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return nil, validation("sub_merchant_id: must be a number")
	}
	var in markupFeeRequest
	if err := json.Unmarshal(req.Body, &in); err != nil {
		return nil, validation("request body: must be a JSON object with markup_fee")
	}
	fee := in.MarkupFee
	if !fee.Set && !fee.Bad {
		fee = in.Fee
	}
	switch {
	case fee.Bad:
		return nil, validation("markup_fee: must be a number")
	case !fee.Set:
		return nil, validation("markup_fee: required")
	case fee.Value < 0 || fee.Value >= 100:
		return nil, validation("markup_fee: must be a percentage from 0 to less than 100")
	case !twoDecimals(fee.Value):
		return nil, validation("markup_fee: at most 2 decimals")
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		var s SubMerchant
		ok, err := tx.Records().Get(kindSubMerchant, id, &s)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errSubMerchantNotFound
		}
		if s.MarkupFee != fee.Value {
			s.MarkupFee = fee.Value
			if err := tx.Records().Put(kindSubMerchant, id, s); err != nil {
				return nil, err
			}
			if err := p.notifySubMerchant(tx, &s, "sub_merchant.markup_fee"); err != nil {
				return nil, err
			}
		}
		// 200 with no content, as the API reference shows.
		return &platform.Response{Status: http.StatusOK, Raw: []byte{}, ContentType: "application/json"}, nil
	})
}

// activeSubMerchant checks a deposit's sub_merchant_id: absent is 0; an
// unknown or INACTIVE SubMerchant cannot process deposits.
func activeSubMerchant(tx *platform.Tx, v Amount) (int64, error) {
	if !v.Set && !v.Bad {
		return 0, nil
	}
	if v.Bad || v.Value <= 0 || v.Value != float64(int64(v.Value)) {
		return 0, validation("sub_merchant_id: must be a SubMerchant id (a positive integer)")
	}
	id := int64(v.Value)
	var s SubMerchant
	ok, err := tx.Records().Get(kindSubMerchant, strconv.FormatInt(id, 10), &s)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, validation("sub_merchant_id: no SubMerchant " + strconv.FormatInt(id, 10) + " is referred by this merchant")
	}
	if s.Status != subMerchantActive {
		return 0, validation("sub_merchant_id: SubMerchant " + strconv.FormatInt(id, 10) + " is " + s.Status + "; only active SubMerchants can process transactions")
	}
	return id, nil
}

// notifySubMerchant enqueues {"sub_merchant_id":N} to the panel's Referral
// URL (none configured: none sent).
func (p *Provider) notifySubMerchant(tx *platform.Tx, s *SubMerchant, event string) error {
	panel, err := panel(tx)
	if err != nil {
		return err
	}
	return notify(tx, panel.ReferralURL, event, kindSubMerchant, strconv.FormatInt(s.SubMerchantID, 10), "sub_merchant_id", s.SubMerchantID)
}

// setSubMerchantStatus is the panel's approval: ACTIVE or INACTIVE, notified.
func (p *Provider) setSubMerchantStatus(tx *platform.Tx, id, status string, fields platform.Fields) error {
	status = strings.ToUpper(status)
	if status != subMerchantActive && status != subMerchantInactive {
		return platform.BadControl("a SubMerchant is ACTIVE or INACTIVE, not %q", status)
	}
	var s SubMerchant
	ok, err := tx.Records().Get(kindSubMerchant, id, &s)
	if err != nil {
		return err
	}
	if !ok {
		return platform.ControlNotFound("no SubMerchant %s", id)
	}
	if s.Status == status {
		return nil
	}
	s.Status = status
	if err := tx.Records().Put(kindSubMerchant, id, s); err != nil {
		return err
	}
	return p.notifySubMerchant(tx, &s, "sub_merchant."+strings.ToLower(status))
}

// signupRequest is a Referral Signup form submission.
type signupRequest struct {
	SubMerchantName       string  `json:"sub_merchant_name"`
	Email                 string  `json:"email"`
	ExternalSubMerchantID string  `json:"external_submerchant_id"`
	MarkupFee             *Amount `json:"markup_fee"`
}

// check normalises a signup and returns its first problem, or "".
func (in *signupRequest) check() string {
	in.SubMerchantName, in.Email = strings.TrimSpace(in.SubMerchantName), strings.TrimSpace(in.Email)
	switch {
	case in.SubMerchantName == "" || len(in.SubMerchantName) > 100:
		return "sub_merchant_name: 1 to 100 characters"
	case !strings.Contains(in.Email, "@") || len(in.Email) > 100:
		return "email: an email address of at most 100 characters"
	case len(in.ExternalSubMerchantID) > 100:
		return "external_submerchant_id: at most 100 characters"
	case in.MarkupFee != nil && in.MarkupFee.Set && (in.MarkupFee.Value < 0 || in.MarkupFee.Value >= 100 || !twoDecimals(in.MarkupFee.Value)):
		return "markup_fee: a percentage from 0 to less than 100, at most 2 decimals"
	}
	return ""
}

// signupSubMerchant creates a checked signup's SubMerchant, INACTIVE until
// D24's review, notifies the Referral URL and publishes the event.
func (p *Provider) signupSubMerchant(tx *platform.Tx, in signupRequest) (SubMerchant, error) {
	fee := defaultMarkupFee
	if in.MarkupFee != nil && in.MarkupFee.Set {
		fee = in.MarkupFee.Value
	}
	seq, err := tx.Records().NextSeq(kindSubMerchant)
	if err != nil {
		return SubMerchant{}, err
	}
	s := SubMerchant{SubMerchantID: subMerchantIDBase + int64(seq), MarkupFee: fee, SubMerchantName: in.SubMerchantName,
		Email: in.Email, Status: subMerchantInactive, ExternalSubMerchantID: in.ExternalSubMerchantID}
	id := strconv.FormatInt(s.SubMerchantID, 10)
	if err := tx.Records().Put(kindSubMerchant, id, s); err != nil {
		return s, err
	}
	if err := p.notifySubMerchant(tx, &s, "sub_merchant.created"); err != nil {
		return s, err
	}
	return s, tx.Publish(platform.Event{Name: "sub_merchant.created", Kind: kindSubMerchant, ID: id, Fields: subMerchantFields(&s)})
}

// subMerchantFields is what sub_merchant.created carries.
func subMerchantFields(s *SubMerchant) map[string]any {
	return map[string]any{"sub_merchant_name": s.SubMerchantName, "email": s.Email, "external_submerchant_id": s.ExternalSubMerchantID}
}

// referralTemplate is the Referral Signup form a platform shows its
// clients (iframe-friendly); a plain form POST works without a browser.
var referralTemplate = template.Must(template.New("referral").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>D24 referral signup</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.75rem 0}input{width:100%;padding:.4rem}button{margin-top:1rem;padding:.5rem 1rem}</style></head>
<body><h1>D24 sandbox · SubMerchant signup</h1>
{{if .Done}}<p>Thank you: SubMerchant <b id="sub-merchant-id">{{.Done.SubMerchantID}}</b> ({{.Done.SubMerchantName}}) is created and under review.</p>
{{else}}{{if .Problem}}<p id="problem">{{.Problem}}</p>{{end}}<form method="post">
<input type="hidden" name="externalSubMerchantId" value="{{.External}}">
<label>Business name <input name="sub_merchant_name" required maxlength="100"></label>
<label>Email of the main user <input name="email" type="email" required maxlength="100"></label>
<button>Sign up</button>
</form>{{end}}
</body></html>`))

type referralView struct {
	External, Problem string
	Done              *SubMerchant
}

// referralCode is the id= parameter naming the platform in its referral
// link; it carries the tenant, since the form is opened without credentials.
func referralCode(tenant string) string { return base64.RawURLEncoding.EncodeToString([]byte(tenant)) }

// referralTenant is the tenant of a referral link's id, if it is one.
func (p *Provider) referralTenant(r *http.Request) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(r.URL.Query().Get("id"))
	if err != nil || len(raw) == 0 {
		return "", false
	}
	_, ok := p.deps.Tenants.Credentials(string(raw), Name)
	return string(raw), ok
}

func (p *Provider) referralPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := p.referralTenant(r); !ok {
		http.Error(w, "referral link not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	referralTemplate.Execute(w, referralView{External: r.URL.Query().Get("externalSubMerchantId")})
}

// referralSignup is the form's submission: the SubMerchant is created as
// by POST /_fakeprovider/d24/sub_merchants.
func (p *Provider) referralSignup(w http.ResponseWriter, r *http.Request) {
	tenant, ok := p.referralTenant(r)
	if !ok {
		http.Error(w, "referral link not found", http.StatusNotFound)
		return
	}
	in := signupRequest{SubMerchantName: r.PostFormValue("sub_merchant_name"), Email: r.PostFormValue("email"),
		ExternalSubMerchantID: r.PostFormValue("externalSubMerchantId")}
	if in.ExternalSubMerchantID == "" {
		in.ExternalSubMerchantID = r.URL.Query().Get("externalSubMerchantId")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if problem := in.check(); problem != "" {
		w.WriteHeader(http.StatusBadRequest)
		referralTemplate.Execute(w, referralView{External: in.ExternalSubMerchantID, Problem: problem})
		return
	}
	var s SubMerchant
	err := p.mount.Update(r.Context(), tenant, func(tx *platform.Tx) (err error) {
		s, err = p.signupSubMerchant(tx, in)
		return err
	})
	if err != nil {
		http.Error(w, "could not create the SubMerchant", http.StatusInternalServerError)
		return
	}
	referralTemplate.Execute(w, referralView{Done: &s})
}

// submerchantControls registers POST /_fakeprovider/d24/sub_merchants (a
// SubMerchant completes the Referral Signup form) and
// POST /_fakeprovider/d24/sub_merchants/{id}/status (the panel approves or
// deactivates it).
func (p *Provider) submerchantControls(m *platform.Mount) {
	m.Control(http.MethodPost, "/sub_merchants", func(c *platform.ControlRequest) (any, error) {
		var in signupRequest
		if err := json.Unmarshal(c.Body, &in); err != nil {
			return nil, platform.BadControl(`body must be {"sub_merchant_name":"…","email":"…"[,"external_submerchant_id":"…","markup_fee":2.0]}`)
		}
		if problem := in.check(); problem != "" {
			return nil, platform.BadControl("%s", problem)
		}
		var s SubMerchant
		err := c.Update(func(tx *platform.Tx) (err error) {
			s, err = p.signupSubMerchant(tx, in)
			return err
		})
		if err != nil {
			return nil, err
		}
		return s, nil
	})
	m.Control(http.MethodPost, "/sub_merchants/{id}/status", func(c *platform.ControlRequest) (any, error) {
		var in struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(c.Body, &in); err != nil || in.Status == "" {
			return nil, platform.BadControl(`body must be {"status":"ACTIVE"|"INACTIVE"}`)
		}
		id := c.Var("id")
		var s SubMerchant
		err := c.Update(func(tx *platform.Tx) error {
			if err := tx.SetStatus(kindSubMerchant, id, in.Status, nil); err != nil {
				return err
			}
			_, err := tx.Records().Get(kindSubMerchant, id, &s)
			return err
		})
		if err != nil {
			return nil, err
		}
		return s, nil
	})
	m.Control(http.MethodPost, "/deposits/{id}/quickpay", func(c *platform.ControlRequest) (any, error) {
		var in struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(c.Body, &in); err != nil || in.Status == "" {
			return nil, platform.BadControl(`body must be {"status":"REFUSED"} (the merchant answered the QuickPay callback with other than 2XX)`)
		}
		id := c.Var("id")
		var q Quickpay
		err := c.Update(func(tx *platform.Tx) error {
			if err := tx.SetStatus(kindQuickpay, id, in.Status, nil); err != nil {
				return err
			}
			_, err := tx.Records().Get(kindQuickpay, id, &q)
			return err
		})
		if err != nil {
			return nil, err
		}
		return q, nil
	})
}
