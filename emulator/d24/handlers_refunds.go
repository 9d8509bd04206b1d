package d24

import (
	"strconv"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// refundIDBase makes refund ids look like the real ones (6–7 digits).
const refundIDBase = 168000

type refundRequest struct {
	DepositID       Amount       `json:"deposit_id"`
	InvoiceID       string       `json:"invoice_id"`
	Amount          Amount       `json:"amount"`
	BankAccount     *BankAccount `json:"bank_account"`
	Comments        string       `json:"comments"`
	NotificationURL string       `json:"notification_url"`
}

// refundSchema is how the refund fields are read (lenient.go).
var refundSchema = schema{
	"deposit_id": kInteger, "invoice_id": kText, "amount": kNumber, "bank_account": kObject,
	"comments": kString, "notification_url": kString, "country": kString,
}.with("bank_account", bankAccountSchema)

// errDepositNotRefundable: refunds exist only for COMPLETED deposits; the
// real code for this case is not documented.
var errDepositNotRefundable = &APIError{HTTP: 400, Code: 802, Description: "Amount to refund not valid: the deposit is not completed", Type: "INVALID_AMOUNT_TO_REFUND"}

func (p *Provider) createRefund(req *platform.Request) (any, error) {
	var in refundRequest
	if err := decodeDepositFamily(req.Body, refundSchema, &in); err != nil {
		return nil, err
	}
	var details []string
	if in.DepositID.Bad || !in.DepositID.Set {
		details = append(details, "deposit_id: required")
	}
	if in.InvoiceID == "" {
		details = append(details, "invoice_id: required")
	}
	if len(in.Comments) > 200 {
		details = append(details, "comments: at most 200 characters")
	}
	if in.Amount.Bad {
		details = append(details, "amount: must be a number")
	}
	if len(details) > 0 {
		return nil, validation(details...)
	}
	depID := strconv.FormatInt(int64(in.DepositID.Value), 10)
	return req.Commit(func(tx *platform.Tx) (any, error) {
		var d Deposit
		ok, err := tx.Records().Get(kindDeposit, depID, &d)
		if err != nil {
			return nil, err
		}
		if !ok || d.InvoiceID != in.InvoiceID {
			return nil, errResourceNotFound
		}
		if d.Status != "COMPLETED" {
			return nil, errDepositNotRefundable
		}
		remaining := round2(d.LocalAmount - d.RefundedAmount)
		amount := remaining
		if in.Amount.Set {
			amount = in.Amount.Value
		}
		if amount <= 0 || amount > remaining+1e-9 || !twoDecimals(amount) {
			return nil, errInvalidRefund
		}
		if d.PaymentType != "CREDIT_CARD" && (in.BankAccount == nil || in.BankAccount.AccountNumber == "") {
			return nil, errMissingBankAccount
		}
		seq, err := tx.Records().NextSeq(kindRefund)
		if err != nil {
			return nil, err
		}
		rf := Refund{RefundID: refundIDBase + int64(seq), DepositID: d.DepositID, MerchantInvoiceID: d.InvoiceID,
			Status: "PENDING", Amount: amount, BankAccount: in.BankAccount, Comments: in.Comments,
			NotificationURL: in.NotificationURL, Created: tx.Now()}
		if rf.NotificationURL == "" {
			rf.NotificationURL = d.NotificationURL
		}
		d.RefundedAmount = round2(d.RefundedAmount + amount)
		d.Refunded = true
		id := strconv.FormatInt(rf.RefundID, 10)
		if d.Card != nil {
			// Card refunds are answered synchronously and never notified.
			rf.Status = "COMPLETED"
		}
		if err := tx.Records().Put(kindRefund, id, rf); err != nil {
			return nil, err
		}
		if err := tx.Records().Put(kindDeposit, depID, d); err != nil {
			return nil, err
		}
		if d.Card != nil {
			return map[string]any{"refund_id": rf.RefundID, "deposit_id": d.DepositID, "merchant_invoice_id": d.InvoiceID,
				"refund_info": map[string]any{"type": "CREDIT_CARD", "result": cardSuccess, "reason": "Refund approved", "reason_code": "1",
					"payment_method": d.PaymentMethod, "payment_method_name": d.Card.Brand, "amount": amount, "currency": d.Currency,
					"created_at": rf.Created.UTC().Format(dateLayout)}}, nil
		}
		if err := tx.Publish(platform.Event{Name: "refund.created", Kind: kindRefund, ID: id, Fields: refundFields(amount, &d, in.Comments, amount < remaining)}); err != nil {
			return nil, err
		}
		return map[string]any{"refund_id": rf.RefundID}, nil
	})
}

func (p *Provider) getRefund(req *platform.Request) (any, error) {
	rf, err := readRecord[Refund](req, kindRefund, req.Var("id"), errResourceNotFound)
	if err != nil {
		return nil, err
	}
	return map[string]any{"deposit_id": rf.DepositID, "merchant_invoice_id": rf.MerchantInvoiceID, "status": rf.Status, "amount": rf.Amount}, nil
}

// refundFields is what refund.created carries.
func refundFields(amount float64, d *Deposit, comments string, partial bool) map[string]any {
	return map[string]any{"amount": amount, "deposit_id": d.DepositID, "country": d.Country, "comments": comments, "partial": partial}
}
