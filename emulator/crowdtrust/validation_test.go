package crowdtrust

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func wantInvalid(t *testing.T, name string, err error, field string) {
	t.Helper()
	ae, ok := err.(*apiError)
	switch {
	case field == "" && err != nil:
		t.Errorf("%s: unexpected error %v", name, err)
	case field == "":
	case !ok:
		t.Errorf("%s: error %v, want invalid %s", name, err, field)
	case field == "-" && ae.Details != nil:
		t.Errorf("%s: details %+v, want none", name, ae.Details)
	case field != "-" && (ae.Details == nil || ae.Details.Field != field):
		t.Errorf("%s: %+v, want field %s", name, ae, field)
	}
}

func TestParseBilling(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	base := map[string]any{"number": "4242424242424242", "exp_month": 6, "exp_year": 2030, "cvc": "667", "name": "John Wayne",
		"address_line1": "1 Galaxy Way", "address_city": "Rockville", "address_state": "MD", "address_zip": "20850", "address_country": "US"}
	with := func(k string, v any) []byte {
		m := map[string]any{}
		for kk, vv := range base {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return b
	}
	for _, tc := range []struct {
		name  string
		body  []byte
		field string
	}{
		{"valid", with("x", 1), ""},
		{"two-digit year, string month", with("exp_month", "06"), ""},
		{"malformed", []byte(`{`), "-"},
		{"no number", with("number", nil), "number"},
		{"separators", with("number", "4242 4242 4242 4242"), "number"},
		{"luhn", with("number", "4242424242424241"), "number"},
		{"decline card", with("number", "4000000000000002"), "number"},
		{"month 13", with("exp_month", 13), "exp_month"},
		{"month missing", with("exp_month", nil), "exp_month"},
		{"month float", with("exp_month", 6.5), "exp_month"},
		{"year past", with("exp_year", 2020), "exp_year"},
		{"this month passed", with("exp_year", 2026), "exp_year"},
		{"year 3 digits", with("exp_year", 203), "exp_year"},
		{"cvc letters", with("cvc", "66a"), "cvc"},
		{"cvc number", with("cvc", 667), "cvc"},
		{"cvc 5", with("cvc", "12345"), "cvc"},
		{"no name", with("name", ""), "name"},
		{"no city", with("address_city", nil), "address_city"},
		{"no country", with("address_country", nil), "address_country"},
	} {
		b, err := parseBilling(tc.body, now)
		wantInvalid(t, tc.name, err, tc.field)
		if err == nil && (b.Last4 != "4242" || b.Brand != "Visa") {
			t.Errorf("%s: %+v", tc.name, b)
		}
		if err != nil && (strings.Contains(err.Error(), "4242424242") || strings.Contains(err.Error(), "667")) {
			t.Errorf("%s: error echoes card data: %v", tc.name, err)
		}
	}
	if b, _ := parseBilling(with("exp_year", 30), now); b.ExpYear != 2030 {
		t.Errorf("two-digit year: %d", b.ExpYear)
	}
}

func TestParseCheckRequest(t *testing.T) {
	base := `"firstName":"Jack","lastName":"Smith","dateOfBirth":"2014-07-10","ssn":"222-65-9696","regulationType":"D","platformName":"P"`
	for _, tc := range []struct{ name, body, field string }{
		{"valid", `{` + base + `}`, ""},
		{"undashed ssn", `{` + strings.Replace(base, "222-65-9696", "222659696", 1) + `}`, ""},
		{"unknown fields ignored", `{` + base + `,"extra":1}`, ""},
		{"malformed", `{` + base, "-"},
		{"trailing data", `{` + base + `}{}`, "-"},
		{"empty body", ``, "-"},
		{"no first name", `{` + strings.Replace(base, `"firstName":"Jack"`, `"firstName":""`, 1) + `}`, "firstName"},
		{"last name number", `{` + strings.Replace(base, `"lastName":"Smith"`, `"lastName":7`, 1) + `}`, "lastName"},
		{"dob format", `{` + strings.Replace(base, "2014-07-10", "07/10/2014", 1) + `}`, "dateOfBirth"},
		{"dob impossible", `{` + strings.Replace(base, "2014-07-10", "2014-02-30", 1) + `}`, "dateOfBirth"},
		{"ssn short", `{` + strings.Replace(base, "222-65-9696", "222-65-969", 1) + `}`, "ssn"},
		{"ssn one dash", `{` + strings.Replace(base, "222-65-9696", "22265-9696", 1) + `}`, ""},
		{"ssn letters", `{` + strings.Replace(base, "222-65-9696", "222-65-96x6", 1) + `}`, "ssn"},
		{"regulation C", `{` + strings.Replace(base, `"regulationType":"D"`, `"regulationType":"C"`, 1) + `}`, "regulationType"},
		{"regulation lower", `{` + strings.Replace(base, `"regulationType":"D"`, `"regulationType":"d"`, 1) + `}`, "regulationType"},
		{"no platform", `{` + strings.Replace(base, `,"platformName":"P"`, ``, 1) + `}`, "platformName"},
		{"work not array", `{` + base + `,"workHistory":{}}`, "workHistory"},
		{"work bad start", `{` + base + `,"workHistory":[{"company":"A","title":"T","startDate":"2015","endDate":""}]}`, "workHistory[0].startDate"},
		{"work end before start: no source refuses it", `{` + base + `,"workHistory":[{"company":"A","title":"T","startDate":"2015-01-01","endDate":"2014-01-01"}]}`, ""},
		{"work no company: items' fields are not required", `{` + base + `,"workHistory":[{"title":"T","startDate":"2015-01-01"}]}`, ""},
		{"work bad end", `{` + base + `,"workHistory":[{"startDate":"2015-01-01","endDate":"soon"}]}`, "workHistory[0].endDate"},
		{"address no zip", `{` + base + `,"homeAddresses":[{"address1":"a","city":"c","state":"MD"}]}`, ""},
		{"body not an object", `["x"]`, "body"},
		{"address not object", `{` + base + `,"homeAddresses":[1]}`, "homeAddresses"},
	} {
		_, err := parseCheckRequest([]byte(tc.body))
		wantInvalid(t, tc.name, err, tc.field)
	}
}

func TestHelpers(t *testing.T) {
	for _, tc := range []struct {
		url  string
		loop bool
		ok   bool
	}{
		{"https://x.example/h", false, true}, {"http://x.example/h", true, false}, {"http://127.0.0.1:9/h", true, true},
		{"http://localhost/h", true, true}, {"http://127.0.0.1:9/h", false, false}, {"ftp://x/h", true, false}, {"not a url", true, false},
	} {
		if got := webhookAllowed(tc.url, tc.loop); got != tc.ok {
			t.Errorf("webhookAllowed(%q, %v) = %v", tc.url, tc.loop, got)
		}
	}
	for _, tc := range []struct {
		in string
		ok bool
	}{{"a@b.co", true}, {"Jane <a@b.co>", false}, {"a@b", false}, {"", false}} {
		if validEmail(tc.in) != tc.ok {
			t.Errorf("validEmail(%q)", tc.in)
		}
	}
	if maskSSN("9696") != "***-**-9696" {
		t.Error("mask")
	}
}
