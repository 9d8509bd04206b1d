package tenant

import (
	"errors"

	"github.com/fakeprovider/fakeprovider/internal/store"
)

// ErrDefaultTenant is returned when deleting the default tenant.
var ErrDefaultTenant = errors.New("tenant: the default tenant cannot be deleted")

// ErrNotFound is returned for an unknown tenant.
var ErrNotFound = errors.New("tenant: no such tenant")

// Delete removes a tenant and its credentials (its keys stop
// authenticating) in tx; the registry forgets it when tx commits. The
// caller deletes the tenant's state in the same transaction.
func (r *Registry) Delete(tx *store.Tx, id string) error {
	if id == DefaultID {
		return ErrDefaultTenant
	}
	if _, ok := r.Get(id); !ok {
		return ErrNotFound
	}
	if err := tx.System(bucketName).Delete(id); err != nil {
		return err
	}
	tx.OnCommit(func() { r.forget(id) })
	return nil
}

func (r *Registry) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.tenants[id]
	if !ok {
		return
	}
	for p, c := range t.Creds {
		for _, k := range r.specs[p].Keys(c) {
			if r.index[p][k] == id {
				delete(r.index[p], k)
			}
		}
	}
	delete(r.tenants, id)
}
