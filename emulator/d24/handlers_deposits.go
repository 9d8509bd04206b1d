package d24

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// depositExpiry is how long a deposit's payment instructions stay valid;
// the built-in default scenario expires unpaid deposits after it.
const depositExpiry = 24 * time.Hour

// depositIDBase makes deposit ids look like the real ones (300000001…).
const depositIDBase = 300000000

// depositRequest is POST /v3/deposits; unknown fields are ignored.
type depositRequest struct {
	InvoiceID       string       `json:"invoice_id"`
	Amount          Amount       `json:"amount"`
	Currency        string       `json:"currency"`
	Country         string       `json:"country"`
	PaymentMethod   string       `json:"payment_method"`
	Payer           *Payer       `json:"payer"`
	BankAccount     *BankAccount `json:"bank_account"`
	NotificationURL string       `json:"notification_url"`
	Language        string       `json:"language"`
	BonusAmount     Amount       `json:"bonus_amount"`
	BonusRelative   bool         `json:"bonus_relative"`
	SubMerchantID   Amount       `json:"sub_merchant_id"`
}

// depositSchema is how the deposit fields are read (lenient.go).
var depositSchema = schema{
	"invoice_id": kText, "amount": kNumber, "currency": kString, "country": kString,
	"payment_method": kString, "payer": kObject, "bank_account": kObject, "notification_url": kString,
	"language": kString, "bonus_amount": kNumber, "bonus_relative": kBool,
}.with("payer", payerSchema).with("bank_account", bankAccountSchema)

// normalize upper-cases the codes clients send in either case.
func (in *depositRequest) normalize() {
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	in.PaymentMethod = strings.ToUpper(strings.TrimSpace(in.PaymentMethod))
	in.Language = strings.ToLower(strings.TrimSpace(in.Language))
}

// validate returns the deposit's errors: every field problem at once as
// 201, then the document (411) and the method (401).
func (in *depositRequest) validate() error {
	if details := in.problems(); len(details) > 0 {
		return validation(details...)
	}
	return in.check()
}

// problems are the 201 details of the deposit fields (normalized first).
func (in *depositRequest) problems() []string {
	in.normalize()
	var details []string
	if strings.TrimSpace(in.InvoiceID) == "" {
		details = append(details, "invoice_id: required")
	}
	switch {
	case !in.Amount.Set:
		details = append(details, "amount: required")
	case in.Amount.Value <= 0:
		details = append(details, "amount: must be greater than 0")
	case !twoDecimals(in.Amount.Value):
		details = append(details, "amount: at most 2 decimals")
	}
	c, known := countries[in.Country]
	if problem := countryProblem(in.Country); problem != "" {
		details = append(details, problem)
	}
	switch {
	case in.Currency == "":
		details = append(details, "currency: required")
	case known && !c.currencyOK(in.Currency):
		details = append(details, "currency: must be "+c.Currency+" or USD for "+in.Country)
	}
	return details
}

// check is the deposit's business validation once its fields are sound:
// the payer's document (411) and the payment method (401).
func (in *depositRequest) check() error {
	c := countries[in.Country]
	if in.Payer != nil {
		if problem := documentProblem(in.Country, in.Payer.Document, in.Payer.DocumentType); problem != "" {
			return &APIError{HTTP: 400, Code: 411, Description: "Invalid user document: " + problem, Type: "INVALID_USER_DOCUMENT"}
		}
	}
	if in.PaymentMethod != "" {
		if _, ok := c.method(in.PaymentMethod); !ok {
			return &APIError{HTTP: 400, Code: 401, Description: "Payment method not found", Type: "PAYMENT_METHOD_NOT_FOUND"}
		}
	}
	return nil
}

// oneShot: the method and the payer data are complete, so the payer gets
// payment instructions directly instead of the hosted checkout.
func (in *depositRequest) oneShot() bool {
	p := in.Payer
	return in.PaymentMethod != "" && p != nil && p.Document != "" && p.FirstName != "" && p.LastName != "" && p.Email != ""
}

// checkoutToken names a deposit in a checkout URL; it carries the tenant,
// since the page is opened without credentials.
func checkoutToken(tenant string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(tenant)) + "." + strings.ReplaceAll(uuid.NewString(), "-", "")
}

func tokenTenant(token string) (string, bool) {
	enc, _, ok := strings.Cut(token, ".")
	if !ok {
		return "", false
	}
	t, err := base64.RawURLEncoding.DecodeString(enc)
	return string(t), err == nil && len(t) > 0
}

func (p *Provider) createDeposit(req *platform.Request) (any, error) {
	var in depositRequest
	if err := decodeDepositFamily(req.Body, depositSchema, &in); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	c := countries[in.Country]
	quick := in.quickpay()
	oneShot := in.oneShot() || quick
	token := checkoutToken(req.Tenant())
	base := req.BaseURL()
	return req.Commit(func(tx *platform.Tx) (any, error) {
		seq, err := tx.Records().NextSeq(kindDeposit)
		if err != nil {
			return nil, err
		}
		now := tx.Now()
		subMerchant, err := activeSubMerchant(tx, in.SubMerchantID)
		if err != nil {
			return nil, err
		}
		local, usd := c.amounts(in.Amount.Value, in.Currency)
		d := Deposit{
			depositStatus: depositStatus{
				UserID: userID(in.Payer), DepositID: depositIDBase + int64(seq), InvoiceID: in.InvoiceID,
				Country: in.Country, Currency: c.Currency, LocalAmount: local, USDAmount: usd,
				BonusAmount: in.BonusAmount.Value, BonusRelative: in.BonusRelative, Status: "CREATED",
				CurrentPayerVerification: "NO_CURRENT_PAYER_DATA",
			},
			CheckoutType: "HOSTED", NotificationURL: in.NotificationURL, Token: token, Created: now,
			SubMerchantID: subMerchant, RequestedCurrency: in.Currency,
		}
		if in.Payer != nil {
			d.Payer = *in.Payer
		}
		answer := map[string]any{
			"checkout_type": "HOSTED", "redirect_url": base + "/checkout/" + token, "iframe": true,
			"deposit_id": d.DepositID, "user_id": d.UserID, "merchant_invoice_id": d.InvoiceID,
		}
		if oneShot {
			m, _ := c.method(in.PaymentMethod)
			fee := round2(usd * 0.025)
			d.Status, d.CheckoutType = "PENDING", "ONE_SHOT"
			d.PaymentMethod, d.PaymentType, d.FeeAmount, d.FeeCurrency = m.Code, m.Type, &fee, "USD"
			d.CurrentPayerVerification = "UNMATCHED"
			d.Info = &PaymentInfo{Type: m.Type, PaymentMethod: m.Code, PaymentMethodName: m.Name, Amount: local, Currency: c.Currency,
				ExpirationDate: now.Add(depositExpiry).UTC().Format(dateLayout), CreatedAt: now.UTC().Format(dateLayout),
				Metadata: metadata(m, d.DepositID, d.Payer)}
			answer["checkout_type"], answer["payment_info"] = "ONE_SHOT", d.Info
		}
		if quick {
			if err := startQuickpay(tx, &d, answer); err != nil {
				return nil, err
			}
		}
		if err := tx.Records().Put(kindDeposit, strconv.FormatInt(d.DepositID, 10), d); err != nil {
			return nil, err
		}
		if err := tx.Records().Put(kindCheckout, token, d.DepositID); err != nil {
			return nil, err
		}
		if err := tx.Publish(platform.Event{Name: "deposit.created", Kind: kindDeposit, ID: strconv.FormatInt(d.DepositID, 10), Fields: depositFields(&d, &in)}); err != nil {
			return nil, err
		}
		return answer, nil
	})
}

// userID is the payer's id, or one derived from the document.
func userID(p *Payer) string {
	if p == nil {
		return ""
	}
	if p.ID != "" {
		return p.ID
	}
	return onlyDigits(p.Document)
}

// metadata is the method-specific part of payment_info.
func metadata(m method, id int64, p Payer) map[string]string {
	ref := strconv.FormatInt(id, 10)
	switch {
	case m.Code == "IX":
		return map[string]string{"qr_code": "00020126580014br.gov.bcb.pix0136" + uuid.NewSHA1(uuid.NameSpaceOID, []byte(ref)).String() + "5204000053039865802BR6304ABCD"}
	case m.Code == "BL":
		line := "34191.79001 01043.510047 91020.150008 8 " + ref
		return map[string]string{"bar_code": onlyDigits(line), "digitable_line": line}
	case m.Type == "VOUCHER":
		return map[string]string{"reference": ref, "payment_method_code": m.Code}
	case m.Type == "BANK_DEPOSIT", m.Type == "BANK_TRANSFER":
		return map[string]string{"beneficiary_name": "D24 Payments", "agency": "3229-X", "account": "253393-4", "reference": ref}
	}
	return map[string]string{"enabled_redirect": "true"}
}

// depositFields are the event fields scenarios match on.
func depositFields(d *Deposit, in *depositRequest) map[string]any {
	return map[string]any{
		"amount": in.Amount.Value, "currency": in.Currency, "country": d.Country, "invoice_id": d.InvoiceID,
		"payment_method": d.PaymentMethod, "checkout_type": d.CheckoutType, "status": d.Status,
		"payer.first_name": d.Payer.FirstName, "payer.last_name": d.Payer.LastName,
		"payer.email": d.Payer.Email, "payer.document": d.Payer.Document,
	}
}

func (p *Provider) getDeposit(req *platform.Request) (any, error) {
	id := req.Var("id")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return nil, validation("deposit_id: must be a number")
	}
	d, err := readRecord[Deposit](req, kindDeposit, id, errResourceNotFound)
	if err != nil {
		return nil, err
	}
	return d.statusView(), nil
}

// readRecord reads kind/id of the caller's tenant; a missing record is
// notFound. Its callers only render the record, so the decoded value is
// shared with other reads of the same stored bytes
// (platform.Request.ReadShared): the result's slices and pointers are
// read-only.
func readRecord[T any](req *platform.Request, kind, id string, notFound error) (T, error) {
	var v T
	ok, err := req.ReadShared(kind, id, &v)
	if err == nil && !ok {
		err = notFound
	}
	return v, err
}
