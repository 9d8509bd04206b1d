package crowdtrust

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// fakeTenants knows only the default tenant's credentials.
type fakeTenants struct{ creds *Credentials }

func (f fakeTenants) Lookup(provider, key string) (string, any, bool) {
	if key == f.creds.Live.APIKey || key == f.creds.Test.APIKey {
		return defaultTenant, f.creds, true
	}
	return "", nil, false
}
func (f fakeTenants) Bind(string, string, string)            {}
func (f fakeTenants) Credentials(string, string) (any, bool) { return f.creds, true }
func (f fakeTenants) IDs() []string                          { return []string{defaultTenant} }

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time               { return c.t }
func (c fixedClock) ScenarioNow(string) time.Time { return c.t }

// fuzzProvider is a provider mounted on a temporary store without a server.
func fuzzProvider(f *testing.F) (*Provider, *platform.Mount) {
	st, err := store.Open(store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	p := New()
	creds := p.Credentials().Default().(*Credentials)
	m := platform.NewMount(Name, platform.Deps{Store: st, Tenants: fakeTenants{creds}, Clock: fixedClock{vectorTimeF(Vectors[0].Date)}})
	if err := p.Mount(m); err != nil {
		f.Fatal(err)
	}
	return p, m
}

func vectorTimeF(date string) time.Time {
	t, _ := http.ParseTime(date)
	return t
}

// FuzzVerify: any headers, path and body give a caller or a 403, never a panic.
func FuzzVerify(f *testing.F) {
	p, _ := fuzzProvider(f)
	for _, v := range Vectors {
		f.Add(v.Method, v.Path, v.Date, v.MD5, v.ContentType, v.Key.APIKey+":"+v.Raw, []byte(v.Body))
	}
	f.Add("GET", "/bacapi/checks/1", "", "", "", ":", []byte{})
	f.Add("POST", "/bacapi/test/checks", "Sun Nov  6 08:49:37 1994", "x", "application/json", "a1b2c3d4e5f6:::", []byte("{"))
	f.Fuzz(func(t *testing.T, method, path, date, md5, ctype, authz string, body []byte) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Method = method
		r.URL.Path, r.URL.RawPath = path, ""
		r.Header.Set("Date", date)
		r.Header.Set("Content-MD5", md5)
		r.Header.Set("Content-Type", ctype)
		r.Header.Set("Authorization", authz)
		caller, err := p.verify(r, body)
		if err != nil {
			ae, ok := err.(*platform.AuthError)
			if !ok || ae.Public != errForbidden {
				t.Fatalf("error %v is not the 403", err)
			}
			return
		}
		if caller.Tenant != defaultTenant || (caller.Env != EnvLive && caller.Env != EnvTest) {
			t.Fatalf("caller %+v", caller)
		}
	})
}

// FuzzParseBodies: the body parsers answer a value or the 400 envelope.
func FuzzParseBodies(f *testing.F) {
	f.Add([]byte(CheckV2))
	f.Add([]byte(BillV6))
	f.Add([]byte(`{"email":"a@b.co","tosToken":"8a7gh3k4","organizationName":"X","webhook":"https://x.example"}`))
	f.Add([]byte(`{"workHistory":[{"startDate":"2015-01-01"}],"homeAddresses":[null]}`))
	f.Add([]byte(`{"exp_month":"1e9","exp_year":-1}`))
	p := New()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		check := func(err error) {
			if err == nil {
				return
			}
			ae, ok := err.(*apiError)
			if !ok || ae.Status != 400 {
				t.Fatalf("error %v is not a 400", err)
			}
			for _, secret := range [][]byte{[]byte("4242424242424242")} {
				if bytes.Contains([]byte(ae.Error()), secret) {
					t.Fatalf("error echoes input")
				}
			}
		}
		_, err := parseCheckRequest(body)
		check(err)
		_, err = parseBilling(body, now)
		check(err)
		_, err = p.parseAccountRequest(body)
		check(err)
	})
}
