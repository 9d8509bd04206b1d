package crowdtrust

import "github.com/fakeprovider/fakeprovider/internal/jsonenc"

// A check is what clients poll; these encoders write the bytes
// encoding/json writes for the same values (encode_test.go checks that on
// random values), without reflection.

// AppendJSON implements jsonenc.Appender.
func (v CheckView) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.StringField("searchId", v.SearchID)
	w.StringField("status", v.Status)
	w.StringField("badActorCheckPass", v.BadActorCheckPass)
	w.StringField("firstName", v.FirstName)
	w.StringField("lastName", v.LastName)
	w.StringField("ssn", v.SSN)
	w.StringField("dateOfBirth", v.DateOfBirth)
	w.StringField("regulationType", v.RegulationType)
	w.StringField("disqualifyingEventDate", v.DisqualifyingEventDate)
	w.Key("workHistory")
	jsonenc.Array(w, v.WorkHistory, WorkHistory.AppendJSON)
	w.Key("homeAddresses")
	jsonenc.Array(w, v.HomeAddresses, HomeAddress.AppendJSON)
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (h WorkHistory) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.StringField("company", h.Company)
	w.StringField("title", h.Title)
	w.StringField("startDate", h.StartDate)
	w.StringField("endDate", h.EndDate)
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (a HomeAddress) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.StringField("address1", a.Address1)
	w.StringField("address2", a.Address2)
	w.StringField("city", a.City)
	w.StringField("state", a.State)
	w.StringField("zip", a.Zip)
	w.Close()
}
