package crm_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crm"
)

// TestBadInput: every documented rule answers its error in the envelope.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	user := e.createClient(t, "bad@example.com")
	login := e.createAccount(t, user)
	acct := func(extra map[string]any) map[string]any {
		b := map[string]any{"connection_id": crm.MT5ConnectionID, "group": "real\\USD", "leverage": 100}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	funds := func(extra map[string]any) map[string]any {
		b := map[string]any{"connection_id": crm.MT5ConnectionID, "currency": "USD", "amount": "10", "comment": "c"}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	today := time.Now().UTC().Format("2006-01-02")
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		typ    string
	}{
		// Rules without a source accept.
		{"trades of an undocumented type", "GET", "/public/v1/mt5/trades?connection_id=" + crm.MT5ConnectionID + "&type=history&start=" + today + "&end=" + today, nil, 200, ""},
		{"trades with end before start", "GET", "/public/v1/mt5/trades?connection_id=" + crm.MT5ConnectionID + "&type=closed&start=" + today + "&end=2020-01-01", nil, 200, ""},
		{"wallet amount 0", "PATCH", "/public/v1/wallets/balance", map[string]any{"user_id": user, "currency": "USD", "amount": 0, "order_id": "zero000000000000"}, 200, ""},
		{"suspended as 1", "GET", "/public/v1/users?skip=0&limit=5&suspended=1", nil, 200, ""},
		{"create client with an uppercase custom id", "POST", "/public/v1/users/create", map[string]any{"id": "AB12CD34", "email": "up@b.co", "password": "a", "repeat_password": "a", "update_password": true, "form_id": crm.RegistrationFormID}, 201, ""},
		{"list users without paging", "GET", "/public/v1/users", nil, 400, "invalid_request"},
		{"list users limit 501", "GET", "/public/v1/users?skip=0&limit=501", nil, 400, "invalid_request"},
		{"list users bad type", "GET", "/public/v1/users?skip=0&limit=5&type=x", nil, 400, "invalid_request"},
		{"get unknown user", "GET", "/public/v1/users/zzzzzzzz", nil, 400, "user_not_found"},
		{"get malformed id", "GET", "/public/v1/users/ABC", nil, 400, "user_not_found"},
		{"details unknown", "GET", "/public/v1/users/zzzzzzzz/details", nil, 400, "user_not_found"},
		{"create user not JSON", "POST", "/public/v1/users/create", []byte(`{"email":`), 400, "invalid_request"},
		{"create user bad email", "POST", "/public/v1/users/create", map[string]any{"email": "nope", "password": "a", "repeat_password": "a", "update_password": true, "form_id": crm.RegistrationFormID}, 400, "invalid_request"},
		{"create user passwords differ: no source refuses it", "POST", "/public/v1/users/create", map[string]any{"email": "a@b.co", "password": "a", "repeat_password": "b", "update_password": true, "form_id": crm.RegistrationFormID}, 201, ""},
		{"create user no update_password", "POST", "/public/v1/users/create", map[string]any{"email": "a@b.co", "password": "a", "repeat_password": "a", "form_id": crm.RegistrationFormID}, 400, "invalid_request"},
		{"create user short form id", "POST", "/public/v1/users/create", map[string]any{"email": "a@b.co", "password": "a", "repeat_password": "a", "update_password": true, "form_id": "abc"}, 400, "invalid_request"},
		{"create user unknown referrer", "POST", "/public/v1/users/create", map[string]any{"email": "a@b.co", "password": "a", "repeat_password": "a", "update_password": true, "form_id": crm.RegistrationFormID, "referrer_id": "zzzzzzzz"}, 400, "user_not_found"},
		{"downlines unknown", "POST", "/public/v1/users/downlines", map[string]any{"email": "none@example.com"}, 400, "user_not_found"},
		{"kyc unknown user", "POST", "/public/v1/users/zzzzzzzz/profile/submit", map[string]any{"form_id": crm.KYCFormID}, 400, "account_not_found"},
		{"account leverage 0", "POST", "/public/v1/users/" + user + "/mt5/accounts", acct(map[string]any{"leverage": 0}), 400, "invalid_request"},
		{"account leverage 5001", "POST", "/public/v1/users/" + user + "/mt5/accounts", acct(map[string]any{"leverage": 5001}), 400, "invalid_request"},
		{"account no group", "POST", "/public/v1/users/" + user + "/mt5/accounts", acct(map[string]any{"group": ""}), 400, "invalid_request"},
		{"mt5 weak password", "POST", "/public/v1/users/" + user + "/mt5/accounts", acct(map[string]any{"master_password": "Abcdef12"}), 400, "invalid_request"},
		{"mt4 password too short", "POST", "/public/v1/users/" + user + "/mt4/accounts", map[string]any{"connection_id": crm.MT4ConnectionID, "group": "g", "leverage": 1, "investor_password": "Ab1"}, 400, "invalid_request"},
		{"mt4 wrong connection", "POST", "/public/v1/users/" + user + "/mt4/accounts", map[string]any{"connection_id": crm.MT5ConnectionID, "group": "g", "leverage": 1}, 400, "mt4_connection_not_found"},
		{"account unknown user", "POST", "/public/v1/users/zzzzzzzz/mt5/accounts", acct(nil), 400, "user_not_found"},
		{"login taken", "POST", "/public/v1/users/" + user + "/mt5/accounts", acct(map[string]any{"login": login}), 400, "invalid_request"},
		{"accounts no connection", "GET", "/public/v1/mt5/accounts", nil, 400, "invalid_request"},
		{"accounts wrong connection", "GET", "/public/v1/mt4/accounts?connection_id=" + crm.MT5ConnectionID, nil, 400, "mt4_connection_not_found"},
		{"deposit unknown login", "POST", "/public/v1/mt5/accounts/999/deposit", funds(nil), 400, "mt5_account_not_found"},
		{"deposit non-numeric login", "POST", "/public/v1/mt5/accounts/abc/deposit", funds(nil), 400, "mt5_account_not_found"},
		{"deposit wrong connection", "POST", fmt.Sprintf("/public/v1/mt5/accounts/%d/deposit", login), funds(map[string]any{"connection_id": "zzzzzzzz"}), 400, "mt5_connection_not_found"},
		{"deposit no comment", "POST", fmt.Sprintf("/public/v1/mt5/accounts/%d/deposit", login), funds(map[string]any{"comment": ""}), 400, "invalid_request"},
		{"deposit negative", "POST", fmt.Sprintf("/public/v1/mt5/accounts/%d/deposit", login), funds(map[string]any{"amount": "-1"}), 400, "invalid_request"},
		{"deposit amount garbage", "POST", fmt.Sprintf("/public/v1/mt5/accounts/%d/deposit", login), funds(map[string]any{"amount": "ten"}), 400, "invalid_request"},
		{"withdraw too much", "POST", fmt.Sprintf("/public/v1/mt5/accounts/%d/withdrawal", login), funds(map[string]any{"amount": "1000000"}), 400, "insufficient_funds"},
		{"trades no type", "GET", "/public/v1/mt5/trades?connection_id=" + crm.MT5ConnectionID + "&start=" + today + "&end=" + today, nil, 400, "invalid_request"},
		{"trades window too long", "GET", "/public/v1/mt5/trades?connection_id=" + crm.MT5ConnectionID + "&type=closed&start=2024-01-01&end=2024-06-01", nil, 400, "invalid_request"},
		{"commissions no paging", "GET", "/public/v1/report/commissions/flexible", nil, 400, "invalid_request"},
		{"transactions no dates", "POST", "/public/v1/report/transactions", map[string]any{"skip": 0, "limit": 10}, 400, "invalid_request"},
		{"wallet unknown user", "GET", "/public/v1/wallets?user_id=zzzzzzzz", nil, 400, "account_not_found"},
		{"bankcards unknown", "GET", "/public/v1/payments/zzzzzzzz/bankcards", nil, 400, "user_not_found"},
		{"leaderboard unknown", "GET", "/public/v1/tradingCompetition/leaderboard?competition_id=zzzzzzzz&limit=5", nil, 400, "competition_not_exists"},
		{"leaderboard no limit", "GET", "/public/v1/tradingCompetition/leaderboard?competition_id=" + crm.CompetitionID, nil, 400, "invalid_request"},
		{"approve unknown request", "POST", "/public/v1/requests/withdrawal/approve", map[string]any{"id": "zzzzzzzz"}, 400, "request_not_found"},
		{"reject long comment", "POST", "/public/v1/requests/withdrawal/reject", map[string]any{"id": "zzzzzzzz", "comment": strings.Repeat("x", 501)}, 400, "invalid_request"},
		{"register bad otp type", "POST", "/public/v1/account/register/request", map[string]any{"email": "r@example.com", "type": "trader", "otp_type": "fax", "password": "a", "repeat_password": "a", "form_id": crm.RegistrationFormID}, 400, "invalid_request"},
		{"multistep without otp", "POST", "/public/v1/account/register/multistep", map[string]any{"trader_register": "trader_register", "register": map[string]any{"email": "none@example.com", "type": "trader", "email_code": "123456", "password": "a", "repeat_password": "a", "form_id": crm.RegistrationFormID}}, 400, "invalid_validation_code"},
		{"s3 bad content type", "GET", "/public/v1/form/s3/signature?id=doc12345&content_type=image/gif&document=a.gif&form_id=" + crm.KYCFormID, nil, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.call(t, tt.method, tt.path, tt.body)
			if a.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.Status, tt.status, a.Body)
			}
			if tt.typ == "" {
				return // accepted
			}
			if got := a.errType(t); got != tt.typ {
				t.Fatalf("type %q, want %q", got, tt.typ)
			}
		})
	}
}

func TestClientsAndReports(t *testing.T) {
	e := newEnv(t)
	parent := e.createClient(t, "parent@example.com")
	var pu struct {
		ReferralCode string `json:"referral_code"`
	}
	must(t, e.call(t, "GET", "/public/v1/users/"+parent, nil), 200).decode(t, &pu)
	var child struct{ ID string }
	must(t, e.call(t, "POST", "/public/v1/users/create", map[string]any{"id": "child001", "email": "child@example.com", "password": "x", "repeat_password": "x",
		"update_password": true, "form_id": crm.RegistrationFormID, "referrer_id": pu.ReferralCode}), 201).decode(t, &child)
	if child.ID != "child001" {
		t.Fatalf("custom id %q", child.ID)
	}
	var users struct {
		Count   int
		Records []map[string]any
	}
	must(t, e.call(t, "GET", "/public/v1/users?skip=1&limit=1", nil), 200).decode(t, &users)
	if users.Count != 2 || len(users.Records) != 1 {
		t.Fatalf("page: %+v", users)
	}
	var down struct {
		ID        string
		Downlines []struct{ ID string }
	}
	must(t, e.call(t, "POST", "/public/v1/users/downlines", map[string]string{"user_id": parent}), 200).decode(t, &down)
	if len(down.Downlines) != 1 || down.Downlines[0].ID != "child001" {
		t.Fatalf("downlines %+v", down)
	}
	var up struct{ Uplines []struct{ ID string } }
	must(t, e.call(t, "POST", "/public/v1/users/uplines", map[string]string{"email": "child@example.com"}), 200).decode(t, &up)
	if len(up.Uplines) != 1 || up.Uplines[0].ID != parent {
		t.Fatalf("uplines %+v", up)
	}
	var details []map[string]any
	must(t, e.call(t, "GET", "/public/v1/users/child001/details", nil), 200).decode(t, &details)
	if len(details) == 0 || details[0]["key"] != "first_name" {
		t.Fatalf("details %v", details)
	}
	var kyc map[string]string
	must(t, e.call(t, "POST", "/public/v1/users/child001/profile/submit", map[string]any{"form_id": crm.KYCFormID, "custom_fields": map[string]any{"passport": "X1"}}), 200).decode(t, &kyc)
	if len(kyc["id"]) != 8 {
		t.Fatalf("kyc %v", kyc)
	}
	if a := e.call(t, "POST", "/public/v1/users/child001/profile/submit", map[string]any{"form_id": crm.KYCFormID}); a.errType(t) != "kyc_duplicate_error" {
		t.Fatalf("second kyc %s", a.Body)
	}

	var reviewed map[string]any
	e.control(t, "POST", "/users/child001/kyc", map[string]string{"status": "verified"}, &reviewed)
	if reviewed["kyc_status"] != "verified" || reviewed["kyc_processing"] != false {
		t.Fatalf("kyc review %v", reviewed)
	}
	if a := e.call(t, "POST", "/public/v1/users/child001/profile/submit", map[string]any{"form_id": crm.KYCFormID}); a.errType(t) != "kyc_duplicate_error" {
		t.Fatalf("kyc after verification %s", a.Body)
	}
	login := e.createAccount(t, "child001")
	must(t, e.deposit(t, login, "100", "first"), 204)
	today := time.Now().UTC().Format("2006-01-02")
	start := time.Now().UTC().AddDate(0, 0, -5).Format("2006-01-02")
	var trades struct {
		Count   int
		Records []struct {
			Login   int64
			CRMUser struct{ ID string } `json:"crm_user"`
		}
	}
	tradesAnswer := must(t, e.call(t, "GET", "/public/v1/mt5/trades?connection_id="+crm.MT5ConnectionID+"&type=closed&start="+start+"&end="+today+"&user_id=child001", nil), 200)
	tradesAnswer.decode(t, &trades)
	if trades.Count == 0 || trades.Records[0].CRMUser.ID != "child001" || trades.Records[0].Login != login {
		t.Fatalf("trades %+v", trades)
	}
	checkPriceDigits(t, tradesAnswer.Body)
	var comm struct {
		Count   int
		Records []map[string]any
	}
	must(t, e.call(t, "GET", "/public/v1/report/commissions/flexible?skip=0&limit=500", nil), 200).decode(t, &comm)
	if comm.Count != 3 || comm.Records[0]["receiver_id"] != parent {
		t.Fatalf("commissions %+v", comm)
	}
	var txs struct {
		Count   int
		Records []map[string]any
	}
	must(t, e.call(t, "POST", "/public/v1/report/transactions", map[string]any{"skip": 0, "limit": 10, "start": today, "end": today, "user_id": "child001", "type": []string{"deposit"}}), 200).decode(t, &txs)
	if txs.Count != 1 || txs.Records[0]["amount"] != float64(100) || txs.Records[0]["new_balance"] != float64(100) {
		t.Fatalf("transactions %+v", txs)
	}
	var board struct {
		Competitors    []map[string]any `json:"competitors"`
		LastUpdateTime int64            `json:"last_update_time"`
	}
	must(t, e.call(t, "GET", "/public/v1/tradingCompetition/leaderboard?competition_id="+crm.CompetitionID+"&limit=10", nil), 200).decode(t, &board)
	if len(board.Competitors) != 1 || board.LastUpdateTime == 0 {
		t.Fatalf("leaderboard %+v", board)
	}
	var cards []map[string]any
	must(t, e.call(t, "GET", "/public/v1/payments/child001/bankcards", nil), 200).decode(t, &cards)
	if len(cards) != 1 || cards[0]["user_id"] != "child001" {
		t.Fatalf("bankcards %v", cards)
	}
	var s3 struct {
		URL    string
		Fields map[string]string
	}
	must(t, e.call(t, "GET", "/public/v1/form/s3/signature?id=doc12345&content_type=application/pdf&document=a.pdf&form_id="+crm.KYCFormID, nil), 200).decode(t, &s3)
	if s3.URL == "" || s3.Fields["policy"] == "" {
		t.Fatalf("s3 %+v", s3)
	}
}

func TestRegistration(t *testing.T) {
	e := newEnv(t)
	reg := map[string]any{"email": "new@example.com", "type": "trader", "name": "New Trader", "otp_type": "email",
		"password": "x1", "repeat_password": "x1", "form_id": crm.RegistrationFormID}
	must(t, e.call(t, "POST", "/public/v1/account/register/request", reg), 204)
	var otp map[string]any
	e.control(t, "GET", "/otp?email=new@example.com", nil, &otp)
	code, _ := otp["email_code"].(string)
	if len(code) != 6 {
		t.Fatalf("otp %v", otp)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	body := func(c string) map[string]any {
		r := map[string]any{"email": "new@example.com", "type": "trader", "email_code": c, "password": "x1", "repeat_password": "x1", "form_id": crm.RegistrationFormID}
		return map[string]any{"trader_register": "trader_register", "register": r, "kyc": map[string]any{"form_id": crm.KYCFormID}}
	}
	if a := e.call(t, "POST", "/public/v1/account/register/multistep", body(wrong)); a.errType(t) != "invalid_validation_code" {
		t.Fatalf("wrong code %s", a.Body)
	}
	must(t, e.call(t, "POST", "/public/v1/account/register/multistep", body(code)), 204)
	if a := e.call(t, "POST", "/public/v1/account/register/multistep", body(code)); a.errType(t) != "invalid_validation_code" {
		t.Fatalf("reused code %s", a.Body)
	}
	var reqs []crm.Request
	e.control(t, "GET", "/requests", nil, &reqs)
	if len(reqs) != 1 || reqs[0].Type != "registration" {
		t.Fatalf("requests %+v", reqs)
	}
	e.control(t, "POST", "/requests/"+reqs[0].ID+"/approve", nil, nil)
	var users struct{ Count int }
	must(t, e.call(t, "GET", "/public/v1/users?skip=0&limit=10", nil), 200).decode(t, &users)
	if users.Count != 1 {
		t.Fatalf("approved registration did not create a client: %+v", users)
	}
}

// symbolDigits are the quote digits of the fake trades' symbols.
var symbolDigits = map[string]int{"EURUSD": 5, "GBPUSD": 5, "USDJPY": 3, "XAUUSD": 2, "US30": 1}

// checkPriceDigits fails when a trade price is written with more decimals
// than its symbol quotes (float noise such as 1.0951199999999999).
func checkPriceDigits(t *testing.T, body []byte) {
	t.Helper()
	var out struct {
		Records []map[string]json.RawMessage
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	for _, r := range out.Records {
		var sym string
		json.Unmarshal(r["symbol"], &sym)
		digits, ok := symbolDigits[sym]
		if !ok {
			t.Fatalf("unknown symbol %q", sym)
		}
		for _, k := range []string{"open_price", "close_price"} {
			text := string(r[k])
			decimals := 0
			if i := strings.IndexByte(text, '.'); i >= 0 {
				decimals = len(text) - i - 1
			}
			if decimals > digits || strings.ContainsAny(text, "eE") {
				t.Errorf("%s %s = %s: more than %d decimals", sym, k, text, digits)
			}
		}
	}
}
