package difitek_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// TestMembersPayoutsAndUpdates covers the remaining write endpoints.
func TestMembersPayoutsAndUpdates(t *testing.T) {
	h, admin := start(t)
	owner, ownerID := register(t, harness{h}, admin, "owner@example.com", "pw-owner", "Owner")
	mate, mateID := register(t, harness{h}, admin, "mate@example.com", "pw-mate", "Mate")
	orgID := owner.ok(t, http.MethodPost, "/organizations", map[string]any{"display_name": "Team Co"}).id(t)
	mate.fails(t, http.MethodPatch, "/organizations/"+itoa(orgID), map[string]any{"brief_desc": "hijack"}, 403, 30005)
	owner.ok(t, http.MethodPost, "/organizations/"+itoa(orgID)+"/members/"+itoa(mateID), nil)
	owner.fails(t, http.MethodPost, "/organizations/"+itoa(orgID)+"/user/"+itoa(mateID), nil, 400, 40005)
	mate.ok(t, http.MethodPatch, "/organizations/"+itoa(orgID), map[string]any{"brief_desc": "We build things"})
	var mine listView
	mate.ok(t, http.MethodGet, "/self/organizations", nil).into(t, "", &mine)
	if mine.Count != 1 {
		t.Fatalf("mate's organizations: %d", mine.Count)
	}
	owner.ok(t, http.MethodPost, "/organizations/"+itoa(orgID)+"/documents", map[string]any{"url": "https://cdn.example.com/articles.pdf"})
	var docs listView
	mate.ok(t, http.MethodGet, "/organizations/"+itoa(orgID)+"/documents", nil).into(t, "", &docs)
	if docs.Count != 1 {
		t.Fatalf("organization documents: %d", docs.Count)
	}
	owner.ok(t, http.MethodDelete, "/organizations/"+itoa(orgID)+"/members/"+itoa(mateID), nil)
	mate.fails(t, http.MethodPatch, "/organizations/"+itoa(orgID), map[string]any{"brief_desc": "again"}, 403, 30005)

	offID := owner.ok(t, http.MethodPost, "/organizations/"+itoa(orgID)+"/offerings", map[string]any{"name": "Team Raise", "funding_goal": 5000}).id(t)
	owner.fails(t, http.MethodPatch, "/offerings/"+itoa(offID), map[string]any{"life_cycle_stage": "Published"}, 403, 10011)
	owner.ok(t, http.MethodPatch, "/offerings/"+itoa(offID), map[string]any{"funding_goal": 4000, "min_commitment": 10})
	owner.fails(t, http.MethodPatch, "/offerings/"+itoa(offID), map[string]any{"min_commitment": 100, "max_commitment": 50}, 400, 30003)
	admin.ok(t, http.MethodPatch, "/offerings/"+itoa(offID), map[string]any{"life_cycle_stage": "Published"})
	owner.ok(t, http.MethodPost, "/offerings/"+itoa(offID)+"/bulletins", map[string]any{"title": "Update 1", "body": "Going well"})
	var bulletins listView
	mate.ok(t, http.MethodGet, "/offerings/"+itoa(offID)+"/bulletins", nil).into(t, "", &bulletins)
	if bulletins.Count != 1 {
		t.Fatalf("bulletins: %d", bulletins.Count)
	}
	var tasks listView
	owner.ok(t, http.MethodGet, "/offerings/"+itoa(offID)+"/tasks", nil).into(t, "", &tasks)
	if tasks.Count != 4 || tasks.List[1]["completed"] != true || tasks.List[2]["completed"] != false {
		t.Fatalf("tasks: %+v", tasks)
	}

	invID := mate.ok(t, http.MethodPost, "/offerings/"+itoa(offID)+"/investments", map[string]any{"investment_amount": 1000}).id(t)
	mate.ok(t, http.MethodPost, "/investments/"+itoa(invID)+"/documents", map[string]any{"url": "https://cdn.example.com/agreement.pdf"})
	var invDocs listView
	owner.ok(t, http.MethodGet, "/investments/"+itoa(invID)+"/documents", nil).into(t, "", &invDocs)
	if invDocs.Count != 1 {
		t.Fatalf("investment documents: %d", invDocs.Count)
	}
	var all listView
	owner.ok(t, http.MethodGet, "/offerings/"+itoa(offID)+"/investments", nil).into(t, "", &all)
	if all.Count != 1 {
		t.Fatalf("owner sees %d investments", all.Count)
	}
	var theirs listView
	owner.ok(t, http.MethodGet, "/users/"+itoa(mateID)+"/investments", nil).into(t, "", &theirs)
	if theirs.Count != 1 {
		t.Fatalf("users/{id}/investments: %d", theirs.Count)
	}
	var owned listView
	mate.ok(t, http.MethodGet, "/users/"+itoa(ownerID)+"/offerings", nil).into(t, "", &owned)
	if owned.Count != 1 {
		t.Fatalf("users/{id}/offerings: %d", owned.Count)
	}
	mate.fails(t, http.MethodPost, "/investments/"+itoa(invID)+"/payouts", map[string]any{"payout_amount": 10}, 403, 30005)
	owner.fails(t, http.MethodPost, "/investments/"+itoa(invID)+"/payouts", map[string]any{"payout_amount": 0}, 400, 30003)
	payoutID := owner.ok(t, http.MethodPost, "/investments/"+itoa(invID)+"/payouts", map[string]any{"payout_amount": 25, "due_date": "2027-01-31"}).id(t)
	var po struct {
		PaidAt           string  `json:"paid_at"`
		TransactionsPaid float64 `json:"transactions_paid"`
	}
	owner.ok(t, http.MethodPatch, "/payouts/"+itoa(payoutID), map[string]any{"paid_at": "2027-01-31T10:00:00+00:00"}).into(t, "payout", &po)
	if po.TransactionsPaid != 25 {
		t.Fatalf("payout after paid_at: %+v", po)
	}
	var txs listView
	mate.ok(t, http.MethodGet, "/payouts/"+itoa(payoutID)+"/transactions", nil).into(t, "", &txs)
	txID := int64(txs.List[0]["id"].(float64))
	if txs.List[0]["payment_status"] != "Completed" {
		t.Fatalf("payout transaction: %v", txs.List[0])
	}
	mate.fails(t, http.MethodPatch, "/transactions/"+itoa(txID), map[string]any{"payment_status": "Failed"}, 403, 30005)
	admin.ok(t, http.MethodPatch, "/transactions/"+itoa(txID), map[string]any{"confirmation_number": "ABC123"})
	// An investor may cancel a pending investment, not settle it.
	mate.fails(t, http.MethodPatch, "/investments/"+itoa(invID), map[string]any{"life_cycle_stage": "Settled"}, 403, 30005)
	mate.ok(t, http.MethodPatch, "/investments/"+itoa(invID), map[string]any{"life_cycle_stage": "Cancelled", "custom": map[string]any{"reason": "changed my mind"}})
	var off offeringView
	owner.ok(t, http.MethodGet, "/offerings/"+itoa(offID), nil).into(t, "offering", &off)
	if off.AmountRaised != 0 {
		t.Fatalf("cancelled investment counted: %+v", off)
	}
	// Wallets and invitations are private to their owner.
	walletID := mate.ok(t, http.MethodPost, "/self/wallets", map[string]any{"currency": "eur"}).id(t)
	owner.fails(t, http.MethodGet, "/self/wallets/"+itoa(walletID), nil, 404, 30004)
	owner.fails(t, http.MethodGet, "/wallets/"+itoa(walletID)+"/transactions", nil, 404, 30004)
	invitationID := mate.ok(t, http.MethodPost, "/self/invitations", map[string]any{"email": "pal@example.com"}).id(t)
	mate.ok(t, http.MethodGet, "/self/invitations/"+itoa(invitationID), nil)
	owner.fails(t, http.MethodGet, "/self/invitations/"+itoa(invitationID), nil, 404, 30004)
	owner.ok(t, http.MethodDelete, "/offerings/"+itoa(offID), nil)
	mate.fails(t, http.MethodGet, "/offerings/"+itoa(offID), nil, 404, 30004)
}

// TestJournalRedactsSecrets: passwords, secrets and the cv-auth header
// never reach the request journal in clear.
func TestJournalRedactsSecrets(t *testing.T) {
	h, admin := start(t)
	user, id := register(t, harness{h}, admin, "redact@example.com", "Very-Secret-Pw-1", "Redact")
	user.ok(t, http.MethodPatch, "/self", map[string]any{"passport_number": "P9988776", "tax_id": "TAX-123-456"})
	mail := latestEmail(t, harness{h}, "redact@example.com")
	_ = id
	raw := map[string]any{}
	if st := platformtest.DoJSON(t, http.MethodGet, h.URL+"/_fakeprovider/requests", nil, &raw); st != http.StatusOK {
		t.Fatalf("requests: %d", st)
	}
	dump, _ := json.Marshal(raw)
	if !strings.Contains(string(dump), "redact@example.com") {
		t.Fatalf("the journal has no request bodies to check: %.300s", dump)
	}
	for _, secret := range []string{"Very-Secret-Pw-1", "P9988776", "TAX-123-456", `TokenDigest=`} {
		if strings.Contains(string(dump), secret) {
			t.Errorf("journal holds %q in clear", secret)
		}
	}
	if mail.Secret != "" && strings.Contains(string(dump), `"secret":"`+mail.Secret) {
		t.Error("journal holds the verification secret")
	}
}
