package d24

import "github.com/fakeprovider/fakeprovider/internal/jsonenc"

// The deposit status answer is the most frequent call; these encoders
// write the bytes encoding/json writes for the same values
// (encode_test.go checks that on random values), without reflection.

// AppendJSON implements jsonenc.Appender.
func (s depositStatus) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.StringField("user_id", s.UserID)
	w.IntField("deposit_id", s.DepositID)
	w.StringField("invoice_id", s.InvoiceID)
	w.StringField("country", s.Country)
	w.StringField("currency", s.Currency)
	w.FloatField("local_amount", s.LocalAmount)
	w.FloatField("usd_amount", s.USDAmount)
	w.FloatField("bonus_amount", s.BonusAmount)
	w.BoolField("bonus_relative", s.BonusRelative)
	w.OptString("payment_method", s.PaymentMethod)
	w.OptString("payment_type", s.PaymentType)
	w.StringField("status", s.Status)
	w.Key("payer")
	s.Payer.AppendJSON(w)
	if s.FeeAmount != nil {
		w.FloatField("fee_amount", *s.FeeAmount)
	}
	w.OptString("fee_currency", s.FeeCurrency)
	w.BoolField("refunded", s.Refunded)
	w.StringField("current_payer_verification", s.CurrentPayerVerification)
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
	w.OptString("id", p.ID)
	w.OptString("document", p.Document)
	w.OptString("document_type", p.DocumentType)
	w.OptString("email", p.Email)
	w.OptString("first_name", p.FirstName)
	w.OptString("last_name", p.LastName)
	w.OptString("phone", p.Phone)
	w.OptString("birth_date", p.BirthDate)
	if p.Address != nil {
		w.Key("address")
		p.Address.AppendJSON(w)
	}
	w.OptString("full_name", p.FullName)
	if p.PEP != nil {
		w.BoolField("pep", *p.PEP)
	}
	w.OptString("legal_situation", p.LegalSituation)
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (a Address) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.OptString("street", a.Street)
	w.OptString("city", a.City)
	w.OptString("state", a.State)
	w.OptString("zip_code", a.ZipCode)
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (c CardDetail) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.StringField("card_holder", c.CardHolder)
	w.StringField("brand", c.Brand)
	w.StringField("masked_card", c.MaskedCard)
	w.StringField("expiration", c.Expiration)
	w.StringField("card_type", c.CardType)
	w.StringField("transaction_result", c.TransactionResult)
	w.Close()
}
