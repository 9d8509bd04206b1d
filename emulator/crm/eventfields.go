package crm

import (
	"maps"
	"slices"
)

// openFields, among an event's fields, says it carries others too
// (scenario.OpenFields).
const openFields = "*"

// EventFields lists the fields a scenario's match conditions may name, per
// event (scenario.EventFielder): the keys of the maps the events are
// published with, taken from the same functions. A request also carries
// its type-specific text data, so request.created is open.
func (p *Provider) EventFields() map[string][]string {
	keys := func(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
	return map[string][]string{
		"request.created": append(keys(requestFields(&Request{Debit: &Debit{}})), openFields),
		"payment.created": keys(paymentFields(&Payment{})),
	}
}
