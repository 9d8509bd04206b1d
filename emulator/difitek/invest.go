package difitek

import (
	"math"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// investInput is the writable part of an investment (POST
// /offerings/{id}/investments).
type investInput struct {
	Currency         string         `json:"currency"`
	Custom           map[string]any `json:"custom"`
	DivestedAmount   float64        `json:"divested_amount"`
	InterestRate     *float64       `json:"interest_rate"`
	InvestmentAmount *float64       `json:"investment_amount"`
	LifeCycleStage   string         `json:"life_cycle_stage"`
	NumberOfShares   int64          `json:"number_of_shares"`
	Term             *int           `json:"term"`
	Visibility       string         `json:"visibility"`
}

// invest records a user's investment in a Published offering within its
// min/max commitment, its payment transaction, and the offering's new
// totals; it publishes investment.created, and offering.funded when the
// goal is first reached.
// quiet (the demo network's seed) publishes no events.
func invest(tx *platform.Tx, user UserRecord, offeringID int64, in investInput, quiet bool) (Investment, Offering, error) {
	off, err := getRecord[Offering](tx, kindOffering, offeringID)
	if err != nil {
		return Investment{}, off, err
	}
	// Whoever may see the offering (GET /offerings/{id}) is told it is not
	// open; the others do not learn that it exists.
	if !publicStage(off.LifeCycleStage) && !canManageOffering(tx, Principal{UserID: user.ID, Admin: user.IsAdmin}, off) {
		return Investment{}, off, errNotFound
	}
	if off.LifeCycleStage != stagePublished {
		return Investment{}, off, errNotInvestable.with("Offering %d is %s, not Published", off.ID, off.LifeCycleStage)
	}
	var p problems
	p.require("investment_amount", in.InvestmentAmount != nil)
	var amount float64
	if in.InvestmentAmount != nil {
		amount = *in.InvestmentAmount
		p.check("investment_amount", amount > 0 && !math.IsNaN(amount) && !math.IsInf(amount, 0), "must be positive")
	}
	p.check("currency", in.Currency == "" || off.Currency == "" || strings.EqualFold(strings.TrimSpace(in.Currency), off.Currency), "must be "+off.Currency)
	if err := p.err(); err != nil {
		return Investment{}, off, err
	}
	if off.MinCommitment > 0 && amount < off.MinCommitment {
		return Investment{}, off, errMinCommitment.with("investment_amount %.2f is below min_commitment %.2f", amount, off.MinCommitment)
	}
	if off.MaxCommitment > 0 && amount > off.MaxCommitment {
		return Investment{}, off, errMaxCommitment.with("investment_amount %.2f is above max_commitment %.2f", amount, off.MaxCommitment)
	}
	id, err := nextID(tx, kindInvestment)
	if err != nil {
		return Investment{}, off, err
	}
	org, _ := getRecord[Organization](tx, kindOrganization, off.OrganizationID)
	now := timestamp(tx.Now())
	inv := Investment{
		ID: id, CreatedAt: now, UpdatedAt: now, Currency: off.Currency, Custom: in.Custom,
		DivestedAmount: in.DivestedAmount, Documents: []Document{}, InterestRate: off.InterestRate,
		InvestmentAmount: round2(amount), LifeCycleStage: investPending, NumberOfShares: in.NumberOfShares,
		OfferingID: off.ID, OrgID: off.OrganizationID, OrgName: org.DisplayName, Term: off.Term,
		RepaymentsRemaining: off.RepaymentsRemaining, CapitalOutstanding: round2(amount),
		UserEmail: user.Email, UserID: user.ID, UserName: userName(user), Visibility: in.Visibility,
	}
	if inv.Custom == nil {
		inv.Custom = map[string]any{}
	}
	if inv.Visibility == "" {
		inv.Visibility = visibilityOpen
	}
	if in.InterestRate != nil {
		inv.InterestRate = *in.InterestRate
	}
	if in.Term != nil {
		inv.Term = *in.Term
	}
	if inv.NumberOfShares == 0 && off.PricePerShare > 0 {
		inv.NumberOfShares = int64(amount / off.PricePerShare)
	}
	if err := putRecord(tx, kindInvestment, id, inv); err != nil {
		return inv, off, err
	}
	if _, err := recordTransaction(tx, Transaction{
		WalletID: firstWallet(tx, user.ID), UserID: user.ID, UserName: inv.UserName, InvestmentID: id,
		TransactionDescription: "Investment in " + off.Name, TransactionAmount: inv.InvestmentAmount,
		TransactionCurrency: inv.Currency, PaymentStatus: "Pending", PaymentService: "Wallet",
	}); err != nil {
		return inv, off, err
	}
	before := off.RaisedPercent
	if off, err = recalcOffering(tx, off.ID); err != nil {
		return inv, off, err
	}
	if quiet {
		return inv, off, nil
	}
	if err := tx.Publish(platform.Event{Name: eventInvestmentCreated, Kind: kindInvestment, ID: idKey(id), Fields: investmentFields(&inv, &off, &user)}); err != nil {
		return inv, off, err
	}
	if before < 100 && off.RaisedPercent >= 100 {
		if err := tx.Publish(platform.Event{Name: eventOfferingFunded, Kind: kindOffering, ID: idKey(off.ID), Fields: offeringFields(off)}); err != nil {
			return inv, off, err
		}
	}
	return inv, off, nil
}
