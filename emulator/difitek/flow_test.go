package difitek_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/difitek"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

type offeringView struct {
	ID              int64   `json:"id"`
	LifeCycleStage  string  `json:"life_cycle_stage"`
	AmountRaised    float64 `json:"amount_raised"`
	InvestorCount   int     `json:"investor_count"`
	InvestmentCount int     `json:"investment_count"`
	RaisedPercent   float64 `json:"raised_percent"`
}

type listView struct {
	Offset int              `json:"offset"`
	Limit  int              `json:"limit"`
	Count  int              `json:"count"`
	List   []map[string]any `json:"list"`
}

type capturedEmail struct {
	To     string `json:"to"`
	Type   string `json:"type"`
	UserID int64  `json:"user_id"`
	Secret string `json:"secret"`
	URL    string `json:"url"`
}

func start(t *testing.T, opts ...platformtest.Option) (*platformtest.Harness, client) {
	t.Helper()
	h := platformtest.New(t, []platform.Provider{difitek.New()}, opts...)
	creds := h.Credentials(difitek.Name).(*difitek.Credentials)
	c := client{base: h.URL + "/" + difitek.Name, creds: creds, user: creds.Username, pw: creds.Password}
	return h, c
}

// latestEmail reads the newest captured e-mail to an address.
func latestEmail(t *testing.T, h server, to string) capturedEmail {
	t.Helper()
	var out struct {
		Emails []capturedEmail `json:"emails"`
	}
	if st := platformtest.DoJSON(t, http.MethodGet, h.url()+"/_fakeprovider/difitek/emails?to="+to, nil, &out); st != http.StatusOK || len(out.Emails) == 0 {
		t.Fatalf("no captured e-mail to %s (status %d)", to, st)
	}
	return out.Emails[0]
}

// register signs a user up, verifies the e-mail from the captured message
// and returns a client acting as the user.
func register(t *testing.T, h server, c client, email, password, family string) (client, int64) {
	t.Helper()
	id := c.public().ok(t, http.MethodPost, "/users", map[string]any{
		"email": email, "password": password, "given_name": "Test", "family_name": family, "url": "https://app.example.com/verify",
	}).id(t)
	mail := latestEmail(t, h, email)
	if mail.UserID != id || mail.Secret == "" || !strings.Contains(mail.URL, "secret="+mail.Secret) {
		t.Fatalf("verification e-mail %+v for user %d", mail, id)
	}
	c.public().ok(t, http.MethodPost, "/self/verifyEmail", map[string]any{"user_id": mail.UserID, "secret": mail.Secret})
	return c.as(email, password), id
}

// server is the running emulator: in-process or the real binary.
type server interface {
	url() string
	Advance(d time.Duration)
}

type harness struct{ *platformtest.Harness }

func (h harness) url() string { return h.URL }

func TestEndToEndInvestmentFlow(t *testing.T) {
	h, admin := start(t)
	investmentFlow(t, harness{h}, admin)
}

// investmentFlow is the end-to-end acceptance flow: register with new/new →
// captured verification e-mail → verify → authenticate → organization and
// offering → admin publishes → a second user invests → totals → payout and
// transaction → the documented auth errors.
func investmentFlow(t *testing.T, h server, admin client) {

	investor, _ := register(t, h, admin, "ivy.investor@example.com", "ivy-pass-1", "Investor")
	var me struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}
	investor.ok(t, http.MethodGet, "/authenticate", nil).into(t, "user", &me)
	if !me.EmailVerified || me.Email != "ivy.investor@example.com" {
		t.Fatalf("after verification: %+v", me)
	}
	// Duplicate e-mail is the real service's 20009.
	admin.public().fails(t, http.MethodPost, "/users", map[string]any{"email": "IVY.investor@example.com", "password": "x"}, 400, 20009)

	orgID := admin.ok(t, http.MethodPost, "/organizations", map[string]any{
		"display_name": "Acme Robotics", "visibility": "1", "address": map[string]any{"city": "London", "country": "GB"},
	}).id(t)
	offID := admin.ok(t, http.MethodPost, "/organizations/"+itoa(orgID)+"/offerings", map[string]any{
		"name": "Acme Seed", "funding_goal": 10000, "min_commitment": 100, "max_commitment": 8000, "currency": "GBP",
	}).id(t)
	var off offeringView
	admin.ok(t, http.MethodGet, "/offerings/"+itoa(offID), nil).into(t, "offering", &off)
	if off.LifeCycleStage != "Draft" {
		t.Fatalf("new offering stage %s", off.LifeCycleStage)
	}
	// Drafts are invisible to non-admins.
	investor.fails(t, http.MethodGet, "/offerings/"+itoa(offID), nil, 404, 30004)
	var seen listView
	investor.ok(t, http.MethodGet, "/offerings?limit=1000", nil).into(t, "", &seen)
	for _, o := range seen.List {
		if o["life_cycle_stage"] == "Draft" {
			t.Fatalf("investor sees a Draft: %v", o)
		}
	}
	// Only admins publish.
	investor.fails(t, http.MethodPatch, "/offerings/"+itoa(offID), map[string]any{"life_cycle_stage": "Published"}, 404, 30004)
	admin.ok(t, http.MethodPatch, "/offerings/"+itoa(offID), map[string]any{"life_cycle_stage": "Published"}).into(t, "offering", &off)
	if off.LifeCycleStage != "Published" {
		t.Fatalf("published stage %s", off.LifeCycleStage)
	}

	walletID := investor.ok(t, http.MethodPost, "/self/wallets", nil).id(t)
	investor.fails(t, http.MethodPost, "/offerings/"+itoa(offID)+"/investments", map[string]any{"investment_amount": 50}, 400, 40001)
	investor.fails(t, http.MethodPost, "/offerings/"+itoa(offID)+"/investments", map[string]any{"investment_amount": 9000}, 400, 40002)
	invID := investor.ok(t, http.MethodPost, "/offerings/"+itoa(offID)+"/investments", map[string]any{"investment_amount": 4000, "currency": "GBP"}).id(t)

	investor.ok(t, http.MethodGet, "/offerings/"+itoa(offID), nil).into(t, "offering", &off)
	if off.AmountRaised != 4000 || off.InvestorCount != 1 || off.InvestmentCount != 1 || off.RaisedPercent != 40 {
		t.Fatalf("totals after one investment: %+v", off)
	}
	var txs listView
	investor.ok(t, http.MethodGet, "/wallets/"+itoa(walletID)+"/transactions", nil).into(t, "", &txs)
	if txs.Count != 1 || txs.List[0]["payment_status"] != "Pending" || txs.List[0]["transaction_amount"] != 4000.0 {
		t.Fatalf("wallet transactions: %+v", txs)
	}

	// The built-in scenario settles the investment after 2 minutes.
	h.Advance(2 * time.Minute)
	var inv struct {
		LifeCycleStage string `json:"life_cycle_stage"`
		SettledAt      string `json:"settled_at"`
	}
	investor.ok(t, http.MethodGet, "/investments/"+itoa(invID), nil).into(t, "investment", &inv)
	if inv.LifeCycleStage != "Settled" || inv.SettledAt == "" {
		t.Fatalf("investment after 2m: %+v", inv)
	}
	investor.ok(t, http.MethodGet, "/wallets/"+itoa(walletID)+"/transactions", nil).into(t, "", &txs)
	if txs.List[0]["payment_status"] != "Completed" {
		t.Fatalf("transaction after settlement: %v", txs.List[0])
	}

	payoutID := admin.ok(t, http.MethodPost, "/investments/"+itoa(invID)+"/payouts", map[string]any{"payout_amount": 120.5, "payout_type": "Interest"}).id(t)
	var payouts listView
	investor.ok(t, http.MethodGet, "/self/payouts", nil).into(t, "", &payouts)
	if payouts.Count != 1 || payouts.List[0]["payout_amount"] != 120.5 {
		t.Fatalf("self payouts: %+v", payouts)
	}
	investor.ok(t, http.MethodGet, "/payouts/"+itoa(payoutID)+"/transactions", nil).into(t, "", &txs)
	if txs.Count != 1 || txs.List[0]["payout_id"] != float64(payoutID) {
		t.Fatalf("payout transactions: %+v", txs)
	}
	txID := int64(txs.List[0]["id"].(float64))
	investor.ok(t, http.MethodGet, "/transactions/"+itoa(txID), nil)

	// A second investor funds the rest: offering.funded closes it a minute later.
	second, _ := register(t, h, admin, "sam.second@example.com", "sam-pass-2", "Second")
	second.ok(t, http.MethodPost, "/offerings/"+itoa(offID)+"/investments", map[string]any{"investment_amount": 6000})
	second.ok(t, http.MethodGet, "/offerings/"+itoa(offID), nil).into(t, "offering", &off)
	if off.AmountRaised != 10000 || off.InvestorCount != 2 || off.InvestmentCount != 2 || off.RaisedPercent != 100 {
		t.Fatalf("totals after funding: %+v", off)
	}
	h.Advance(time.Minute)
	second.ok(t, http.MethodGet, "/offerings/"+itoa(offID), nil).into(t, "offering", &off)
	if off.LifeCycleStage != "Closing" {
		t.Fatalf("funded offering stage %s", off.LifeCycleStage)
	}
	second.fails(t, http.MethodPost, "/offerings/"+itoa(offID)+"/investments", map[string]any{"investment_amount": 500}, 400, 40003)

	// Auth failures get the documented errors.
	bad := investor
	bad.creds = &difitek.Credentials{Network: investor.creds.Network, APIKey: investor.creds.APIKey, APISecret: "not-the-secret"}
	bad.fails(t, http.MethodGet, "/self", nil, 401, 10005)
	investor.as("ivy.investor@example.com", "wrong").fails(t, http.MethodGet, "/self", nil, 401, 10006)
	wrongNet := investor
	wrongNet.network = "othernetwork"
	wrongNet.fails(t, http.MethodGet, "/self", nil, 401, 10004)
	unknown := investor
	unknown.creds = &difitek.Credentials{Network: investor.creds.Network, APIKey: "unknown-key", APISecret: investor.creds.APISecret}
	unknown.fails(t, http.MethodGet, "/self", nil, 401, 10003)
	admin.public().fails(t, http.MethodGet, "/self", nil, 403, 10010)
}

func TestStateSurvivesRestart(t *testing.T) {
	data := filepath.Join(t.TempDir(), "state.db")
	h, admin := start(t, platformtest.WithData(data))
	user, _ := register(t, harness{h}, admin, "keep@example.com", "keep-pass", "Keeper")
	orgID := user.ok(t, http.MethodPost, "/organizations", map[string]any{"display_name": "Persistent Ltd"}).id(t)
	h.Stop()

	h2, admin2 := start(t, platformtest.WithData(data))
	_ = h2
	user2 := admin2.as("keep@example.com", "keep-pass")
	var org struct {
		DisplayName string `json:"display_name"`
	}
	user2.ok(t, http.MethodGet, "/organizations/"+itoa(orgID), nil).into(t, "organization", &org)
	if org.DisplayName != "Persistent Ltd" {
		t.Fatalf("organization after restart: %+v", org)
	}
	// The demo network is seeded once.
	var users listView
	admin2.ok(t, http.MethodGet, "/users?limit=1000", nil).into(t, "", &users)
	if users.Count != 7 {
		t.Fatalf("users after restart: %d (want 6 seeded + 1)", users.Count)
	}
}
