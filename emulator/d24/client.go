package d24

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// scheme is the auth family of a path.
type scheme int

const (
	schemeDeposit scheme = iota
	schemeReadOnly
	schemeCashout
	schemeAccount // D24 headers with the cashout key and signature
)

func schemeOf(path string) scheme {
	switch {
	case strings.Contains(path, "/v3/cashout"):
		return schemeCashout
	case strings.Contains(path, "/v5/account/"):
		return schemeAccount
	case strings.Contains(path, "/v3/payment_methods"), strings.Contains(path, "/v3/exchange_rates"),
		strings.Contains(path, "/v3/banks"), strings.Contains(path, "/v3/states"):
		return schemeReadOnly
	}
	return schemeDeposit
}

// SignRequest implements platform.ClientSigner: the headers a real SDK
// sends for r's path. Cashout bodies must already carry login and pass.
func (p *Provider) SignRequest(r *http.Request, body []byte, creds any, now time.Time) error {
	c, ok := credentials.From(creds)
	if !ok {
		return fmt.Errorf("d24: credentials are %T, not *d24.Credentials", creds)
	}
	switch schemeOf(r.URL.Path) {
	case schemeReadOnly:
		r.Header.Set("Authorization", "Bearer "+c.ReadOnlyKey)
	case schemeCashout:
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Payload-Signature", SignPayload(c.CashoutSecretKey, body))
	default:
		login, secret := c.Login, c.SecretKey
		if schemeOf(r.URL.Path) == schemeAccount {
			login, secret = c.CashoutLogin, c.CashoutSecretKey
		}
		xDate := now.UTC().Format(XDateLayout)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Date", xDate)
		r.Header.Set("X-Login", login)
		r.Header.Set("Authorization", "D24 "+SignDeposit(secret, xDate, login, body))
	}
	return nil
}

// Examples implements platform.Exampler. The cashout bodies carry the
// default tenant's cashout login and pass.
func (p *Provider) Examples() []platform.Example {
	c := DefaultCredentials()
	cashout := fmt.Sprintf(`{"login":%q,"pass":%q,"external_id":"ex-%d","country":"BR","currency":"BRL","amount":100,"document_id":"84932568207","beneficiary_name":"Ana","beneficiary_lastname":"Souza","bank_code":"001","bank_account":"3423422-7","bank_branch":"1234","account_type":"C","notification_url":"http://127.0.0.1:1/notify"}`,
		c.CashoutLogin, c.CashoutPass, time.Now().UnixNano())
	return []platform.Example{
		{Name: "deposit.create", Method: http.MethodPost, Path: "/v3/deposits",
			Body: []byte(`{"invoice_id":"inv-example","amount":100,"country":"BR","currency":"BRL","payment_method":"IX","notification_url":"http://127.0.0.1:1/notify","payer":{"document":"84932568207","first_name":"Ricardo","last_name":"Carlos","email":"ricardo@example.com"}}`)},
		{Name: "deposit.status", Method: http.MethodGet, Path: "/v3/deposits/{id}", From: "deposit.create", IDField: "deposit_id"},
		{Name: "card.deposit.create", Method: http.MethodPost, Path: "/v3/deposits", Host: CardHost, Body: []byte(fmt.Sprintf(
			`{"invoice_id":"card-example","amount":100,"country":"BR","currency":"BRL","client_ip":"203.0.113.7","payer":{"document":"84932568207","first_name":"Ricardo","last_name":"Carlos","email":"ricardo@example.com"},"credit_card":{"card_number":"4111111111111111","cvv":"123","expiration_month":12,"expiration_year":%d,"holder_name":"Ricardo Carlos"}}`,
			time.Now().Year()+2))},
		{Name: "card.deposit.status", Method: http.MethodGet, Path: "/v3/deposits/{id}", From: "card.deposit.create", IDField: "deposit_id"},
		{Name: "subscription.create", Method: http.MethodPost, Path: "/v3/subscriptions", Body: []byte(fmt.Sprintf(
			`{"invoice_id":"sub-example","amount":70,"country":"BR","currency":"BRL","client_ip":"203.0.113.7","payer":{"id":"P1","document":"84932568207","document_type":"CPF","email":"john@example.com","first_name":"John","last_name":"Doe"},"subscription":{"start_date":%q,"plan":"MONTHLY","plan_unit":12,"auto_renewal":true}}`,
			time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")))},
		{Name: "subscription.status", Method: http.MethodGet, Path: "/v3/subscriptions/{id}", From: "subscription.create", IDField: "subscription_id"},
		{Name: "kyc.check", Method: http.MethodPost, Path: "/v1/kyc", Body: []byte(`{"country":"BR","document":"84932568207","document_type":"CPF","first_name":"Ana","last_name":"Souza","email":"ana@example.com"}`)},
		{Name: "account.pix_validate", Method: http.MethodPost, Path: "/v5/account/pix_key/validate", Body: []byte(`[{"pix":"29318456719"},{"pix":"ana@example.com"}]`)},
		{Name: "cashout.create", Method: http.MethodPost, Path: "/v3/cashout", Body: []byte(cashout)},
		{Name: "lookup.banks", Method: http.MethodGet, Path: "/v3/banks?country=BR"},
	}
}

// SignCommand implements platform.SignCommander with the platform's one
// command line.
func (p *Provider) SignCommand(args []string, creds any, out io.Writer) error {
	return platform.RunSign(Name, signSpec(p), args, creds, out)
}

// signSpec is D24's part of `fakeprovider sign`: the scheme is chosen from
// the path (/v3/cashout… Payload-Signature, lookups Bearer, /v5/account/…
// D24 HMAC with the cashout key, others D24 HMAC); a cashout body gets the
// tenant's login and pass when absent.
func signSpec(p *Provider) platform.SignSpec {
	return platform.SignSpec{
		Base:    "http://127.0.0.1:8080/d24",
		Path:    "/v3/deposits",
		Headers: []string{"Content-Type", "X-Date", "X-Login", "Authorization", "Payload-Signature"},
		Flags: func(*flag.FlagSet) func(*platform.SignCall) error {
			return func(call *platform.SignCall) error {
				c, ok := credentials.From(call.Creds)
				if !ok {
					return fmt.Errorf("d24: unexpected credentials %T", call.Creds)
				}
				if schemeOf(call.Path) == schemeCashout {
					var m map[string]any
					if len(call.Body) == 0 {
						m = map[string]any{}
					} else if err := json.Unmarshal(call.Body, &m); err != nil {
						return fmt.Errorf("cashout body: %w", err)
					}
					if _, ok := m["login"]; !ok {
						m["login"], m["pass"] = c.CashoutLogin, c.CashoutPass
						call.Body, _ = json.Marshal(m)
					}
				}
				req, err := http.NewRequest(call.Method, call.Base+call.Path, bytes.NewReader(call.Body))
				if err != nil {
					return err
				}
				if err := p.SignRequest(req, call.Body, c, call.Now); err != nil {
					return err
				}
				call.Header = req.Header
				if s := schemeOf(call.Path); s == schemeDeposit || s == schemeAccount {
					call.Notes = append(call.Notes, "X-Date is valid for 5 seconds: run the curl line at once.")
				}
				return nil
			}
		},
	}
}
