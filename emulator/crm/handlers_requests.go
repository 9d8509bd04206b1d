package crm

import (
	"fmt"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Request types and their webhook names.
var requestWebhookNames = map[string]string{
	"withdrawal":             "withdrawal",
	"transfer":               "transfer",
	"prop_trading":           "propTrading",
	"prop_trading_live_step": "propTradingLive",
}

const maxNodes = 10

var errRequestNotFound = apiErr(400, "request_not_found")

// emptyOK is the documented "200 with empty body" of approve and reject.
var emptyOK = &platform.Response{Status: http.StatusOK, Raw: []byte{}}

func getRequest(tx *platform.Tx, id string) (Request, error) {
	var r Request
	if !validID(id) {
		return r, errRequestNotFound
	}
	ok, err := tx.Records().Get(kindRequest, id, &r)
	if err == nil && !ok {
		err = errRequestNotFound
	}
	return r, err
}

// insertRequest stores a new pending request and publishes request.created.
func (p *Provider) insertRequest(tx *platform.Tx, r *Request) error {
	if r.TotalNodes < 1 {
		r.TotalNodes = 1
	}
	if err := tx.Records().Put(kindRequest, r.ID, *r); err != nil {
		return err
	}
	return tx.Publish(platform.Event{Name: "request.created", Kind: "request", ID: r.ID, Fields: requestFields(r)})
}

// requestFields is what request.created carries: the request's own fields,
// its debit's when it has one, and its type-specific text data.
func requestFields(r *Request) map[string]any {
	fields := map[string]any{"type": r.Type, "user_id": r.UserID, "total_nodes": r.TotalNodes, "comment": r.Comment}
	if r.Debit != nil {
		fields["amount"] = r.Debit.Amount
		fields["currency"] = r.Debit.Currency
		fields["platform"] = r.Debit.Platform
	}
	for k, v := range r.Data {
		if _, taken := fields[k]; !taken {
			if s, ok := v.(string); ok {
				fields[k] = s
			}
		}
	}
	return fields
}

// approveRequest moves a pending request through approval node `node`
// (0: the next one). The last node approves it and applies its effect.
func (p *Provider) approveNode(tx *platform.Tx, id string, node int) (Request, error) {
	r, err := getRequest(tx, id)
	if err != nil {
		return r, err
	}
	if r.Status != "pending" {
		return r, errRequestNotPending
	}
	next := r.ApprovedNodes + 1
	if node != 0 && node != next {
		return r, platform.BadControl("request %s awaits approval node %d, not %d", id, next, node)
	}
	r.ApprovedNodes = next
	if r.ApprovedNodes >= r.TotalNodes {
		r.Status = "approved"
		if err := p.applyApproval(tx, &r); err != nil {
			return r, err
		}
	}
	if err := tx.Records().Put(kindRequest, r.ID, r); err != nil {
		return r, err
	}
	return r, p.notifyRequest(tx, r, fmt.Sprintf("approve.node.%d", next))
}

// applyApproval performs what a final approval does: a transfer credits its
// target, an approved registration becomes a client.
func (p *Provider) applyApproval(tx *platform.Tx, r *Request) error {
	switch r.Type {
	case "transfer":
		if r.Credit != nil {
			return p.credit(tx, *r.Credit, "transfer_in", "transfer request "+r.ID, r.ID)
		}
	case "registration":
		b := createUserBody{Email: fmt.Sprint(r.Data["email"]), FormID: fmt.Sprint(r.Data["form_id"])}
		if ref, ok := r.Data["referrer_id"].(string); ok {
			b.ReferrerID = ref
		}
		if cf, ok := r.Data["custom_fields"].(map[string]any); ok {
			b.CustomFields = cf
		}
		u, err := p.insertUser(tx, b)
		if err != nil {
			return err
		}
		r.UserID = u.ID
	}
	return nil
}

// rejectRequest rejects a pending request and refunds what it debited.
func (p *Provider) rejectRequest(tx *platform.Tx, id, comment string) (Request, error) {
	r, err := getRequest(tx, id)
	if err != nil {
		return r, err
	}
	if r.Status != "pending" {
		return r, errRequestNotPending
	}
	r.Status, r.Comment = "rejected", comment
	if r.Debit != nil {
		if err := p.credit(tx, *r.Debit, "refund", "rejected request "+r.ID, r.ID); err != nil {
			return r, err
		}
	}
	if err := tx.Records().Put(kindRequest, r.ID, r); err != nil {
		return r, err
	}
	return r, p.notifyRequest(tx, r, "reject")
}

// credit adds an amount to an account or wallet (Login 0).
func (p *Provider) credit(tx *platform.Tx, d Debit, typ, comment, ref string) error {
	return p.adjust(tx, d, d.Amount, typ, comment, ref)
}

// adjust changes an account or wallet balance by a signed amount.
func (p *Provider) adjust(tx *platform.Tx, d Debit, amount float64, typ, comment, ref string) error {
	if d.Login == 0 {
		return adjustWallet(tx, d.UserID, d.Currency, amount, typ, comment, ref)
	}
	a, ok, err := getAccount(tx, d.Platform, d.Login)
	if err != nil {
		return err
	}
	if !ok {
		return tradingAccountNotFound(d.Platform)
	}
	if a.Balance+amount < -1e-9 {
		return errInsufficientFunds
	}
	return p.adjustAccount(tx, &a, amount, typ, comment, ref)
}

// webhookData is the request's webhook `data` object.
func webhookData(r Request) map[string]any {
	data := map[string]any{}
	for k, v := range r.Data {
		data[k] = v
	}
	data["id"], data["type"], data["status"], data["user_id"], data["request_time"] = r.ID, r.Type, r.Status, r.UserID, r.RequestTime
	if _, ok := data["prop_trading_flow"]; ok || r.Type == "prop_trading" || r.Type == "prop_trading_live_step" {
		data["prop_trading_flow"] = map[string]any{"total_steps": r.TotalNodes, "current_steps": r.ApprovedNodes}
	}
	if r.Type == "transfer" {
		data["transfer_flow"] = map[string]any{"total_steps": r.TotalNodes, "current_steps": r.ApprovedNodes}
	}
	return data
}

// restApprove is POST /public/v1/requests/withdrawal/approve: the API key
// acts as the next approver of a withdrawal request.
func (p *Provider) approveRequest(req *platform.Request) (any, error) {
	var b struct {
		ID       string `json:"id"`
		Notify   bool   `json:"notify"`
		Email    bool   `json:"email"`
		Language string `json:"language"`
	}
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	if err := checkID("id", b.ID, true); err != nil {
		return nil, err
	}
	if err := checkLanguage(b.Language); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		if r, err := getRequest(tx, b.ID); err != nil || r.Type != "withdrawal" {
			if err == nil {
				err = errRequestNotFound
			}
			return nil, err
		}
		if _, err := p.approveNode(tx, b.ID, 0); err != nil {
			return nil, err
		}
		return emptyOK, nil
	})
}

// rejectRequestREST is POST /public/v1/requests/withdrawal/reject.
func (p *Provider) rejectRequestREST(req *platform.Request) (any, error) {
	var b struct {
		ID       string `json:"id"`
		Comment  string `json:"comment"`
		Notify   bool   `json:"notify"`
		Email    bool   `json:"email"`
		Language string `json:"language"`
	}
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	if err := checkID("id", b.ID, true); err != nil {
		return nil, err
	}
	if len([]rune(b.Comment)) > 500 {
		return nil, invalid("comment must be at most 500 characters")
	}
	if err := checkLanguage(b.Language); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		if r, err := getRequest(tx, b.ID); err != nil || r.Type != "withdrawal" {
			if err == nil {
				err = errRequestNotFound
			}
			return nil, err
		}
		if _, err := p.rejectRequest(tx, b.ID, b.Comment); err != nil {
			return nil, err
		}
		return emptyOK, nil
	})
}

// requestStatus is the StatusTarget of kind "request": "approved" approves
// the next node (or fields.node), "rejected" rejects (fields.comment).
func (p *Provider) requestStatus(tx *platform.Tx, id, status string, fields platform.Fields) error {
	switch status {
	case "approved":
		node, _ := fields.Int("node")
		_, err := p.approveNode(tx, id, node)
		return err
	case "rejected":
		comment := fields.String("comment")
		_, err := p.rejectRequest(tx, id, comment)
		return err
	}
	return platform.BadControl("request status must be approved or rejected, not %q", status)
}
