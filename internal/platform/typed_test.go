package platform_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

type keyCreds struct {
	Key string `json:"key"`
}

var typed = platform.CredentialsOf[keyCreds]{
	Default: func() *keyCreds { return &keyCreds{Key: "default"} },
	New:     func() *keyCreds { return &keyCreds{Key: "new"} },
	Keys:    func(c *keyCreds) []string { return []string{"k:" + c.Key} },
}

// mapTenants is a two-tenant registry stand-in.
type mapTenants map[string]any

func (m mapTenants) Lookup(_, key string) (string, any, bool) {
	for id, c := range m {
		if slices.Contains(typed.Spec().Keys(c), key) {
			return id, c, true
		}
	}
	return "", nil, false
}
func (m mapTenants) Credentials(tenant, _ string) (any, bool) { c, ok := m[tenant]; return c, ok }
func (m mapTenants) Bind(string, string, string)              {}
func (m mapTenants) IDs() []string                            { return nil }

func TestCredentialsOf(t *testing.T) {
	spec := typed.Spec()
	got, err := spec.Decode(json.RawMessage(`{"key":"stored"}`))
	if c, ok := typed.From(got); err != nil || !ok || c.Key != "stored" {
		t.Fatalf("Decode: %v %#v", err, got)
	}
	if _, err := spec.Decode(json.RawMessage(`[]`)); err == nil {
		t.Error("Decode accepted an array")
	}
	if keys := spec.Keys(spec.Default()); !slices.Equal(keys, []string{"k:default"}) {
		t.Errorf("Keys(Default) = %v", keys)
	}
	if keys := spec.Keys(&struct{}{}); keys != nil {
		t.Errorf("Keys of foreign credentials = %v", keys)
	}
	if _, ok := typed.From((*keyCreds)(nil)); ok {
		t.Error("From(nil) ok")
	}
	if c := typed.Caller(platform.Caller{Creds: "not credentials"}); c != nil {
		t.Errorf("Caller with foreign creds = %v", c)
	}
	tenants := mapTenants{"a": &keyCreds{Key: "a"}, "b": "foreign"}
	if id, c, ok := typed.Lookup(tenants, "p", "k:a"); !ok || id != "a" || c.Key != "a" {
		t.Errorf("Lookup = %q %v %v", id, c, ok)
	}
	if _, ok := typed.Of(tenants, "b", "p"); ok {
		t.Error("Of found foreign credentials")
	}
	if u, ok := platform.UserOf[string](platform.Caller{User: "acct"}); !ok || u != "acct" {
		t.Errorf("UserOf = %q %v", u, ok)
	}
	if _, ok := platform.UserOf[int](platform.Caller{User: "acct"}); ok {
		t.Error("UserOf accepted another type")
	}
}

func TestFieldsReaders(t *testing.T) {
	f := platform.Fields{
		"int": 7, "float": 808.0, "fraction": 1.5, "number": json.Number("42"), "numeric": " 12 ",
		"word": "abc", "bool": true, "nil": nil,
	}
	ints := []struct {
		key  string
		want int
		ok   bool
	}{
		{"int", 7, true}, {"float", 808, true}, {"fraction", 0, false}, {"number", 42, true},
		{"numeric", 12, true}, {"word", 0, false}, {"bool", 0, false}, {"absent", 0, false},
	}
	for _, tt := range ints {
		if got, ok := f.Int(tt.key); got != tt.want || ok != tt.ok {
			t.Errorf("Int(%s) = %d %v, want %d %v", tt.key, got, ok, tt.want, tt.ok)
		}
	}
	strs := map[string]string{"word": "abc", "float": "808", "fraction": "1.5", "int": "7", "bool": "true", "nil": "", "absent": ""}
	for key, want := range strs {
		if got := f.String(key); got != want {
			t.Errorf("String(%s) = %q, want %q", key, got, want)
		}
	}
}
