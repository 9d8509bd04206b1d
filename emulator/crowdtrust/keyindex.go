package crowdtrust

import (
	"context"
	"net/http"
	"sync"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// keyIndex caches which tenant owns the API keys of accounts created with
// POST /bacapi/account; the store stays the source of truth.
type keyIndex struct {
	mu     sync.RWMutex
	tenant map[string]string
}

func newKeyIndex() *keyIndex { return &keyIndex{tenant: map[string]string{}} }

func (k *keyIndex) get(apiKey string) (string, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	t, ok := k.tenant[apiKey]
	return t, ok
}

func (k *keyIndex) put(apiKey, tenant string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.tenant[apiKey] = tenant
}

// rebuildKeyIndex loads the created accounts' keys of every tenant.
func (p *Provider) rebuildKeyIndex() error {
	if p.deps.Store == nil || p.deps.Tenants == nil {
		return nil
	}
	for _, tenant := range p.deps.Tenants.IDs() {
		err := p.mount.View(context.Background(), tenant, func(tx *platform.Tx) error {
			return tx.Records().ForEach(kindAPIKey, func(id string, _ []byte) error {
				p.keys.put(id, tenant)
				return nil
			})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// lookupKey finds the account and secret behind an API key: a tenant's own
// keys first, then the created accounts.
func (p *Provider) lookupKey(r *http.Request, apiKey string) (principal, bool) {
	if tenant, creds, ok := p.deps.Tenants.Lookup(Name, apiKey); ok {
		c, ok := creds.(*Credentials)
		if !ok {
			return principal{}, false
		}
		switch apiKey {
		case c.Live.APIKey:
			return principal{Tenant: tenant, Account: mainAccount, Env: EnvLive, Secret: c.Live.SecretKey}, true
		case c.Test.APIKey:
			return principal{Tenant: tenant, Account: mainAccount, Env: EnvTest, Secret: c.Test.SecretKey}, true
		}
		return principal{}, false
	}
	if tenant, ok := p.keys.get(apiKey); ok {
		if who, ok := p.createdAccountKey(r.Context(), tenant, apiKey); ok {
			return who, true
		}
	}
	// The cache may miss accounts restored from a store written by another
	// process; the store is authoritative.
	for _, tenant := range p.deps.Tenants.IDs() {
		if who, ok := p.createdAccountKey(r.Context(), tenant, apiKey); ok {
			p.keys.put(apiKey, tenant)
			return who, true
		}
	}
	return principal{}, false
}

func (p *Provider) createdAccountKey(ctx context.Context, tenant, apiKey string) (principal, bool) {
	var who principal
	var found bool
	err := p.mount.View(ctx, tenant, func(tx *platform.Tx) error {
		var rec apiKeyRecord
		ok, err := tx.Records().Get(kindAPIKey, apiKey, &rec)
		if err != nil || !ok {
			return err
		}
		var acct Account
		if ok, err = tx.Records().Get(kindAccount, rec.Account, &acct); err != nil || !ok {
			return err
		}
		secret := acct.SecretKey
		if rec.Env == EnvTest {
			secret = acct.TestSecretKey
		}
		who, found = principal{Tenant: tenant, Account: acct.ID, Env: rec.Env, Secret: secret}, true
		return nil
	})
	return who, found && err == nil
}
