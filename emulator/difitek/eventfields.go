package difitek

import (
	"maps"
	"slices"
)

// EventFields lists the fields a scenario's match conditions may name, per
// event (scenario.EventFielder): the keys of the maps the events are
// published with, taken from the same functions, so they cannot drift.
func (p *Provider) EventFields() map[string][]string {
	keys := func(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
	return map[string][]string{
		eventUserRegistered:    keys(userFields(&UserRecord{})),
		eventOfferingPublished: keys(offeringFields(Offering{})),
		eventOfferingFunded:    keys(offeringFields(Offering{})),
		eventInvestmentCreated: keys(investmentFields(&Investment{}, &Offering{}, &UserRecord{})),
		eventKYCRequested:      keys(kycFields("", "", &UserRecord{})),
	}
}

// userFields is what user.registered carries.
func userFields(u *UserRecord) map[string]any {
	return map[string]any{"email": u.Email, "given_name": u.GivenName, "family_name": u.FamilyName}
}

// kycFields is what kyc.requested carries.
func kycFields(service, check string, u *UserRecord) map[string]any {
	return map[string]any{
		"service": service, "check": check, "user_id": u.ID, "user.email": u.Email,
		"user.given_name": u.GivenName, "user.family_name": u.FamilyName,
	}
}

// investmentFields is what investment.created carries.
func investmentFields(inv *Investment, off *Offering, user *UserRecord) map[string]any {
	return map[string]any{
		"investment_amount": inv.InvestmentAmount, "amount": inv.InvestmentAmount, "currency": inv.Currency,
		"offering_id": off.ID, "user_id": user.ID, "user.email": user.Email,
		"user.given_name": user.GivenName, "user.family_name": user.FamilyName,
		"offering.name": off.Name, "offering.raised_percent": off.RaisedPercent,
	}
}
