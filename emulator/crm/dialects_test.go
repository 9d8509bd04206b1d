package crm_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
)

// The CRM's integrations are mostly PHP. json_encode writes null for an unset
// field, [] for an empty array that stands for an object, "\/" for "/",
// "\\" for a backslash, and a form or database value as the string it came
// as ("100", "0"); a float keeps ".0" (25.0). The bodies below are written as
// such a client sends them (signed over those exact bytes) and must be
// understood as their typed equivalents. One case is Node's JSON.stringify
// (compact, unset fields left out) on a trailing-slash path.
func TestPHPClientDialect(t *testing.T) {
	e := newEnv(t)
	today := time.Now().UTC().Format("2006-01-02")
	var user string
	var login int64
	step := func(name string, fn func(t *testing.T)) {
		if !t.Run(name, fn) {
			t.FailNow()
		}
	}

	step("create client: nulls, [] for phone, string booleans, escaped slashes", func(t *testing.T) {
		body := `{"id":null,"email":"ana@example.com","name":null,"phone":[],"password":"Secret123!","repeat_password":"Secret123!",` +
			`"update_password":"0","form_id":"` + crm.RegistrationFormID + `","referrer_id":null,"send_email":0,"language":"en-us",` +
			`"custom_fields":{"first_name":"Ana","last_name":"Lima","avatar":"https:\/\/cdn.example.com\/ana.png"}}`
		var out struct{ ID string }
		must(t, e.call(t, "POST", "/public/v1/users/create", []byte(body)), http.StatusCreated).decode(t, &out)
		user = out.ID
		var u map[string]any
		must(t, e.call(t, "GET", "/public/v1/users/"+user, nil), 200).decode(t, &u)
		if u["name"] != "Ana Lima" || u["email"] != "ana@example.com" {
			t.Fatalf("client %v", u)
		}
	})
	step("create client: Node JSON.stringify on a trailing-slash path", func(t *testing.T) {
		body := `{"email":"node@example.com","password":"Secret123!","repeat_password":"Secret123!","update_password":false,"form_id":"` + crm.RegistrationFormID + `","custom_fields":{}}`
		must(t, e.call(t, "POST", "/public/v1/users/create/", []byte(body)), http.StatusCreated)
	})
	step("create MT5 account: leverage as a string, backslash group, 0 for false", func(t *testing.T) {
		body := `{"connection_id":"` + crm.MT5ConnectionID + `","group":"real\\EUR","leverage":"200","login":null,"account_type_id":null,` +
			`"rebate_user_id":null,"master_password":null,"investor_password":null,"enable_readonly":"0","enable_rebate":false,"send_email":0,"send_pop_up":"","language":null}`
		var out struct{ Login int64 }
		must(t, e.call(t, "POST", "/public/v1/users/"+user+"/mt5/accounts", []byte(body)), 200).decode(t, &out)
		login = out.Login
		var l struct {
			Records []struct {
				Login    int64
				Group    string
				Currency string
				Leverage int
			}
		}
		must(t, e.call(t, "GET", "/public/v1/mt5/accounts?connection_id="+crm.MT5ConnectionID+"&user_id="+user, nil), 200).decode(t, &l)
		if len(l.Records) != 1 || l.Records[0].Login != login || l.Records[0].Group != `real\EUR` || l.Records[0].Currency != "EUR" || l.Records[0].Leverage != 200 {
			t.Fatalf("accounts %+v", l)
		}
	})
	step("deposit: amount as a string, escaped slashes in the comment", func(t *testing.T) {
		body := `{"connection_id":"` + crm.MT5ConnectionID + `","currency":"EUR","amount":"100.50","comment":"Deposit 2024\/07\/30","user_id":"` + user + `",` +
			`"send_email":false,"send_pop_up":null,"language":null}`
		must(t, e.call(t, "POST", fmt.Sprintf("/public/v1/mt5/accounts/%d/deposit", login), []byte(body)), http.StatusNoContent)
		if b := e.balance(t, user, login); b != 100.5 {
			t.Fatalf("balance %v, want 100.5", b)
		}
	})
	step("wallet: amount as a numeric string and as a float with .0", func(t *testing.T) {
		must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", []byte(`{"user_id":"`+user+`","currency":"USD","amount":"25","order_id":"php0000000000001"}`)), 200)
		must(t, e.call(t, "PATCH", "/public/v1/wallets/balance", []byte(`{"user_id":"`+user+`","currency":"USD","amount":25.0,"order_id":"php0000000000002"}`)), 200)
		if w := e.wallet(t, user); w["USD"] != 50 {
			t.Fatalf("wallet %v, want 50", w)
		}
	})
	step("transactions report: paging as strings, [] for no types, nulls", func(t *testing.T) {
		body := `{"skip":"0","limit":"10","start":"` + today + `","end":"` + today + `","user_id":"` + user + `","transaction_id":null,"type":[]}`
		var out struct{ Count int }
		must(t, e.call(t, "POST", "/public/v1/report/transactions", []byte(body)), 200).decode(t, &out)
		if out.Count != 3 {
			t.Fatalf("transactions %d, want 3 (a deposit and two wallet credits)", out.Count)
		}
	})
	step("downlines and credentials: null for the unused key", func(t *testing.T) {
		must(t, e.call(t, "POST", "/public/v1/users/downlines", []byte(`{"user_id":null,"email":"ana@example.com"}`)), 200)
		a := must(t, e.call(t, "POST", "/public/v1/users/validate", []byte(`{"user_id":null,"email":"ana@example.com","password":"Secret123!"}`)), 200)
		if !strings.Contains(string(a.Body), `"valid":true`) {
			t.Fatalf("validate %s", a.Body)
		}
	})
	step("approve withdrawal: null mail flags", func(t *testing.T) {
		var req crm.Request
		e.control(t, "POST", "/requests/withdrawal", map[string]any{"user_id": user, "amount": 10, "currency": "USD"}, &req)
		a := must(t, e.call(t, "POST", "/public/v1/requests/withdrawal/approve", []byte(`{"id":"`+req.ID+`","notify":false,"email":null,"language":null}`)), 200)
		if len(a.Body) != 0 {
			t.Fatalf("approve body %q", a.Body)
		}
	})
	step("create lead: [] for custom_fields, a phone number as a JSON number", func(t *testing.T) {
		body := `{"first_name":"Rui","last_name":null,"email":"rui@example.com","phone":{"country_code":"+351","number":912345678},"custom_fields":[],"lead_source":null}`
		must(t, e.call(t, "POST", "/public/v1/leads/create", []byte(body)), http.StatusCreated)
		var leads []crm.Lead
		e.control(t, "GET", "/leads", nil, &leads)
		if len(leads) != 1 || leads[0].Phone.Number != "912345678" || leads[0].Name != "Rui" {
			t.Fatalf("leads %+v", leads)
		}
	})
	step("registration request: [] phone and custom_fields, null referrer", func(t *testing.T) {
		body := `{"email":"reg@example.com","type":"trader","name":"Reg User","phone":[],"otp_type":"email","password":"Secret123!",` +
			`"repeat_password":"Secret123!","form_id":"` + crm.RegistrationFormID + `","referrer_id":null,"custom_fields":[]}`
		must(t, e.call(t, "POST", "/public/v1/account/register/request", []byte(body)), http.StatusNoContent)
	})
}

// Well-formed JSON of the wrong type is refused naming each field and what
// it must be, never a Go type; all of them at once.
func TestTypeErrorsNameTheField(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, path, body, want string
	}{
		{"phone as a string", "/public/v1/users/create",
			`{"email":"a@example.com","phone":"+1 555","password":"x","repeat_password":"x","update_password":false,"form_id":"` + crm.RegistrationFormID + `"}`,
			"phone must be an object"},
		{"several wrong types at once", "/public/v1/users/create",
			`{"email":["a@example.com"],"phone":{"number":{}},"update_password":"maybe","form_id":"` + crm.RegistrationFormID + `"}`,
			"email must be a string; phone.number must be a string; update_password must be a boolean (true or false)"},
		{"every missing field at once", "/public/v1/users/create", `{}`,
			"email is required; password is required; repeat_password is required; update_password is required; form_id is required"},
		{"not JSON", "/public/v1/users/create", `{"email":`, "request body is not valid JSON"},
		{"JSON but not an object", "/public/v1/users/create", `["a"]`, "request body must be a JSON object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := e.call(t, "POST", c.path, []byte(c.body))
			if a.Status != 400 || a.errType(t) != "invalid_request" {
				t.Fatalf("%d %s", a.Status, a.Body)
			}
			var body struct{ Message string }
			a.decode(t, &body)
			if !strings.HasPrefix(body.Message, c.want) {
				t.Errorf("message %q, want it to start with %q", body.Message, c.want)
			}
			if strings.Contains(body.Message, "crm.") || strings.Contains(body.Message, "Go ") || strings.Contains(body.Message, "malformed") ||
				strings.Contains(body.Message, "unmarshal") {
				t.Errorf("message names Go internals: %q", body.Message)
			}
		})
	}
}
