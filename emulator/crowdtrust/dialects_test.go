package crowdtrust_test

import (
	"net/http"
	"testing"

	ct "github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// The official sample client is Java: its bodies are Jackson's. Jackson
// writes every primitive (an unset int is 0, an unset boolean false), omits
// null fields under NON_NULL and writes them as null by default, keeps the
// POJO's camelCase (or the annotated snake_case of the billing fields), and
// writes strings with only the escapes JSON requires. Each body below is
// written as that serialiser produces it and must be accepted as is.
func TestJavaClientDialect(t *testing.T) {
	e := start(t)
	test := e.defaultCreds().Test
	cases := []struct {
		name, path string
		body       string
		status     int
		check      func(t *testing.T, a answer)
	}{
		{"check, NON_NULL: absent address2, empty endDate", "/bacapi/test/checks",
			`{"firstName":"Jack","lastName":"Smith","dateOfBirth":"1986-05-26","ssn":"222-65-9696","regulationType":"D","platformName":"Reg D Platform",` +
				`"workHistory":[{"company":"Acme Capital","title":"CFO","startDate":"2015-01-05","endDate":""}],` +
				`"homeAddresses":[{"address1":"1 Galaxy Way","city":"Rockville","state":"MD","zip":"20850"}]}`, 200,
			func(t *testing.T, a answer) {
				var c ct.CheckView
				a.json(t, &c)
				if c.SSN != "***-**-9696" || len(c.WorkHistory) != 1 || len(c.HomeAddresses) != 1 || c.HomeAddresses[0].Address2 != "" {
					t.Errorf("check %s", a.body)
				}
			}},
		{"check, default inclusion: nulls written", "/bacapi/test/checks",
			`{"firstName":"Jack","lastName":"Smith","dateOfBirth":"1986-05-26","ssn":"222659696","regulationType":"A","platformName":"P",` +
				`"workHistory":null,"homeAddresses":[{"address1":"1 Galaxy Way","address2":null,"city":"Rockville","state":"MD","zip":"20850"}]}`, 200,
			func(t *testing.T, a answer) {
				var c ct.CheckView
				a.json(t, &c)
				if c.SSN != "***-**-9696" || c.RegulationType != "A" || len(c.WorkHistory) != 0 {
					t.Errorf("check %s", a.body)
				}
			}},
		{"check, a job without the fields the client left null", "/bacapi/test/checks",
			`{"firstName":"Jack","lastName":"Smith","dateOfBirth":"1986-05-26","ssn":"222-65-9696","regulationType":"D","platformName":"P",` +
				`"workHistory":[{"company":"Acme","title":null,"startDate":null,"endDate":null}],"homeAddresses":[]}`, 200, nil},
		{"billing: int primitives, NON_NULL strings", "/bacapi/test/account/billing",
			`{"number":"4242424242424242","exp_month":6,"exp_year":2099,"cvc":"667","name":"John Wayne","address_line1":"1 Galaxy Way",` +
				`"address_city":"Rockville","address_state":"MD","address_zip":"20850","address_country":"US"}`, 200,
			func(t *testing.T, a answer) {
				var b map[string]any
				a.json(t, &b)
				if b["last4"] != "4242" || b["exp_month"] != float64(6) || b["exp_year"] != float64(2099) {
					t.Errorf("billing %s", a.body)
				}
			}},
		{"billing: default inclusion writes address_line2 null", "/bacapi/test/account/billing",
			`{"number":"4242424242424242","exp_month":12,"exp_year":99,"cvc":"667","name":"John Wayne","address_line1":"1 Galaxy Way","address_line2":null,` +
				`"address_city":"Rockville","address_state":"MD","address_zip":"20850","address_country":"US"}`, 200, nil},
		{"billing: an unset int primitive is 0, named as the field", "/bacapi/test/account/billing",
			`{"number":"4242424242424242","exp_month":0,"exp_year":2099,"cvc":"667","name":"John Wayne","address_line1":"1 Galaxy Way",` +
				`"address_city":"Rockville","address_state":"MD","address_zip":"20850","address_country":"US"}`, 400,
			func(t *testing.T, a answer) {
				if string(a.body) != `{"status":400,"message":"Invalid Input","details":{"field":"exp_month","cause":"Your card's expiration month is invalid"}}` {
					t.Errorf("unset exp_month: %s", a.body)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := e.signed("POST", c.path, []byte(c.body), test)
			mustStatus(t, a, c.status)
			if c.check != nil {
				c.check(t, a)
			}
		})
	}
}

// Account creation (unsigned) as the sample client's ClientWrapper sends it,
// with the optional fields Jackson writes as null by default.
func TestJavaClientDialectAccount(t *testing.T) {
	e := start(t)
	e.h.Control("POST", "/crowdtrust/tos-tokens", map[string]string{"token": "ce84db50"}, nil)
	body := `{"email":"ops@platform.example","tosToken":"ce84db50","organizationName":"Reg D Platform","webhook":"https://hooks.example.com/ct",` +
		`"firstName":null,"lastName":null,"phone":"240-333-5555"}`
	a := e.send("POST", "/bacapi/account", []byte(body), http.Header{"Content-Type": {"application/json; charset=UTF-8"}})
	mustStatus(t, a, 200)
	var keys ct.AccountKeys
	a.json(t, &keys)
	if keys.APIKey == "" || keys.TestSecretKey == "" {
		t.Fatalf("keys %s", a.body)
	}
}

// Routes whose answers are not documented say so; documented ones do not.
func TestInferredRoutesAreMarked(t *testing.T) {
	e := start(t)
	test := e.defaultCreds().Test
	billing := e.signed("POST", "/bacapi/test/account/billing", []byte(validCard), test)
	mustStatus(t, billing, 200)
	if billing.header.Get(platform.InferredHeader) == "" {
		t.Error("billing answer is not marked inferred")
	}
	check := e.signed("POST", "/bacapi/test/checks", checkBody("222-65-9696", false), test)
	mustStatus(t, check, 200)
	if h := check.header.Get(platform.InferredHeader); h != "" {
		t.Errorf("documented check answer marked inferred: %q", h)
	}
	if a := e.send("GET", "/bacapi/test/checks/1001/report", nil, nil); a.status != 404 || a.header.Get(platform.InferredHeader) == "" {
		t.Errorf("TEST report: %d, inferred %q", a.status, a.header.Get(platform.InferredHeader))
	}
}
