package crm_test

import (
	"encoding/json"
	"testing"
)

// fuzzRoutes are the body-carrying endpoints.
var fuzzRoutes = []struct{ method, path string }{
	{"POST", "/public/v1/users/create"},
	{"POST", "/public/v1/users/downlines"},
	{"POST", "/public/v1/users/uplines"},
	{"POST", "/public/v1/users/abcd1234/profile/submit"},
	{"POST", "/public/v1/users/abcd1234/mt5/accounts"},
	{"POST", "/public/v1/mt4/accounts/60001/deposit"},
	{"POST", "/public/v1/mt5/accounts/126001/withdrawal"},
	{"POST", "/public/v1/report/transactions"},
	{"PATCH", "/public/v1/wallets/balance"},
	{"POST", "/public/v1/requests/withdrawal/approve"},
	{"POST", "/public/v1/requests/withdrawal/reject"},
	{"POST", "/public/v1/account/register/request"},
	{"POST", "/public/v1/account/register/multistep"},
	{"POST", "/pay/callback"},
}

// FuzzBodies: any signed body on any endpoint gets a CRM answer below 500,
// errors in the CRM envelope.
func FuzzBodies(f *testing.F) {
	f.Add(uint8(0), `{"id":"abcd1234","email":"a@b.co","password":"x","repeat_password":"x","update_password":true,"form_id":"r3gf0rm1"}`)
	f.Add(uint8(4), `{"connection_id":"struk0gc","group":"g","leverage":1e400}`)
	f.Add(uint8(5), `{"connection_id":"mt4demo1","currency":"USD","amount":"1e309","comment":"x"}`)
	f.Add(uint8(7), `{"skip":-1,"limit":"x","start":"2024-02-30","end":[]}`)
	f.Add(uint8(8), `{"user_id":"abcd1234","currency":"USD","amount":1,"order_id":"0123456789abcdef"}`)
	f.Add(uint8(12), `{"trader_register":"trader_register","register":null,"kyc":{"form_id":7}}`)
	f.Add(uint8(13), `{"merchant_id":"f23eb3a856284d0a87913e33ed581852","order_no":"x","amount":"1","time":null,"status":1}`)
	f.Add(uint8(1), `null`)
	f.Add(uint8(2), `[]`)
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		a := e.call(t, rt.method, rt.path, []byte(body))
		if a.Status >= 500 {
			t.Fatalf("%s %s %q: %d %s", rt.method, rt.path, body, a.Status, a.Body)
		}
		if a.Status >= 400 {
			var env struct {
				Error *bool `json:"error"`
				Code  int   `json:"code"`
			}
			if err := json.Unmarshal(a.Body, &env); err != nil || env.Error == nil || env.Code != a.Status {
				t.Fatalf("%s %s %q: not a CRM error: %d %s", rt.method, rt.path, body, a.Status, a.Body)
			}
		}
	})
}
