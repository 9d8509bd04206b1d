package d24

import (
	"maps"
	"slices"
)

// EventFields lists the fields a scenario's match conditions may name, per
// event (scenario.EventFielder). They are the keys of the maps the events
// are published with, taken from the same functions, so they cannot drift.
func (p *Provider) EventFields() map[string][]string {
	deposit := slices.Sorted(maps.Keys(depositFields(&Deposit{}, &depositRequest{})))
	return map[string][]string{"deposit.created": deposit}
}
