package crowdtrust

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// keyPairFor picks the key pair a client uses for a path: TEST keys under
// /bacapi/test/, LIVE keys elsewhere.
func keyPairFor(c *Credentials, path string) KeyPair {
	if strings.Contains(path, "/bacapi/test/") {
		return c.Test
	}
	return c.Live
}

// signedHeaders are the headers the official client sends for a request.
func signedHeaders(method, path string, body []byte, kp KeyPair, date string) http.Header {
	h := http.Header{}
	md5 := ContentMD5(body)
	contentType := ""
	if len(body) > 0 {
		contentType = "application/json"
		h.Set("Content-Type", contentType)
	}
	h.Set("Date", date)
	h.Set("Content-MD5", md5)
	h.Set("Authorization", kp.APIKey+":"+Sign(kp.SecretKey, KeyModeRaw, StringToSign(method, md5, contentType, date, path)))
	return h
}

// SignRequest implements platform.ClientSigner: it signs like the official
// Java client (raw secret bytes as the HMAC key, RFC 1123 Date, Content-MD5
// sent empty on bodiless requests, Content-Type only with a body).
func (p *Provider) SignRequest(r *http.Request, body []byte, creds any, now time.Time) error {
	c, ok := credentials.From(creds)
	if !ok {
		return fmt.Errorf("crowdtrust: credentials are %T, want *crowdtrust.Credentials", creds)
	}
	if strings.HasSuffix(r.URL.Path, "/bacapi/account") {
		if len(body) > 0 {
			r.Header.Set("Content-Type", "application/json")
		}
		return nil
	}
	path := r.URL.EscapedPath()
	h := signedHeaders(r.Method, path, body, keyPairFor(c, path), now.UTC().Format(http.TimeFormat))
	if ct := r.Header.Get("Content-Type"); ct != "" && len(body) > 0 {
		// Sign what is sent.
		h.Set("Content-Type", ct)
		kp := keyPairFor(c, path)
		h.Set("Authorization", kp.APIKey+":"+Sign(kp.SecretKey, KeyModeRaw, StringToSign(r.Method, h.Get("Content-MD5"), ct, h.Get("Date"), path)))
	}
	for k, v := range h {
		r.Header[k] = v
	}
	return nil
}

// Examples implements platform.Exampler: LIVE billing, then a check and its
// read in each environment.
func (p *Provider) Examples() []platform.Example {
	check := []byte(`{"firstName":"Jack","lastName":"Smith","ssn":"222-65-9696","dateOfBirth":"1984-07-10","regulationType":"D","platformName":"Regulation D Platform",` +
		`"workHistory":[{"company":"Acme Capital","title":"CFO","startDate":"2015-01-05","endDate":""}],` +
		`"homeAddresses":[{"address1":"1 Galaxy Way","address2":"Apt 10c","city":"Rockville","state":"MD","zip":"20850"}]}`)
	billing := []byte(`{"number":"4242424242424242","exp_month":6,"exp_year":2040,"cvc":"667","name":"John Wayne","address_line1":"1 Galaxy Way",` +
		`"address_line2":"Apt 10c","address_city":"Rockville","address_zip":"20850","address_state":"MD","address_country":"US"}`)
	return []platform.Example{
		{Name: "billing-live", Method: http.MethodPost, Path: "/bacapi/account/billing", Body: billing},
		{Name: "check-live-create", Method: http.MethodPost, Path: "/bacapi/checks", Body: check},
		{Name: "check-live-get", Method: http.MethodGet, Path: "/bacapi/checks/{id}", From: "check-live-create", IDField: "searchId"},
		{Name: "check-test-create", Method: http.MethodPost, Path: "/bacapi/test/checks", Body: check},
		{Name: "check-test-get", Method: http.MethodGet, Path: "/bacapi/test/checks/{id}", From: "check-test-create", IDField: "searchId"},
	}
}

// SignCommand implements platform.SignCommander with the platform's one
// command line.
func (p *Provider) SignCommand(args []string, creds any, out io.Writer) error {
	return platform.RunSign(Name, signSpec, args, creds, out)
}

// signSpec is CrowdTrust's part of `fakeprovider sign`: the official
// client's headers over the path as requested, so a base URL with a path
// (…/crowdtrust) is part of the signed path.
var signSpec = platform.SignSpec{
	Base:    "http://localhost:8080",
	Headers: []string{"Date", "Content-Type", "Content-MD5", "Authorization"},
	Flags: func(fs *flag.FlagSet) func(*platform.SignCall) error {
		date := fs.String("date", "", "Date header to sign (default: now, RFC 1123)")
		apiKey := fs.String("api-key", "", "API key (default: the tenant's LIVE or TEST key, by path)")
		secret := fs.String("secret-key", "", "secret key of -api-key")
		return func(call *platform.SignCall) error {
			d := *date
			if d == "" {
				d = call.Now.UTC().Format(http.TimeFormat)
			}
			var kp KeyPair
			if c, ok := credentials.From(call.Creds); ok {
				kp = keyPairFor(c, call.Path)
			}
			if *apiKey != "" {
				kp = KeyPair{APIKey: *apiKey, SecretKey: *secret}
			}
			if kp.APIKey == "" || kp.SecretKey == "" {
				return errors.New("no credentials: pass -api-key and -secret-key")
			}
			signedPath := call.Path
			if u, err := url.Parse(call.Base); err == nil {
				signedPath = strings.TrimSuffix(u.Path, "/") + call.Path
			}
			call.Header = signedHeaders(call.Method, signedPath, call.Body, kp, d)
			call.Notes = append(call.Notes, fmt.Sprintf("string-to-sign: %q",
				StringToSign(call.Method, call.Header.Get("Content-MD5"), call.Header.Get("Content-Type"), d, call.Path)))
			return nil
		}
	},
}
