package d24_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// merchants returns an env on the Reconciliation host (/d24-merchants).
func (e *env) merchants() *env {
	c := *e
	c.url = strings.TrimSuffix(e.url, "/d24") + "/d24-merchants"
	return &c
}

// login logs the default reconciliation user in and returns the token.
func (e *env) login() (string, map[string]any) {
	e.t.Helper()
	m := e.merchants()
	a := m.raw(http.MethodPost, "/v1/auth/login", mustJSON(map[string]string{"accessKey": e.creds.ReconciliationEmail, "secretKey": e.creds.ReconciliationPassword}),
		http.Header{"Content-Type": {"application/json"}})
	var who map[string]any
	a.json(e.t, &who)
	var token string
	for _, c := range (&http.Response{Header: a.header}).Cookies() {
		if c.Name == "BEARER_TOKEN" {
			token = c.Value
		}
	}
	if a.status != 200 || token == "" {
		e.t.Fatalf("login: %d %v %s", a.status, a.header, a.body)
	}
	return token, who
}

type reconList struct {
	Page    int              `json:"page"`
	Rows    int              `json:"rows"`
	MaxRows int              `json:"maxRows"`
	Data    []map[string]any `json:"data"`
}

func (e *env) list(token, path string) (answer, reconList) {
	e.t.Helper()
	a := e.merchants().raw(http.MethodGet, path, nil, http.Header{"Authorization": {"Bearer " + token}})
	var l reconList
	if a.status == 200 {
		a.json(e.t, &l)
	}
	return a, l
}

// TestReconciliationListsWhatWasCreated: the lists show the deposits,
// cashouts and refunds made through the API, with their current status.
func TestReconciliationListsWhatWasCreated(t *testing.T) {
	e := newEnv(t)
	start := time.Now().Add(-time.Minute).Unix()
	var deposits []int64
	for i, country := range []string{"BR", "MX", "BR"} {
		body := depositBody("rec-"+itoa(int64(i)), "Carlos", "")
		body["country"], body["currency"] = country, map[string]string{"BR": "BRL", "MX": "MXN"}[country]
		if country == "MX" {
			body["payment_method"], body["payer"] = "SE", map[string]any{"id": 55}
		}
		var c struct {
			DepositID int64 `json:"deposit_id"`
		}
		e.signed("POST", "/v3/deposits", body).json(t, &c)
		deposits = append(deposits, c.DepositID)
	}
	e.advance(30 * time.Second) // all three paid
	bank := map[string]any{"beneficiary": "Ricardo Carlos", "bank_code": "001", "branch": "1234", "account_number": "3423422-7", "account_type": "SAVING"}
	var rf struct {
		RefundID int64 `json:"refund_id"`
	}
	e.signed("POST", "/v3/refunds", map[string]any{"deposit_id": deposits[0], "invoice_id": "rec-0", "amount": 40, "bank_account": bank, "comments": "partial"}).json(t, &rf)
	var co struct {
		CashoutID string `json:"cashout_id"`
	}
	e.signed("POST", "/v3/cashout", e.cashoutBody("rec-co-1", "Ana")).json(t, &co)

	token, who := e.login()
	if who["username"] != e.creds.ReconciliationEmail || who["idUser"] == nil || who["idMerchant"] == nil {
		t.Fatalf("login answer %v", who)
	}
	window := "?from=" + strconv.FormatInt(start, 10) + "&to=" + strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	a, l := e.list(token, "/v1/deposits"+window)
	if a.status != 200 || l.Rows != 3 || l.MaxRows != 50 || len(l.Data) != 3 {
		t.Fatalf("deposits: %d %s", a.status, a.body)
	}
	for i, d := range l.Data {
		if int64(d["idDeposit"].(float64)) != deposits[i] || d["externalId"] != "rec-"+itoa(int64(i)) || d["status"] != "COMPLETED" ||
			d["idMerchant"] != who["idMerchant"] || d["currency"] != "USD" {
			t.Fatalf("deposit row %d: %v", i, d)
		}
	}
	if l.Data[0]["countryName"] != "Brazil" || l.Data[0]["paymentMethodName"] != "Pix" || l.Data[0]["localAmount"] != 100.0 ||
		l.Data[0]["clientDocument"] != "84932568207" || l.Data[0]["refundAttempted"] != true || l.Data[1]["paymentMethodCode"] != "SE" {
		t.Fatalf("deposit rows %v", l.Data)
	}
	if _, l := e.list(token, "/v1/deposits"+window+"&country=mx"); l.Rows != 1 || l.Data[0]["country"] != "MX" {
		t.Fatalf("country filter %v", l)
	}
	if _, l := e.list(token, "/v1/deposits"+window+"&status=PENDING"); l.Rows != 0 {
		t.Fatalf("status filter %v", l)
	}
	if _, l := e.list(token, "/v1/deposits?from=1&to=100"); l.Rows != 0 {
		t.Fatalf("old window %v", l)
	}

	a, l = e.list(token, "/v1/refunds"+window)
	if a.status != 200 || l.Rows != 1 || int64(l.Data[0]["id"].(float64)) != rf.RefundID || int64(l.Data[0]["idBoleto"].(float64)) != deposits[0] ||
		l.Data[0]["amount"] != 40.0 || l.Data[0]["amountType"] != "PARTIAL" || l.Data[0]["refundCurrency"] != "BRL" || l.Data[0]["bankCode"] != "001" ||
		l.Data[0]["status"] != "PENDING" || l.Data[0]["type"] != "DEPOSIT" {
		t.Fatalf("refunds: %d %s", a.status, a.body)
	}
	a, l = e.list(token, "/v1/cashouts"+window)
	if a.status != 200 || l.Rows != 1 || strconv.FormatInt(int64(l.Data[0]["idCashout"].(float64)), 10) != co.CashoutID ||
		l.Data[0]["externalId"] != "rec-co-1" || l.Data[0]["status"] != "PENDING" || l.Data[0]["amount"] != 150.25 {
		t.Fatalf("cashouts: %d %s", a.status, a.body)
	}
	e.advance(6 * time.Minute) // the default cashout scenario completes it
	if _, l := e.list(token, "/v1/cashouts"+window+"&status=COMPLETED"); l.Rows != 1 || l.Data[0]["creditedAmount"] != 150.25 {
		t.Fatalf("completed cashout %v", l)
	}
	// The cookie works as well as the Bearer header.
	a = e.merchants().raw(http.MethodGet, "/v1/deposits"+window, nil, http.Header{"Cookie": {"BEARER_TOKEN=" + token}})
	if a.status != 200 {
		t.Fatalf("cookie: %d %s", a.status, a.body)
	}
}

// TestReconciliationPaging: pages of 50 in creation order.
func TestReconciliationPaging(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 52; i++ {
		if a := e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": "pg-" + itoa(int64(i)), "amount": 1, "country": "BR", "currency": "BRL"}); a.status != 200 {
			t.Fatalf("create %d: %d", i, a.status)
		}
	}
	token, _ := e.login()
	_, first := e.list(token, "/v1/deposits")
	_, second := e.list(token, "/v1/deposits?page=1")
	if first.Rows != 50 || second.Rows != 2 || second.Page != 1 || second.Data[1]["externalId"] != "pg-51" || first.Data[0]["externalId"] != "pg-0" {
		t.Fatalf("pages: %d/%d %v", first.Rows, second.Rows, second.Data)
	}
	if _, third := e.list(token, "/v1/deposits?page=2"); third.Rows != 0 || third.Data == nil {
		t.Fatalf("empty page %+v", third)
	}
}

// TestReconciliationErrors: the API codes page's codes and HTTP statuses.
func TestReconciliationErrors(t *testing.T) {
	e := newEnv(t)
	m := e.merchants()
	token, who := e.login()
	login := func(body string) answer {
		return m.raw(http.MethodPost, "/v1/auth/login", []byte(body), http.Header{"Content-Type": {"application/json"}})
	}
	day := int64(24 * 3600)
	tests := []struct {
		name   string
		call   func() answer
		status int
		code   int
	}{
		{"wrong password", func() answer {
			return login(`{"accessKey":"` + e.creds.ReconciliationEmail + `","secretKey":"nope"}`)
		}, 412, 11},
		{"unknown user", func() answer { return login(`{"accessKey":"who@example.com","secretKey":"x"}`) }, 412, 11},
		{"empty user", func() answer { return login(`{"accessKey":"","secretKey":""}`) }, 412, 11},
		{"not JSON", func() answer { return login(`nope`) }, 400, 0},
		{"from after to", func() answer { a, _ := e.list(token, "/v1/deposits?from=200&to=100"); return a }, 412, 17},
		{"more than 60 days", func() answer {
			a, _ := e.list(token, "/v1/refunds?from=0&to="+strconv.FormatInt(61*day, 10))
			return a
		}, 412, 0},
		{"bad country", func() answer { a, _ := e.list(token, "/v1/cashouts?country=XX"); return a }, 412, 19},
		{"from not a number", func() answer { a, _ := e.list(token, "/v1/deposits?from=yesterday"); return a }, 400, 0},
		{"no token", func() answer { return m.raw(http.MethodGet, "/v1/deposits", nil, nil) }, 401, 0},
		{"forged token", func() answer { a, _ := e.list(token+"x", "/v1/deposits"); return a }, 401, 0},
		{"a deposit key is no token", func() answer { a, _ := e.list(e.creds.Login, "/v1/deposits"); return a }, 401, 0},
		{"switch to a foreign MID", func() answer {
			return m.raw(http.MethodPost, "/v1/auth/1/switchContext", nil, http.Header{"Cookie": {"BEARER_TOKEN=" + token}})
		}, 403, 26},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.call()
			var body struct {
				Code        int    `json:"code"`
				Description string `json:"description"`
			}
			json.Unmarshal(a.body, &body)
			if a.status != tc.status || body.Code != tc.code || body.Description == "" {
				t.Fatalf("%d %s", a.status, a.body)
			}
		})
	}
	mid := strconv.FormatInt(int64(who["idMerchant"].(float64)), 10)
	a := m.raw(http.MethodPost, "/v1/auth/"+mid+"/switchContext", nil, http.Header{"Cookie": {"BEARER_TOKEN=" + token}, "Content-Type": {"application/json"}})
	if a.status != 200 || !strings.Contains(string(a.body), `"idMerchant":`+mid) {
		t.Fatalf("switch to own MID: %d %s", a.status, a.body)
	}
	a = m.raw(http.MethodDelete, "/v1/auth/session/destroy", nil, http.Header{"Authorization": {"Bearer " + token}})
	if a.status != 200 {
		t.Fatalf("logout: %d %s", a.status, a.body)
	}
	if a, _ := e.list(token, "/v1/deposits"); a.status != 401 {
		t.Fatalf("after logout: %d %s", a.status, a.body)
	}
	// Logins beyond the bound close the oldest sessions.
	first, _ := e.login()
	for i := 0; i < 50; i++ {
		e.login()
	}
	if a, _ := e.list(first, "/v1/deposits"); a.status != 401 {
		t.Fatalf("oldest session after 50 logins: %d", a.status)
	}
}

// TestReconciliationCashoutDocumentAndLastChange: cashout rows carry the
// beneficiary's document (and filter on it); cashout and refund rows show
// their last status change (API, control or scenario), their creation
// while never changed.
func TestReconciliationCashoutDocumentAndLastChange(t *testing.T) {
	e := newEnv(t)
	start := time.Now().Add(-time.Minute).Unix()
	var dep struct {
		DepositID int64 `json:"deposit_id"`
	}
	e.signed("POST", "/v3/deposits", depositBody("lc-dep", "Carlos", "")).json(t, &dep)
	e.advance(30 * time.Second) // the deposit is paid
	bank := map[string]any{"beneficiary": "Ricardo Carlos", "bank_code": "001", "branch": "1234", "account_number": "3423422-7", "account_type": "SAVING"}
	var rf struct {
		RefundID int64 `json:"refund_id"`
	}
	e.signed("POST", "/v3/refunds", map[string]any{"deposit_id": dep.DepositID, "invoice_id": "lc-dep", "amount": 40, "bank_account": bank}).json(t, &rf)
	cashout := func(external, document string, onHold bool) string {
		body := e.cashoutBody(external, "Ana")
		body["document_id"], body["on_hold"] = document, onHold
		var co struct {
			CashoutID string `json:"cashout_id"`
		}
		a := e.signed("POST", "/v3/cashout", body)
		if a.status != 200 {
			t.Fatalf("cashout %s: %d %s", external, a.status, a.body)
		}
		a.json(t, &co)
		return co.CashoutID
	}
	cancelled := cashout("lc-cancelled", "84932568207", false)
	held := cashout("lc-held", "11144477735", false)
	delivered := cashout("lc-delivered", "11144477735", false)
	untouched := cashout("lc-untouched", "84932568207", true)

	e.advance(20 * time.Second) // changes come later than the creations, before the scenarios' 30 s
	creds := map[string]any{"login": e.creds.CashoutLogin, "pass": e.creds.CashoutPass}
	cancel := map[string]any{"cashout_id": cancelled, "external_id": "lc-cancelled"}
	hold := map[string]any{"cashout_id": held, "status": "ON_HOLD"}
	for k, v := range creds {
		cancel[k], hold[k] = v, v
	}
	if a := e.signed("DELETE", "/v3/cashout/cancel", cancel); a.status != 200 {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}
	if a := e.signed("PUT", "/v3/cashout/status", hold); a.status != 200 {
		t.Fatalf("hold: %d %s", a.status, a.body)
	}
	if st := e.control(http.MethodPost, "/d24/refunds/"+itoa(rf.RefundID)+"/status", map[string]string{"status": "COMPLETED"}, nil); st != 200 {
		t.Fatalf("refund control: %d", st)
	}
	e.advance(15 * time.Second) // the default scenario delivers lc-delivered at 30 s

	token, _ := e.login()
	window := "?from=" + strconv.FormatInt(start, 10) + "&to=" + strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	// changedAfter is how long after its creation a row last changed.
	changedAfter := func(row map[string]any, created string) time.Duration {
		c, err1 := time.Parse(time.RFC3339, row[created].(string))
		l, err2 := time.Parse(time.RFC3339, row["lastChangeDate"].(string))
		if err1 != nil || err2 != nil {
			t.Fatalf("dates of %v", row)
		}
		return l.Sub(c)
	}
	_, all := e.list(token, "/v1/cashouts"+window)
	byID := map[string]map[string]any{}
	for _, row := range all.Data {
		byID[strconv.FormatInt(int64(row["idCashout"].(float64)), 10)] = row
	}
	tests := []struct {
		name       string
		id         string
		document   string
		status     string
		minChanged time.Duration
		maxChanged time.Duration
	}{
		{"cancelled through the API", cancelled, "84932568207", "CANCELLED", 19 * time.Second, 22 * time.Second},
		{"put on hold through the API", held, "11144477735", "ON_HOLD", 19 * time.Second, 22 * time.Second},
		{"delivered by the scenario", delivered, "11144477735", "DELIVERED", 29 * time.Second, 32 * time.Second},
		{"never changed", untouched, "84932568207", "ON_HOLD", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			row := byID[tc.id]
			if row == nil || row["clientDocument"] != tc.document || row["status"] != tc.status {
				t.Fatalf("row %v", row)
			}
			if d := changedAfter(row, "creationDate"); d < tc.minChanged || d > tc.maxChanged {
				t.Fatalf("lastChangeDate %v after creation, want %v–%v: %v", d, tc.minChanged, tc.maxChanged, row)
			}
		})
	}
	if _, l := e.list(token, "/v1/cashouts"+window+"&clientDocument=11144477735"); l.Rows != 2 || l.Data[0]["externalId"] != "lc-held" || l.Data[1]["externalId"] != "lc-delivered" {
		t.Fatalf("clientDocument filter %+v", l)
	}
	if _, l := e.list(token, "/v1/cashouts"+window+"&clientDocument=00000000000"); l.Rows != 0 {
		t.Fatalf("unknown document %+v", l)
	}
	_, l := e.list(token, "/v1/refunds"+window)
	if l.Rows != 1 || l.Data[0]["status"] != "COMPLETED" {
		t.Fatalf("refund row %+v", l)
	}
	if d := changedAfter(l.Data[0], "date"); d < 19*time.Second || d > 22*time.Second {
		t.Fatalf("refund lastChangeDate %v after creation: %v", d, l.Data[0])
	}
}

// TestReconciliationPanelUserSettings: the panel's IP whitelist and user
// type of the reconciliation user answer the login with codes 83 and 96
// (tests connect from 127.0.0.1).
func TestReconciliationPanelUserSettings(t *testing.T) {
	e := newEnv(t)
	good := mustJSON(map[string]string{"accessKey": e.creds.ReconciliationEmail, "secretKey": e.creds.ReconciliationPassword})
	wrong := mustJSON(map[string]string{"accessKey": e.creds.ReconciliationEmail, "secretKey": "nope"})
	tests := []struct {
		name   string
		panel  map[string]any
		body   []byte
		status int
		code   int
		desc   string
	}{
		{"no whitelist: any address", map[string]any{"reconciliation_ip_whitelist": []string{}}, good, 200, 0, ""},
		{"whitelisted address", map[string]any{"reconciliation_ip_whitelist": []string{"203.0.113.7", "127.0.0.1"}}, good, 200, 0, ""},
		{"whitelisted prefix", map[string]any{"reconciliation_ip_whitelist": []string{"127.0.0.0/8"}}, good, 200, 0, ""},
		{"address not whitelisted", map[string]any{"reconciliation_ip_whitelist": []string{"203.0.113.7", "10.0.0.0/8"}}, good, 403, 83,
			"You are not permitted to log in from this location, please contact your account administrator"},
		{"wrong password from a foreign address is still 11", map[string]any{}, wrong, 412, 11,
			"You have typed wrong credentials, or the user is either locked or inactive"},
		{"panel user type", map[string]any{"reconciliation_ip_whitelist": []string{}, "reconciliation_user_type": "PANEL"}, good, 412, 96, "The user type is incorrect"},
		{"not whitelisted comes before the user type", map[string]any{"reconciliation_ip_whitelist": []string{"::1/128"}}, good, 403, 83,
			"You are not permitted to log in from this location, please contact your account administrator"},
		{"API user type again", map[string]any{"reconciliation_ip_whitelist": []string{}, "reconciliation_user_type": "api"}, good, 200, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if st := e.control(http.MethodPut, "/d24/panel", tc.panel, nil); st != 200 {
				t.Fatalf("panel: %d", st)
			}
			a := e.merchants().raw(http.MethodPost, "/v1/auth/login", tc.body, http.Header{"Content-Type": {"application/json"}})
			var body struct {
				Code        int    `json:"code"`
				Description string `json:"description"`
			}
			json.Unmarshal(a.body, &body)
			if a.status != tc.status || body.Code != tc.code || (tc.desc != "" && body.Description != tc.desc) {
				t.Fatalf("login: %d %s", a.status, a.body)
			}
			if tc.status != 200 && len(a.header.Values("Set-Cookie")) != 0 {
				t.Fatalf("a refused login set a cookie: %v", a.header)
			}
		})
	}
	var pnl map[string]any
	e.control(http.MethodGet, "/d24/panel", nil, &pnl)
	if pnl["reconciliation_user_type"] != "API" || len(pnl["reconciliation_ip_whitelist"].([]any)) != 0 {
		t.Fatalf("panel %v", pnl)
	}
	e.control(http.MethodPut, "/d24/panel", map[string]any{"reconciliation_ip_whitelist": []string{" 10.1.2.3/8 ", "::ffff:127.0.0.1"}}, nil)
	e.control(http.MethodGet, "/d24/panel", nil, &pnl)
	if got := pnl["reconciliation_ip_whitelist"].([]any); len(got) != 2 || got[0] != "10.0.0.0/8" || got[1] != "127.0.0.1" {
		t.Fatalf("normalised whitelist %v", got)
	}
	bad := []map[string]any{
		{"reconciliation_ip_whitelist": []string{"localhost"}},
		{"reconciliation_ip_whitelist": "127.0.0.1"},
		{"reconciliation_ip_whitelist": make([]string, 101)},
		{"reconciliation_user_type": "ADMIN"},
		{"referral_url": 5},
	}
	for _, b := range bad {
		if st := e.control(http.MethodPut, "/d24/panel", b, nil); st != 400 {
			t.Errorf("panel %v: %d, want 400", b, st)
		}
	}
}
