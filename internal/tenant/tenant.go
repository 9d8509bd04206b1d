// Package tenant keeps the emulator's tenants and their credentials for
// every provider. Credentials identify a tenant: a request's login or API
// key resolves, through an in-memory index, to the tenant whose state it may
// see. Tenants are persisted in the store and reloaded at start.
package tenant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// DefaultID is the id of the tenant that exists from the start.
const DefaultID = "default"

const bucketName = "tenants"

// Tenant is one isolated set of credentials and state.
type Tenant struct {
	ID      string
	Created time.Time
	Creds   map[string]any
}

type stored struct {
	ID          string                     `json:"id"`
	Created     time.Time                  `json:"created"`
	Credentials map[string]json.RawMessage `json:"credentials"`
}

// Registry is the set of tenants.
type Registry struct {
	st        *store.Store
	providers []string
	specs     map[string]platform.CredentialSpec

	mu      sync.RWMutex
	tenants map[string]*Tenant
	index   map[string]map[string]string // provider → key → tenant
	bound   map[string]map[string]string // provider → key made at run time → tenant
}

// New returns a registry for the providers' credential specs.
func New(st *store.Store, providers []platform.Provider) *Registry {
	r := &Registry{
		st:      st,
		specs:   map[string]platform.CredentialSpec{},
		tenants: map[string]*Tenant{},
		index:   map[string]map[string]string{},
		bound:   map[string]map[string]string{},
	}
	for _, p := range providers {
		r.providers = append(r.providers, p.Name())
		r.specs[p.Name()] = p.Credentials()
		r.index[p.Name()] = map[string]string{}
		r.bound[p.Name()] = map[string]string{}
	}
	return r
}

// Providers lists the provider names in mount order.
func (r *Registry) Providers() []string { return r.providers }

// Load reads the stored tenants, then makes sure the default tenant exists
// with the default credentials, overlaid by overrides (provider → JSON
// object of the fields to change).
func (r *Registry) Load(ctx context.Context, overrides map[string]json.RawMessage) error {
	var loaded []stored
	err := r.st.View(ctx, func(tx *store.Tx) error {
		return tx.System(bucketName).ForEach(func(k string, v []byte) error {
			var s stored
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("tenant %s: %v", k, err) // fails the start, as before: not skipped
			}
			loaded = append(loaded, s)
			return nil
		})
	})
	if err != nil {
		return err
	}
	for _, s := range loaded {
		t := &Tenant{ID: s.ID, Created: s.Created, Creds: map[string]any{}}
		changed := false // credentials filled at this load: saved, so they stay the same at the next
		for _, p := range r.providers {
			spec := r.specs[p]
			fresh := spec.New
			if s.ID == DefaultID {
				fresh = spec.Default
			}
			raw, ok := s.Credentials[p]
			if !ok { // a provider added since the tenant was stored
				t.Creds[p], changed = fresh(), true
				continue
			}
			c, err := spec.Decode(raw)
			if err != nil {
				return fmt.Errorf("tenant %s: %s credentials: %w", s.ID, p, err)
			}
			if spec.Complete != nil && spec.Complete(c, fresh()) { // fields added since
				changed = true
			}
			t.Creds[p] = c
		}
		if changed && s.ID != DefaultID { // the default tenant is saved below
			if err := r.save(ctx, t); err != nil {
				return err
			}
		}
		r.add(t)
	}
	for p := range overrides {
		if _, ok := r.specs[p]; !ok {
			return fmt.Errorf("credentials override: unknown provider %q (known: %s)", p, strings.Join(r.providers, ", "))
		}
	}
	// The default tenant's credentials are always the documented defaults
	// overlaid by this start's overrides: an override dropped at a restart
	// with the same --data gives the documented values back.
	stored, exists := r.Get(DefaultID)
	def := &Tenant{ID: DefaultID, Created: time.Now().UTC(), Creds: map[string]any{}}
	if exists {
		def.Created = stored.Created
	}
	for _, p := range r.providers {
		def.Creds[p] = r.specs[p].Default()
	}
	for p, raw := range overrides {
		merged, err := Overlay(r.specs[p].Default(), raw)
		if err != nil {
			return fmt.Errorf("credentials override for %s: %w", p, err)
		}
		c, err := r.specs[p].Decode(merged)
		if err != nil {
			return fmt.Errorf("credentials override for %s: %w", p, err)
		}
		def.Creds[p] = c
	}
	if !exists || !sameCreds(stored, def) {
		if err := r.save(ctx, def); err != nil {
			return err
		}
	}
	r.add(def)
	return nil
}

// sameCreds reports whether two tenants have the same credentials.
func sameCreds(a, b *Tenant) bool {
	if len(a.Creds) != len(b.Creds) {
		return false
	}
	for p, ca := range a.Creds {
		cb, ok := b.Creds[p]
		if !ok {
			return false
		}
		ra, err1 := json.Marshal(ca)
		rb, err2 := json.Marshal(cb)
		if err1 != nil || err2 != nil || string(ra) != string(rb) {
			return false
		}
	}
	return true
}

// Overlay merges the JSON object patch over base's JSON form.
func Overlay(base any, patch json.RawMessage) (json.RawMessage, error) {
	raw, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	var b, p map[string]any
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	mergeMaps(b, p)
	return json.Marshal(b)
}

func mergeMaps(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergeMaps(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}

// Create mints a tenant with fresh random credentials for every provider.
func (r *Registry) Create(ctx context.Context) (*Tenant, error) {
	t := &Tenant{
		ID:      "t_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16],
		Created: time.Now().UTC(),
		Creds:   map[string]any{},
	}
	for _, p := range r.providers {
		t.Creds[p] = r.specs[p].New()
	}
	if err := r.save(ctx, t); err != nil {
		return nil, err
	}
	r.add(t)
	return t, nil
}

func (r *Registry) save(ctx context.Context, t *Tenant) error {
	s := stored{ID: t.ID, Created: t.Created, Credentials: map[string]json.RawMessage{}}
	for p, c := range t.Creds {
		raw, err := json.Marshal(c)
		if err != nil {
			return err
		}
		s.Credentials[p] = raw
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return r.st.Update(ctx, func(tx *store.Tx) error {
		return tx.System(bucketName).Put(t.ID, raw)
	})
}

// ErrKeyTaken is returned when two tenants would share an identifying key.
var ErrKeyTaken = errors.New("tenant: credential key already used by another tenant")

func (r *Registry) add(t *Tenant) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.tenants[t.ID]; ok {
		for p, c := range old.Creds {
			for _, k := range r.specs[p].Keys(c) {
				delete(r.index[p], k)
			}
		}
	}
	r.tenants[t.ID] = t
	for p, c := range t.Creds {
		for _, k := range r.specs[p].Keys(c) {
			if k != "" {
				r.index[p][k] = t.ID
			}
		}
	}
}

// Get returns a tenant.
func (r *Registry) Get(id string) (*Tenant, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.tenants[id]
	return t, ok
}

// Lookup implements platform.Tenants.
func (r *Registry) Lookup(provider, key string) (string, any, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	id, ok := r.index[provider][key]
	if !ok {
		if id, ok = r.bound[provider][key]; !ok {
			return "", nil, false
		}
	}
	t, ok := r.tenants[id]
	if !ok {
		return "", nil, false
	}
	return id, t.Creds[provider], true
}

// Bind implements platform.Tenants: key, made at run time, identifies
// tenant from now on. Credential keys win over bound ones.
func (r *Registry) Bind(provider, key, tenant string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b, ok := r.bound[provider]; ok && key != "" {
		b[key] = tenant
	}
}

// Credentials implements platform.Tenants.
func (r *Registry) Credentials(tenant, provider string) (any, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.tenants[tenant]
	if !ok {
		return nil, false
	}
	c, ok := t.Creds[provider]
	return c, ok
}

// IDs implements platform.Tenants: the default tenant first, then by id.
func (r *Registry) IDs() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids := make([]string, 0, len(r.tenants))
	for id := range r.tenants {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if ids[i] == DefaultID || ids[j] == DefaultID {
			return ids[i] == DefaultID
		}
		return ids[i] < ids[j]
	})
	return ids
}

// View is the public JSON form of a tenant's credentials:
// {"tenant": id, "<provider>": {...}, ...}.
func (r *Registry) View(id string) (map[string]any, bool) {
	t, ok := r.Get(id)
	if !ok {
		return nil, false
	}
	out := map[string]any{"tenant": t.ID}
	for p, c := range t.Creds {
		out[p] = c
	}
	return out, true
}
