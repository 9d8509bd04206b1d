package crm

import "github.com/fakeprovider/fakeprovider/internal/jsonenc"

// Get Client is the most frequent read; these encoders write the bytes
// encoding/json writes for the same values (encode_test.go checks that on
// random values), without reflection.

// AppendJSON implements jsonenc.Appender.
func (v clientView) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.StringField("created_at", v.CreatedAt)
	w.StringField("email", v.Email)
	w.StringField("id", v.ID)
	w.StringField("name", v.Name)
	if v.Owner != nil {
		w.Key("owner")
		w.Open()
		w.StringField("id", v.Owner.ID)
		w.StringField("name", v.Owner.Name)
		w.StringField("email", v.Owner.Email)
		w.Close()
	}
	if v.Participants != nil {
		w.Key("participants")
		w.Value(*v.Participants)
	}
	w.Key("phone")
	w.Open()
	w.StringField("country_code", v.Phone.CountryCode)
	w.StringField("number", v.Phone.Number)
	w.Close()
	w.StringField("referral_code", v.ReferralCode)
	w.Key("trading_accounts")
	jsonenc.Array(w, v.TradingAccounts, func(a TradingAccountRef, w *jsonenc.Writer) {
		w.Open()
		w.StringField("platform", a.Platform)
		w.StringField("connection_id", a.ConnectionID)
		w.StringField("trading_id", a.TradingID)
		w.Close()
	})
	w.StringField("type", v.Type)
	w.Close()
}
