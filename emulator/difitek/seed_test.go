package difitek

import (
	"context"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// seededOfferings seeds a network with seed and returns its offerings.
func seededOfferings(t *testing.T, seed int) ([]Offering, []Investment) {
	t.Helper()
	env := newTestEnv(t, vectorTenants(), func(p *Provider) { p.opts.Seed = seed })
	if err := env.p.ensureSeeded(context.Background(), "default", defaultCredentials()); err != nil {
		t.Fatal(err)
	}
	// A second call must not seed again.
	if err := env.p.ensureSeeded(context.Background(), "default", defaultCredentials()); err != nil {
		t.Fatal(err)
	}
	var offs []Offering
	var invs []Investment
	env.view(t, "default", func(tx *platform.Tx) error {
		var err error
		if offs, err = listRecords[Offering](tx, kindOffering); err != nil {
			return err
		}
		if n := tx.Records().Count(kindUser); n != 6 {
			t.Errorf("%d users seeded", n)
		}
		invs, err = listRecords[Investment](tx, kindInvestment)
		return err
	})
	return offs, invs
}

func TestSeedIsDeterministicAndConsistent(t *testing.T) {
	a, invs := seededOfferings(t, 1)
	b, _ := seededOfferings(t, 1)
	c, _ := seededOfferings(t, 2)
	if len(a) != 5 || a[0].Name != b[0].Name || a[4].Name != b[4].Name {
		t.Fatalf("same seed, different data: %q / %q", a[0].Name, b[0].Name)
	}
	if a[0].Name == c[0].Name && a[1].Name == c[1].Name {
		t.Errorf("different seeds, same names %q", a[0].Name)
	}
	if settled := a[4]; !(settled.CreatedAt < settled.OpenDate && settled.OpenDate < settled.CloseDate && settled.CloseDate <= settled.UpdatedAt) {
		t.Errorf("settled offering dates: created %s open %s close %s", settled.CreatedAt, settled.OpenDate, settled.CloseDate)
	}
	stages := map[string]int{}
	for _, off := range a {
		stages[off.LifeCycleStage]++
		var raised float64
		var n int
		for _, inv := range invs {
			if inv.OfferingID == off.ID && counted(inv) {
				raised += inv.InvestmentAmount
				n++
				if (off.LifeCycleStage == stageSettled) != (inv.LifeCycleStage == investSettled) {
					t.Errorf("offering %d is %s but investment %d is %s", off.ID, off.LifeCycleStage, inv.ID, inv.LifeCycleStage)
				}
			}
		}
		if off.AmountRaised != raised || off.InvestmentCount != n || off.RaisedPercent != round2(raised/off.FundingGoal*100) {
			t.Errorf("offering %d totals %+v, investments sum %.2f in %d", off.ID, off, raised, n)
		}
	}
	if stages[stageDraft] != 1 || stages[stagePublished] != 2 || stages[stageClosing] != 1 || stages[stageSettled] != 1 {
		t.Errorf("stages %v", stages)
	}
}
