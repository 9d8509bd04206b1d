package difitek

import (
	"encoding/hex"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Spec §2 vectors, produced by the unmodified Node.js SDK (V1–V4) and the
// PHP bundle's algorithm (P1–P2).
var nodeVectors = []struct {
	name, apiKey, secret, network, username, password string
	at                                                time.Time
	random                                            string
	nonce, created, header                            string
}{
	{"V1", "testapikey-001", "ap1s3cr3t", "testnetwork", "test@test.com", "testtest",
		time.Date(2024, 1, 2, 3, 4, 5, 678e6, time.UTC), "00010203040506070809",
		"83422503bcfc01d303030e8a7cc80efc", "2024-01-02T03:04:05+00:00",
		`AuthToken ApiKey="testapikey-001", TokenDigest="NGrGRcFHe7OQYlfM4STF/b6bzt8=", Nonce="83422503bcfc01d303030e8a7cc80efc", Created="2024-01-02T03:04:05+00:00", Username="test@test.com", Password="FRVCB0cGAUc="`},
	{"V2", "your-api-key-0001", "your-api-secret", "yournetworkname", "new", "new",
		time.Date(2015, 7, 1, 12, 51, 24, 0, time.UTC), "ffeeddccbbaa99887766",
		"b39d6b9f0ef46b99370d8b6573c840e1", "2015-07-01T12:51:24+00:00",
		`AuthToken ApiKey="your-api-key-0001", TokenDigest="yFD73JqZeQtVrSyN8oH63ERKRyA=", Nonce="b39d6b9f0ef46b99370d8b6573c840e1", Created="2015-07-01T12:51:24+00:00", Username="new", Password="FwoC"`},
	{"V3", "k3y", "s3cr3t", "demo", "jane.doe@example.com", "pässwörd€",
		time.Date(2020, 2, 29, 23, 59, 59, 999e6, time.UTC), "0a1b2c3d4e5f60718293",
		"5da7c97cd2c2fb4f197c63b6422c7b68", "2020-02-29T23:59:59+00:00",
		`AuthToken ApiKey="k3y", TokenDigest="vgIh6JmJ7tENwjGEyu+ztoe2r5A=", Nonce="5da7c97cd2c2fb4f197c63b6422c7b68", Created="2020-02-29T23:59:59+00:00", Username="jane.doe@example.com", Password="A/DHAUADsIURFtH23w=="`},
	{"V4", "APIKEY123", "social", "demo4", "social", "social",
		time.Date(2021, 6, 15, 8, 0, 0, 0, time.UTC), "11223344556677889900",
		"ecd4a2b15c600c645ec99bcffe0d746b", "2021-06-15T08:00:00+00:00",
		`AuthToken ApiKey="APIKEY123", TokenDigest="IRCrwJUrzdroR1AnM5zLFEdcp/U=", Nonce="ecd4a2b15c600c645ec99bcffe0d746b", Created="2021-06-15T08:00:00+00:00", Username="social", Password="AAAAAAAA"`},
}

const (
	p1Header = `AuthToken ApiKey="testapikey-001", TokenDigest="aafBRheV0AlagvIe3Sdw9TSXrao=", Nonce="0123456789abcdef0123456789abcdef", Created="2015-07-01T13:51:24+01:00", Username="test@test.com", Password="FRVCB0cGAUc="`
	p2Header = `AuthToken ApiKey="testapikey-001", TokenDigest="oWCC0R4ATGoO5wTpFoVVstVpsFo=", Nonce="fedcba9876543210fedcba9876543210", Created="2016-08-26T10:56:20+01:00", Username="new", Password="bmV3"`
)

func TestSignMatchesNodeVectors(t *testing.T) {
	for _, v := range nodeVectors {
		t.Run(v.name, func(t *testing.T) {
			raw, _ := hex.DecodeString(v.random)
			if got := NonceFromBytes(raw); got != v.nonce {
				t.Errorf("nonce = %s, want %s", got, v.nonce)
			}
			if got := CreatedString(v.at); got != v.created {
				t.Errorf("created = %s, want %s", got, v.created)
			}
			if got := SignToken(v.apiKey, v.secret, v.username, v.password, v.nonce, v.created).String(); got != v.header {
				t.Errorf("header\n got %s\nwant %s", got, v.header)
			}
			tok, err := ParseToken(v.header)
			if err != nil {
				t.Fatal(err)
			}
			if tok.String() != v.header {
				t.Errorf("parse/format round trip changed the header: %s", tok.String())
			}
			if pw, _ := DecodePassword(tok.Password, v.secret); pw != v.password {
				t.Errorf("decoded password %q, want %q", pw, v.password)
			}
		})
	}
}

func TestPHPVectors(t *testing.T) {
	if got := TokenDigest("0123456789abcdef0123456789abcdef", "2015-07-01T13:51:24+01:00", "ap1s3cr3t"); got != "aafBRheV0AlagvIe3Sdw9TSXrao=" {
		t.Errorf("P1 digest %s", got)
	}
	if got := TokenDigest("fedcba9876543210fedcba9876543210", "2016-08-26T10:56:20+01:00", "ap1s3cr3t"); got != "oWCC0R4ATGoO5wTpFoVVstVpsFo=" {
		t.Errorf("P2 digest %s", got)
	}
	// Third-party cross-check of the XOR rule (TRUSTED's CVAuthSpec).
	if got := EncodePassword("iTzpFohxuL", "uY1B1Uh9G2"); got != "HA1LMnc6AEEyfg==" {
		t.Errorf("xor = %s", got)
	}
}

// vectorTenants holds the credentials of every vector; the seeded admin of
// each is the vector's user.
func vectorTenants() fakeTenants {
	return fakeTenants{
		"default": defaultCredentials(),
		"v2":      {Network: "yournetworkname", APIKey: "your-api-key-0001", APISecret: "your-api-secret", Username: "owner@yournetwork.example", Password: "pw", SSOSecret: "x"},
		"v3":      {Network: "demo", APIKey: "k3y", APISecret: "s3cr3t", Username: "jane.doe@example.com", Password: "pässwörd€", SSOSecret: "y"},
		"v4":      {Network: "demo4", APIKey: "APIKEY123", APISecret: "social", Username: "sso.user@example.com", Password: "pw4", SSOSecret: "sso-secret-demo4"},
	}
}

func TestVerifyVectors(t *testing.T) {
	env := newTestEnv(t, vectorTenants())
	v4 := vectorTenants()["v4"]
	jwtOK, err := SSOToken(v4, "sso.user@example.com", env.wall, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	jwtOther, _ := SSOToken(&Credentials{SSOSecret: "wrong"}, "sso.user@example.com", env.wall, time.Hour)
	jwtUnknown, _ := SSOToken(v4, "nobody@example.com", env.wall, time.Hour)
	tests := []struct {
		name, path, header string
		extra              []string
		status, code       int
	}{
		{"V1 user", "/v1/testnetwork/self", nodeVectors[0].header, nil, 200, 0},
		{"V2 public on public", "/v1/yournetworkname/public/stats", nodeVectors[1].header, nil, 200, 0},
		{"V2 public on user endpoint", "/v1/yournetworkname/self", nodeVectors[1].header, nil, 403, 10010},
		{"V3 utf-8 password", "/v1/demo/self", nodeVectors[2].header, nil, 200, 0},
		{"V4 social without jwt", "/v1/demo4/self", nodeVectors[3].header, nil, 401, 10009},
		{"V4 social with jwt", "/v1/demo4/self", nodeVectors[3].header, []string{HeaderJWTAuth, jwtOK}, 200, 0},
		{"V4 jwt wrong key", "/v1/demo4/self", nodeVectors[3].header, []string{HeaderJWTAuth, jwtOther}, 401, 10009},
		{"V4 jwt unknown user", "/v1/demo4/self", nodeVectors[3].header, []string{HeaderJWTAuth, jwtUnknown}, 401, 10009},
		{"P1 php offset", "/v1/testnetwork/self", p1Header, nil, 200, 0},
		{"P2 php public plain password", "/v1/testnetwork/public/offerings", p2Header, nil, 200, 0},
		{"network header ignored", "/v1/testnetwork/self", nodeVectors[0].header, []string{HeaderNetwork, "other"}, 200, 0},
		{"wrong network", "/v1/demo/self", nodeVectors[0].header, nil, 401, 10004},
		{"unknown key", "/v1/testnetwork/self", strings.Replace(nodeVectors[0].header, "testapikey-001", "nokey", 1), nil, 401, 10003},
		{"wrong digest", "/v1/testnetwork/self", strings.Replace(nodeVectors[0].header, "NGrGRcFH", "NGrGRcFh", 1), nil, 401, 10005},
		{"tampered created", "/v1/testnetwork/self", strings.Replace(nodeVectors[0].header, "03:04:05+00:00", "03:04:06+00:00", 1), nil, 401, 10005},
		{"wrong password", "/v1/testnetwork/self", strings.Replace(nodeVectors[0].header, "FRVCB0cGAUc=", "GRVCB0cGAUc=", 1), nil, 401, 10006},
		{"unknown user", "/v1/testnetwork/self", SignToken("testapikey-001", "ap1s3cr3t", "ghost@example.com", "testtest", "n", "c").String(), nil, 401, 10006},
		{"missing header", "/v1/testnetwork/self", "", nil, 401, 10001},
		{"malformed header", "/v1/testnetwork/self", `Bearer abc`, nil, 401, 10002},
		{"missing field", "/v1/testnetwork/self", `AuthToken ApiKey="testapikey-001", Nonce="n"`, nil, 401, 10002},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := env.send(t, http.MethodGet, tt.path, tt.header, nil, tt.extra...)
			if got.HTTP != tt.status || got.Status != tt.status {
				t.Fatalf("HTTP %d body status %d, want %d (%s; explain %q)", got.HTTP, got.Status, tt.status, got.Data, got.Explain)
			}
			if tt.code != 0 {
				if got.Outcome != "error" || got.code() != tt.code {
					t.Fatalf("outcome %s code %d, want error %d (%s)", got.Outcome, got.code(), tt.code, got.Data)
				}
				if got.Explain == "" {
					t.Errorf("no %s reason", "explain")
				}
			} else if got.Outcome != "success" {
				t.Fatalf("outcome %s: %s", got.Outcome, got.Data)
			}
		})
	}
}

func TestNonAdminForbiddenOnAdminEndpoint(t *testing.T) {
	env := newTestEnv(t, vectorTenants())
	c := vectorTenants()["default"]
	got := env.as(t, c, "unused", "x", http.MethodGet, "/v1/testnetwork/self", nil)
	if got.code() != 10006 {
		t.Fatalf("unknown user: code %d", got.code())
	}
	// The second seeded user is an investor (not an admin).
	var investor UserRecord
	env.view(t, "default", func(tx *platform.Tx) error {
		var err error
		investor, err = getRecord[UserRecord](tx, kindUser, 2)
		return err
	})
	got = env.as(t, c, investor.Email, DemoInvestorPassword, http.MethodPost, "/v1/testnetwork/self/approveUser", []byte(`{}`))
	if got.HTTP != 403 || got.code() != 10011 {
		t.Fatalf("non-admin approveUser: %d %d %s", got.HTTP, got.code(), got.Data)
	}
}

func TestCreatedWindowAndReplay(t *testing.T) {
	env := newTestEnv(t, vectorTenants(), func(p *Provider) {
		w, replay := 5*time.Minute, true
		p.opts.CreatedWindow, p.opts.NonceReplay = w, replay
	})
	c := defaultCredentials()
	sign := func(nonce string, at time.Time) string {
		return SignToken(c.APIKey, c.APISecret, c.Username, c.Password, nonce, CreatedString(at)).String()
	}
	cases := []struct {
		name   string
		header string
		code   int
	}{
		{"fresh", sign("n1", env.wall), 0},
		{"replayed nonce", sign("n1", env.wall), 10008},
		{"edge of window", sign("n2", env.wall.Add(-5*time.Minute)), 0},
		{"too old", sign("n3", env.wall.Add(-5*time.Minute-time.Second)), 10007},
		{"future", sign("n4", env.wall.Add(6*time.Minute)), 10007},
		{"php offset inside window", SignToken(c.APIKey, c.APISecret, c.Username, c.Password, "n5", env.wall.In(time.FixedZone("", 3600)).Format("2006-01-02T15:04:05-07:00")).String(), 0},
		{"unparseable created", SignToken(c.APIKey, c.APISecret, c.Username, c.Password, "n6", "yesterday").String(), 10007},
	}
	for _, tt := range cases {
		got := env.send(t, http.MethodGet, "/v1/testnetwork/self", tt.header, nil)
		if got.code() != tt.code {
			t.Errorf("%s: code %d, want %d (%s)", tt.name, got.code(), tt.code, got.Explain)
		}
	}
	// Off by default: the 2015 vector is accepted.
	env2 := newTestEnv(t, vectorTenants())
	if got := env2.send(t, http.MethodGet, "/v1/testnetwork/self", p1Header, nil); got.HTTP != 200 {
		t.Fatalf("default policy rejected an old token: %s", got.Explain)
	}
	if got := env2.send(t, http.MethodGet, "/v1/testnetwork/self", p1Header, nil); got.HTTP != 200 {
		t.Fatalf("default policy rejected a reused nonce: %s", got.Explain)
	}
}

func TestBasicGate(t *testing.T) {
	env := newTestEnv(t, vectorTenants(), func(p *Provider) {
		u, pw := "gate", "keeper"
		p.opts.BasicUser, p.opts.BasicPassword = u, pw
	})
	if got := env.send(t, http.MethodGet, "/v1/testnetwork/self", nodeVectors[0].header, nil); got.code() != 10013 {
		t.Fatalf("no basic auth: code %d", got.code())
	}
	basic := "Basic Z2F0ZTprZWVwZXI=" // gate:keeper
	if got := env.send(t, http.MethodGet, "/v1/testnetwork/self", nodeVectors[0].header, nil, "Authorization", basic); got.HTTP != 200 {
		t.Fatalf("with basic auth: %d %s", got.HTTP, got.Explain)
	}
}

// TestPythonReferenceSigner signs with testdata/cvauth.py (written from the
// SDKs' algorithm, independently of this package) and checks the Go signer
// agrees and the server accepts it.
func TestPythonReferenceSigner(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH")
	}
	// One python process answers every line, in order.
	var lines []string
	for _, v := range nodeVectors {
		lines = append(lines, "--nonce-from-bytes\t"+v.random, "--created-from-iso\t"+v.at.Format("2006-01-02T15:04:05.000Z"),
			strings.Join([]string{v.apiKey, v.secret, v.username, v.password, v.nonce, v.created}, "\t"))
	}
	type signCase struct{ user, password, nonce, created, path string }
	cases := []signCase{
		{"test@test.com", "testtest", "py-nonce-1", "2026-11-25T06:00:00+00:00", "/v1/testnetwork/self"},
		{"jane.doe@example.com", "pässwörd€", NewNonce(), CreatedString(time.Now()), "/v1/demo/self"},
		{"new", "new", NewNonce(), "2016-08-26T10:56:20+01:00", "/v1/testnetwork/public/stats"},
	}
	credsOf := func(tc signCase) *Credentials {
		if strings.HasPrefix(tc.path, "/v1/demo/") {
			return vectorTenants()["v3"]
		}
		return vectorTenants()["default"]
	}
	for _, tc := range cases {
		c := credsOf(tc)
		lines = append(lines, strings.Join([]string{c.APIKey, c.APISecret, tc.user, tc.password, tc.nonce, tc.created}, "\t"))
	}
	cmd := exec.Command(py, "testdata/cvauth.py", "--batch")
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("cvauth.py: %v", err)
	}
	out := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(out) != len(lines) {
		t.Fatalf("cvauth.py answered %d lines for %d", len(out), len(lines))
	}
	for i, v := range nodeVectors {
		if got := out[3*i]; got != v.nonce {
			t.Errorf("%s: python nonce %s", v.name, got)
		}
		if got := out[3*i+1]; got != v.created {
			t.Errorf("%s: python created %s", v.name, got)
		}
		if got := out[3*i+2]; got != v.header {
			t.Errorf("%s: python header\n got %s\nwant %s", v.name, got, v.header)
		}
	}
	env := newTestEnv(t, vectorTenants())
	for i, tc := range cases {
		creds := credsOf(tc)
		h := out[3*len(nodeVectors)+i]
		if want := SignToken(creds.APIKey, creds.APISecret, tc.user, tc.password, tc.nonce, tc.created).String(); h != want {
			t.Errorf("python and Go differ:\n%s\n%s", h, want)
		}
		if got := env.send(t, http.MethodGet, tc.path, h, nil); got.HTTP != 200 {
			t.Errorf("%s as %s: %d %s", tc.path, tc.user, got.HTTP, got.Explain)
		}
	}
}

func TestPublicAnonymousReads(t *testing.T) {
	off := newTestEnv(t, vectorTenants())
	if got := off.send(t, http.MethodGet, "/v1/testnetwork/public/featuredOfferings", "", nil); got.code() != 10001 {
		t.Fatalf("default: anonymous read gave %d %s", got.HTTP, got.Data)
	}
	on := newTestEnv(t, vectorTenants(), func(p *Provider) { p.opts.PublicAnonymous = true })
	if got := on.send(t, http.MethodGet, "/v1/testnetwork/public/featuredOfferings", "", nil); got.HTTP != 200 {
		t.Fatalf("anonymous read: %d %s", got.HTTP, got.Data)
	}
	if got := on.send(t, http.MethodPost, "/v1/testnetwork/users", "", []byte(`{"email":"a@b.c","password":"x"}`)); got.code() != 10001 {
		t.Fatalf("anonymous write: %d %s", got.HTTP, got.Data)
	}
	if got := on.send(t, http.MethodGet, "/v1/testnetwork/self", "", nil); got.code() != 10001 {
		t.Fatalf("anonymous user endpoint: %d %s", got.HTTP, got.Data)
	}
}
