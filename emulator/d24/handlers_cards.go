package d24

import (
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Card deposit results of payment_info.result.
const (
	cardSuccess  = "SUCCESS"
	cardRejected = "REJECTED"
	cardPending  = "PENDING"
	card3DS      = "PENDING_AUTHENTICATION"
)

// testCard is a sandbox card number with a fixed outcome.
type testCard struct {
	Result     string
	Reason     string
	ReasonCode string
}

// testCards are the sandbox card numbers that select an outcome; any
// other valid card succeeds, as in the real sandbox.
var testCards = map[string]testCard{
	"4000000000000002": {cardRejected, "Card declined by the issuer", "1"},
	"5105105105105100": {cardRejected, "Card declined by the issuer", "1"},
	"4000000000009995": {cardRejected, "Insufficient funds", "2"},
	"4000000000000069": {cardRejected, "Card reported lost or stolen", "3"},
	"4000000000000127": {cardRejected, "Invalid security code", "4"},
	"4000000000000119": {cardRejected, "Rejected by the anti-fraud check", "5"},
	"4000000000003220": {Result: card3DS},
	"5200000000001096": {Result: card3DS},
	"4000000000000077": {Result: cardPending},
}

// cardRequest is the card part of a PCI deposit.
type cardRequest struct {
	CardNumber      string      `json:"card_number"`
	CVV             string      `json:"cvv"`
	ExpirationMonth json.Number `json:"expiration_month"`
	ExpirationYear  json.Number `json:"expiration_year"`
	HolderName      string      `json:"holder_name"`
}

// cardDepositRequest is POST cc-api…/v3/deposits: a deposit with a card.
type cardDepositRequest struct {
	depositRequest
	CreditCard *cardRequest `json:"credit_card"`
	CardToken  string       `json:"card_token"`
	ClientIP   string       `json:"client_ip"`
}

// cardDepositSchema is how the card deposit fields are read (lenient.go).
var cardDepositSchema = depositSchema.with("credit_card", schema{
	"card_number": kText, "cvv": kText, "expiration_month": kInteger, "expiration_year": kInteger, "holder_name": kString,
}).with("", schema{"credit_card": kObject, "card_token": kString, "client_ip": kString})

// CardDetail is the masked card a deposit's status shows; the full number
// and the CVV are never stored.
type CardDetail struct {
	CardHolder        string `json:"card_holder"`
	Brand             string `json:"brand"`
	MaskedCard        string `json:"masked_card"`
	Expiration        string `json:"expiration"`
	CardType          string `json:"card_type"`
	TransactionResult string `json:"transaction_result"`
}

// cardBrand is a card network by number prefix.
type cardBrand struct{ Code, Name string }

func brandOf(pan string) cardBrand {
	two, _ := strconv.Atoi(pan[:2])
	four, _ := strconv.Atoi(pan[:4])
	switch {
	case pan[0] == '4':
		return cardBrand{"VI", "Visa"}
	case two >= 51 && two <= 55, four >= 2221 && four <= 2720:
		return cardBrand{"MC", "Mastercard"}
	case two == 34 || two == 37:
		return cardBrand{"AE", "American Express"}
	case four == 6011 || two == 65:
		return cardBrand{"DI", "Discover"}
	}
	return cardBrand{"CC", "Credit Card"}
}

// luhn reports whether digits pass the Luhn check.
func luhn(digits string) bool {
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// maskPAN shows the first six and last four digits, grouped by four as the
// status endpoint's card_detail does ("4111 11** **** 1111").
func maskPAN(pan string) string {
	b := []byte(pan)
	for i := 6; i < len(b)-4; i++ {
		b[i] = '*'
	}
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte(' ')
		}
		out.WriteByte(c)
	}
	return out.String()
}

// validate checks the card as the sandbox does: a Luhn-valid 13–19 digit
// number, a 3-digit CVV (4 for American Express), a month 1–12 and an
// expiry not in the past.
func (c *cardRequest) validate(now time.Time) []string {
	var details []string
	pan := c.CardNumber
	if len(pan) < 13 || len(pan) > 19 || !digitsRE.MatchString(pan) || !luhn(pan) {
		details = append(details, "credit_card.card_number: invalid card number")
		pan = ""
	}
	cvvLen := 3
	if pan != "" && brandOf(pan).Code == "AE" {
		cvvLen = 4
	}
	if len(c.CVV) != cvvLen || !digitsRE.MatchString(c.CVV) {
		details = append(details, "credit_card.cvv: must be "+itoa(cvvLen)+" digits")
	}
	month, errM := strconv.Atoi(string(c.ExpirationMonth))
	year, errY := strconv.Atoi(string(c.ExpirationYear))
	if year >= 0 && year < 100 {
		year += 2000
	}
	switch {
	case errM != nil || month < 1 || month > 12:
		details = append(details, "credit_card.expiration_month: must be 1 to 12")
	case errY != nil || year > 9999:
		details = append(details, "credit_card.expiration_year: must be a year")
	case year < now.Year() || year == now.Year() && month < int(now.Month()):
		details = append(details, "credit_card.expiration: the card is expired")
	}
	if strings.TrimSpace(c.HolderName) == "" || len(c.HolderName) > 100 {
		details = append(details, "credit_card.holder_name: required, at most 100 characters")
	}
	return details
}

// expiration is the card_detail form, yyyy-MM.
func (c *cardRequest) expiration() string {
	month, _ := strconv.Atoi(string(c.ExpirationMonth))
	year, _ := strconv.Atoi(string(c.ExpirationYear))
	if year < 100 {
		year += 2000
	}
	return strconv.Itoa(year) + "-" + twoDigits(month)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// tokenCard is what a card_token stands for: the Cards SDK tokenises a
// card the emulator never sees, so a token pays like the sandbox's
// default success card.
const tokenCard = "4111111111111111"

func (p *Provider) createCardDeposit(req *platform.Request) (any, error) {
	var in cardDepositRequest
	if err := decodeDepositFamily(req.Body, cardDepositSchema, &in); err != nil {
		return nil, err
	}
	now := req.Now()
	details := in.problems()
	if in.Payer == nil {
		details = append(details, "payer: required")
	}
	if net.ParseIP(strings.TrimSpace(in.ClientIP)) == nil {
		details = append(details, "client_ip: must be a valid IPv4 or IPv6 address")
	}
	switch {
	case in.CreditCard == nil && in.CardToken == "":
		details = append(details, "credit_card: credit_card or card_token is required")
	case in.CreditCard != nil:
		details = append(details, in.CreditCard.validate(now)...)
	}
	if len(details) > 0 {
		return nil, validation(details...)
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	pan, holder, expiry := tokenCard, "", ""
	if in.CreditCard != nil {
		pan, holder, expiry = in.CreditCard.CardNumber, in.CreditCard.HolderName, in.CreditCard.expiration()
	} else if in.Payer != nil {
		holder = strings.TrimSpace(in.Payer.FirstName + " " + in.Payer.LastName)
	}
	outcome, listed := testCards[pan]
	if !listed {
		outcome = testCard{Result: cardSuccess}
	}
	brand := brandOf(pan)
	detail := &CardDetail{CardHolder: holder, Brand: brand.Name, MaskedCard: maskPAN(pan), Expiration: expiry, CardType: "CREDIT",
		TransactionResult: "Transaction Approved"}
	switch outcome.Result {
	case cardRejected:
		detail.TransactionResult = outcome.Reason
	case card3DS:
		detail.TransactionResult = "Pending authentication"
	case cardPending:
		detail.TransactionResult = "Transaction in process"
	}
	c := countries[in.Country]
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
		fee := round2(usd * 0.025)
		d := Deposit{
			depositStatus: depositStatus{
				UserID: userID(in.Payer), DepositID: depositIDBase + int64(seq), InvoiceID: in.InvoiceID,
				Country: in.Country, Currency: c.Currency, LocalAmount: local, USDAmount: usd,
				BonusAmount: in.BonusAmount.Value, BonusRelative: in.BonusRelative, PaymentMethod: brand.Code,
				PaymentType: "CREDIT_CARD", FeeAmount: &fee, FeeCurrency: "USD",
				CurrentPayerVerification: "UNMATCHED", Card: detail,
			},
			CheckoutType: "ONE_SHOT", NotificationURL: in.NotificationURL, Created: now,
			CardResult: outcome.Result, SubMerchantID: subMerchant, RequestedCurrency: in.Currency,
		}
		if in.Payer != nil {
			d.Payer = *in.Payer
		}
		info := map[string]any{"type": "CREDIT_CARD", "result": outcome.Result, "payment_method": brand.Code,
			"payment_method_name": brand.Name, "amount": local, "currency": c.Currency, "created_at": now.UTC().Format(dateLayout)}
		answer := map[string]any{"deposit_id": d.DepositID, "user_id": d.UserID, "merchant_invoice_id": d.InvoiceID, "payment_info": info}
		switch outcome.Result {
		case cardSuccess:
			d.Status = "COMPLETED"
		case cardRejected:
			d.Status = "DECLINED"
			info["reason"], info["reason_code"] = outcome.Reason, outcome.ReasonCode
		case cardPending:
			d.Status = "PENDING"
		case card3DS:
			d.Status, d.Token = "PENDING", token
			answer["redirect_url"] = base + "/3ds/" + token
			if err := tx.Records().Put(kindChallenge, token, d.DepositID); err != nil {
				return nil, err
			}
		}
		id := strconv.FormatInt(d.DepositID, 10)
		if err := tx.Records().Put(kindDeposit, id, d); err != nil {
			return nil, err
		}
		fields := cardDepositFields(&d, &in.depositRequest, outcome.Result, brand.Name, pan[len(pan)-4:])
		if err := tx.Publish(platform.Event{Name: "card_deposit.created", Kind: kindDeposit, ID: id, Fields: fields}); err != nil {
			return nil, err
		}
		return answer, nil
	})
}

// cardDepositFields is what card_deposit.created carries: a deposit's
// fields, the card's outcome, brand and last four digits.
func cardDepositFields(d *Deposit, in *depositRequest, result, brand, last4 string) map[string]any {
	fields := depositFields(d, in)
	fields["result"], fields["card.brand"], fields["card.last4"] = result, brand, last4
	return fields
}
