package difitek

import (
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// investmentAccess: the investor, those who manage the offering, admins.
func investmentAccess(tx *platform.Tx, pr Principal, inv Investment) error {
	if pr.Admin || inv.UserID == pr.UserID {
		return nil
	}
	off, err := getRecord[Offering](tx, kindOffering, inv.OfferingID)
	if err == nil && canManageOffering(tx, pr, off) {
		return nil
	}
	return errNotFound
}

func (p *Provider) getInvestment(req *platform.Request) (any, error) {
	pr := principalOf(req)
	return oneOf(req, kindInvestment, "investment", func(tx *platform.Tx, inv Investment) error {
		return investmentAccess(tx, pr, inv)
	})
}

var investmentWritable = []string{"custom", "visibility", "divested_amount", "divested_shares", "interest_rate", "term", "number_of_shares"}

// patchInvestment is PATCH /investments/{id}; life_cycle_stage changes are
// for administrators and those who manage the offering.
func (p *Provider) patchInvestment(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	return req.Commit(func(tx *platform.Tx) (any, error) {
		inv, err := getRecord[Investment](tx, kindInvestment, id)
		if err != nil {
			return nil, err
		}
		if err := investmentAccess(tx, pr, inv); err != nil {
			return nil, err
		}
		next, in, err := patchRecord(inv, req, investmentWritable...)
		if err != nil {
			return nil, err
		}
		next.UpdatedAt = timestamp(tx.Now())
		if err := putRecord(tx, kindInvestment, id, next); err != nil {
			return nil, err
		}
		// The SDK's save sends the stage every time: the current one is no
		// change and needs no right to change it.
		if stage, ok := stageOf(in["life_cycle_stage"]); ok {
			if to, known := canonicalStage(stage, investPending, investSettled, investCancelled, investRefunded); !known || to != inv.LifeCycleStage {
				off, err := getRecord[Offering](tx, kindOffering, inv.OfferingID)
				if err != nil {
					return nil, err
				}
				owner := inv.UserID == pr.UserID
				// An investor may cancel a pending investment; other changes
				// belong to those who manage the offering.
				if !canManageOffering(tx, pr, off) && !(owner && to == investCancelled) {
					return nil, errForbidden.with("User %d may not change investment %d's life_cycle_stage", pr.UserID, id)
				}
				if next, err = setInvestmentStage(tx, id, stage); err != nil {
					return nil, err
				}
			}
		}
		return process("investment", id, next), nil
	})
}

// payoutInput is the writable part of a payout.
type payoutInput struct {
	DueDate        string         `json:"due_date"`
	PayoutAmount   float64        `json:"payout_amount"`
	MinimumPayment float64        `json:"minimum_payment"`
	Currency       string         `json:"currency"`
	PayoutType     string         `json:"payout_type"`
	AdditionalType string         `json:"additional_type"`
	LateFee        float64        `json:"late_fee"`
	ServiceCharge  float64        `json:"service_charge"`
	ChargeOffs     float64        `json:"charge_offs"`
	NetRecoveries  float64        `json:"net_recoveries"`
	Custom         map[string]any `json:"custom"`
}

var payoutWritable = []string{"due_date", "payout_amount", "minimum_payment", "currency", "payout_type", "additional_type",
	"late_fee", "service_charge", "charge_offs", "net_recoveries", "custom", "paid_at", "transactions_paid", "net_annualized_return"}

// createPayout schedules a payout of an investment and its transaction.
func createPayout(tx *platform.Tx, inv Investment, in payoutInput) (Payout, error) {
	id, err := nextID(tx, kindPayout)
	if err != nil {
		return Payout{}, err
	}
	now := tx.Now()
	po := Payout{
		ID: id, CreatedAt: timestamp(now), UpdatedAt: timestamp(now), InvestmentID: inv.ID, UserID: inv.UserID,
		DueDate: in.DueDate, PayoutAmount: round2(in.PayoutAmount), MinimumPayment: in.MinimumPayment,
		Currency: in.Currency, PayoutType: in.PayoutType, AdditionalType: in.AdditionalType, LateFee: in.LateFee,
		ServiceCharge: in.ServiceCharge, ChargeOffs: in.ChargeOffs, NetRecoveries: in.NetRecoveries, Custom: in.Custom,
	}
	if po.Currency == "" {
		po.Currency = inv.Currency
	}
	if po.DueDate == "" {
		po.DueDate = now.AddDate(0, 1, 0).UTC().Format("2006-01-02")
	}
	if po.PayoutType == "" {
		po.PayoutType = "Interest"
	}
	if po.Custom == nil {
		po.Custom = map[string]any{}
	}
	if err := putRecord(tx, kindPayout, id, po); err != nil {
		return po, err
	}
	_, err = recordTransaction(tx, Transaction{
		WalletID: firstWallet(tx, inv.UserID), UserID: inv.UserID, UserName: inv.UserName, InvestmentID: inv.ID,
		TransactionDescription: po.PayoutType + " payout for investment " + idKey(inv.ID), TransactionAmount: po.PayoutAmount,
		TransactionCurrency: po.Currency, PaymentStatus: "Scheduled", PaymentService: "Wallet", PayoutID: id,
	})
	return po, err
}

// postPayout is POST /investments/{id}/payouts (those who manage the
// offering).
func (p *Provider) postPayout(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	var in payoutInput
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if in.PayoutAmount <= 0 {
		return nil, errInvalidParam.with("payout_amount must be positive").withField("payout_amount", "must be positive")
	}
	pr := principalOf(req)
	return req.Commit(func(tx *platform.Tx) (any, error) {
		inv, err := getRecord[Investment](tx, kindInvestment, id)
		if err != nil {
			return nil, err
		}
		off, err := getRecord[Offering](tx, kindOffering, inv.OfferingID)
		if err != nil {
			return nil, err
		}
		if !canManageOffering(tx, pr, off) {
			if inv.UserID == pr.UserID {
				return nil, errForbidden.with("Only those who manage offering %d schedule payouts", off.ID)
			}
			return nil, errNotFound
		}
		po, err := createPayout(tx, inv, in)
		return process("payout", po.ID, po), err
	})
}

// investmentChildren lists records of an investment the caller may see.
func investmentChildren[T any](kind string, investmentOf func(T) int64) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		id, err := pathID(req, "id")
		if err != nil {
			return nil, err
		}
		pr := principalOf(req)
		if err := req.View(func(tx *platform.Tx) error {
			inv, err := getRecord[Investment](tx, kindInvestment, id)
			if err == nil {
				err = investmentAccess(tx, pr, inv)
			}
			return err
		}); err != nil {
			return nil, err
		}
		return listOf(req, kind, func(_ *platform.Tx, v T) bool { return investmentOf(v) == id })
	}
}

func payoutAccess(tx *platform.Tx, pr Principal, po Payout) error {
	inv, err := getRecord[Investment](tx, kindInvestment, po.InvestmentID)
	if err != nil {
		return errNotFound
	}
	return investmentAccess(tx, pr, inv)
}

func (p *Provider) getPayout(req *platform.Request) (any, error) {
	pr := principalOf(req)
	return oneOf(req, kindPayout, "payout", func(tx *platform.Tx, po Payout) error { return payoutAccess(tx, pr, po) })
}

// patchPayout: setting paid_at completes the payout's transactions.
func (p *Provider) patchPayout(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	return req.Commit(func(tx *platform.Tx) (any, error) {
		po, err := getRecord[Payout](tx, kindPayout, id)
		if err != nil {
			return nil, err
		}
		inv, err := getRecord[Investment](tx, kindInvestment, po.InvestmentID)
		if err != nil {
			return nil, err
		}
		off, err := getRecord[Offering](tx, kindOffering, inv.OfferingID)
		if err != nil {
			return nil, err
		}
		if !canManageOffering(tx, pr, off) {
			return nil, errForbidden.with("Only those who manage offering %d change payouts", off.ID)
		}
		next, _, err := patchRecord(po, req, payoutWritable...)
		if err != nil {
			return nil, err
		}
		next.UpdatedAt = timestamp(tx.Now())
		if next.PaidAt != "" && po.PaidAt == "" {
			txs, err := listRecords[Transaction](tx, kindTransaction)
			if err != nil {
				return nil, err
			}
			for _, t := range txs {
				if t.PayoutID == id {
					t.PaymentStatus, t.UpdatedAt = "Completed", next.UpdatedAt
					next.TransactionsPaid = round2(next.TransactionsPaid + t.TransactionAmount)
					if err := putRecord(tx, kindTransaction, t.ID, t); err != nil {
						return nil, err
					}
				}
			}
		}
		return process("payout", id, next), putRecord(tx, kindPayout, id, next)
	})
}

func (p *Provider) payoutTransactions(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	if err := req.View(func(tx *platform.Tx) error {
		po, err := getRecord[Payout](tx, kindPayout, id)
		if err == nil {
			err = payoutAccess(tx, pr, po)
		}
		return err
	}); err != nil {
		return nil, err
	}
	return listOf(req, kindTransaction, func(_ *platform.Tx, t Transaction) bool { return t.PayoutID == id })
}

func transactionAccess(tx *platform.Tx, pr Principal, t Transaction) error {
	if pr.Admin || t.UserID == pr.UserID {
		return nil
	}
	if t.InvestmentID != 0 {
		if inv, err := getRecord[Investment](tx, kindInvestment, t.InvestmentID); err == nil {
			return investmentAccess(tx, pr, inv)
		}
	}
	return errNotFound
}

func (p *Provider) getTransaction(req *platform.Request) (any, error) {
	pr := principalOf(req)
	return oneOf(req, kindTransaction, "transaction", func(tx *platform.Tx, t Transaction) error { return transactionAccess(tx, pr, t) })
}

var transactionWritable = []string{"transaction_description", "transaction_amount", "transaction_currency", "payment_status",
	"payment_service", "payout_id", "original_transaction_amount", "original_transaction_currency", "payment_service_log_id",
	"confirmation_number"}

// patchTransaction is for administrators and those who manage the offering.
func (p *Provider) patchTransaction(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	return req.Commit(func(tx *platform.Tx) (any, error) {
		t, err := getRecord[Transaction](tx, kindTransaction, id)
		if err != nil {
			return nil, err
		}
		if err := transactionAccess(tx, pr, t); err != nil {
			return nil, err
		}
		if !pr.Admin && t.UserID == pr.UserID {
			return nil, errForbidden.with("Investors cannot change their transactions")
		}
		next, _, err := patchRecord(t, req, transactionWritable...)
		if err != nil {
			return nil, err
		}
		next.UpdatedAt = timestamp(tx.Now())
		return process("transaction", id, next), putRecord(tx, kindTransaction, id, next)
	})
}

func (p *Provider) walletTransactions(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	if err := req.View(func(tx *platform.Tx) error {
		w, err := getRecord[Wallet](tx, kindWallet, id)
		if err == nil && w.UserID != pr.UserID && !pr.Admin {
			err = errNotFound
		}
		return err
	}); err != nil {
		return nil, err
	}
	return listOf(req, kindTransaction, func(_ *platform.Tx, t Transaction) bool { return t.WalletID == id })
}

// userInvestments is GET /users/{id}/investments: those the caller may see.
func (p *Provider) userInvestments(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	return listOf(req, kindInvestment, func(tx *platform.Tx, inv Investment) bool {
		return inv.UserID == id && investmentAccess(tx, pr, inv) == nil
	})
}

// userOfferings is GET /users/{id}/offerings: those the caller may see.
func (p *Provider) userOfferings(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	return listOf(req, kindOffering, func(tx *platform.Tx, o Offering) bool {
		return o.UserID == id && (visibleOffering(tx, pr, o) || canManageOffering(tx, pr, o))
	})
}

func (p *Provider) listUsers(req *platform.Request) (any, error) {
	pr := principalOf(req)
	return userList(listOf(req, kindUser, func(_ *platform.Tx, u UserRecord) bool {
		return pr.Admin || u.Visibility != visibilityPrivate || u.ID == pr.UserID
	}))
}

func (p *Provider) getUser(req *platform.Request) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	pr := principalOf(req)
	var u UserRecord
	if err := req.View(func(tx *platform.Tx) error {
		u, err = getRecord[UserRecord](tx, kindUser, id)
		if err == nil && u.Visibility == visibilityPrivate && !pr.Admin && u.ID != pr.UserID {
			err = errNotFound
		}
		return err
	}); err != nil {
		return nil, err
	}
	return object("user", u.User), nil
}
