package difitek

import (
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// offeringWritable are the fields POST/PATCH offering accept
// (life_cycle_stage only from administrators).
var offeringWritable = []string{"additional_type", "capital_outstanding", "category", "close_date", "credit_score",
	"currency", "custom", "equity_offered", "external_commitments", "funding_goal", "interest_rate", "is_featured",
	"is_secondary_offering", "loan_to_value", "max_commitment", "max_overfunding_amount", "min_commitment", "name",
	"num_of_shares", "offering_description", "open_date", "price_per_share", "primary_offering_id",
	"repayments_remaining", "term", "valuation"}

// createOffering stores a Draft offering.
func createOffering(tx *platform.Tx, off Offering) (Offering, error) {
	id, err := nextID(tx, kindOffering)
	if err != nil {
		return off, err
	}
	now := timestamp(tx.Now())
	off.ID, off.CreatedAt, off.UpdatedAt = id, now, now
	off.LifeCycleStage = stageDraft
	off.AmountRaised, off.InvestmentCount, off.InvestorCount, off.RaisedPercent = 0, 0, 0, 0
	if off.Custom == nil {
		off.Custom = map[string]any{}
	}
	if off.Documents == nil {
		off.Documents = []Document{}
	}
	if off.Currency == "" {
		off.Currency = "GBP"
	}
	off.Currency = strings.ToUpper(off.Currency)
	return off, putRecord(tx, kindOffering, id, off)
}

// validateOffering reports every problem of an offering at once.
func validateOffering(off Offering) error {
	var p problems
	p.require("name", strings.TrimSpace(off.Name) != "")
	p.check("funding_goal", off.FundingGoal >= 0, "must not be negative")
	p.check("min_commitment", off.MinCommitment >= 0, "must not be negative")
	p.check("max_commitment", off.MaxCommitment >= 0, "must not be negative")
	p.check("min_commitment", off.MaxCommitment <= 0 || off.MinCommitment <= off.MaxCommitment, "must not be above max_commitment")
	return p.err()
}

// postOrganizationOffering is POST /organizations/{id}/offerings.
func (p *Provider) postOrganizationOffering(req *platform.Request) (any, error) {
	off, _, err := patchRecord(Offering{}, req, offeringWritable...)
	if err != nil {
		return nil, err
	}
	if err := validateOffering(off); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		org, err := manageOrganization(tx, req)
		if err != nil {
			return nil, err
		}
		off.OrganizationID = org.ID
		off.UserID = principalOf(req).UserID
		off, err := createOffering(tx, off)
		return process("offering", off.ID, off), err
	})
}

func (p *Provider) listOfferings(req *platform.Request) (any, error) {
	pr := principalOf(req)
	return listOf(req, kindOffering, func(tx *platform.Tx, o Offering) bool { return visibleOffering(tx, pr, o) })
}

// getOffering: a Draft is Not Found for non-administrators (other than
// those who manage it).
func (p *Provider) getOffering(req *platform.Request) (any, error) {
	pr := principalOf(req)
	return oneOf(req, kindOffering, "offering", func(tx *platform.Tx, o Offering) error {
		if !visibleOffering(tx, pr, o) && !canManageOffering(tx, pr, o) {
			return errNotFound
		}
		return nil
	})
}

// manageOffering loads an offering the caller may change.
func manageOffering(tx *platform.Tx, req *platform.Request) (Offering, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return Offering{}, err
	}
	off, err := getRecord[Offering](tx, kindOffering, id)
	if err != nil {
		return off, err
	}
	pr := principalOf(req)
	if !canManageOffering(tx, pr, off) {
		if !visibleOffering(tx, pr, off) {
			return off, errNotFound
		}
		return off, errForbidden.with("User %d may not change offering %d", pr.UserID, id)
	}
	return off, nil
}

// patchOffering is PATCH /offerings/{id}; life_cycle_stage (administrators
// only) moves the offering through Draft → Published → Closing → Settled.
func (p *Provider) patchOffering(req *platform.Request) (any, error) {
	return req.Commit(func(tx *platform.Tx) (any, error) {
		off, err := manageOffering(tx, req)
		if err != nil {
			return nil, err
		}
		next, in, err := patchRecord(off, req, offeringWritable...)
		if err != nil {
			return nil, err
		}
		if err := validateOffering(next); err != nil {
			return nil, err
		}
		next.UpdatedAt = timestamp(tx.Now())
		if err := putRecord(tx, kindOffering, next.ID, next); err != nil {
			return nil, err
		}
		if next, err = recalcOffering(tx, next.ID); err != nil {
			return nil, err
		}
		// The SDK's save sends the stage every time: the current one is no
		// change, so issuers can edit their own offerings.
		if stage, ok := stageOf(in["life_cycle_stage"]); ok {
			to, known := canonicalStage(stage, stageDraft, stagePublished, stageClosing, stageSettled, stageCancelled)
			if !known || to != next.LifeCycleStage {
				if !principalOf(req).Admin {
					return nil, errAuthAdmin.with("Only administrators change an offering's life_cycle_stage")
				}
				if next, err = setOfferingStage(tx, next.ID, stage); err != nil {
					return nil, err
				}
			}
		}
		return process("offering", next.ID, next), nil
	})
}

// deleteOffering is DELETE /offerings/{id}: the offering is cancelled.
func (p *Provider) deleteOffering(req *platform.Request) (any, error) {
	return req.Commit(func(tx *platform.Tx) (any, error) {
		off, err := manageOffering(tx, req)
		if err != nil {
			return nil, err
		}
		off, err = setOfferingStage(tx, off.ID, stageCancelled)
		return process("offering", off.ID, nil), err
	})
}

// offeringInvestments lists an offering's investments: everything for
// those who manage it, the caller's own otherwise.
func (p *Provider) offeringInvestments(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	var manage bool
	if err := req.View(func(tx *platform.Tx) error {
		off, err := getRecord[Offering](tx, kindOffering, id)
		if err != nil {
			return err
		}
		if !visibleOffering(tx, pr, off) && !canManageOffering(tx, pr, off) {
			return errNotFound
		}
		manage = canManageOffering(tx, pr, off)
		return nil
	}); err != nil {
		return nil, err
	}
	return listOf(req, kindInvestment, func(_ *platform.Tx, inv Investment) bool {
		return inv.OfferingID == id && (manage || inv.UserID == pr.UserID)
	})
}

// postInvestment is POST /offerings/{id}/investments.
func (p *Provider) postInvestment(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	var in investInput
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		u, err := me(tx, req)
		if err != nil {
			return nil, err
		}
		inv, _, err := invest(tx, u, id, in, false)
		if err != nil {
			return nil, err
		}
		return process("investment", inv.ID, inv), nil
	})
}

// offeringChildren lists records of a kind attached to a visible offering.
func offeringChildren[T any](kind string, offeringOf func(T) int64) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		id, err := pathID(req, "id")
		if err != nil {
			return nil, err
		}
		pr := principalOf(req)
		if err := req.View(func(tx *platform.Tx) error {
			off, err := getRecord[Offering](tx, kindOffering, id)
			if err == nil && !visibleOffering(tx, pr, off) && !canManageOffering(tx, pr, off) {
				err = errNotFound
			}
			return err
		}); err != nil {
			return nil, err
		}
		return listOf(req, kind, func(_ *platform.Tx, v T) bool { return offeringOf(v) == id })
	}
}

// createDealRoom stores a deal room.
func createDealRoom(tx *platform.Tx, d DealRoom) (DealRoom, error) {
	id, err := nextID(tx, kindDealRoom)
	if err != nil {
		return d, err
	}
	now := timestamp(tx.Now())
	d.ID, d.CreatedAt, d.UpdatedAt = id, now, now
	if d.Custom == nil {
		d.Custom = map[string]any{}
	}
	return d, putRecord(tx, kindDealRoom, id, d)
}

func (p *Provider) postDealRoom(req *platform.Request) (any, error) {
	var in struct {
		Name   string         `json:"name"`
		Custom map[string]any `json:"custom"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		off, err := manageOffering(tx, req)
		if err != nil {
			return nil, err
		}
		d, err := createDealRoom(tx, DealRoom{OfferingID: off.ID, UserID: principalOf(req).UserID, Name: in.Name, Custom: in.Custom})
		return process("dealroom", d.ID, d), err
	})
}

// createBulletin stores an offering update.
func createBulletin(tx *platform.Tx, b Bulletin) (Bulletin, error) {
	id, err := nextID(tx, kindBulletin)
	if err != nil {
		return b, err
	}
	now := timestamp(tx.Now())
	b.ID, b.CreatedAt, b.UpdatedAt = id, now, now
	return b, putRecord(tx, kindBulletin, id, b)
}

func (p *Provider) postBulletin(req *platform.Request) (any, error) {
	var in struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Title) == "" {
		return nil, errMissingParam.with("Parameter missing: title").withField("title", "required")
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		off, err := manageOffering(tx, req)
		if err != nil {
			return nil, err
		}
		b, err := createBulletin(tx, Bulletin{OfferingID: off.ID, UserID: principalOf(req).UserID, Title: in.Title, Body: in.Body})
		return process("bulletin", b.ID, b), err
	})
}

// offeringTasks is GET /offerings/{id}/tasks: the deal's checklist,
// derived from its state.
func (p *Provider) offeringTasks(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	var tasks []map[string]any
	err = req.View(func(tx *platform.Tx) error {
		off, err := manageOffering(tx, req)
		if err != nil {
			return err
		}
		stages := []string{stageDraft, stagePublished, stageClosing, stageSettled}
		reached := false
		for i := len(stages) - 1; i >= 0; i-- {
			if stages[i] == off.LifeCycleStage {
				reached = true
			}
			tasks = append([]map[string]any{{"id": i + 1, "offering_id": id, "title": "Offering " + stages[i], "completed": reached}}, tasks...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ListData{Offset: 0, Limit: len(tasks), Count: len(tasks), List: tasks}, nil
}
