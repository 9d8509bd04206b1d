package difitek

import (
	"fmt"
	"math"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/google/uuid"
)

// createUser stores a new user with its password entry; an e-mail already
// in the network is error 20009.
func createUser(tx *platform.Tx, u UserRecord, password string) (UserRecord, error) {
	key := emailKey(u.Email)
	if tx.Records().GetRaw(kindLogin, key) != nil {
		return u, errEmailTaken
	}
	id, err := nextID(tx, kindUser)
	if err != nil {
		return u, err
	}
	now := timestamp(tx.Now())
	u.ID = id
	u.Email = strings.TrimSpace(u.Email)
	u.CreatedAt, u.UpdatedAt = now, now
	u.FullName = strings.TrimSpace(u.GivenName + " " + u.FamilyName)
	u.Visibility = normalizeVisibility(u.Visibility)
	if u.TimeZone == "" {
		u.TimeZone = "UTC"
	}
	fillUserDefaults(&u)
	salt := uuid.NewString()
	if err := tx.Records().Put(kindLogin, key, login{UserID: id, Salt: salt, Hash: hashPassword(salt, password)}); err != nil {
		return u, err
	}
	return u, putRecord(tx, kindUser, id, u)
}

// fillUserDefaults gives nil collections their empty JSON form.
func fillUserDefaults(u *UserRecord) {
	if u.Custom == nil {
		u.Custom = map[string]any{}
	}
	if u.Organizations == nil {
		u.Organizations = []int64{}
	}
	if u.Documents == nil {
		u.Documents = []Document{}
	}
	if u.Addresses == nil {
		u.Addresses = []Address{}
	}
	if u.BankAccounts == nil {
		u.BankAccounts = []any{}
	}
}

// setPassword replaces a user's password.
func setPassword(tx *platform.Tx, email, password string) error {
	var lg login
	ok, err := tx.Records().Get(kindLogin, emailKey(email), &lg)
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound
	}
	lg.Salt = uuid.NewString()
	lg.Hash = hashPassword(lg.Salt, password)
	return tx.Records().Put(kindLogin, emailKey(email), lg)
}

// checkPassword reports whether password is the user's.
func checkPassword(tx *platform.Tx, email, password string) bool {
	var lg login
	ok, err := tx.Records().Get(kindLogin, emailKey(email), &lg)
	return err == nil && ok && hashPassword(lg.Salt, password) == lg.Hash
}

// captureEmail records an e-mail the service would have sent.
func captureEmail(tx *platform.Tx, e Email) (Email, error) {
	id, err := nextID(tx, kindEmail)
	if err != nil {
		return e, err
	}
	e.ID = id
	e.CreatedAt = timestamp(tx.Now())
	return e, putRecord(tx, kindEmail, id, e)
}

// newSecret stores a fresh secret for a user's e-mail verification or
// password reset and returns it.
func newSecret(tx *platform.Tx, userID int64, purpose, email string) (string, error) {
	s := strings.ReplaceAll(uuid.NewString(), "-", "")
	return s, tx.Records().Put(kindSecret, purpose+":"+idKey(userID), secret{UserID: userID, Purpose: purpose, Secret: s, Email: email})
}

// takeSecret consumes a user's secret when it matches.
func takeSecret(tx *platform.Tx, userID int64, purpose, given string) (secret, bool, error) {
	var s secret
	key := purpose + ":" + idKey(userID)
	ok, err := tx.Records().Get(kindSecret, key, &s)
	if err != nil || !ok || given == "" || s.Secret != given {
		return s, false, err
	}
	return s, true, tx.Records().Delete(kindSecret, key)
}

// withQuery appends query parameters to a landing URL from the client.
func withQuery(base string, params ...string) string {
	if base == "" {
		return ""
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	var b strings.Builder
	b.WriteString(base)
	for i := 0; i+1 < len(params); i += 2 {
		b.WriteString(sep + params[i] + "=" + params[i+1])
		sep = "&"
	}
	return b.String()
}

// counted reports whether an investment counts towards its offering's totals.
func counted(inv Investment) bool {
	return inv.LifeCycleStage != investCancelled && inv.LifeCycleStage != investRefunded
}

// recalcOffering recomputes an offering's totals from its investments:
// amount_raised, investor_count, investment_count and raised_percent.
func recalcOffering(tx *platform.Tx, offeringID int64) (Offering, error) {
	off, err := getRecord[Offering](tx, kindOffering, offeringID)
	if err != nil {
		return off, err
	}
	invs, err := listRecords[Investment](tx, kindInvestment)
	if err != nil {
		return off, err
	}
	var raised float64
	var count int
	investors := map[int64]bool{}
	for _, inv := range invs {
		if inv.OfferingID != offeringID || !counted(inv) {
			continue
		}
		raised += inv.InvestmentAmount
		count++
		investors[inv.UserID] = true
	}
	off.AmountRaised = round2(raised)
	off.InvestmentCount = count
	off.InvestorCount = len(investors)
	off.RaisedPercent = 0
	if off.FundingGoal > 0 {
		off.RaisedPercent = round2(raised / off.FundingGoal * 100)
	}
	off.UpdatedAt = timestamp(tx.Now())
	return off, putRecord(tx, kindOffering, off.ID, off)
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// isMember reports whether a user may manage an organization.
func isMember(org Organization, userID int64) bool {
	if org.UserID == userID {
		return true
	}
	for _, m := range org.Members {
		if m == userID {
			return true
		}
	}
	return false
}

// canManageOffering: administrators, the offering's creator and members of
// its organization.
func canManageOffering(tx *platform.Tx, pr Principal, off Offering) bool {
	if pr.Admin || off.UserID == pr.UserID {
		return true
	}
	org, err := getRecord[Organization](tx, kindOrganization, off.OrganizationID)
	return err == nil && isMember(org, pr.UserID)
}

// visibleOffering: non-administrators never see Draft offerings (nor
// cancelled ones) unless they manage them.
func visibleOffering(tx *platform.Tx, pr Principal, off Offering) bool {
	switch off.LifeCycleStage {
	case stagePublished, stageClosing, stageSettled:
		return true
	}
	if pr.Public {
		return false
	}
	return pr.Admin
}

// publicStage reports whether an offering is listed to the public.
func publicStage(stage string) bool {
	return stage == stagePublished || stage == stageClosing || stage == stageSettled
}

func userName(u UserRecord) string {
	if u.FullName != "" {
		return u.FullName
	}
	return u.Email
}

// recordTransaction stores a transaction.
func recordTransaction(tx *platform.Tx, t Transaction) (Transaction, error) {
	id, err := nextID(tx, kindTransaction)
	if err != nil {
		return t, err
	}
	now := timestamp(tx.Now())
	t.ID, t.CreatedAt, t.UpdatedAt = id, now, now
	if t.OriginalTransactionAmount == 0 {
		t.OriginalTransactionAmount = t.TransactionAmount
	}
	if t.OriginalTransactionCurrency == "" {
		t.OriginalTransactionCurrency = t.TransactionCurrency
	}
	if t.ConfirmationNumber == "" {
		t.ConfirmationNumber = fmt.Sprintf("CV%08d", id)
	}
	return t, putRecord(tx, kindTransaction, id, t)
}

// firstWallet is the user's first wallet id (0 when it has none).
func firstWallet(tx *platform.Tx, userID int64) int64 {
	ws, _ := listRecords[Wallet](tx, kindWallet)
	for _, w := range ws {
		if w.UserID == userID {
			return w.ID
		}
	}
	return 0
}
