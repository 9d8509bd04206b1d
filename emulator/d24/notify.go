package d24

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// retrySchedule is D24's documented notification retry spacing.
var retrySchedule = []time.Duration{5 * time.Minute, 25 * time.Minute, 125 * time.Minute, 625 * time.Minute}

// Signer names.
const (
	signerDeposit = "d24-deposit" // X-Date, X-Login, Authorization D24 (request scheme mirrored)
	signerCashout = "d24-cashout" // form body with control, no headers
)

// depositStatuses are the documented deposit statuses a scenario or the
// control API may set.
var depositStatuses = map[string]bool{
	"CREATED": true, "INITIATED": true, "PENDING": true, "EARLY_RELEASED": true, "FOR_REVIEW": true,
	"EXPIRED": true, "CANCELLED": true, "DELIVERED": true, "COMPLETED": true, "DECLINED": true,
}

var refundStatuses = map[string]bool{
	"PENDING": true, "INCORRECT_DETAILS": true, "DELIVERED": true, "COMPLETED": true, "REJECTED": true, "CANCELLED": true,
}

// lifecycle registers events, status targets and signers.
func (p *Provider) lifecycle(m *platform.Mount) {
	m.Event("deposit.created", kindDeposit)
	m.Event("card_deposit.created", kindDeposit)
	m.Event("refund.created", kindRefund)
	m.Event("cashout.created", kindCashout)
	m.Event("subscription.cycle", kindSubscription)
	m.StatusTarget(kindSubscription, p.setSubscriptionStatus, "CHARGE", subCancelled, subTerminated)
	m.Event("kyc.created", kindKYC)
	m.Event("account_validation.created", kindAccountCheck)
	m.StatusTarget(kindKYC, setCheckStatus(kindKYC), sortedKeys(checkStatuses[kindKYC])...)
	m.StatusTarget(kindAccountCheck, setCheckStatus(kindAccountCheck), sortedKeys(checkStatuses[kindAccountCheck])...)
	m.StatusTarget(kindDeposit, p.setDepositStatus, sortedKeys(depositStatuses)...)
	m.StatusTarget(kindRefund, p.setRefundStatus, sortedKeys(refundStatuses)...)
	m.StatusTarget(kindCashout, p.setCashoutStatus, cashoutTargetStatuses()...)
	m.Signer(signerDeposit, func(ctx context.Context, tenant string, d *platform.Delivery, now time.Time) error {
		c := p.creds(tenant)
		xDate := now.UTC().Format(XDateLayout)
		if d.Header == nil {
			d.Header = http.Header{}
		}
		d.Header.Set("Content-Type", "application/json")
		d.Header.Set("X-Date", xDate)
		d.Header.Set("X-Login", c.Login)
		d.Header.Set("Authorization", "D24 "+SignDeposit(c.SecretKey, xDate, c.Login, d.Body))
		return nil
	})
	m.Signer(signerCashout, func(ctx context.Context, tenant string, d *platform.Delivery, now time.Time) error {
		if d.Header == nil {
			d.Header = http.Header{}
		}
		d.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return nil
	})
}

// notify enqueues an id-only notification (deposits, refunds).
func notify(tx *platform.Tx, target, event, kind, id, field string, numericID int64) error {
	if target == "" {
		return nil
	}
	body, _ := json.Marshal(map[string]int64{field: numericID})
	_, err := tx.Notify(platform.Delivery{URL: target, Body: body, Signer: signerDeposit, Retry: retrySchedule,
		Event: event, Kind: kind, ResourceID: id})
	return err
}

// setDepositStatus moves a deposit and notifies. Expiry reaches only
// unpaid deposits: a paid or cancelled one is left as it is.
func (p *Provider) setDepositStatus(tx *platform.Tx, id, status string, fields platform.Fields) error {
	status = strings.ToUpper(status)
	if !depositStatuses[status] {
		return platform.BadControl("unknown deposit status %q", status)
	}
	var d Deposit
	ok, err := tx.Records().Get(kindDeposit, id, &d)
	if err != nil {
		return err
	}
	if !ok {
		return platform.ControlNotFound("no deposit %s", id)
	}
	if status == "EXPIRED" && (d.Status == "COMPLETED" || d.Status == "CANCELLED" || d.Status == "DECLINED" || d.Status == "EXPIRED") {
		return nil
	}
	if status == "CANCELLED" && (d.Status == "COMPLETED" || d.Status == "DECLINED") {
		return nil // the hosted scenario's cancellation 7 days on reaches only unpaid deposits
	}
	if d.Status == status {
		return nil
	}
	d.Status = status
	if status == "COMPLETED" && d.PaymentMethod == "" {
		// Paid through the hosted checkout without a method chosen up front.
		c := countries[d.Country]
		m := c.Methods[0]
		if d.SubscriptionID != nil {
			m, _ = c.method("VI") // a subscription's checkout takes cards
		}
		fee := round2(d.USDAmount * 0.025)
		d.PaymentMethod, d.PaymentType, d.FeeAmount, d.FeeCurrency = m.Code, m.Type, &fee, "USD"
	}
	if v := fields.String("payment_method"); v != "" {
		d.PaymentMethod = v
	}
	d.Updated = tx.Now()
	if status == "COMPLETED" {
		if err := p.quickpayCompleted(tx, &d); err != nil {
			return err
		}
	}
	if err := tx.Records().Put(kindDeposit, id, d); err != nil {
		return err
	}
	if d.SubscriptionID != nil && status == "COMPLETED" {
		if err := p.subscriptionPaid(tx, *d.SubscriptionID, &d); err != nil {
			return err
		}
	}
	return notify(tx, d.NotificationURL, "deposit."+strings.ToLower(status), kindDeposit, id, "deposit_id", d.DepositID)
}

// setRefundStatus moves a refund; a rejected or cancelled refund gives its
// amount back to the deposit.
func (p *Provider) setRefundStatus(tx *platform.Tx, id, status string, fields platform.Fields) error {
	status = strings.ToUpper(status)
	if !refundStatuses[status] {
		return platform.BadControl("unknown refund status %q", status)
	}
	var rf Refund
	ok, err := tx.Records().Get(kindRefund, id, &rf)
	if err != nil {
		return err
	}
	if !ok {
		return platform.ControlNotFound("no refund %s", id)
	}
	if rf.Status == status {
		return nil
	}
	if final := rf.Status == "REJECTED" || rf.Status == "CANCELLED"; !final && (status == "REJECTED" || status == "CANCELLED") {
		var d Deposit
		depID := strconv.FormatInt(rf.DepositID, 10)
		if ok, err := tx.Records().Get(kindDeposit, depID, &d); err != nil {
			return err
		} else if ok {
			d.RefundedAmount = round2(d.RefundedAmount - rf.Amount)
			d.Refunded = d.RefundedAmount > 0
			if err := tx.Records().Put(kindDeposit, depID, d); err != nil {
				return err
			}
		}
	}
	rf.Status, rf.Updated = status, tx.Now()
	if err := tx.Records().Put(kindRefund, id, rf); err != nil {
		return err
	}
	return notify(tx, rf.NotificationURL, "refund."+strings.ToLower(status), kindRefund, id, "refund_id", rf.RefundID)
}

// setCashoutStatus moves a cashout (by name or code) and posts the
// form-encoded notification with its control string.
func (p *Provider) setCashoutStatus(tx *platform.Tx, id, status string, fields platform.Fields) error {
	code, ok := cashoutByName[strings.ToUpper(status)]
	if !ok {
		n, err := strconv.Atoi(status)
		if _, known := cashoutDescriptions[n]; err != nil || !known {
			return platform.BadControl("unknown cashout status %q", status)
		}
		code = n
	}
	var c Cashout
	found, err := tx.Records().Get(kindCashout, id, &c)
	if err != nil {
		return err
	}
	if !found {
		return platform.ControlNotFound("no cashout %s", id)
	}
	switch {
	case c.Status == code:
		return nil
	case c.Status == cashoutCancelled || (c.Status == cashoutRejected && code != cashoutRejected):
		return platform.BadControl("cashout %s is %s, a final status", id, cashoutDescriptions[c.Status])
	case c.Status == cashoutOnHold && code != cashoutPending && code != cashoutCancelled:
		return platform.BadControl("cashout %s is on hold: release it (PUT /v3/cashout/status PENDING) first", id)
	}
	reason := ""
	if code == cashoutRejected {
		rc, ok := fields.Int("rejection_code")
		if !ok {
			rc = 808
		}
		if _, known := rejectionReasons[rc]; !known {
			return platform.BadControl("unknown rejection code %d (800–826)", rc)
		}
		c.RejectionCode, c.RejectionReason = rc, rejectionReasons[rc]
		reason = c.RejectionReason
	}
	if code == cashoutCompleted || code == cashoutDelivered {
		c.BankReferenceID = "BR" + c.CashoutID
	}
	c.Status, c.Updated = code, tx.Now()
	if err := tx.Records().Put(kindCashout, id, c); err != nil {
		return err
	}
	if c.NotificationURL == "" {
		return nil
	}
	creds := p.creds(tx.Tenant)
	form := url.Values{
		"date":              {tx.Now().UTC().Format(dateLayout)},
		"bank_reference_id": {c.BankReferenceID},
		"comments":          {c.Comments},
		"external_id":       {c.ExternalID},
		"control":           {NotificationControl(creds.CashoutSecretKey, c.ExternalID)},
		"cashout_id":        {c.CashoutID},
		"status_reason":     {reason},
	}
	_, err = tx.Notify(platform.Delivery{URL: c.NotificationURL, Body: []byte(form.Encode()), Signer: signerCashout, Retry: retrySchedule,
		Event: "cashout." + strings.ToLower(strings.ReplaceAll(cashoutDescriptions[code], " ", "_")), Kind: kindCashout, ResourceID: id})
	return err
}
