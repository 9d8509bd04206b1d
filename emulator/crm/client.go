package crm

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// SignRequest implements platform.ClientSigner: the key header on every
// request and the v2 signature on every POST/PUT/PATCH with a body; a
// PSP callback (/pay/callback) carries the crm-pay-token header instead
// (its body's sign is part of the body).
func (p *Provider) SignRequest(r *http.Request, body []byte, creds any, _ time.Time) error {
	c, ok := creds.(*Credentials)
	if !ok || c == nil {
		return errors.New("crm: credentials are not *crm.Credentials")
	}
	if strings.HasSuffix(r.URL.Path, "/pay/callback") {
		r.Header.Set(HeaderPayToken, c.PSPToken)
		return nil
	}
	r.Header.Set(HeaderKey, c.APIKey)
	if needsSignature(r.Method, body) {
		r.Header.Set(HeaderSignature, SignV2(c.APIKey, body))
	}
	return nil
}

// SignCommand implements platform.SignCommander:
//
//	fakeprovider sign crm [-method POST] [-path /public/v1/users/create] [-v1] [-key K] (-body JSON | -body-file F)
func (p *Provider) SignCommand(args []string, creds any, out io.Writer) error {
	fs := flag.NewFlagSet("sign crm", flag.ContinueOnError)
	fs.SetOutput(out)
	method := fs.String("method", "", "HTTP method (default POST with a body, GET without)")
	path := fs.String("path", "/public/v1/users", "request path (with query)")
	base := fs.String("base", "http://localhost:8080/crm", "base URL of the CRM")
	body := fs.String("body", "", "exact JSON body to send")
	bodyFile := fs.String("body-file", "", "read the exact body from this file")
	key := fs.String("key", "", "API key (default: the tenant's api_key)")
	v1 := fs.Bool("v1", false, "sign with the legacy v1 scheme (uppercase SHA-1 of sorted k=v&… + key)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	raw := []byte(*body)
	if *bodyFile != "" {
		b, err := os.ReadFile(*bodyFile)
		if err != nil {
			return err
		}
		raw = b
	}
	apiKey := *key
	if apiKey == "" {
		c, ok := creds.(*Credentials)
		if !ok || c == nil {
			return errors.New("no crm credentials; pass -key")
		}
		apiKey = c.APIKey
	}
	m := strings.ToUpper(*method)
	if m == "" {
		m = http.MethodGet
		if len(raw) > 0 {
			m = http.MethodPost
		}
	}
	headers := [][2]string{{HeaderKey, apiKey}}
	if needsSignature(m, raw) {
		sig := SignV2(apiKey, raw)
		if *v1 {
			s, err := SignV1(apiKey, raw)
			if err != nil {
				return err
			}
			sig = s
		}
		headers = append(headers, [2]string{HeaderSignature, sig}, [2]string{"Content-Type", "application/json"})
	}
	curl := []string{"curl", "-sS", "-X", m}
	for _, h := range headers {
		fmt.Fprintf(out, "%s: %s\n", h[0], h[1])
		curl = append(curl, "-H", shellQuote(h[0]+": "+h[1]))
	}
	if len(raw) > 0 {
		curl = append(curl, "--data-binary", shellQuote(string(raw)))
	}
	curl = append(curl, shellQuote(strings.TrimSuffix(*base, "/")+*path))
	fmt.Fprintln(out, strings.Join(curl, " "))
	return nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Examples implements platform.Exampler: representative valid requests in
// run order; reads refer to the client created first.
func (p *Provider) Examples() []platform.Example {
	return []platform.Example{
		{Name: "users.create", Method: http.MethodPost, Path: "/public/v1/users/create",
			Body: []byte(`{"email":"example.client@example.com","name":"Ada Lovelace","password":"Secret123!","repeat_password":"Secret123!","update_password":false,"form_id":"r3gf0rm1","custom_fields":{"first_name":"Ada","last_name":"Lovelace"}}`)},
		{Name: "users.get", Method: http.MethodGet, Path: "/public/v1/users/{id}", From: "users.create", IDField: "id"},
		{Name: "users.list", Method: http.MethodGet, Path: "/public/v1/users?skip=0&limit=10"},
		{Name: "mt5.accounts.create", Method: http.MethodPost, Path: "/public/v1/users/{id}/mt5/accounts", From: "users.create", IDField: "id",
			Body: []byte(`{"connection_id":"struk0gc","group":"real\\USD","leverage":100}`)},
		{Name: "wallets.get", Method: http.MethodGet, Path: "/public/v1/wallets?user_id={id}", From: "users.create", IDField: "id"},
		{Name: "mt5.accounts.list", Method: http.MethodGet, Path: "/public/v1/mt5/accounts?connection_id=struk0gc&user_id={id}", From: "users.create", IDField: "id"},
		{Name: "form.registration.trader", Method: http.MethodGet, Path: "/public/v1/form/registration/trader"},
	}
}

var (
	_ platform.ClientSigner  = (*Provider)(nil)
	_ platform.SignCommander = (*Provider)(nil)
	_ platform.Exampler      = (*Provider)(nil)
	_ platform.Configurable  = (*Provider)(nil)
)
