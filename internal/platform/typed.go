package platform

import "encoding/json"

// CredentialsOf declares a provider's credentials type C once: how the
// default tenant's and new tenants' are made and which keys identify a
// tenant. It builds the CredentialSpec the tenant registry uses, and is the
// one place the credentials' `any` form (Caller.Creds, Tenants, SignCall)
// is turned back into *C, so provider code asserts nothing.
type CredentialsOf[C any] struct {
	// Default returns the fixed, documented credentials of the default tenant.
	Default func() *C
	// New returns fresh random credentials for a new tenant.
	New func() *C
	// Keys lists the values that identify the tenant in a request.
	Keys func(c *C) []string
	// Complete, when set, fills the fields c lacks (credentials stored
	// before they existed) from fill and reports whether c changed.
	Complete func(c, fill *C) bool
}

// Spec is the untyped form the tenant registry stores: the JSON form of C
// is what GET /_fakeprovider/credentials shows.
func (s CredentialsOf[C]) Spec() CredentialSpec {
	return CredentialSpec{
		Default: func() any { return s.Default() },
		New:     func() any { return s.New() },
		Decode: func(raw json.RawMessage) (any, error) {
			c := new(C)
			if err := json.Unmarshal(raw, c); err != nil {
				return nil, err
			}
			return c, nil
		},
		Keys: func(v any) []string {
			if c, ok := s.From(v); ok && s.Keys != nil {
				return s.Keys(c)
			}
			return nil
		},
		Complete: func(v, fill any) bool {
			c, ok1 := s.From(v)
			f, ok2 := s.From(fill)
			return ok1 && ok2 && s.Complete != nil && s.Complete(c, f)
		},
	}
}

// From returns v as the provider's credentials; ok is false for anything
// else (another provider's credentials, nil).
func (CredentialsOf[C]) From(v any) (*C, bool) {
	c, ok := v.(*C)
	return c, ok && c != nil
}

// Caller returns the credentials a Verifier put in the caller (nil when
// there are none).
func (s CredentialsOf[C]) Caller(c Caller) *C {
	creds, _ := s.From(c.Creds)
	return creds
}

// Lookup finds the tenant by one of its keys (credential keys or keys
// bound at run time) with its credentials.
func (s CredentialsOf[C]) Lookup(t Tenants, provider, key string) (string, *C, bool) {
	tenant, v, ok := t.Lookup(provider, key)
	if !ok {
		return "", nil, false
	}
	c, ok := s.From(v)
	return tenant, c, ok
}

// Of returns tenant's credentials.
func (s CredentialsOf[C]) Of(t Tenants, tenant, provider string) (*C, bool) {
	v, ok := t.Credentials(tenant, provider)
	if !ok {
		return nil, false
	}
	return s.From(v)
}

// UserOf returns the principal a Verifier put in Caller.User, as the
// provider's own type U.
func UserOf[U any](c Caller) (U, bool) {
	u, ok := c.User.(U)
	return u, ok
}
