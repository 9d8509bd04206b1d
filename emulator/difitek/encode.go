package difitek

import "github.com/fakeprovider/fakeprovider/internal/jsonenc"

// Reads of a single organization are the most frequent call; these
// encoders write the bytes encoding/json writes for the same values
// (encode_test.go checks that on random values), without reflection.

// AppendJSON implements jsonenc.Appender. A one-key object whose value
// has an encoder (what object() makes for a read) is written without
// reflection too.
func (e successEnvelope) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.StringField("outcome", e.Outcome)
	w.Key("data")
	if m, ok := e.Data.(map[string]any); ok && len(m) == 1 {
		for k, v := range m {
			if a, ok := v.(jsonenc.Appender); ok {
				w.Open()
				w.KeyString(k)
				a.AppendJSON(w)
				w.Close()
			} else {
				w.Value(m)
			}
		}
	} else {
		w.Value(e.Data)
	}
	w.IntField("status", int64(e.Status))
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (o Organization) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.IntField("id", o.ID)
	w.StringField("created_at", o.CreatedAt)
	w.StringField("updated_at", o.UpdatedAt)
	w.StringField("additional_type", o.AdditionalType)
	w.Key("address")
	o.Address.AppendJSON(w)
	w.StringField("alternate_name", o.AlternateName)
	w.StringField("brief_desc", o.BriefDesc)
	w.StringField("company_number", o.CompanyNumber)
	w.StringField("contact_point", o.ContactPoint)
	w.StringField("credit_score", o.CreditScore)
	w.Key("custom")
	if o.Custom == nil {
		w.Null()
	} else {
		w.Value(o.Custom)
	}
	w.StringField("detail_desc", o.DetailDesc)
	w.StringField("display_name", o.DisplayName)
	w.Key("documents")
	if o.Documents == nil {
		w.Null()
	} else {
		w.Value(o.Documents)
	}
	w.StringField("facebook", o.Facebook)
	w.StringField("founding_date", o.FoundingDate)
	w.StringField("founding_location", o.FoundingLocation)
	w.StringField("legal_name", o.LegalName)
	w.StringField("life_cycle_stage", o.LifeCycleStage)
	w.StringField("linkedin", o.LinkedIn)
	w.StringField("location", o.Location)
	w.Key("logo")
	if o.Logo == nil {
		w.Null()
	} else {
		w.Value(o.Logo)
	}
	w.StringField("mangopay_user_id", o.MangopayUserID)
	w.StringField("mangopay_wallet_id", o.MangopayWalletID)
	w.StringField("mangopay_card_id", o.MangopayCardID)
	w.Key("members")
	jsonenc.Array(w, o.Members, func(m int64, w *jsonenc.Writer) { w.Int(m) })
	w.StringField("org_email", o.OrgEmail)
	w.StringField("sector", o.Sector)
	w.StringField("tax_id", o.TaxID)
	w.StringField("telephone", o.Telephone)
	w.StringField("twitter", o.Twitter)
	w.IntField("user_id", o.UserID)
	w.StringField("visibility", o.Visibility)
	w.StringField("website", o.Website)
	w.StringField("youtube", o.YouTube)
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (a Address) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	if a.ID != 0 {
		w.IntField("id", a.ID)
	}
	w.StringField("building", a.Building)
	w.StringField("street_address", a.StreetAddress)
	w.StringField("city", a.City)
	w.StringField("address_locality", a.AddressLocality)
	w.StringField("region", a.Region)
	w.StringField("postal_code", a.PostalCode)
	w.StringField("country", a.Country)
	w.Close()
}
