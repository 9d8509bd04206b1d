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
	w.Key("outcome")
	w.String(e.Outcome)
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
	w.Key("status")
	w.Int(int64(e.Status))
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (o Organization) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.Key("id")
	w.Int(o.ID)
	w.Key("created_at")
	w.String(o.CreatedAt)
	w.Key("updated_at")
	w.String(o.UpdatedAt)
	w.Key("additional_type")
	w.String(o.AdditionalType)
	w.Key("address")
	o.Address.AppendJSON(w)
	w.Key("alternate_name")
	w.String(o.AlternateName)
	w.Key("brief_desc")
	w.String(o.BriefDesc)
	w.Key("company_number")
	w.String(o.CompanyNumber)
	w.Key("contact_point")
	w.String(o.ContactPoint)
	w.Key("credit_score")
	w.String(o.CreditScore)
	w.Key("custom")
	if o.Custom == nil {
		w.Null()
	} else {
		w.Value(o.Custom)
	}
	w.Key("detail_desc")
	w.String(o.DetailDesc)
	w.Key("display_name")
	w.String(o.DisplayName)
	w.Key("documents")
	if o.Documents == nil {
		w.Null()
	} else {
		w.Value(o.Documents)
	}
	w.Key("facebook")
	w.String(o.Facebook)
	w.Key("founding_date")
	w.String(o.FoundingDate)
	w.Key("founding_location")
	w.String(o.FoundingLocation)
	w.Key("legal_name")
	w.String(o.LegalName)
	w.Key("life_cycle_stage")
	w.String(o.LifeCycleStage)
	w.Key("linkedin")
	w.String(o.LinkedIn)
	w.Key("location")
	w.String(o.Location)
	w.Key("logo")
	if o.Logo == nil {
		w.Null()
	} else {
		w.Value(o.Logo)
	}
	w.Key("mangopay_user_id")
	w.String(o.MangopayUserID)
	w.Key("mangopay_wallet_id")
	w.String(o.MangopayWalletID)
	w.Key("mangopay_card_id")
	w.String(o.MangopayCardID)
	w.Key("members")
	if o.Members == nil {
		w.Null()
	} else {
		w.OpenArray()
		for _, m := range o.Members {
			w.Int(m)
		}
		w.CloseArray()
	}
	w.Key("org_email")
	w.String(o.OrgEmail)
	w.Key("sector")
	w.String(o.Sector)
	w.Key("tax_id")
	w.String(o.TaxID)
	w.Key("telephone")
	w.String(o.Telephone)
	w.Key("twitter")
	w.String(o.Twitter)
	w.Key("user_id")
	w.Int(o.UserID)
	w.Key("visibility")
	w.String(o.Visibility)
	w.Key("website")
	w.String(o.Website)
	w.Key("youtube")
	w.String(o.YouTube)
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (a Address) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	if a.ID != 0 {
		w.Key("id")
		w.Int(a.ID)
	}
	w.Key("building")
	w.String(a.Building)
	w.Key("street_address")
	w.String(a.StreetAddress)
	w.Key("city")
	w.String(a.City)
	w.Key("address_locality")
	w.String(a.AddressLocality)
	w.Key("region")
	w.String(a.Region)
	w.Key("postal_code")
	w.String(a.PostalCode)
	w.Key("country")
	w.String(a.Country)
	w.Close()
}
