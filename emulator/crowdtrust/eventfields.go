package crowdtrust

import (
	"maps"
	"slices"
)

// EventFields lists the fields a scenario's match conditions may name, per
// event (scenario.EventFielder): the keys of the map the event is
// published with, taken from the same function.
func (p *Provider) EventFields() map[string][]string {
	return map[string][]string{eventCheckCreated: slices.Sorted(maps.Keys(checkFields(&Check{}, "")))}
}

// checkStatusNames is what the check status target takes (compared
// without case): every spelling canonicalStatus knows.
var checkStatusNames = []string{"Pending", "Complete", "Completed", "Pass", "Passed", "Fail", "Failed", "Complete with Work History", "Error"}
