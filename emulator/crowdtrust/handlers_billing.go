package crowdtrust

import (
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// parseBilling validates a card the way Stripe's card tokens do; the number
// and cvc never leave this function.
func parseBilling(body []byte, now time.Time) (Billing, error) {
	var b Billing
	o, err := parseObject(body)
	if err != nil {
		return b, err
	}
	number, err := o.required("number", "")
	if err != nil {
		return b, err
	}
	if !digitsPattern.MatchString(number) || len(number) < 12 || len(number) > 19 {
		return b, invalid("number", "The card number is not a valid credit card number")
	}
	if !luhn(number) {
		return b, invalid("number", "Your card number is incorrect")
	}
	month, present, err := o.number("exp_month")
	if err != nil {
		return b, err
	}
	if !present {
		return b, invalid("exp_month", "The exp_month field is required")
	}
	if month < 1 || month > 12 {
		return b, invalid("exp_month", "Your card's expiration month is invalid")
	}
	year, present, err := o.number("exp_year")
	if err != nil {
		return b, err
	}
	if !present {
		return b, invalid("exp_year", "The exp_year field is required")
	}
	switch {
	case year >= 0 && year < 100:
		year += 2000
	case year < 1000 || year > 9999:
		return b, invalid("exp_year", "Your card's expiration year is invalid")
	}
	if year < now.Year() || (year == now.Year() && month < int(now.Month())) {
		return b, invalid("exp_year", "Your card's expiration date is in the past")
	}
	cvc, err := o.required("cvc", "")
	if err != nil {
		return b, err
	}
	if !digitsPattern.MatchString(cvc) || len(cvc) < 3 || len(cvc) > 4 {
		return b, invalid("cvc", "Your card's security code is invalid")
	}
	b = Billing{Brand: cardBrand(number), Last4: number[len(number)-4:], ExpMonth: month, ExpYear: year}
	for _, f := range []struct {
		name     string
		dst      *string
		optional bool
	}{
		{"name", &b.Name, false}, {"address_line1", &b.AddressLine1, false}, {"address_line2", &b.AddressLine2, true},
		{"address_city", &b.AddressCity, false}, {"address_state", &b.AddressState, false},
		{"address_zip", &b.AddressZip, false}, {"address_country", &b.AddressCountry, false},
	} {
		get := o.required
		if f.optional {
			get = o.str
		}
		if *f.dst, err = get(f.name, ""); err != nil {
			return Billing{}, err
		}
	}
	// The decline card passes every format check and fails at the charge.
	if number == declineCard {
		return Billing{}, invalid("number", "Your card was declined")
	}
	return b, nil
}

// setBilling is POST /bacapi[/test]/account/billing.
func (p *Provider) setBilling(req *platform.Request) (any, error) {
	b, err := parseBilling(req.Body, req.Now())
	if err != nil {
		return nil, err
	}
	account, _ := platform.UserOf[string](req.Caller)
	err = req.Update(func(tx *platform.Tx) error {
		acct, err := loadAccount(tx, account)
		if err != nil {
			return err
		}
		if req.Caller.Env == EnvTest {
			acct.TestBilling = &b
		} else {
			acct.LiveBilling = &b
		}
		return tx.Records().Put(kindAccount, acct.ID, acct)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}
