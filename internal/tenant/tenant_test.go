package tenant_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/store"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
)

var ctx = context.Background()

// acmeCreds has a nested object like CrowdTrust's live/test keys.
type acmeCreds struct {
	Login  string  `json:"login"`
	Secret string  `json:"secret"`
	Live   acmeKey `json:"live"`
	Test   acmeKey `json:"test"`
}

type acmeKey struct {
	APIKey    string `json:"api_key"`
	SecretKey string `json:"secret_key"`
}

func rnd() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

type fakeProvider struct{ name string }

func (p fakeProvider) Name() string                { return p.name }
func (p fakeProvider) Mount(*platform.Mount) error { return nil }
func (p fakeProvider) Credentials() platform.CredentialSpec {
	return platform.CredentialSpec{
		Default: func() any {
			return &acmeCreds{Login: p.name + "-login", Secret: "s3cret",
				Live: acmeKey{APIKey: p.name + "-live", SecretKey: "lk"}, Test: acmeKey{APIKey: p.name + "-test", SecretKey: "tk"}}
		},
		New: func() any {
			return &acmeCreds{Login: "l-" + rnd(), Secret: rnd(), Live: acmeKey{"lv-" + rnd(), rnd()}, Test: acmeKey{"ts-" + rnd(), rnd()}}
		},
		Decode: func(raw json.RawMessage) (any, error) {
			var c acmeCreds
			return &c, json.Unmarshal(raw, &c)
		},
		Keys: func(c any) []string {
			a := c.(*acmeCreds)
			return []string{a.Login, a.Live.APIKey, a.Test.APIKey}
		},
	}
}

var providers = []platform.Provider{fakeProvider{"acme"}, fakeProvider{"other"}}

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(store.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func load(t *testing.T, st *store.Store, overrides map[string]json.RawMessage) *tenant.Registry {
	t.Helper()
	r := tenant.New(st, providers)
	if err := r.Load(ctx, overrides); err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

func creds(t *testing.T, r *tenant.Registry, id, provider string) *acmeCreds {
	t.Helper()
	c, ok := r.Credentials(id, provider)
	if !ok {
		t.Fatalf("no %s credentials for %s", provider, id)
	}
	return c.(*acmeCreds)
}

func TestDefaultTenantFixedCredentials(t *testing.T) {
	for i := range 2 { // the same in two independent stores
		r := load(t, openStore(t, ""), nil)
		if ids := r.IDs(); len(ids) != 1 || ids[0] != tenant.DefaultID {
			t.Fatalf("run %d: ids %v", i, ids)
		}
		c := creds(t, r, tenant.DefaultID, "acme")
		if c.Login != "acme-login" || c.Secret != "s3cret" || c.Live.APIKey != "acme-live" {
			t.Errorf("run %d: default credentials %+v", i, c)
		}
		if got := r.Providers(); strings.Join(got, ",") != "acme,other" {
			t.Errorf("providers %v", got)
		}
	}
}

func TestOverrides(t *testing.T) {
	cases := []struct {
		name      string
		overrides map[string]json.RawMessage
		want      func(c *acmeCreds) bool
		wantErr   string
	}{
		{"one field", map[string]json.RawMessage{"acme": json.RawMessage(`{"secret":"mine"}`)},
			func(c *acmeCreds) bool { return c.Secret == "mine" && c.Login == "acme-login" }, ""},
		{"nested field keeps siblings", map[string]json.RawMessage{"acme": json.RawMessage(`{"live":{"secret_key":"LK2"}}`)},
			func(c *acmeCreds) bool {
				return c.Live.SecretKey == "LK2" && c.Live.APIKey == "acme-live" && c.Test.APIKey == "acme-test"
			}, ""},
		{"identifying key", map[string]json.RawMessage{"acme": json.RawMessage(`{"login":"ci-login"}`)},
			func(c *acmeCreds) bool { return c.Login == "ci-login" }, ""},
		{"unknown provider", map[string]json.RawMessage{"nope": json.RawMessage(`{}`)}, nil, `unknown provider "nope"`},
		{"not an object", map[string]json.RawMessage{"acme": json.RawMessage(`"x"`)}, nil, "not a JSON object"},
		{"wrong type", map[string]json.RawMessage{"acme": json.RawMessage(`{"login":5}`)}, nil, "override for acme"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := tenant.New(openStore(t, ""), providers)
			err := r.Load(ctx, c.overrides)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("Load: %v, want an error containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := creds(t, r, tenant.DefaultID, "acme")
			if !c.want(got) {
				t.Errorf("credentials %+v", got)
			}
			// The other provider keeps its defaults.
			if o := creds(t, r, tenant.DefaultID, "other"); o.Login != "other-login" {
				t.Errorf("other provider changed: %+v", o)
			}
			// Lookup follows the override.
			if id, _, ok := r.Lookup("acme", got.Login); !ok || id != tenant.DefaultID {
				t.Errorf("Lookup(%q): %q %v", got.Login, id, ok)
			}
		})
	}
}

// An override of the identifying key replaces the old key in the index.
func TestOverrideAcrossRestartReindexes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st := openStore(t, path)
	load(t, st, nil)
	st.Close()
	st = openStore(t, path)
	r := load(t, st, map[string]json.RawMessage{"acme": json.RawMessage(`{"login":"new-login"}`)})
	if _, _, ok := r.Lookup("acme", "acme-login"); ok {
		t.Error("the overridden login still resolves")
	}
	if id, _, ok := r.Lookup("acme", "new-login"); !ok || id != tenant.DefaultID {
		t.Error("the new login does not resolve")
	}
}

func TestCreateFreshRandomCredentials(t *testing.T) {
	r := load(t, openStore(t, ""), nil)
	seen := map[string]bool{}
	var ids []string
	for range 5 {
		tn, err := r.Create(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if tn.ID == tenant.DefaultID || !strings.HasPrefix(tn.ID, "t_") || seen[tn.ID] {
			t.Errorf("tenant id %q", tn.ID)
		}
		seen[tn.ID] = true
		ids = append(ids, tn.ID)
		for _, p := range []string{"acme", "other"} {
			c := creds(t, r, tn.ID, p)
			for _, v := range []string{c.Login, c.Secret, c.Live.APIKey, c.Test.SecretKey} {
				if v == "" || seen[v] || strings.Contains(v, "acme-") {
					t.Errorf("%s %s: value %q empty, reused or default", tn.ID, p, v)
				}
				seen[v] = true
			}
		}
	}
	if got := r.IDs(); len(got) != 6 || got[0] != tenant.DefaultID {
		t.Errorf("IDs %v", got)
	}
	for i := 2; i < len(r.IDs()); i++ {
		if r.IDs()[i-1] > r.IDs()[i] {
			t.Errorf("IDs not sorted after default: %v", r.IDs())
		}
	}
	v, ok := r.View(ids[0])
	if !ok || v["tenant"] != ids[0] || v["acme"] == nil || v["other"] == nil || len(v) != 3 {
		t.Errorf("View: %v", v)
	}
	if _, ok := r.View("nope"); ok {
		t.Error("View of an unknown tenant")
	}
	if _, ok := r.Get("nope"); ok {
		t.Error("Get of an unknown tenant")
	}
	if _, ok := r.Credentials("nope", "acme"); ok {
		t.Error("Credentials of an unknown tenant")
	}
	if _, ok := r.Credentials(tenant.DefaultID, "nope"); ok {
		t.Error("Credentials of an unknown provider")
	}
}

func TestLookupPerProvider(t *testing.T) {
	r := load(t, openStore(t, ""), nil)
	tn, _ := r.Create(ctx)
	mine := creds(t, r, tn.ID, "acme")
	cases := []struct {
		provider, key string
		want          string
		ok            bool
	}{
		{"acme", "acme-login", tenant.DefaultID, true},
		{"acme", "acme-live", tenant.DefaultID, true},
		{"acme", "acme-test", tenant.DefaultID, true},
		{"other", "other-login", tenant.DefaultID, true},
		{"other", "acme-login", "", false}, // a key of another provider
		{"acme", mine.Login, tn.ID, true},
		{"acme", mine.Live.APIKey, tn.ID, true},
		{"acme", mine.Secret, "", false}, // not an identifying key
		{"acme", "", "", false},
		{"nope", "acme-login", "", false},
	}
	for _, c := range cases {
		id, cr, ok := r.Lookup(c.provider, c.key)
		if id != c.want || ok != c.ok || (ok && cr == nil) {
			t.Errorf("Lookup(%s, %q) = %q, %v, %v; want %q, %v", c.provider, c.key, id, cr, ok, c.want, c.ok)
		}
	}
}

func TestPersistenceAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st := openStore(t, path)
	r := load(t, st, nil)
	tn, err := r.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := *creds(t, r, tn.ID, "acme")
	st.Close()

	r2 := load(t, openStore(t, path), nil)
	if got := r2.IDs(); len(got) != 2 || got[1] != tn.ID {
		t.Fatalf("IDs after reopen: %v", got)
	}
	if after := *creds(t, r2, tn.ID, "acme"); after != before {
		t.Errorf("credentials changed: %+v → %+v", before, after)
	}
	if id, _, ok := r2.Lookup("acme", before.Login); !ok || id != tn.ID {
		t.Errorf("lookup after reopen: %q %v", id, ok)
	}
	got, _ := r2.Get(tn.ID)
	if !got.Created.Equal(tn.Created) {
		t.Errorf("created %v, want %v", got.Created, tn.Created)
	}
}

// Dropping an override at a restart gives the documented defaults back.
func TestOverrideDroppedAtRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st := openStore(t, path)
	r := load(t, st, map[string]json.RawMessage{"acme": json.RawMessage(`{"login":"ci-login","secret":"x"}`)})
	created, _ := r.Get(tenant.DefaultID)
	st.Close()
	st = openStore(t, path)
	r = load(t, st, nil)
	if c := creds(t, r, tenant.DefaultID, "acme"); c.Login != "acme-login" || c.Secret != "s3cret" {
		t.Errorf("after the override was dropped: %+v", c)
	}
	if _, _, ok := r.Lookup("acme", "ci-login"); ok {
		t.Error("the dropped override's login still resolves")
	}
	if got, _ := r.Get(tenant.DefaultID); !got.Created.Equal(created.Created) {
		t.Errorf("created changed: %v → %v", created.Created, got.Created)
	}
	st.Close()
	// And it is persisted: a third start sees the defaults too.
	r = load(t, openStore(t, path), nil)
	if c := creds(t, r, tenant.DefaultID, "acme"); c.Login != "acme-login" {
		t.Errorf("third start: %+v", c)
	}
}

// A provider added after tenants were stored gets credentials at load:
// the defaults for the default tenant, fresh ones for the others.
func TestProviderAddedLater(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st := openStore(t, path)
	r := tenant.New(st, providers[:1])
	if err := r.Load(ctx, nil); err != nil {
		t.Fatal(err)
	}
	tn, _ := r.Create(ctx)
	st.Close()
	st2 := openStore(t, path)
	r2 := load(t, st2, nil)
	if c := creds(t, r2, tenant.DefaultID, "other"); c.Login != "other-login" {
		t.Errorf("default tenant's new provider: %+v", c)
	}
	c := creds(t, r2, tn.ID, "other")
	if c.Login == "other-login" || c.Login == "" {
		t.Errorf("other tenant's new provider: %+v", c)
	}
	// They are saved: the next start sees the same ones.
	st2.Close()
	if again := creds(t, load(t, openStore(t, path), nil), tn.ID, "other"); *again != *c {
		t.Errorf("new provider's credentials changed at restart: %+v → %+v", c, again)
	}
}

func TestConcurrentCreateAndLookup(t *testing.T) {
	r := load(t, openStore(t, ""), nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				tn, err := r.Create(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				c, _ := r.Credentials(tn.ID, "acme")
				if id, _, ok := r.Lookup("acme", c.(*acmeCreds).Login); !ok || id != tn.ID {
					t.Errorf("lookup of a new tenant: %q %v", id, ok)
				}
				r.IDs()
			}
		}()
	}
	wg.Wait()
	if n := len(r.IDs()); n != 81 {
		t.Errorf("%d tenants, want 81", n)
	}
}

func TestOverlay(t *testing.T) {
	cases := []struct {
		base  any
		patch string
		want  string
		err   bool
	}{
		{map[string]any{"a": 1, "b": map[string]any{"c": 2, "d": 3}}, `{"b":{"c":9},"e":"x"}`, `{"a":1,"b":{"c":9,"d":3},"e":"x"}`, false},
		{map[string]any{"a": map[string]any{"b": 1}}, `{"a":"flat"}`, `{"a":"flat"}`, false},
		{map[string]any{"a": 1}, `[1]`, "", true},
		{map[string]any{"a": 1}, `{}`, `{"a":1}`, false},
	}
	for _, c := range cases {
		got, err := tenant.Overlay(c.base, json.RawMessage(c.patch))
		if (err != nil) != c.err || (!c.err && string(got) != c.want) {
			t.Errorf("Overlay(%v, %s) = %s, %v; want %s", c.base, c.patch, got, err, c.want)
		}
	}
}

// TestBindFindsRuntimeKeys: a key made at run time finds its tenant and the
// tenant's credentials; it is scoped to its provider, and credential keys
// win over bound ones.
func TestBindFindsRuntimeKeys(t *testing.T) {
	r := load(t, openStore(t, ""), nil)
	other, err := r.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.Bind("acme", "account:k1", other.ID)
	r.Bind("acme", "acme-live", other.ID) // a credential key stays the default tenant's
	r.Bind("nobody", "account:k2", other.ID)
	tests := []struct {
		provider, key, tenant string
		found                 bool
	}{
		{"acme", "account:k1", other.ID, true},
		{"other", "account:k1", "", false},
		{"acme", "acme-live", tenant.DefaultID, true},
		{"nobody", "account:k2", "", false},
		{"acme", "account:unknown", "", false},
	}
	for _, tt := range tests {
		id, c, ok := r.Lookup(tt.provider, tt.key)
		if ok != tt.found || id != tt.tenant {
			t.Errorf("Lookup(%s, %s) = %q %v, want %q %v", tt.provider, tt.key, id, ok, tt.tenant, tt.found)
		}
		if ok && c != creds(t, r, tt.tenant, tt.provider) {
			t.Errorf("Lookup(%s, %s): credentials are not the tenant's", tt.provider, tt.key)
		}
	}
}

// completingProvider fills a stored tenant's missing Secret at load.
type completingProvider struct{ fakeProvider }

func (p completingProvider) Credentials() platform.CredentialSpec {
	spec := p.fakeProvider.Credentials()
	spec.Complete = func(c, fill any) bool {
		a, f := c.(*acmeCreds), fill.(*acmeCreds)
		if a.Secret != "" {
			return false
		}
		a.Secret = f.Secret
		return true
	}
	return spec
}

// putTenant writes a tenant record as an older version stored it.
func putTenant(t *testing.T, st *store.Store, id, record string) {
	t.Helper()
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.System("tenants").Put(id, []byte(record)) }); err != nil {
		t.Fatal(err)
	}
}

// Fields a stored tenant lacks are completed at load (fresh values for
// other tenants, the defaults for the default tenant) and saved, so the
// next start sees the same values.
func TestCompleteMissingFieldsAtLoad(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		stored string
		want   func(c *acmeCreds) bool
	}{
		{"other tenant lacking the field gets a fresh value", "t_old", `{"id":"t_old","created":"2024-01-01T00:00:00Z","credentials":{"acme":{"login":"old-login"}}}`,
			func(c *acmeCreds) bool { return c.Login == "old-login" && c.Secret != "" && c.Secret != "s3cret" }},
		{"other tenant with the field keeps it", "t_full", `{"id":"t_full","created":"2024-01-01T00:00:00Z","credentials":{"acme":{"login":"full-login","secret":"kept"}}}`,
			func(c *acmeCreds) bool { return c.Login == "full-login" && c.Secret == "kept" }},
		{"default tenant gets the default", tenant.DefaultID, `{"id":"default","created":"2024-01-01T00:00:00Z","credentials":{"acme":{"login":"acme-login"}}}`,
			func(c *acmeCreds) bool { return c.Login == "acme-login" && c.Secret == "s3cret" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.db")
			st := openStore(t, path)
			putTenant(t, st, tc.id, tc.stored)
			ps := []platform.Provider{completingProvider{fakeProvider{"acme"}}}
			r := tenant.New(st, ps)
			if err := r.Load(ctx, nil); err != nil {
				t.Fatal(err)
			}
			first := *creds(t, r, tc.id, "acme")
			if !tc.want(&first) {
				t.Fatalf("loaded %+v", first)
			}
			if id, _, ok := r.Lookup("acme", first.Login); !ok || id != tc.id {
				t.Fatalf("lookup %q: %q %v", first.Login, id, ok)
			}
			st.Close()
			st = openStore(t, path)
			r = tenant.New(st, ps)
			if err := r.Load(ctx, nil); err != nil {
				t.Fatal(err)
			}
			if again := *creds(t, r, tc.id, "acme"); again != first {
				t.Fatalf("not persisted: %+v, then %+v", first, again)
			}
		})
	}
}
