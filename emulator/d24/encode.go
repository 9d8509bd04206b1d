package d24

import "github.com/fakeprovider/fakeprovider/internal/jsonenc"

// The deposit status answer is the most frequent call; these encoders
// write the bytes encoding/json writes for the same values
// (encode_test.go checks that on random values), without reflection.

// AppendJSON implements jsonenc.Appender.
func (s depositStatus) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.Key("user_id")
	w.String(s.UserID)
	w.Key("deposit_id")
	w.Int(s.DepositID)
	w.Key("invoice_id")
	w.String(s.InvoiceID)
	w.Key("country")
	w.String(s.Country)
	w.Key("currency")
	w.String(s.Currency)
	w.Key("local_amount")
	w.Float(s.LocalAmount)
	w.Key("usd_amount")
	w.Float(s.USDAmount)
	w.Key("bonus_amount")
	w.Float(s.BonusAmount)
	w.Key("bonus_relative")
	w.Bool(s.BonusRelative)
	optString(w, "payment_method", s.PaymentMethod)
	optString(w, "payment_type", s.PaymentType)
	w.Key("status")
	w.String(s.Status)
	w.Key("payer")
	s.Payer.AppendJSON(w)
	if s.FeeAmount != nil {
		w.Key("fee_amount")
		w.Float(*s.FeeAmount)
	}
	optString(w, "fee_currency", s.FeeCurrency)
	w.Key("refunded")
	w.Bool(s.Refunded)
	w.Key("current_payer_verification")
	w.String(s.CurrentPayerVerification)
	w.Key("subscription_id")
	if s.SubscriptionID == nil {
		w.Null()
	} else {
		w.Int(*s.SubscriptionID)
	}
	if s.Card != nil {
		w.Key("card_detail")
		s.Card.AppendJSON(w)
	}
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (p Payer) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	optString(w, "id", p.ID)
	optString(w, "document", p.Document)
	optString(w, "document_type", p.DocumentType)
	optString(w, "email", p.Email)
	optString(w, "first_name", p.FirstName)
	optString(w, "last_name", p.LastName)
	optString(w, "phone", p.Phone)
	optString(w, "birth_date", p.BirthDate)
	if p.Address != nil {
		w.Key("address")
		p.Address.AppendJSON(w)
	}
	optString(w, "full_name", p.FullName)
	if p.PEP != nil {
		w.Key("pep")
		w.Bool(*p.PEP)
	}
	optString(w, "legal_situation", p.LegalSituation)
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (a Address) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	optString(w, "street", a.Street)
	optString(w, "city", a.City)
	optString(w, "state", a.State)
	optString(w, "zip_code", a.ZipCode)
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (c CardDetail) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.Key("card_holder")
	w.String(c.CardHolder)
	w.Key("brand")
	w.String(c.Brand)
	w.Key("masked_card")
	w.String(c.MaskedCard)
	w.Key("expiration")
	w.String(c.Expiration)
	w.Key("card_type")
	w.String(c.CardType)
	w.Key("transaction_result")
	w.String(c.TransactionResult)
	w.Close()
}

// optString writes an omitempty string field.
func optString(w *jsonenc.Writer, key, v string) {
	if v != "" {
		w.Key(key)
		w.String(v)
	}
}
