package difitek

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/golang-jwt/jwt/v5"
)

// SSOToken mints a jwt-auth token for email: HS256 signed with the
// network's sso_secret, valid for ttl.
func SSOToken(creds *Credentials, email string, now time.Time, ttl time.Duration) (string, error) {
	claims := jwt.MapClaims{"email": email, "iss": creds.Network, "iat": now.Unix(), "exp": now.Add(ttl).Unix()}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(creds.SSOSecret))
}

// publicRoute reports whether a path (after /v1/{network}) is one of the
// endpoints a real client calls as the public user new/new.
func publicRoute(method, rest string) bool {
	if strings.HasPrefix(rest, "/public/") {
		return true
	}
	if method != http.MethodPost {
		return false
	}
	switch rest {
	case "/users", "/self/verifyEmail", "/self/forgotPassword", "/self/resetPassword", "/self/newsletterSignUp":
		return true
	}
	return false
}

// restOf is the path after /v1/{network}.
func restOf(path string) string {
	segs := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 3)
	if len(segs) < 3 {
		return "/"
	}
	return "/" + segs[2]
}

// SignRequest implements platform.ClientSigner: public endpoints are signed
// as new/new, the others as the tenant's administrator, as the PHP and
// Node.js SDKs do.
func (p *Provider) SignRequest(r *http.Request, body []byte, creds any, now time.Time) error {
	c, ok := credentials.From(creds)
	if !ok {
		return fmt.Errorf("difitek: credentials are %T, want *difitek.Credentials", creds)
	}
	path := strings.TrimPrefix(r.URL.Path, "/"+Name)
	username, password := c.Username, c.Password
	if publicRoute(r.Method, restOf(path)) {
		username, password = PublicUsername, PublicUsername
	}
	tok := SignToken(c.APIKey, c.APISecret, username, password, NewNonce(), CreatedString(now))
	r.Header.Set(HeaderCVAuth, tok.String())
	r.Header.Set(HeaderNetwork, c.Network)
	if len(body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	return nil
}

// Examples implements platform.Exampler: public and user reads and creates
// of the default network, in run order.
func (p *Provider) Examples() []platform.Example {
	n := "/v1/" + DefaultNetwork
	return []platform.Example{
		{Name: "public.stats", Method: http.MethodGet, Path: n + "/public/stats"},
		{Name: "public.offerings", Method: http.MethodGet, Path: n + "/public/offerings?limit=5"},
		{Name: "public.newsletter", Method: http.MethodPost, Path: n + "/self/newsletterSignUp", Body: []byte(`{"email":"newsletter@example.com"}`)},
		{Name: "self.get", Method: http.MethodGet, Path: n + "/self"},
		{Name: "organizations.create", Method: http.MethodPost, Path: n + "/organizations",
			Body: []byte(`{"display_name":"Example Holdings","legal_name":"Example Holdings Ltd","visibility":"1","address":{"city":"London","country":"GB"}}`)},
		{Name: "organizations.get", Method: http.MethodGet, Path: n + "/organizations/{id}", From: "organizations.create", IDField: "data.id"},
		{Name: "offerings.create", Method: http.MethodPost, Path: n + "/organizations/{id}/offerings", From: "organizations.create", IDField: "data.id",
			Body: []byte(`{"name":"Example Seed Round","funding_goal":100000,"min_commitment":500,"max_commitment":50000,"currency":"GBP"}`)},
		{Name: "offerings.get", Method: http.MethodGet, Path: n + "/offerings/{id}", From: "offerings.create", IDField: "data.id"},
		{Name: "offerings.list", Method: http.MethodGet, Path: n + "/offerings?orderby=id&sort=desc&limit=10"},
	}
}

// SignCommand implements platform.SignCommander with the platform's one
// command line.
func (p *Provider) SignCommand(args []string, creds any, out io.Writer) error {
	return platform.RunSign(Name, signSpec, args, creds, out)
}

// signSpec is Difitek's part of `fakeprovider sign`: the cv-auth token of
// a user, the public caller or the single sign-on caller; a path without
// /v1/ is taken after /v1/{network}.
var signSpec = platform.SignSpec{
	Base:    "http://127.0.0.1:8080/difitek",
	Path:    "/authenticate",
	Headers: []string{HeaderCVAuth, HeaderNetwork, HeaderJWTAuth, "Content-Type"},
	Flags: func(fs *flag.FlagSet) func(*platform.SignCall) error {
		user := fs.String("user", "", "username (e-mail) to sign as (default: the tenant's administrator)")
		password := fs.String("password", "", "password of -user (default: the administrator's)")
		public := fs.Bool("public", false, "sign as the public caller new/new")
		sso := fs.String("sso", "", "sign as social/social with a jwt-auth token for this e-mail")
		nonce := fs.String("nonce", "", "nonce (default: fresh, as the Node.js SDK makes it)")
		created := fs.String("created", "", "Created value (default: now, +00:00)")
		ttl := fs.Duration("sso-ttl", time.Hour, "lifetime of the -sso token")
		return func(call *platform.SignCall) error {
			c, ok := credentials.From(call.Creds)
			if !ok {
				return fmt.Errorf("difitek: credentials are %T", call.Creds)
			}
			if *public && *sso != "" {
				return errors.New("--public and --sso exclude each other")
			}
			n, cr := *nonce, *created
			if n == "" {
				n = NewNonce()
			}
			if cr == "" {
				cr = CreatedString(call.Now)
			}
			username, pw := c.Username, c.Password
			if *user != "" {
				username = *user
			}
			if *password != "" {
				pw = *password
			}
			switch {
			case *public:
				username, pw = PublicUsername, PublicUsername
			case *sso != "":
				username, pw = SocialUsername, SocialUsername
				tok, err := SSOToken(c, *sso, call.Now, *ttl)
				if err != nil {
					return err
				}
				call.Header.Set(HeaderJWTAuth, tok)
			}
			if !strings.HasPrefix(call.Path, "/v1/") {
				call.Path = "/v1/" + c.Network + "/" + strings.TrimPrefix(call.Path, "/")
			}
			call.Header.Set(HeaderCVAuth, SignToken(c.APIKey, c.APISecret, username, pw, n, cr).String())
			call.Header.Set(HeaderNetwork, c.Network)
			if len(call.Body) > 0 {
				call.Header.Set("Content-Type", "application/json")
			}
			return nil
		}
	},
}
