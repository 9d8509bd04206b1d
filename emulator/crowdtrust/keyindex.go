package crowdtrust

import (
	"context"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// The keys made at run time are bound to their tenant with the tenant
// registry, so a request finds its tenant with one map lookup: the created
// accounts' API keys and the issued tosTokens. The store stays the source
// of truth: a bound key whose record is gone (after a reset) finds nothing.
func accountKey(apiKey string) string { return "account:" + apiKey }
func tosKey(token string) string      { return "tos:" + token }

// bindStoredKeys binds the created accounts' keys and the issued tokens of
// every tenant at start.
func (p *Provider) bindStoredKeys() error {
	if p.deps.Store == nil || p.deps.Tenants == nil {
		return nil
	}
	for _, tenant := range p.deps.Tenants.IDs() {
		err := p.mount.View(context.Background(), tenant, func(tx *platform.Tx) error {
			if err := tx.Records().ForEach(kindAPIKey, func(id string, _ []byte) error {
				p.deps.Tenants.Bind(Name, accountKey(id), tenant)
				return nil
			}); err != nil {
				return err
			}
			return tx.Records().ForEach(kindToken, func(id string, _ []byte) error {
				p.deps.Tenants.Bind(Name, tosKey(id), tenant)
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
	if tenant, _, ok := p.deps.Tenants.Lookup(Name, accountKey(apiKey)); ok {
		return p.createdAccountKey(r.Context(), tenant, apiKey)
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
