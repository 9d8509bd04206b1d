package crm

import "github.com/fakeprovider/fakeprovider/internal/jsonenc"

// Get Client is the most frequent read; these encoders write the bytes
// encoding/json writes for the same values (encode_test.go checks that on
// random values), without reflection.

// AppendJSON implements jsonenc.Appender.
func (v clientView) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.Key("created_at")
	w.String(v.CreatedAt)
	w.Key("email")
	w.String(v.Email)
	w.Key("id")
	w.String(v.ID)
	w.Key("name")
	w.String(v.Name)
	if v.Owner != nil {
		w.Key("owner")
		w.Open()
		w.Key("id")
		w.String(v.Owner.ID)
		w.Key("name")
		w.String(v.Owner.Name)
		w.Key("email")
		w.String(v.Owner.Email)
		w.Close()
	}
	if v.Participants != nil {
		w.Key("participants")
		w.Value(*v.Participants)
	}
	w.Key("phone")
	w.Open()
	w.Key("country_code")
	w.String(v.Phone.CountryCode)
	w.Key("number")
	w.String(v.Phone.Number)
	w.Close()
	w.Key("referral_code")
	w.String(v.ReferralCode)
	w.Key("trading_accounts")
	if v.TradingAccounts == nil {
		w.Null()
	} else {
		w.OpenArray()
		for _, a := range v.TradingAccounts {
			w.Open()
			w.Key("platform")
			w.String(a.Platform)
			w.Key("connection_id")
			w.String(a.ConnectionID)
			w.Key("trading_id")
			w.String(a.TradingID)
			w.Close()
		}
		w.CloseArray()
	}
	w.Key("type")
	w.String(v.Type)
	w.Close()
}
