package crm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// PSP callback statuses (API-2 `status`).
const (
	pspFailed     = 0
	pspSuccess    = 1
	pspProcessing = 2
)

// verifyPSP authenticates the tenant's bridge on POST /pay/callback: the
// crm-pay-token header names the tenant and the body's sign must match.
func (p *Provider) verifyPSP(r *http.Request, body []byte) (platform.Caller, error) {
	token := r.Header.Get(HeaderPayToken)
	if token == "" {
		return platform.Caller{}, platform.Deny(errPSPTokenInvalid, "missing %q header", HeaderPayToken)
	}
	tenant, creds, ok := p.tenantByPayToken(token)
	if !ok {
		return platform.Caller{}, platform.Deny(errPSPTokenInvalid, "unknown crm-pay-token %q", redactKey(token))
	}
	var fields map[string]any
	if err := json.Unmarshal(body, &fields); err != nil {
		return platform.Caller{}, &platform.AuthError{Public: errPSPTokenInvalid, Tenant: tenant, Reason: "body is not a JSON object: " + err.Error()}
	}
	got, _ := fields["sign"].(string)
	want, _ := PSPSign(token, body)
	if got == "" || !equalString(got, want) {
		return platform.Caller{}, &platform.AuthError{Public: errPSPTokenInvalid, Tenant: tenant,
			Reason: fmt.Sprintf("the body's %d-character sign does not match: expected %s = uppercase SHA1(%q + crm-pay-token), the non-empty members but sign as sorted key=value pairs", len(got), want, pairsShape(body, true))}
	}
	return platform.Caller{Tenant: tenant, Key: creds.PSPMerchantID, Creds: creds}, nil
}

func (p *Provider) tenantByPayToken(token string) (string, *Credentials, bool) {
	return credentials.Lookup(p.deps.Tenants, Name, payTokenKey(token))
}

type callbackBody struct {
	MerchantID    string       `json:"merchant_id"`
	OrderNo       string       `json:"order_no"`
	TransactionID string       `json:"transaction_id"`
	Amount        *json.Number `json:"amount"`
	Currency      string       `json:"currency"`
	Time          *json.Number `json:"time"`
	Status        *json.Number `json:"status"`
	UserID        string       `json:"user_id"`
	Sign          string       `json:"sign"`
}

// payCallback is API-2, PSP Payment Callback: 204, or a PSP error type.
func (p *Provider) payCallback(req *platform.Request) (any, error) {
	var b callbackBody
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, errPaymentNotFound
	}
	creds := credentials.Caller(req.Caller)
	if creds == nil || b.MerchantID != creds.PSPMerchantID {
		return nil, errPSPSettingNotFound
	}
	if b.OrderNo == "" {
		return nil, errPaymentNotFound
	}
	if b.Status == nil {
		return nil, errPaymentStatusNotAllowed
	}
	status, err := b.Status.Int64()
	if err != nil || status < pspFailed || status > pspProcessing {
		return nil, errPaymentStatusNotAllowed
	}
	if b.Amount == nil {
		return nil, errPaymentAmountNotAllowed
	}
	amount, err := b.Amount.Float64()
	if err != nil {
		return nil, errPaymentAmountNotAllowed
	}
	if b.Time == nil {
		return nil, invalid("time is required")
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		pay, err := getPayment(tx, b.OrderNo)
		if err != nil {
			return nil, err
		}
		if pay.Status == paymentSuccess || pay.Status == paymentFailed {
			return nil, errPaymentNotPending
		}
		if math.Abs(amount-pay.Amount) > 1e-9 {
			return nil, errPaymentAmountNotAllowed
		}
		if !strings.EqualFold(b.Currency, pay.Currency) {
			return nil, errPaymentCurrencyNotAllow
		}
		pay.TransactionID = b.TransactionID
		if err := p.settlePayment(tx, &pay, int(status)); err != nil {
			return nil, err
		}
		return platform.NoContent(), nil
	})
}

func getPayment(tx *platform.Tx, orderNo string) (Payment, error) {
	var pay Payment
	ok, err := tx.Records().Get(kindPayment, orderNo, &pay)
	if err == nil && !ok {
		err = errPaymentNotFound
	}
	return pay, err
}

// settlePayment applies a PSP status: success credits the target with the
// converted amount, failure ends the order, processing keeps it open.
func (p *Provider) settlePayment(tx *platform.Tx, pay *Payment, status int) error {
	switch status {
	case pspSuccess:
		target := pay.Target
		target.Amount = round2(pay.Amount * pay.Rate)
		if err := p.credit(tx, target, "deposit", "psp deposit "+pay.OrderNo, pay.OrderNo); err != nil {
			return err
		}
		pay.Status = paymentSuccess
	case pspFailed:
		pay.Status = paymentFailed
	default:
		pay.Status = paymentProcessing
	}
	pay.UpdatedAt = formatTime(tx.Now())
	return tx.Records().Put(kindPayment, pay.OrderNo, *pay)
}

// paymentStatus is the StatusTarget of kind "payment": it stands in for the
// bridge's callback (success, failed, processing). A terminal order is left
// as it is, since the bridge may have reported first.
func (p *Provider) paymentStatus(tx *platform.Tx, id, status string, _ platform.Fields) error {
	pay, err := getPayment(tx, id)
	if err != nil {
		return err
	}
	if pay.Status == paymentSuccess || pay.Status == paymentFailed {
		return nil
	}
	switch status {
	case paymentSuccess:
		return p.settlePayment(tx, &pay, pspSuccess)
	case paymentFailed:
		return p.settlePayment(tx, &pay, pspFailed)
	case paymentProcessing:
		return p.settlePayment(tx, &pay, pspProcessing)
	}
	return platform.BadControl("payment status must be success, failed or processing, not %q", status)
}

// payURLRequest is API-1's body; custom fields are merged in.
func payURLRequest(creds *Credentials, pay Payment, u User, device, language string) ([]byte, error) {
	body := map[string]any{
		"merchant_id": creds.PSPMerchantID, "order_no": pay.OrderNo, "amount": json.Number(strconv.FormatFloat(pay.Amount, 'f', -1, 64)),
		"currency": pay.Currency, "user_id": u.ID, "user_name": u.Name, "email": u.Email,
		"phone": u.Phone.CountryCode + u.Phone.Number, "nationality": u.Country, "language": language, "device": device,
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	sign, err := PSPSign(creds.PSPToken, raw)
	if err != nil {
		return nil, err
	}
	body["sign"] = sign
	return json.Marshal(body)
}

type payURLAnswer struct {
	Data struct {
		URL string `json:"url"`
	} `json:"data"`
	Result bool   `json:"result"`
	Msg    string `json:"msg"`
}

// callPayURL is API-1: POST {app_url}/pay/url with the crm-pay-token.
func (p *Provider) callPayURL(ctx context.Context, appURL, token string, body []byte) (string, error) {
	endpoint := strings.TrimSuffix(appURL, "/") + "/pay/url"
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(HeaderPayToken, token)
	resp, err := p.httpClient.Do(r)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s answered %d: %s", endpoint, resp.StatusCode, truncate(raw))
	}
	var ans payURLAnswer
	if err := json.Unmarshal(raw, &ans); err != nil {
		return "", fmt.Errorf("%s answered invalid JSON: %s", endpoint, truncate(raw))
	}
	if !ans.Result || ans.Data.URL == "" {
		return "", fmt.Errorf("%s answered result:false: %s", endpoint, ans.Msg)
	}
	return ans.Data.URL, nil
}

// fetchRate asks the tenant's external exchange-rate API for from→to.
func (p *Provider) fetchRate(ctx context.Context, fx FXConfig, from, to string) (float64, error) {
	u, err := url.Parse(fx.URL)
	if err != nil {
		return 0, err
	}
	q := u.Query()
	q.Set("from", from)
	q.Set("to", to)
	u.RawQuery = q.Encode()
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	r.Header.Set(HeaderKey, fx.Key)
	resp, err := p.httpClient.Do(r)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("rate source answered %d: %s", resp.StatusCode, truncate(raw))
	}
	var ans struct {
		Rate json.Number `json:"rate"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return 0, fmt.Errorf("rate source answered invalid JSON: %s", truncate(raw))
	}
	rate, err := ans.Rate.Float64()
	if err != nil || rate <= 0 {
		return 0, fmt.Errorf("rate source answered no positive rate: %s", truncate(raw))
	}
	return rate, nil
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
