package crowdtrust

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// accountRequest is a validated POST /bacapi/account body.
type accountRequest struct {
	Email, TosToken, OrganizationName, Webhook, FirstName, LastName, Phone string
}

func (p *Provider) parseAccountRequest(body []byte) (accountRequest, error) {
	var in accountRequest
	o, err := parseObject(body)
	if err != nil {
		return in, err
	}
	if in.Email, err = o.str("email", ""); err != nil {
		return in, err
	}
	if !validEmail(in.Email) {
		return in, invalid("email", "The provided email is invalid")
	}
	// Whether a token is valid is whether it was issued (the docs' tokens
	// are 8 lowercase alphanumerics, but no rule says others cannot exist).
	if in.TosToken, err = o.required("tosToken", ""); err != nil {
		return in, err
	}
	if in.OrganizationName, err = o.required("organizationName", ""); err != nil {
		return in, err
	}
	if in.Webhook, err = o.str("webhook", ""); err != nil {
		return in, err
	}
	if in.Webhook != "" && !webhookAllowed(in.Webhook, p.opts.LoopbackHTTPWebhooks) {
		return in, invalid("webhook", "The webhook url must be over SSL (https)")
	}
	for field, dst := range map[string]*string{"firstName": &in.FirstName, "lastName": &in.LastName, "phone": &in.Phone} {
		if *dst, err = o.str(field, ""); err != nil {
			return in, err
		}
	}
	return in, nil
}

// tokenTenant finds the tenant a tosToken was issued for.
func (p *Provider) tokenTenant(ctx context.Context, token string) (string, bool) {
	tenant, _, ok := p.deps.Tenants.Lookup(Name, tosKey(token))
	if !ok {
		return "", false
	}
	var found bool
	_ = p.mount.View(ctx, tenant, func(tx *platform.Tx) error {
		found = tx.Records().GetRaw(kindToken, token) != nil
		return nil
	})
	return tenant, found
}

// createAccount is POST /bacapi/account: no signature; the tosToken says
// which tenant the new account belongs to.
func (p *Provider) createAccount(req *platform.Request) (any, error) {
	in, err := p.parseAccountRequest(req.Body)
	if err != nil {
		return nil, err
	}
	tenant, issued := p.tokenTenant(req.Context(), in.TosToken)
	if !issued {
		if !p.opts.AnyTosToken {
			return nil, invalid("tosToken", "The provided tosToken is invalid")
		}
		tenant = defaultTenant
	}
	live, test := newKeyPair(), newKeyPair()
	var acct Account
	err = p.mount.Update(req.Context(), tenant, func(tx *platform.Tx) error {
		now := tx.Now()
		if issued {
			var t TosToken
			if _, err := tx.Records().Get(kindToken, in.TosToken, &t); err != nil {
				return err
			}
			if t.Used != nil {
				return invalid("tosToken", "The provided tosToken has already been used")
			}
		}
		seq, err := tx.Records().NextSeq(kindAccount)
		if err != nil {
			return err
		}
		acct = Account{
			ID: strconv.FormatUint(seq, 10), Email: in.Email, OrganizationName: in.OrganizationName, Webhook: in.Webhook,
			FirstName: in.FirstName, LastName: in.LastName, Phone: in.Phone,
			APIKey: live.APIKey, SecretKey: live.SecretKey, TestAPIKey: test.APIKey, TestSecretKey: test.SecretKey,
			TestBilling: p.testBilling(in.OrganizationName, now), Created: now,
		}
		if err := tx.Records().Put(kindAccount, acct.ID, acct); err != nil {
			return err
		}
		for key, env := range map[string]string{live.APIKey: EnvLive, test.APIKey: EnvTest} {
			if err := tx.Records().Put(kindAPIKey, key, apiKeyRecord{Account: acct.ID, Env: env}); err != nil {
				return err
			}
		}
		if issued {
			if err := tx.Records().Put(kindToken, in.TosToken, TosToken{Token: in.TosToken, Issued: now, Used: &now, Account: acct.ID}); err != nil {
				return err
			}
		}
		return captureEmail(tx, Email{To: acct.Email, Account: acct.ID, Sent: now,
			Subject: "Your CrowdTrust Bad Actor Check API keys",
			Body: fmt.Sprintf("Welcome to CrowdTrust, %s.\n\nLIVE API key: %s\nLIVE secret key: %s\n\nTEST API key: %s\nTEST secret key: %s\n",
				acct.OrganizationName, acct.APIKey, acct.SecretKey, acct.TestAPIKey, acct.TestSecretKey)})
	})
	if err != nil {
		return nil, err
	}
	p.deps.Tenants.Bind(Name, accountKey(live.APIKey), tenant)
	p.deps.Tenants.Bind(Name, accountKey(test.APIKey), tenant)
	if issued {
		p.deps.Tenants.Bind(Name, tosKey(in.TosToken), tenant)
	}
	return AccountKeys{APIKey: acct.APIKey, SecretKey: acct.SecretKey, TestAPIKey: acct.TestAPIKey, TestSecretKey: acct.TestSecretKey}, nil
}

// defaultTenant is the id of the tenant that exists from the start.
const defaultTenant = "default"

// testBilling is the billing every TEST account has from the start.
func (p *Provider) testBilling(name string, now time.Time) *Billing {
	b := &Billing{Name: name, Brand: "Visa", Last4: "4242", ExpMonth: 12, ExpYear: now.Year() + 3, AddressCountry: "US"}
	p.fake(func(f *gofakeit.Faker) {
		b.AddressLine1 = f.Street()
		b.AddressCity = f.City()
		b.AddressState = f.StateAbr()
		b.AddressZip = f.Zip()
	})
	return b
}

// loadAccount reads an account; the tenant's own account exists implicitly.
func loadAccount(tx *platform.Tx, id string) (*Account, error) {
	var a Account
	ok, err := tx.Records().Get(kindAccount, id, &a)
	if err != nil {
		return nil, err
	}
	if !ok {
		if id != mainAccount {
			return nil, errForbidden
		}
		now := tx.Now()
		a = Account{ID: mainAccount, Created: now,
			TestBilling: &Billing{Name: "Default Test Account", Brand: "Visa", Last4: "4242", ExpMonth: 12, ExpYear: now.Year() + 3,
				AddressLine1: "1 Galaxy Way", AddressCity: "Rockville", AddressState: "MD", AddressZip: "20850", AddressCountry: "US"}}
	}
	return &a, nil
}

// captureEmail records a message the service sent.
func captureEmail(tx *platform.Tx, e Email) error {
	seq, err := tx.Records().NextSeq(kindEmail)
	if err != nil {
		return err
	}
	e.ID = fmt.Sprintf("email_%06d", seq)
	return tx.Records().Put(kindEmail, e.ID, e)
}
