package d24

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Record kinds in the store.
const (
	kindDeposit   = "deposit"
	kindRefund    = "refund"
	kindCashout   = "cashout"
	kindCheckout  = "checkout"    // checkout token → deposit id
	kindInvoice   = "invoice"     // invoice_id → deposit id
	kindCashoutEx = "cashout_ext" // external_id → cashout id
	kindChallenge = "challenge"   // 3DS challenge token → deposit id
)

// dateLayout is the yyyy-MM-dd HH:mm:ss format of payment_info dates.
const dateLayout = "2006-01-02 15:04:05"

// Amount is a JSON number that clients may also send as a numeric string
// ("1000"); null and absent are zero with Set false.
type Amount struct {
	Value float64
	Set   bool
	Bad   bool // present but neither a number nor a numeric string
}

// UnmarshalJSON accepts 100, 100.5, "100" and null.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			a.Bad = true
			return nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		a.Bad = true
		return nil
	}
	a.Value, a.Set = v, true
	return nil
}

// MarshalJSON writes the number.
func (a Amount) MarshalJSON() ([]byte, error) { return json.Marshal(a.Value) }

// twoDecimals reports whether v has at most two decimals.
func twoDecimals(v float64) bool {
	return math.Abs(v*100-math.Round(v*100)) < 1e-6
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Address is a payer's address.
type Address struct {
	Street  string `json:"street,omitempty"`
	City    string `json:"city,omitempty"`
	State   string `json:"state,omitempty"`
	ZipCode string `json:"zip_code,omitempty"`
}

// Payer is the paying customer.
type Payer struct {
	ID           string   `json:"id,omitempty"`
	Document     string   `json:"document,omitempty"`
	DocumentType string   `json:"document_type,omitempty"`
	Email        string   `json:"email,omitempty"`
	FirstName    string   `json:"first_name,omitempty"`
	LastName     string   `json:"last_name,omitempty"`
	Phone        string   `json:"phone,omitempty"`
	BirthDate    string   `json:"birth_date,omitempty"`
	Address      *Address `json:"address,omitempty"`

	// FullName, PEP and LegalSituation are the KYC data a completed
	// QuickPay deposit's status adds.
	FullName       string `json:"full_name,omitempty"`
	PEP            *bool  `json:"pep,omitempty"`
	LegalSituation string `json:"legal_situation,omitempty"`
}

// BankAccount is a beneficiary account (refunds, close-loop deposits).
type BankAccount struct {
	Beneficiary   string `json:"beneficiary,omitempty"`
	BankCode      string `json:"bank_code,omitempty"`
	Branch        string `json:"branch,omitempty"`
	AccountNumber string `json:"account_number,omitempty"`
	AccountType   string `json:"account_type,omitempty"`
}

// PaymentInfo is the creation answer's payment instructions.
type PaymentInfo struct {
	Type              string            `json:"type"`
	PaymentMethod     string            `json:"payment_method"`
	PaymentMethodName string            `json:"payment_method_name"`
	Amount            float64           `json:"amount"`
	Currency          string            `json:"currency"`
	ExpirationDate    string            `json:"expiration_date"`
	CreatedAt         string            `json:"created_at"`
	Metadata          map[string]string `json:"metadata,omitempty"`
}

// Deposit is a stored deposit: the status answer's fields plus what the
// emulator keeps to run it (notification URL, checkout token, refunds).
type Deposit struct {
	depositStatus

	CheckoutType    string       `json:"x_checkout_type"`
	NotificationURL string       `json:"x_notification_url,omitempty"`
	Token           string       `json:"x_checkout_token"`
	RefundedAmount  float64      `json:"x_refunded_amount"`
	Created         time.Time    `json:"x_created"`
	Info            *PaymentInfo `json:"x_payment_info,omitempty"`
	CardResult      string       `json:"x_card_result,omitempty"`
	SubMerchantID   int64        `json:"x_sub_merchant_id,omitempty"`
	// RequestedCurrency is the request's currency (local or USD).
	RequestedCurrency string    `json:"x_requested_currency,omitempty"`
	Updated           time.Time `json:"x_updated,omitempty"`
}

// statusView is GET /v3/deposits/{id}: the record without emulator fields.
func (d *Deposit) statusView() depositStatus { return d.depositStatus }

// depositStatus is the answer of GET /v3/deposits/{id}, in the documented
// field order. A struct, not a map: encoding a map sorts its keys, and the
// status read is the most frequent call.
type depositStatus struct {
	UserID                   string   `json:"user_id"`
	DepositID                int64    `json:"deposit_id"`
	InvoiceID                string   `json:"invoice_id"`
	Country                  string   `json:"country"`
	Currency                 string   `json:"currency"`
	LocalAmount              float64  `json:"local_amount"`
	USDAmount                float64  `json:"usd_amount"`
	BonusAmount              float64  `json:"bonus_amount"`
	BonusRelative            bool     `json:"bonus_relative"`
	PaymentMethod            string   `json:"payment_method,omitempty"`
	PaymentType              string   `json:"payment_type,omitempty"`
	Status                   string   `json:"status"`
	Payer                    Payer    `json:"payer"`
	FeeAmount                *float64 `json:"fee_amount,omitempty"`
	FeeCurrency              string   `json:"fee_currency,omitempty"`
	Refunded                 bool     `json:"refunded"`
	CurrentPayerVerification string   `json:"current_payer_verification"`
	SubscriptionID           *int64   `json:"subscription_id"`
	// Card is the masked card of a card deposit (never the number or CVV).
	Card *CardDetail `json:"card_detail,omitempty"`
}

// Refund is a stored refund.
type Refund struct {
	RefundID          int64        `json:"refund_id"`
	DepositID         int64        `json:"deposit_id"`
	MerchantInvoiceID string       `json:"merchant_invoice_id"`
	Status            string       `json:"status"`
	Amount            float64      `json:"amount"`
	BankAccount       *BankAccount `json:"x_bank_account,omitempty"`
	Comments          string       `json:"x_comments,omitempty"`
	NotificationURL   string       `json:"x_notification_url,omitempty"`
	Created           time.Time    `json:"x_created"`
	// Updated is the last status change (zero: never changed).
	Updated time.Time `json:"x_updated,omitempty"`
}

// Cashout is a stored cashout.
type Cashout struct {
	CashoutID       string  `json:"cashout_id"`
	ExternalID      string  `json:"external_id"`
	Country         string  `json:"country"`
	Currency        string  `json:"currency"`
	Amount          float64 `json:"amount"`
	Status          int     `json:"cashout_status"`
	RejectionCode   int     `json:"rejection_code,omitempty"`
	RejectionReason string  `json:"rejection_reason,omitempty"`
	BankCode        string  `json:"bank_code,omitempty"`
	BankReferenceID string  `json:"bank_reference_id,omitempty"`
	Comments        string  `json:"comments,omitempty"`
	NotificationURL string  `json:"notification_url"`
	// Document is the beneficiary's document_id (empty in records made
	// before it was kept).
	Document string    `json:"document,omitempty"`
	Created  time.Time `json:"created"`
	// Updated is the last status change (zero: never changed).
	Updated time.Time `json:"updated,omitempty"`
}

// Cashout status codes.
const (
	cashoutPending   = 0
	cashoutCompleted = 1
	cashoutCancelled = 2
	cashoutRejected  = 3
	cashoutDelivered = 4
	cashoutOnHold    = 5
)

var cashoutDescriptions = map[int]string{
	cashoutPending: "Pending", cashoutCompleted: "Completed", cashoutCancelled: "Canceled",
	cashoutRejected: "Rejected", cashoutDelivered: "Delivered", cashoutOnHold: "On hold",
}

var cashoutByName = map[string]int{
	"PENDING": cashoutPending, "COMPLETED": cashoutCompleted, "CANCELLED": cashoutCancelled, "CANCELED": cashoutCancelled,
	"REJECTED": cashoutRejected, "DELIVERED": cashoutDelivered, "ON_HOLD": cashoutOnHold,
}

// rejectionReasons are the documented rejection codes of status 3.
var rejectionReasons = map[int]string{
	800: "ERROR_ACCOUNT_INCORRECT", 801: "ERROR_ACCOUNT_CLOSED", 802: "ERROR_AMOUNT_INCORRECT", 803: "ERROR_BANK_INVALID",
	804: "ERROR_BANK_BRANCH_INCORRECT", 805: "ERROR_BENEFICIARY_DOCUMENT_ID_INVALID", 806: "ERROR_BENEFICIARY_NAME_INCORRECT",
	807: "ERROR_REJECTED_BY_BANK", 808: "ERROR_OTHER", 809: "WITHDRAWAL_EXPIRED", 810: "LIMIT_EXCEEDED", 811: "RISK_POLICY",
	812: "BLOCKED_FROZEN_ACCOUNT", 813: "DOCUMENT_ACCOUNT_MISMATCH", 814: "INVALID_PIX_KEY", 815: "INVALID_IFSC_CODE",
	816: "INVALID_ACCOUNT_OR_IFSC_CODE", 817: "INVALID_NBIN", 818: "ACCOUNT_UNABLE", 819: "INVALID_ACCOUNT_TYPE",
	820: "REJECTED_BY_MERCHANT_REQUEST", 821: "MONTHLY_LIMIT_EXCEEDED_FOR_USER", 822: "NAME_MUST_BE_KATAKANA",
	823: "EMAIL_FIELD_CANNOT_BE_EMPTY", 824: "REJECTED_BY_THIRD_PARTY_CONTROL", 826: "WITHDRAWAL_REVERSED",
}

// statusView is the cashout status answer.
func (c *Cashout) statusView() map[string]any {
	v := map[string]any{"cashout_status": c.Status, "cashout_status_description": cashoutDescriptions[c.Status]}
	if c.Status == cashoutRejected {
		v["rejection_code"], v["rejection_reason"] = c.RejectionCode, c.RejectionReason
	}
	return v
}
