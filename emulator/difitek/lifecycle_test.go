package difitek

import (
	"context"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

func TestOfferingTransitions(t *testing.T) {
	tests := []struct {
		from, to string
		ok       bool
	}{
		{stageDraft, stagePublished, true},
		{stageDraft, stageClosing, false},
		{stageDraft, stageSettled, false},
		{stagePublished, stageClosing, true},
		{stagePublished, stageDraft, true},
		{stageClosing, stageSettled, true},
		{stageClosing, stagePublished, true},
		{stageSettled, stagePublished, false},
		{stageSettled, stageCancelled, false},
		{stageCancelled, stagePublished, false},
		{stagePublished, stagePublished, true},
	}
	for _, tt := range tests {
		if got := allowed(offeringTransitions, tt.from, tt.to); got != tt.ok {
			t.Errorf("%s → %s: %v", tt.from, tt.to, got)
		}
	}
}

// TestSettlingOfferingSettlesInvestments: totals stay consistent through a
// whole life cycle.
func TestSettlingOfferingSettlesInvestments(t *testing.T) {
	env := newTestEnv(t, vectorTenants())
	creds := defaultCredentials()
	if err := env.p.ensureSeeded(context.Background(), "default", creds); err != nil {
		t.Fatal(err)
	}
	err := env.m.Update(context.Background(), "default", func(tx *platform.Tx) error {
		// Offering 3 is Published with one seeded investment of 5000.
		u, err := getRecord[UserRecord](tx, kindUser, 3)
		if err != nil {
			return err
		}
		a := 2500.0
		inv, off, err := invest(tx, u, 3, investInput{InvestmentAmount: &a}, true)
		if err != nil {
			return err
		}
		if off.AmountRaised != 7500 || off.InvestmentCount != 2 {
			t.Errorf("after investing: %+v", off)
		}
		if _, err := setOfferingStage(tx, 3, stageClosing); err != nil {
			return err
		}
		if off, err = setOfferingStage(tx, 3, stageSettled); err != nil {
			return err
		}
		inv, err = getRecord[Investment](tx, kindInvestment, inv.ID)
		if err != nil {
			return err
		}
		if inv.LifeCycleStage != investSettled || inv.SettledAt == "" || off.AmountRaised != 7500 {
			t.Errorf("after settling: %+v %+v", inv, off)
		}
		if _, err := setInvestmentStage(tx, inv.ID, investRefunded); err != nil {
			return err
		}
		if off, err = getRecord[Offering](tx, kindOffering, 3); err != nil {
			return err
		}
		if off.AmountRaised != 5000 || off.InvestmentCount != 1 || off.RaisedPercent != round2(5000/off.FundingGoal*100) {
			t.Errorf("after refund: %+v", off)
		}
		if _, err := setInvestmentStage(tx, inv.ID, investPending); err == nil {
			t.Error("Refunded → Pending accepted")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
