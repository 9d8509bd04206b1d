package difitek

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// lenient has one field of each kind an input struct uses.
type lenient struct {
	Amount  *float64       `json:"amount"`
	Rate    float64        `json:"rate"`
	Count   int64          `json:"count"`
	Term    *int           `json:"term"`
	Flag    bool           `json:"flag"`
	Name    string         `json:"name"`
	Custom  map[string]any `json:"custom"`
	Address Address        `json:"address"`
	Tags    []string       `json:"tags"`
	Free    any            `json:"free"`
}

func TestFillAcceptsWhatPHPSends(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	i := func(v int) *int { return &v }
	tests := []struct {
		name, body string
		want       lenient
	}{
		{"numbers as numbers", `{"amount":1500,"rate":2.5,"count":3,"term":12}`, lenient{Amount: f(1500), Rate: 2.5, Count: 3, Term: i(12)}},
		{"numbers as strings", `{"amount":"1500","rate":" 2.5 ","count":"3","term":"12"}`, lenient{Amount: f(1500), Rate: 2.5, Count: 3, Term: i(12)}},
		{"integral float for an integer", `{"count":3.0,"term":"12.0"}`, lenient{Count: 3, Term: i(12)}},
		{"exponent", `{"amount":"1.5e3"}`, lenient{Amount: f(1500)}},
		{"leading plus", `{"rate":"+5"}`, lenient{Rate: 5}},
		{"booleans as 1/0", `{"flag":1}`, lenient{Flag: true}},
		{"booleans as strings", `{"flag":"true"}`, lenient{Flag: true}},
		{"boolean false string", `{"flag":"0"}`, lenient{}},
		{"boolean true for a number", `{"rate":true}`, lenient{Rate: 1}},
		{"number for a string", `{"name":447700900123}`, lenient{Name: "447700900123"}},
		{"boolean for a string", `{"name":true}`, lenient{Name: "1"}},
		{"null everywhere", `{"amount":null,"rate":null,"count":null,"flag":null,"name":null,"custom":null,"address":null,"tags":null}`, lenient{}},
		{"empty string for non-strings", `{"amount":"","rate":"","count":"","term":"","flag":"","custom":"","address":"","tags":""}`, lenient{}},
		{"empty string for a string", `{"name":""}`, lenient{}},
		{"PHP [] for objects", `{"custom":[],"address":[]}`, lenient{Custom: map[string]any{}}},
		{"PHP list for a map", `{"custom":["a","b"]}`, lenient{Custom: map[string]any{"0": "a", "1": "b"}}},
		{"nested object fields", `{"address":{"id":null,"city":"Leeds","postal_code":12345}}`, lenient{Address: Address{City: "Leeds", PostalCode: "12345"}}},
		{"PHP array with gaps for a list", `{"tags":{"0":"a","2":"b"}}`, lenient{Tags: []string{"a", "b"}}},
		{"free field keeps anything", `{"free":{"x":[1]}}`, lenient{Free: map[string]any{"x": []any{1.0}}}},
		{"unknown fields ignored", `{"other":{"deep":[]},"name":"x"}`, lenient{Name: "x"}},
		{"escaped slashes and unicode", `{"name":"Jos\u00e9 https:\/\/x.example\/a"}`, lenient{Name: "José https://x.example/a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := bodyFields("application/json", []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			var got lenient
			var p problems
			if err := fill(in, &got, &p); err != nil || p.err() != nil {
				t.Fatalf("fill: %v %v", err, p.err())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFillNamesEveryBadField(t *testing.T) {
	tests := []struct {
		name, body string
		fields     map[string]any
	}{
		{"word for a number", `{"amount":"many"}`, map[string]any{"amount": "must be a number"}},
		{"hex is not a number", `{"rate":"0x10"}`, map[string]any{"rate": "must be a number"}},
		{"infinity", `{"rate":"Inf"}`, map[string]any{"rate": "must be a number"}},
		{"fraction for an integer", `{"count":1.5}`, map[string]any{"count": "must be an integer"}},
		{"too large for an int", `{"term":1e30}`, map[string]any{"term": "must be an integer"}},
		{"2 for a boolean", `{"flag":2}`, map[string]any{"flag": "must be a boolean"}},
		{"object for a string", `{"name":{"a":1}}`, map[string]any{"name": "must be a string"}},
		{"scalar for an object", `{"custom":5,"address":"Leeds St"}`, map[string]any{"custom": "must be an object", "address": "must be an object"}},
		{"list for a struct", `{"address":["Leeds"]}`, map[string]any{"address": "must be an object"}},
		{"nested field", `{"address":{"city":[]}}`, map[string]any{"address.city": "must be a string"}},
		{"all at once", `{"amount":"x","count":"y","flag":"maybe"}`, map[string]any{"amount": "must be a number", "count": "must be an integer", "flag": "must be a boolean"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := bodyFields("application/json", []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			var got lenient
			var p problems
			if err := fill(in, &got, &p); err != nil {
				t.Fatal(err)
			}
			ae := toAPIError(p.err())
			if ae.Code != 30003 || !reflect.DeepEqual(ae.Fields, tt.fields) {
				t.Fatalf("got %d %v, want 30003 %v", ae.Code, ae.Fields, tt.fields)
			}
			for field := range tt.fields {
				if !strings.Contains(ae.DeveloperMessage, field+": must be") {
					t.Errorf("developer_message %q does not name %s", ae.DeveloperMessage, field)
				}
			}
			assertNoGoWords(t, ae.DeveloperMessage)
		})
	}
}

// assertNoGoWords fails on a message that speaks Go or calls valid JSON
// malformed.
func assertNoGoWords(t *testing.T, msg string) {
	t.Helper()
	for _, w := range []string{"Go ", "struct", "int64", "float64", "unmarshal", "malformed", "not valid JSON"} {
		if strings.Contains(msg, w) {
			t.Errorf("message %q contains %q", msg, w)
		}
	}
}

func TestProblemsReportMissingFieldsTogether(t *testing.T) {
	var p problems
	p.require("email", false)
	p.require("password", false)
	p.require("url", true)
	ae := toAPIError(p.err())
	if ae.Code != 30002 || ae.DeveloperMessage != "Parameter missing: email, password" ||
		!reflect.DeepEqual(ae.Fields, map[string]any{"email": "required", "password": "required"}) {
		t.Fatalf("missing: %+v", ae)
	}
	p.check("email", false, "must be an e-mail address") // already reported
	p.check("amount", false, "must be positive")
	ae = toAPIError(p.err())
	if ae.Code != 30003 || len(ae.Fields) != 3 || ae.Fields["amount"] != "must be positive" {
		t.Fatalf("mixed: %+v", ae)
	}
	var none problems
	if none.err() != nil {
		t.Fatal("no problems is an error")
	}
}

func TestBodyFields(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		want                    map[string]any
		code                    int
	}{
		{"empty", "application/json", "", map[string]any{}, 0},
		{"null", "application/json", " null ", map[string]any{}, 0},
		{"PHP empty array", "application/json", "[]", map[string]any{}, 0},
		{"object", "application/json; charset=utf-8", `{"a":1}`, map[string]any{"a": json.Number("1")}, 0},
		{"no content type", "", `{"a":"b"}`, map[string]any{"a": "b"}, 0},
		{"form", "application/x-www-form-urlencoded", "investment_amount=1500&currency=GBP", map[string]any{"investment_amount": "1500", "currency": "GBP"}, 0},
		{"form with PHP nesting", "application/x-www-form-urlencoded",
			"address%5Bcity%5D=Leeds&address%5Bcountry%5D=GB&tags%5B%5D=a&tags%5B%5D=b&custom[k]=v",
			map[string]any{"address": map[string]any{"city": "Leeds", "country": "GB"}, "tags": []any{"a", "b"}, "custom": map[string]any{"k": "v"}}, 0},
		{"form nested too deep is dropped", "application/x-www-form-urlencoded", "a" + strings.Repeat("[x]", 70) + "=1&b=2", map[string]any{"b": "2"}, 0},
		{"list", "application/json", "[1,2]", nil, 30001},
		{"string", "application/json", `"x"`, nil, 30001},
		{"broken", "application/json", `{"a":`, nil, 30001},
		{"two values", "application/json", `{} {}`, nil, 30001},
		{"broken form", "application/x-www-form-urlencoded", "a=%zz", nil, 30001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bodyFields(tt.contentType, []byte(tt.body))
			if tt.code != 0 {
				if err == nil || toAPIError(err).Code != tt.code {
					t.Fatalf("err %v, want code %d", err, tt.code)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v %v, want %#v", got, err, tt.want)
			}
		})
	}
}
