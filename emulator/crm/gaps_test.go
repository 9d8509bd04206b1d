package crm_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// The menu's endpoints whose pages are missing are served at inferred paths
// and say so in X-Fakeprovider-Inferred; documented ones do not.
func TestInferredEndpointsAreServedAndMarked(t *testing.T) {
	e := newEnv(t)
	user := e.createClient(t, "gap@example.com")
	cases := []struct {
		name, method, path string
		body               any
		status             int
		bodyHas            string
		inferred           bool
	}{
		{"validate credentials", "POST", "/public/v1/users/validate", map[string]string{"email": "gap@example.com", "password": "Secret123!"}, 200, `"valid":true`, true},
		{"create lead", "POST", "/public/v1/leads/create", map[string]any{"email": "lead@example.com", "first_name": "Ana", "last_name": "Lima"}, 201, `"id":"`, true},
		{"ctrader connection", "GET", "/public/v1/ctrader/connections", nil, 200, `"platform":"ctrader"`, true},
		{"ctrader accounts", "GET", "/public/v1/ctrader/accounts?connection_id=" + crm.CTraderConnectionID, nil, 200, `"count":0`, true},
		{"ctrader accounts on another server", "GET", "/public/v1/ctrader/accounts?connection_id=" + crm.MT5ConnectionID, nil, 400, `"type":"ctrader_connection_not_found"`, true},
		{"countries", "GET", "/public/v1/configurations/countries", nil, 200, `{"code":"US","name":"United States","phone_code":"+1"}`, true},
		{"states", "GET", "/public/v1/configurations/states?country=us", nil, 200, `{"code":"CA","name":"California","country":"US"}`, true},
		{"states of a country without a list", "GET", "/public/v1/configurations/states?country=PY", nil, 200, `[]`, true},
		{"states without country", "GET", "/public/v1/configurations/states", nil, 400, `"message":"country is required"`, true},
		{"cities", "GET", "/public/v1/configurations/cities?country=US&state=CA", nil, 200, `{"name":"San Francisco","state":"CA","country":"US"}`, true},
		{"cities: every missing parameter at once", "GET", "/public/v1/configurations/cities", nil, 400, `"message":"country is required; state is required"`, true},
		{"kyc form collections", "GET", "/public/v1/form/kyc/collections", nil, 200, `"id":"` + crm.KYCFormID + `"`, true},
		{"kyc form", "GET", "/public/v1/form/kyc/" + crm.KYCFormID, nil, 200, `"type":"kyc"`, true},
		{"unknown kyc form", "GET", "/public/v1/form/kyc/zzzzzzzz", nil, 400, `"type":"form_not_found"`, true},
		{"trading account types", "GET", "/public/v1/tradingAccounts/types", nil, 200, `"id":"mt5stdac"`, true},
		{"documented: client list", "GET", "/public/v1/users?skip=0&limit=10", nil, 200, `"id":"` + user + `"`, false},
		{"documented: registration form", "GET", "/public/v1/form/registration/trader", nil, 200, `"id":"` + crm.RegistrationFormID + `"`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := e.call(t, c.method, c.path, c.body)
			if a.Status != c.status || !strings.Contains(string(a.Body), c.bodyHas) {
				t.Fatalf("%s %s: %d %s; want %d with %s", c.method, c.path, a.Status, a.Body, c.status, c.bodyHas)
			}
			if got := a.Header.Get(platform.InferredHeader) != ""; got != c.inferred {
				t.Errorf("%s %s: inferred header %q, want present=%v", c.method, c.path, a.Header.Get(platform.InferredHeader), c.inferred)
			}
		})
	}
}

func TestValidateCredentials(t *testing.T) {
	e := newEnv(t)
	user := e.createClient(t, "creds@example.com")
	cases := []struct {
		name    string
		body    map[string]string
		status  int
		bodyHas string
	}{
		{"by email", map[string]string{"email": "creds@example.com", "password": "Secret123!"}, 200, `{"email":"creds@example.com","id":"` + user + `","valid":true}`},
		{"by user id", map[string]string{"user_id": user, "password": "Secret123!"}, 200, `"valid":true`},
		{"wrong password", map[string]string{"email": "creds@example.com", "password": "secret123!"}, 200, `"valid":false`},
		{"unknown client", map[string]string{"email": "nobody@example.com", "password": "x"}, 400, `"type":"user_not_found"`},
		{"nothing given", map[string]string{}, 400, `"message":"email or user_id is required; password is required"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := e.call(t, "POST", "/public/v1/users/validate", c.body)
			if a.Status != c.status || !strings.Contains(string(a.Body), c.bodyHas) {
				t.Fatalf("%d %s; want %d with %s", a.Status, a.Body, c.status, c.bodyHas)
			}
		})
	}
}

// A lead is stored: the control API lists it with what was sent.
func TestCreateLeadIsStored(t *testing.T) {
	e := newEnv(t)
	var out struct{ ID string }
	must(t, e.call(t, "POST", "/public/v1/leads/create", map[string]any{
		"first_name": "Ana", "last_name": "Lima", "phone": map[string]string{"country_code": "+55", "number": "11987654321"},
		"country": "BR", "lead_source": "landing-page",
	}), http.StatusCreated).decode(t, &out)
	if a := e.call(t, "POST", "/public/v1/leads/create", map[string]any{"language": "klingon"}); a.Status != 400 || a.errType(t) != "invalid_request" {
		t.Fatalf("lead with an unknown language: %d %s", a.Status, a.Body)
	}
	var leads []crm.Lead
	e.control(t, "GET", "/leads", nil, &leads)
	if len(leads) != 1 || leads[0].ID != out.ID || leads[0].Name != "Ana Lima" || leads[0].Phone.Number != "11987654321" || leads[0].Source != "landing-page" {
		t.Fatalf("leads %+v", leads)
	}
}

// A cTrader account opened by the back office (control API) is listed by
// Get cTrader Accounts and on the client.
func TestCTraderAccounts(t *testing.T) {
	e := newEnv(t)
	user := e.createClient(t, "ctrader@example.com")
	var opened struct {
		Login    int64  `json:"login"`
		Currency string `json:"currency"`
		Leverage int    `json:"leverage"`
	}
	e.control(t, "POST", "/users/"+user+"/ctrader/accounts", map[string]any{"group": "Standard EUR", "leverage": 100}, &opened)
	if opened.Login == 0 || opened.Currency != "EUR" || opened.Leverage != 100 {
		t.Fatalf("opened %+v", opened)
	}
	var l struct {
		Count   int
		Records []struct {
			Login  int64
			UserID string `json:"user_id"`
		}
	}
	must(t, e.call(t, "GET", "/public/v1/ctrader/accounts?connection_id="+crm.CTraderConnectionID+"&user_id="+user, nil), 200).decode(t, &l)
	if l.Count != 1 || l.Records[0].Login != opened.Login || l.Records[0].UserID != user {
		t.Fatalf("ctrader accounts %+v", l)
	}
	var u struct {
		TradingAccounts []struct{ Platform, ConnectionID string } `json:"trading_accounts"`
	}
	must(t, e.call(t, "GET", "/public/v1/users/"+user, nil), 200).decode(t, &u)
	if len(u.TradingAccounts) != 1 || u.TradingAccounts[0].Platform != "ctrader" {
		t.Fatalf("client's accounts %+v", u)
	}
}
