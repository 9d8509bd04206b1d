package d24

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// QuickPay uses the same POST /v3/deposits as the Deposits API, without
// the customer's details: for Pix (BR, "IX") the payer is omitted, for SPEI
// (MX, "SE") it carries only an id, the merchant's reference of the payer.
// The answer is the OneShot one; once paid, the deposit's status adds the
// payer's KYC data and, before approval, D24 sends the QuickPay callback.

// kindQuickpay marks a deposit made without payer data (id = deposit id).
const kindQuickpay = "quickpay"

// QuickPay states of the merchant's approval.
const (
	quickpayWaiting  = "WAITING_PAYMENT"
	quickpayApproved = "APPROVED"
	quickpayRefused  = "REFUSED"
)

// Quickpay is a QuickPay deposit's approval state.
type Quickpay struct {
	DepositID int64  `json:"deposit_id"`
	Status    string `json:"status"`
	RefundID  int64  `json:"refund_id,omitempty"`
}

// quickpay reports whether the request is a QuickPay deposit: Pix without
// the payer's details, or SPEI with only the payer's id.
func (in *depositRequest) quickpay() bool {
	if in.oneShot() {
		return false // a complete payer is an ordinary OneShot deposit
	}
	switch {
	case in.Country == "BR" && strings.EqualFold(in.PaymentMethod, "IX"):
		return true
	case in.Country == "MX" && strings.EqualFold(in.PaymentMethod, "SE"):
		return in.Payer != nil && in.Payer.ID != ""
	}
	return false
}

// startQuickpay completes a new QuickPay deposit's record and answer: a
// user id when the payer has none, and no payer data to verify.
func startQuickpay(tx *platform.Tx, d *Deposit, answer map[string]any) error {
	if d.UserID == "" {
		d.UserID = strconv.FormatInt(d.DepositID-depositIDBase+50000000, 10)
		answer["user_id"] = d.UserID
	}
	d.CurrentPayerVerification = "NO_CURRENT_PAYER_DATA"
	id := strconv.FormatInt(d.DepositID, 10)
	return tx.Records().Put(kindQuickpay, id, Quickpay{DepositID: d.DepositID, Status: quickpayWaiting})
}

// quickpayCompleted runs when a deposit becomes COMPLETED: a QuickPay
// deposit gets the payer's KYC data and, when the panel has a QuickPay
// callback URL, the callback is sent before the deposit's own notification.
func (p *Provider) quickpayCompleted(tx *platform.Tx, d *Deposit) error {
	id := strconv.FormatInt(d.DepositID, 10)
	var q Quickpay
	ok, err := tx.Records().Get(kindQuickpay, id, &q)
	if err != nil || !ok || q.Status != quickpayWaiting {
		return err
	}
	kycPayer(d)
	q.Status = quickpayApproved
	if err := tx.Records().Put(kindQuickpay, id, q); err != nil {
		return err
	}
	if err := p.quickpayCallback(tx, d, false); err != nil {
		return err
	}
	return tx.Publish(platform.Event{Name: "quickpay.callback", Kind: kindQuickpay, ID: id, Fields: quickpayFields(d)})
}

// quickpayFields is what quickpay.callback carries.
func quickpayFields(d *Deposit) map[string]any {
	return map[string]any{"invoice_id": d.InvoiceID, "country": d.Country, "payment_method": d.PaymentMethod, "amount": d.LocalAmount}
}

// kycPayer fills the payer's KYC data as D24's KYC engine returns it for a
// paid QuickPay deposit: a valid document of the country, names, the
// validated full name, birth date (yyyyMMdd), PEP flag and legal situation.
func kycPayer(d *Deposit) {
	n := d.DepositID - depositIDBase
	p := &d.Payer
	pep := false
	p.FirstName, p.LastName, p.FullName = "John", "Smith", "John Smith"
	p.BirthDate, p.PEP, p.LegalSituation = "19770930", &pep, "REGULAR"
	p.Email = "payer" + strconv.FormatInt(n, 10) + "@example.com"
	if d.Country == "MX" {
		p.Document, p.DocumentType = fmt.Sprintf("SMJO770930HDFMHN%02d", n%100), "CURP"
		return
	}
	p.Document, p.DocumentType = makeCPF(n), "CPF"
}

// makeCPF returns an 11-digit CPF with valid check digits built from n.
func makeCPF(n int64) string {
	base := fmt.Sprintf("%09d", 100000000+n%900000000)
	digits := []int{}
	for _, c := range base {
		digits = append(digits, int(c-'0'))
	}
	for len(digits) < 11 {
		sum := 0
		for i, v := range digits {
			sum += v * (len(digits) + 1 - i)
		}
		dv := sum * 10 % 11
		if dv == 10 {
			dv = 0
		}
		digits = append(digits, dv)
	}
	var b strings.Builder
	for _, v := range digits {
		b.WriteByte(byte('0' + v))
	}
	return b.String()
}

// quickpayCallback enqueues the QuickPay notification to the panel's
// callback URL (none configured: none sent), signed as D24's other
// notifications, with refunded true after a refusal.
func (p *Provider) quickpayCallback(tx *platform.Tx, d *Deposit, refunded bool) error {
	s, err := panel(tx)
	if err != nil || s.QuickpayCallbackURL == "" {
		return err
	}
	addr := "Rua 13, Sao Paulo, 12345-678"
	if d.Country == "MX" {
		addr = "Calle 13, Ciudad de Mexico, 06000"
	}
	body := map[string]any{
		"depositId": d.DepositID, "document": d.Payer.Document, "fullName": d.Payer.FullName,
		"cadastralSituation": d.Payer.LegalSituation, "dateOfBirth": d.Payer.BirthDate, "pep": d.Payer.PEP != nil && *d.Payer.PEP,
		"address": addr, "email": d.Payer.Email, "success": true,
	}
	event := "quickpay.kyc"
	if refunded {
		body["refunded"], event = true, "quickpay.refunded"
	}
	raw, _ := json.Marshal(body)
	// One attempt: the merchant's answer is the approval, and anything but
	// 2XX refunds the deposit (quickpayOutcome).
	_, err = tx.Notify(platform.Delivery{URL: s.QuickpayCallbackURL, Body: raw, Signer: signerDeposit,
		Event: event, Kind: kindQuickpay, ResourceID: strconv.FormatInt(d.DepositID, 10)})
	return err
}

// quickpayOutcome reads the merchant's answer to the KYC callback: an
// answer other than 2XX (or none) refuses the deposit, as the real service
// does.
func (p *Provider) quickpayOutcome(tx *platform.Tx, d platform.Delivery, delivered bool) error {
	if delivered || d.Event != "quickpay.kyc" {
		return nil
	}
	var q Quickpay
	ok, err := tx.Records().Get(kindQuickpay, d.ResourceID, &q)
	if err != nil || !ok || q.Status != quickpayApproved {
		return err // already refused (control or scenario) or reset
	}
	return p.setQuickpayStatus(tx, d.ResourceID, quickpayRefused, nil)
}

// setQuickpayStatus plays the merchant's answer to the QuickPay callback:
// REFUSED (an answer other than 2XX) refunds the whole deposit and sends
// the callback again with refunded true.
func (p *Provider) setQuickpayStatus(tx *platform.Tx, id, status string, fields platform.Fields) error {
	status = strings.ToUpper(status)
	if status != quickpayRefused && status != quickpayApproved {
		return platform.BadControl("a QuickPay deposit is APPROVED or REFUSED, not %q", status)
	}
	var q Quickpay
	ok, err := tx.Records().Get(kindQuickpay, id, &q)
	if err != nil {
		return err
	}
	if !ok {
		return platform.ControlNotFound("deposit %s is not a QuickPay deposit", id)
	}
	if q.Status == status {
		return nil
	}
	if q.Status != quickpayApproved || status != quickpayRefused {
		return platform.BadControl("QuickPay deposit %s is %s: only a paid (APPROVED) one can be REFUSED", id, q.Status)
	}
	var d Deposit
	if _, err := tx.Records().Get(kindDeposit, id, &d); err != nil {
		return err
	}
	amount := round2(d.LocalAmount - d.RefundedAmount)
	seq, err := tx.Records().NextSeq(kindRefund)
	if err != nil {
		return err
	}
	rf := Refund{RefundID: refundIDBase + int64(seq), DepositID: d.DepositID, MerchantInvoiceID: d.InvoiceID,
		Status: "PENDING", Amount: amount, Comments: "QuickPay callback refused", NotificationURL: d.NotificationURL, Created: tx.Now()}
	rid := strconv.FormatInt(rf.RefundID, 10)
	if err := tx.Records().Put(kindRefund, rid, rf); err != nil {
		return err
	}
	d.RefundedAmount, d.Refunded, d.Updated = d.LocalAmount, true, tx.Now()
	if err := tx.Records().Put(kindDeposit, id, d); err != nil {
		return err
	}
	q.Status, q.RefundID = quickpayRefused, rf.RefundID
	if err := tx.Records().Put(kindQuickpay, id, q); err != nil {
		return err
	}
	if err := tx.Publish(platform.Event{Name: "refund.created", Kind: kindRefund, ID: rid, Fields: refundFields(amount, &d, rf.Comments, false)}); err != nil {
		return err
	}
	return p.quickpayCallback(tx, &d, true)
}
