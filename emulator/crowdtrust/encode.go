package crowdtrust

import "github.com/fakeprovider/fakeprovider/internal/jsonenc"

// A check is what clients poll; these encoders write the bytes
// encoding/json writes for the same values (encode_test.go checks that on
// random values), without reflection.

// AppendJSON implements jsonenc.Appender.
func (v CheckView) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.Key("searchId")
	w.String(v.SearchID)
	w.Key("status")
	w.String(v.Status)
	w.Key("badActorCheckPass")
	w.String(v.BadActorCheckPass)
	w.Key("firstName")
	w.String(v.FirstName)
	w.Key("lastName")
	w.String(v.LastName)
	w.Key("ssn")
	w.String(v.SSN)
	w.Key("dateOfBirth")
	w.String(v.DateOfBirth)
	w.Key("regulationType")
	w.String(v.RegulationType)
	w.Key("disqualifyingEventDate")
	w.String(v.DisqualifyingEventDate)
	w.Key("workHistory")
	if v.WorkHistory == nil {
		w.Null()
	} else {
		w.OpenArray()
		for _, e := range v.WorkHistory {
			e.AppendJSON(w)
		}
		w.CloseArray()
	}
	w.Key("homeAddresses")
	if v.HomeAddresses == nil {
		w.Null()
	} else {
		w.OpenArray()
		for _, e := range v.HomeAddresses {
			e.AppendJSON(w)
		}
		w.CloseArray()
	}
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (h WorkHistory) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.Key("company")
	w.String(h.Company)
	w.Key("title")
	w.String(h.Title)
	w.Key("startDate")
	w.String(h.StartDate)
	w.Key("endDate")
	w.String(h.EndDate)
	w.Close()
}

// AppendJSON implements jsonenc.Appender.
func (a HomeAddress) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.Key("address1")
	w.String(a.Address1)
	w.Key("address2")
	w.String(a.Address2)
	w.Key("city")
	w.String(a.City)
	w.Key("state")
	w.String(a.State)
	w.Key("zip")
	w.String(a.Zip)
	w.Close()
}
