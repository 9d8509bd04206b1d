package crm

import (
	"errors"
	"flag"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// SignRequest implements platform.ClientSigner: the key header on every
// request and the v2 signature on every POST/PUT/PATCH with a body; a
// PSP callback (/pay/callback) carries the crm-pay-token header instead
// (its body's sign is part of the body).
func (p *Provider) SignRequest(r *http.Request, body []byte, creds any, _ time.Time) error {
	c, ok := credentials.From(creds)
	if !ok {
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

// SignCommand implements platform.SignCommander with the platform's one
// command line.
func (p *Provider) SignCommand(args []string, creds any, out io.Writer) error {
	return platform.RunSign(Name, signSpec, args, creds, out)
}

// signSpec is the CRM's part of `fakeprovider sign`: the key header, and
// the v2 signature (or, with -v1, the legacy one) on a write with a body.
var signSpec = platform.SignSpec{
	Base:    "http://localhost:8080/crm",
	Path:    "/public/v1/users",
	Headers: []string{HeaderKey, HeaderSignature, "Content-Type"},
	Flags: func(fs *flag.FlagSet) func(*platform.SignCall) error {
		key := fs.String("key", "", "API key (default: the tenant's api_key)")
		v1 := fs.Bool("v1", false, "sign with the legacy v1 scheme (uppercase SHA-1 of sorted k=v&… + key)")
		return func(call *platform.SignCall) error {
			apiKey := *key
			if apiKey == "" {
				c, ok := credentials.From(call.Creds)
				if !ok {
					return errors.New("no crm credentials; pass -key")
				}
				apiKey = c.APIKey
			}
			call.Header.Set(HeaderKey, apiKey)
			if !needsSignature(call.Method, call.Body) {
				return nil
			}
			sig := SignV2(apiKey, call.Body)
			if *v1 {
				s, err := SignV1(apiKey, call.Body)
				if err != nil {
					return err
				}
				sig = s
			}
			call.Header.Set(HeaderSignature, sig)
			call.Header.Set("Content-Type", "application/json")
			return nil
		}
	},
}

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
