package difitek

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Events published for scenarios.
const (
	eventUserRegistered    = "user.registered"
	eventOfferingPublished = "offering.published"
	eventOfferingFunded    = "offering.funded"
	eventInvestmentCreated = "investment.created"
	eventKYCRequested      = "kyc.requested"
)

// offeringTransitions lists the life cycle changes an offering accepts.
var offeringTransitions = map[string][]string{
	stageDraft:     {stagePublished, stageCancelled},
	stagePublished: {stageDraft, stageClosing, stageCancelled},
	stageClosing:   {stagePublished, stageSettled, stageCancelled},
}

var investmentTransitions = map[string][]string{
	investPending: {investSettled, investCancelled},
	investSettled: {investRefunded},
}

func allowed(table map[string][]string, from, to string) bool {
	if from == to {
		return true
	}
	for _, s := range table[from] {
		if s == to {
			return true
		}
	}
	return false
}

// canonicalStage matches a stage name case-insensitively.
func canonicalStage(s string, names ...string) (string, bool) {
	for _, n := range names {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return n, true
		}
	}
	return "", false
}

func (p *Provider) lifecycle(m *platform.Mount) {
	m.Event(eventUserRegistered, kindUser)
	m.Event(eventOfferingPublished, kindOffering)
	m.Event(eventOfferingFunded, kindOffering)
	m.Event(eventInvestmentCreated, kindInvestment)
	m.Event(eventKYCRequested, kindKYC)
	m.StatusTarget(kindOffering, func(tx *platform.Tx, id, status string, _ platform.Fields) error {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return platform.ControlNotFound("no offering %q", id)
		}
		_, err = setOfferingStage(tx, n, status)
		return err
	}, stageDraft, stagePublished, stageClosing, stageSettled, stageCancelled)
	m.StatusTarget(kindInvestment, func(tx *platform.Tx, id, status string, _ platform.Fields) error {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return platform.ControlNotFound("no investment %q", id)
		}
		_, err = setInvestmentStage(tx, n, status)
		return err
	}, investPending, investSettled, investCancelled, investRefunded)
	m.StatusTarget(kindKYC, func(tx *platform.Tx, id, status string, fields platform.Fields) error {
		_, err := setKYCStatus(tx, id, status, fields)
		return err
	}, kycPending, kycPassed, kycFailed, kycRefer)
	m.StatusTarget(kindUser, func(tx *platform.Tx, id, status string, fields platform.Fields) error {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return platform.ControlNotFound("no user %q", id)
		}
		_, err = setUserStatus(tx, n, status, fields)
		return err
	}, "approved", "blocked", "unblocked", "admin", "verified")
}

// setOfferingStage moves an offering through its life cycle. Settling an
// offering settles its pending investments; cancelling cancels them.
func setOfferingStage(tx *platform.Tx, id int64, stage string) (Offering, error) {
	off, err := getRecord[Offering](tx, kindOffering, id)
	if err != nil {
		return off, err
	}
	to, ok := canonicalStage(stage, stageDraft, stagePublished, stageClosing, stageSettled, stageCancelled)
	if !ok {
		return off, errInvalidParam.with("Unknown life_cycle_stage %q", stage).withField("life_cycle_stage", "unknown")
	}
	if !allowed(offeringTransitions, off.LifeCycleStage, to) {
		return off, errLifeCycle.with("Offering %d cannot move from %s to %s", id, off.LifeCycleStage, to)
	}
	if off.LifeCycleStage == to {
		return off, nil
	}
	from := off.LifeCycleStage
	off.LifeCycleStage = to
	off.UpdatedAt = timestamp(tx.Now())
	if to == stagePublished && off.OpenDate == "" {
		off.OpenDate = off.UpdatedAt
	}
	if to == stageClosing || to == stageSettled {
		off.CloseDate = off.UpdatedAt
	}
	if err := putRecord(tx, kindOffering, id, off); err != nil {
		return off, err
	}
	if to == stageSettled || to == stageCancelled {
		invs, err := listRecords[Investment](tx, kindInvestment)
		if err != nil {
			return off, err
		}
		for _, inv := range invs {
			if inv.OfferingID != id || inv.LifeCycleStage != investPending {
				continue
			}
			next := investSettled
			if to == stageCancelled {
				next = investCancelled
			}
			if _, err := setInvestmentStage(tx, inv.ID, next); err != nil {
				return off, err
			}
		}
		if off, err = recalcOffering(tx, id); err != nil {
			return off, err
		}
	}
	if to == stagePublished && from == stageDraft {
		if err := tx.Publish(platform.Event{Name: eventOfferingPublished, Kind: kindOffering, ID: idKey(id), Fields: offeringFields(off)}); err != nil {
			return off, err
		}
	}
	return off, nil
}

// setInvestmentStage moves an investment; its payment transaction follows
// and the offering's totals are recomputed.
func setInvestmentStage(tx *platform.Tx, id int64, stage string) (Investment, error) {
	inv, err := getRecord[Investment](tx, kindInvestment, id)
	if err != nil {
		return inv, err
	}
	to, ok := canonicalStage(stage, investPending, investSettled, investCancelled, investRefunded)
	if !ok {
		return inv, errInvalidParam.with("Unknown life_cycle_stage %q", stage).withField("life_cycle_stage", "unknown")
	}
	if !allowed(investmentTransitions, inv.LifeCycleStage, to) {
		return inv, errLifeCycle.with("Investment %d cannot move from %s to %s", id, inv.LifeCycleStage, to)
	}
	if inv.LifeCycleStage == to {
		return inv, nil
	}
	now := timestamp(tx.Now())
	inv.LifeCycleStage = to
	inv.UpdatedAt = now
	if to == investSettled {
		inv.SettledAt = now
	}
	if err := putRecord(tx, kindInvestment, id, inv); err != nil {
		return inv, err
	}
	payment := map[string]string{investSettled: "Completed", investCancelled: "Cancelled", investRefunded: "Refunded"}[to]
	txs, err := listRecords[Transaction](tx, kindTransaction)
	if err != nil {
		return inv, err
	}
	for _, t := range txs {
		if t.InvestmentID == id && t.PayoutID == 0 {
			t.PaymentStatus, t.UpdatedAt = payment, now
			if err := putRecord(tx, kindTransaction, t.ID, t); err != nil {
				return inv, err
			}
		}
	}
	_, err = recalcOffering(tx, inv.OfferingID)
	return inv, err
}

// KYC check statuses.
const (
	kycPending = "Pending"
	kycPassed  = "Passed"
	kycFailed  = "Failed"
	kycRefer   = "Referred"
)

// setKYCStatus completes a third-party check with a canned result.
func setKYCStatus(tx *platform.Tx, id, status string, fields map[string]any) (KYCCheck, error) {
	var k KYCCheck
	ok, err := tx.Records().Get(kindKYC, id, &k)
	if err != nil {
		return k, err
	}
	if !ok {
		return k, errNotFound
	}
	to, valid := canonicalStage(status, kycPending, kycPassed, kycFailed, kycRefer)
	if !valid {
		return k, errInvalidParam.with("Unknown KYC status %q", status)
	}
	k.Status = to
	k.UpdatedAt = timestamp(tx.Now())
	k.Result = kycResult(k, to)
	for key, v := range fields {
		k.Result[key] = v
	}
	if err := tx.Records().Put(kindKYC, id, k); err != nil {
		return k, err
	}
	if k.Service == "gbg" && to == kycPassed {
		if u, err := getRecord[UserRecord](tx, kindUser, k.UserID); err == nil {
			u.GBGPassID = fmt.Sprint(k.Result["pass_id"])
			u.UpdatedAt = k.UpdatedAt
			if err := putRecord(tx, kindUser, u.ID, u); err != nil {
				return k, err
			}
		}
	}
	return k, nil
}

// kycResult is the canned answer of a service for a status.
func kycResult(k KYCCheck, status string) map[string]any {
	pass := status == kycPassed
	switch k.Service {
	case "gbg":
		band := map[string]string{kycPassed: "Pass", kycFailed: "Alert", kycRefer: "Refer", kycPending: "Pending"}[status]
		score := map[string]int{kycPassed: 100, kycFailed: 0, kycRefer: 50}[status]
		return map[string]any{"pass_id": fmt.Sprintf("GBG-%06d", k.UserID), "band_text": band, "score": score, "verified": pass}
	case "veridu":
		return map[string]any{"state": strings.ToLower(status), "verified": pass, "check": k.Check}
	default:
		return map[string]any{"status": map[bool]string{true: "Active", false: status}[pass], "client_id": fmt.Sprintf("RKY%06d", k.UserID), "verified": pass}
	}
}

// setUserStatus approves, blocks or unblocks a user, or makes it an admin.
func setUserStatus(tx *platform.Tx, id int64, status string, fields map[string]any) (UserRecord, error) {
	u, err := getRecord[UserRecord](tx, kindUser, id)
	if err != nil {
		return u, err
	}
	switch strings.ToLower(status) {
	case "approved":
		u.HasBeenApproved = true
	case "blocked":
		u.HasBeenBlocked = true
		if msg, ok := fields["user_message"].(string); ok {
			u.BlockMessage = msg
		}
	case "unblocked":
		u.HasBeenBlocked = false
		u.BlockMessage = ""
	case "admin":
		u.IsAdmin = true
	case "verified":
		u.EmailVerified = true
	default:
		return u, platform.BadControl("unknown user status %q (approved, blocked, unblocked, admin, verified)", status)
	}
	u.UpdatedAt = timestamp(tx.Now())
	return u, putRecord(tx, kindUser, id, u)
}

// offeringFields are the event fields of an offering.
func offeringFields(off Offering) map[string]any {
	return map[string]any{
		"name": off.Name, "currency": off.Currency, "funding_goal": off.FundingGoal,
		"amount_raised": off.AmountRaised, "raised_percent": off.RaisedPercent,
		"organization_id": off.OrganizationID, "life_cycle_stage": off.LifeCycleStage,
		"investor_count": off.InvestorCount, "investment_count": off.InvestmentCount,
	}
}
