package crowdtrust

import "testing"

// Every status the check target declares is one it takes.
func TestCheckStatusNamesAreTaken(t *testing.T) {
	for _, s := range checkStatusNames {
		if _, ok := canonicalStatus(s); !ok {
			t.Errorf("declared check status %q is not taken", s)
		}
	}
	if _, ok := canonicalStatus("DECLINEDX"); ok {
		t.Error("DECLINEDX is taken")
	}
}
