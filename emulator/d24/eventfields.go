package d24

import (
	"maps"
	"slices"
	"strconv"
)

// EventFields lists the fields a scenario's match conditions may name, per
// event (scenario.EventFielder). They are the keys of the maps the events
// are published with, taken from the same functions, so they cannot drift.
func (p *Provider) EventFields() map[string][]string {
	keys := func(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
	return map[string][]string{
		"deposit.created":            keys(depositFields(&Deposit{}, &depositRequest{})),
		"card_deposit.created":       keys(cardDepositFields(&Deposit{}, &depositRequest{}, "", "", "")),
		"refund.created":             keys(refundFields(0, &Deposit{}, "", false)),
		"cashout.created":            keys(cashoutFields(&Cashout{}, &cashoutRequest{}, "", false)),
		"subscription.cycle":         keys(cycleFields(&Subscription{})),
		"kyc.created":                keys(kycFields(&kycRequest{})),
		"account_validation.created": keys(accountFields(&accountRequest{}, "", "", "")),
		"sub_merchant.created":       keys(subMerchantFields(&SubMerchant{})),
		"quickpay.callback":          keys(quickpayFields(&Deposit{})),
	}
}

// sortedKeys is the sorted keys of a status set, for a status target's
// declared statuses.
func sortedKeys(set map[string]bool) []string { return slices.Sorted(maps.Keys(set)) }

// cashoutTargetStatuses is what the cashout status target takes: a status
// name or its numeric code.
func cashoutTargetStatuses() []string {
	names := slices.Sorted(maps.Keys(cashoutByName))
	for _, code := range slices.Sorted(maps.Keys(cashoutDescriptions)) {
		names = append(names, strconv.Itoa(code))
	}
	return names
}
