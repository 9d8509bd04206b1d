package difitek_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Client dialects: requests written byte for byte as Crowd Valley's own
// clients produce them, not as Go would.
//
//   - PHP app SDK (crowdvalley/php-app-sdk): json_encode of its
//     convert…ToArray maps — every field present, null for what the entity
//     does not hold, "[]" for an object that json_decode(…, true) made an
//     empty array, "\/" and "\u00e9" escapes, form input as strings; ids
//     from a URL as strings; POSTs without parameters send json_encode([]).
//   - Node.js auth SDK (crowdvalley/nodejs-authentication-sdk): it builds the
//     cv-auth and network headers; the app sends JSON.stringify bodies
//     ({} for empty objects, raw UTF-8, no "\/").
//   - Form posts (application/x-www-form-urlencoded, PHP bracket keys), and
//     paths with a trailing slash.
type dialectStep struct {
	name        string
	as          string // "issuer", "investor", "admin"
	method      string
	path        string // {org}, {offering}, {investment}, {document}, {user} are replaced
	contentType string
	body        string
	save        string                                  // keeps data.id under this name
	check       func(t *testing.T, data map[string]any) // of data.<kind> (or data)
	key         string                                  // data key check reads
}

const (
	jsonType = "application/json"
	formType = "application/x-www-form-urlencoded"
)

func TestClientDialects(t *testing.T) {
	n := newIssuerNetwork(t)
	clients := map[string]client{"issuer": n.issuer, "investor": n.investor, "admin": n.admin}
	ids := map[string]string{"org": itoa(n.orgID)}

	steps := []dialectStep{
		{name: "PHP LoggedInUserService::save of a user without a picture", as: "investor", method: http.MethodPatch, path: "/self", contentType: jsonType,
			body: `{"birth_date":"1980-02-29","birth_place":"","driving_license_number":"","income_range":"","passport_country":"","passport_expiry":"","passport_number":"","tax_id":"","additional_type":"","address":{"id":null,"address_locality":"","building":"","city":"Leeds","country":"GB","postal_code":"LS1 4AP","region":"","street_address":"1 Park Row"},"affiliate_code":"","biography":"Angel investor \/ mentor","custom":[],"external_reference_id":"","family_name":"Investor","given_name":"Jos\u00e9","honorific_prefix":"","honorific_suffix":"","image":null,"job_title":"CFO","location":"Leeds","phone_1":447700900123,"phone_2":"","referral_code":"","sector":"","tagline":"","time_zone":"Europe\/London","visibility":"1","web_site":"https:\/\/jose.example.com"}`,
			key:  "user", check: func(t *testing.T, u map[string]any) {
				want(t, u, "given_name", "José", "biography", "Angel investor / mentor", "web_site", "https://jose.example.com",
					"time_zone", "Europe/London", "phone_1", "447700900123", "visibility", "Open", "image", nil, "birth_date", "1980-02-29")
				want(t, u["address"].(map[string]any), "city", "Leeds", "street_address", "1 Park Row")
				if c, ok := u["custom"].(map[string]any); !ok || len(c) != 0 {
					t.Errorf("custom %v, want {}", u["custom"])
				}
			}},
		{name: "PHP json_encode([]) body of an action", as: "investor", method: http.MethodPost, path: "/self/acceptTerms", contentType: jsonType, body: `[]`},
		{name: "PHP createWallet sends no body", as: "investor", method: http.MethodPost, path: "/self/wallets"},
		{name: "PHP convertOrganizationToArray of a new organization", as: "issuer", method: http.MethodPost, path: "/organizations", contentType: jsonType,
			body: `{"additional_type":null,"address":{"id":null,"address_locality":null,"building":null,"city":"London","country":"GB","postal_code":null,"region":null,"street_address":null},"alternate_name":null,"brief_desc":null,"company_number":9876543,"contact_point":null,"credit_score":null,"custom":[],"detail_desc":null,"display_name":"Jos\u00e9's Robots","facebook":null,"founding_date":null,"founding_location":null,"legal_name":null,"life_cycle_stage":null,"linkedin":null,"location":null,"org_email":null,"sector":null,"tax_id":null,"telephone":null,"twitter":null,"visibility":"1","website":"https:\/\/robots.example.com","youtube":null}`,
			save: "org", key: "organization", check: func(t *testing.T, o map[string]any) {
				want(t, o, "display_name", "José's Robots", "company_number", "9876543", "website", "https://robots.example.com", "visibility", "Open", "life_cycle_stage", "Active")
			}},
		{name: "PHP offering from a web form: numbers as strings, nulls for the rest", as: "issuer", method: http.MethodPost, path: "/organizations/{org}/offerings", contentType: jsonType,
			body: `{"additional_type":null,"amount_raised":null,"category":"Equity","close_date":"","credit_score":null,"currency":"GBP","equity_offered":"10","external_commitments":"","funding_goal":"50000","interest_rate":"","is_secondary_offering":"0","investment_count":null,"life_cycle_stage":null,"max_commitment":"","max_overfunding_amount":null,"min_commitment":"100","name":"Robots Series A","num_of_shares":"20000","offering_description":"Robots \/ automation","open_date":null,"price_per_share":"2.50","raised_percent":null,"term":"12","valuation":"500000.00"}`,
			save: "offering", key: "offering", check: func(t *testing.T, o map[string]any) {
				want(t, o, "funding_goal", 50000.0, "min_commitment", 100.0, "max_commitment", 0.0, "price_per_share", 2.5, "num_of_shares", 20000.0,
					"term", 12.0, "is_secondary_offering", false, "life_cycle_stage", "Draft", "valuation", 500000.0, "offering_description", "Robots / automation")
			}},
		{name: "PHP OfferingService::save by the owner re-sends the Draft stage", as: "issuer", method: http.MethodPatch, path: "/offerings/{offering}", contentType: jsonType,
			body: `{"additional_type":"","amount_raised":0,"category":"Equity","close_date":"","credit_score":"","currency":"GBP","equity_offered":10,"external_commitments":0,"funding_goal":50000,"interest_rate":0,"is_secondary_offering":false,"investment_count":0,"life_cycle_stage":"Draft","max_commitment":0,"max_overfunding_amount":0,"min_commitment":100,"name":"Robots Series A (renamed)","num_of_shares":20000,"offering_description":"Robots \/ automation","open_date":"","price_per_share":2.5,"raised_percent":0,"term":12,"valuation":500000}`,
			key:  "offering", check: func(t *testing.T, o map[string]any) {
				want(t, o, "name", "Robots Series A (renamed)", "life_cycle_stage", "Draft")
			}},
		{name: "admin features and publishes with PHP booleans", as: "admin", method: http.MethodPatch, path: "/offerings/{offering}", contentType: jsonType,
			body: `{"is_featured":1,"is_secondary_offering":"false","life_cycle_stage":"Published"}`,
			key:  "offering", check: func(t *testing.T, o map[string]any) {
				want(t, o, "is_featured", true, "life_cycle_stage", "Published")
			}},
		{name: "PHP createInvestmentForOffering from a form, trailing slash", as: "investor", method: http.MethodPost, path: "/offerings/{offering}/investments/", contentType: jsonType,
			body: `{"currency":null,"custom":[],"divested_amount":null,"interest_rate":null,"investment_amount":"1500","life_cycle_stage":null,"number_of_shares":null,"term":null,"visibility":null}`,
			save: "investment", key: "investment", check: func(t *testing.T, i map[string]any) {
				want(t, i, "investment_amount", 1500.0, "number_of_shares", 600.0, "life_cycle_stage", "Pending", "visibility", "Open", "currency", "GBP")
			}},
		{name: "PHP InvestmentService::save re-sends Pending and custom []", as: "investor", method: http.MethodPatch, path: "/investments/{investment}", contentType: jsonType,
			body: `{"currency":"GBP","custom":[],"divested_amount":0,"interest_rate":0,"investment_amount":1500,"life_cycle_stage":"Pending","number_of_shares":600,"term":12,"visibility":"Open"}`,
			key:  "investment", check: func(t *testing.T, i map[string]any) { want(t, i, "life_cycle_stage", "Pending") }},
		{name: "PHP createDocumentForInvestment with the SDK's defaults", as: "investor", method: http.MethodPost, path: "/investments/{investment}/documents", contentType: jsonType,
			body: `{"url":"https:\/\/cdn.example.com\/docs\/subscription.pdf","file_type":"application\/pdf","file_alias":"","file_description":"","group_id":"","source_type":0,"tag":""}`,
			key:  "document", check: func(t *testing.T, d map[string]any) {
				want(t, d, "url", "https://cdn.example.com/docs/subscription.pdf", "file_type", "application/pdf", "group_id", 0.0, "file_name", "subscription.pdf")
			}},
		{name: "PHP createDocument on self, group and source as strings, trailing slash", as: "investor", method: http.MethodPost, path: "/self/documents/", contentType: jsonType,
			body: `{"url":"https:\/\/cdn.example.com\/avatars\/jose.png","file_type":"image\/png","file_alias":"avatar","file_description":"","group_id":"3","source_type":"1","tag":"avatar"}`,
			save: "document", key: "document", check: func(t *testing.T, d map[string]any) { want(t, d, "group_id", 3.0, "source_type", 1.0) }},
		{name: "PHP save with the new picture's id as a string", as: "investor", method: http.MethodPatch, path: "/self", contentType: jsonType,
			body: `{"image":"{document}","custom":{"risk":"high"}}`,
			key:  "user", check: func(t *testing.T, u map[string]any) {
				img, _ := u["image"].(map[string]any)
				if img == nil || img["url"] != "https://cdn.example.com/avatars/jose.png" {
					t.Errorf("image %v", u["image"])
				}
			}},
		{name: "form post of an investment with PHP bracket keys", as: "investor", method: http.MethodPost, path: "/offerings/{offering}/investments/", contentType: formType,
			body: "investment_amount=250.50&currency=gbp&custom%5Bsource%5D=web&custom%5Bcampaign%5D=spring",
			key:  "investment", check: func(t *testing.T, i map[string]any) {
				want(t, i, "investment_amount", 250.5)
				want(t, i["custom"].(map[string]any), "source", "web", "campaign", "spring")
			}},
		{name: "Node JSON.stringify body", as: "investor", method: http.MethodPost, path: "/offerings/{offering}/investments", contentType: "application/json; charset=utf-8",
			body: `{"investment_amount":1000,"currency":"GBP","custom":{"note":"Zoë's first / only"}}`,
			key:  "investment", check: func(t *testing.T, i map[string]any) {
				want(t, i, "investment_amount", 1000.0)
				want(t, i["custom"].(map[string]any), "note", "Zoë's first / only")
			}},
		{name: "Node JSON.stringify PATCH with an empty object", as: "investor", method: http.MethodPatch, path: "/self/", contentType: jsonType,
			body: `{"tagline":"Zoë","custom":{},"address":{"city":"York"}}`,
			key:  "user", check: func(t *testing.T, u map[string]any) {
				want(t, u, "tagline", "Zoë")
				want(t, u["address"].(map[string]any), "city", "York", "street_address", "1 Park Row")
				want(t, u["custom"].(map[string]any), "risk", "high")
			}},
		{name: "PHP GET with a trailing slash", as: "investor", method: http.MethodGet, path: "/self/investments/",
			check: func(t *testing.T, l map[string]any) { want(t, l, "count", 3.0) }},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			path, body := fillIDs(st.path, ids), fillIDs(st.body, ids)
			var raw []byte
			if body != "" {
				raw = []byte(body)
			}
			e := clients[st.as].send(t, st.method, path, st.contentType, raw)
			if e.http != http.StatusOK || e.Outcome != "success" {
				t.Fatalf("%s %s: %d %s", st.method, path, e.http, e.Data)
			}
			var data map[string]any
			if err := json.Unmarshal(e.Data, &data); err != nil {
				t.Fatalf("data %s: %v", e.Data, err)
			}
			if st.save != "" {
				ids[st.save] = itoa(e.id(t))
			}
			if st.check != nil {
				obj := data
				if st.key != "" {
					obj, _ = data[st.key].(map[string]any)
				}
				if obj == nil {
					t.Fatalf("no data.%s in %s", st.key, e.Data)
				}
				st.check(t, obj)
			}
		})
	}
}

// TestDialectMistakesNameTheField: what PHP apps get wrong is answered in
// Difitek's envelope, naming every field and what it must be, never in Go's
// words.
func TestDialectMistakesNameTheField(t *testing.T) {
	n := newIssuerNetwork(t)
	n.publish(t, n.draftID, "Published")
	invest := "/offerings/" + itoa(n.draftID) + "/investments"
	tests := []struct {
		name, path, contentType, body string
		status, code                  int
		fields                        map[string]any
	}{
		{"European number format", invest, jsonType, `{"investment_amount":"1.500,00"}`, 400, 30003,
			map[string]any{"investment_amount": "must be a number"}},
		{"every bad field at once", invest, jsonType, `{"investment_amount":"lots","term":"a year","number_of_shares":"1.5","custom":"none"}`, 400, 30003,
			map[string]any{"investment_amount": "must be a number", "term": "must be an integer", "number_of_shares": "must be an integer", "custom": "must be an object"}},
		{"amount missing and currency wrong", invest, jsonType, `{"investment_amount":null,"currency":"EUR"}`, 400, 30003,
			map[string]any{"investment_amount": "required", "currency": "must be GBP"}},
		{"form amount missing", invest, formType, "currency=GBP", 400, 30002,
			map[string]any{"investment_amount": "required"}},
		{"registration without email and password", "/users", jsonType, `{"email":null,"password":"","url":"https:\/\/app.example.com\/verify"}`, 400, 30002,
			map[string]any{"email": "required", "password": "required"}},
		{"offering without a name and with a negative goal", "/organizations/" + itoa(n.orgID) + "/offerings", jsonType, `{"name":null,"funding_goal":"-5"}`, 400, 30003,
			map[string]any{"name": "required", "funding_goal": "must not be negative"}},
		{"image that is no document", "/self", jsonType, `{"image":"avatar.png"}`, 400, 30003,
			map[string]any{"image": "must be the id of a document"}},
		{"a list body", "/self", jsonType, `[{"given_name":"x"}]`, 400, 30001, map[string]any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := n.investor
			if tt.path == "/users" {
				as = as.public()
			} else if strings.HasPrefix(tt.path, "/organizations/") {
				as = n.issuer
			}
			method := http.MethodPost
			if tt.path == "/self" {
				method = http.MethodPatch
			}
			e := as.send(t, method, tt.path, tt.contentType, []byte(tt.body))
			var data struct {
				Code             int            `json:"code"`
				DeveloperMessage string         `json:"developer_message"`
				Fields           map[string]any `json:"fields"`
			}
			if err := json.Unmarshal(e.Data, &data); err != nil {
				t.Fatal(err)
			}
			if e.http != tt.status || e.Outcome != "error" || data.Code != tt.code {
				t.Fatalf("%d %s, want %d code %d", e.http, e.Data, tt.status, tt.code)
			}
			if len(data.Fields) != len(tt.fields) {
				t.Fatalf("fields %v, want %v", data.Fields, tt.fields)
			}
			for k, v := range tt.fields {
				if data.Fields[k] != v {
					t.Errorf("fields[%s] = %v, want %v", k, data.Fields[k], v)
				}
				if !strings.Contains(data.DeveloperMessage, k) {
					t.Errorf("developer_message %q does not name %s", data.DeveloperMessage, k)
				}
			}
			for _, w := range []string{"Go ", "struct", "int64", "float64", "unmarshal", "malformed", "not valid JSON"} {
				if strings.Contains(data.DeveloperMessage, w) {
					t.Errorf("developer_message %q says %q", data.DeveloperMessage, w)
				}
			}
		})
	}
}

func fillIDs(s string, ids map[string]string) string {
	for k, v := range ids {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// want checks key/value pairs of a decoded object.
func want(t *testing.T, obj map[string]any, kv ...any) {
	t.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if got := obj[k]; got != kv[i+1] {
			t.Errorf("%s = %#v, want %#v", k, got, kv[i+1])
		}
	}
}
