package platform_test

import (
	"slices"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// A status target's declared statuses are listed for lint, and a status
// given in another case (or with spaces) reaches the target in its
// declared spelling; others reach it as given.
func TestStatusTargetDeclaredStatuses(t *testing.T) {
	m := platform.NewMount("p", platform.Deps{})
	var got string
	m.StatusTarget("thing", func(_ *platform.Tx, _, status string, _ platform.Fields) error {
		got = status
		return nil
	}, "approved", "Complete with Work History")
	m.StatusTarget("free", func(*platform.Tx, string, string, platform.Fields) error { return nil })
	if want := []string{"approved", "Complete with Work History"}; !slices.Equal(m.TargetStatuses("thing"), want) {
		t.Errorf("TargetStatuses = %q, want %q", m.TargetStatuses("thing"), want)
	}
	if m.TargetStatuses("free") != nil {
		t.Errorf("a target that declares none lists %q", m.TargetStatuses("free"))
	}
	tx := m.NewTx(nil, "")
	for in, want := range map[string]string{
		"APPROVED":                   "approved",
		" approved ":                 "approved",
		"complete with work history": "Complete with Work History",
		"DECLINEDX":                  "DECLINEDX",
	} {
		if err := tx.SetStatus("thing", "1", in, nil); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("SetStatus(%q) reached the target as %q, want %q", in, got, want)
		}
	}
}
