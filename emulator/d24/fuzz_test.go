package d24_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
)

// FuzzVerifyAndParse sends arbitrary bodies and header values, signed or
// not, to every body-parsing route: never a 5xx, always a JSON envelope.
func FuzzVerifyAndParse(f *testing.F) {
	f.Add("POST", "/v3/deposits", `{"invoice_id":"a","amount":"1","country":"BR","currency":"BRL"}`, "", true)
	f.Add("POST", "/v3/refunds", `{"deposit_id":"x","invoice_id":1}`, "", true)
	f.Add("POST", "/v3/cashout", `{"login":"cashout_login","pass":"cashout_pass","amount":[1]}`, "", true)
	f.Add("PUT", "/v3/cashout/status", `{"cashout_id":1e400}`, "", true)
	f.Add("GET", "/v3/deposits/1", "", "2020-01-01T00:00:00.5Z", false)
	f.Add("DELETE", "/v3/cashout/cancel", "\xff\xfe", "", true)
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, method, path, body, xDate string, sign bool) {
		switch path {
		case "/v3/deposits", "/v3/refunds", "/v3/cashout", "/v3/cashout/status", "/v3/cashout/cancel", "/v3/deposits/1":
		default:
			path = "/v3/deposits"
		}
		switch method {
		case "GET", "POST", "PUT", "DELETE":
		default:
			method = "POST"
		}
		if strings.ContainsFunc(xDate, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return // a client cannot send it
		}
		req, _ := http.NewRequest(method, e.url+path, nil)
		if sign {
			e.p.SignRequest(req, []byte(body), e.creds, time.Now())
		} else {
			req.Header.Set("X-Date", xDate)
			req.Header.Set("X-Login", e.creds.Login)
			req.Header.Set("Authorization", "D24 "+d24.SignDeposit(e.creds.SecretKey, xDate, e.creds.Login, []byte(body)))
		}
		local := *e
		local.t = t
		a := local.raw(method, path, []byte(body), req.Header)
		if a.status >= 500 || len(a.body) == 0 || a.body[0] != '{' {
			t.Fatalf("%s %s %q: %d %s", method, path, body, a.status, a.body)
		}
	})
}
