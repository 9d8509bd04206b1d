package difitek_test

import (
	"net/http"
	"testing"
)

// issuerNetwork is a network with an issuer who owns a Draft offering, an
// investor, and the administrator.
type issuerNetwork struct {
	admin, issuer, investor client
	orgID, draftID          int64
}

func newIssuerNetwork(t *testing.T) issuerNetwork {
	t.Helper()
	h, admin := start(t)
	issuer, _ := register(t, harness{h}, admin, "issa.issuer@example.com", "issa-pass-1", "Issuer")
	investor, _ := register(t, harness{h}, admin, "ian.investor@example.com", "ian-pass-1", "Investor")
	n := issuerNetwork{admin: admin, issuer: issuer, investor: investor}
	n.orgID = issuer.ok(t, http.MethodPost, "/organizations", map[string]any{"display_name": "Issa Ltd"}).id(t)
	n.draftID = n.newOffering(t, "Issa Seed")
	return n
}

// newOffering is a Draft offering of the issuer's organization.
func (n issuerNetwork) newOffering(t *testing.T, name string) int64 {
	t.Helper()
	return n.issuer.ok(t, http.MethodPost, "/organizations/"+itoa(n.orgID)+"/offerings", map[string]any{
		"name": name, "funding_goal": 50000, "currency": "GBP",
	}).id(t)
}

// publish moves an offering as the administrator.
func (n issuerNetwork) publish(t *testing.T, id int64, stages ...string) {
	t.Helper()
	for _, st := range stages {
		n.admin.ok(t, http.MethodPatch, "/offerings/"+itoa(id), map[string]any{"life_cycle_stage": st})
	}
}

// TestResendingTheCurrentStageIsNoChange: the SDK's save methods always
// send life_cycle_stage, so the current stage (in any case, or null/"")
// needs no right to change it; another stage still does.
func TestResendingTheCurrentStageIsNoChange(t *testing.T) {
	n := newIssuerNetwork(t)
	openID := n.newOffering(t, "Issa Growth")
	n.publish(t, openID, "Published")
	invID := n.investor.ok(t, http.MethodPost, "/offerings/"+itoa(openID)+"/investments", map[string]any{"investment_amount": 1500}).id(t)

	offering, investment := "/offerings/"+itoa(n.draftID), "/investments/"+itoa(invID)
	tests := []struct {
		name   string
		as     client
		path   string
		body   map[string]any
		status int
		code   int
		stage  string
	}{
		{"owner renames, sending Draft", n.issuer, offering, map[string]any{"name": "renamed", "life_cycle_stage": "Draft"}, 200, 0, "Draft"},
		{"owner sends draft in lower case", n.issuer, offering, map[string]any{"name": "renamed again", "life_cycle_stage": "draft"}, 200, 0, "Draft"},
		{"owner sends a null stage", n.issuer, offering, map[string]any{"name": "renamed", "life_cycle_stage": nil}, 200, 0, "Draft"},
		{"owner sends an empty stage", n.issuer, offering, map[string]any{"life_cycle_stage": ""}, 200, 0, "Draft"},
		{"owner may not publish", n.issuer, offering, map[string]any{"life_cycle_stage": "Published"}, 403, 10011, ""},
		{"owner may not send an unknown stage", n.issuer, offering, map[string]any{"life_cycle_stage": "Launched"}, 403, 10011, ""},
		{"admin re-sends Draft", n.admin, offering, map[string]any{"life_cycle_stage": "Draft"}, 200, 0, "Draft"},
		{"investor re-sends Pending", n.investor, investment, map[string]any{"life_cycle_stage": "Pending", "custom": []any{}}, 200, 0, "Pending"},
		{"investor re-sends pending", n.investor, investment, map[string]any{"life_cycle_stage": "pending", "visibility": "Open"}, 200, 0, "Pending"},
		{"manager re-sends Pending", n.issuer, investment, map[string]any{"life_cycle_stage": "Pending"}, 200, 0, "Pending"},
		{"investor may not settle", n.investor, investment, map[string]any{"life_cycle_stage": "Settled"}, 403, 30005, ""},
		{"investor may cancel", n.investor, investment, map[string]any{"life_cycle_stage": "Cancelled"}, 200, 0, "Cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.status != 200 {
				tt.as.fails(t, http.MethodPatch, tt.path, tt.body, tt.status, tt.code)
				return
			}
			key := "offering"
			if tt.path == investment {
				key = "investment"
			}
			var got struct {
				Name           string `json:"name"`
				LifeCycleStage string `json:"life_cycle_stage"`
			}
			tt.as.ok(t, http.MethodPatch, tt.path, tt.body).into(t, key, &got)
			if got.LifeCycleStage != tt.stage {
				t.Fatalf("stage %q, want %q", got.LifeCycleStage, tt.stage)
			}
			if name, ok := tt.body["name"].(string); ok && got.Name != name {
				t.Fatalf("name %q, want %q", got.Name, name)
			}
		})
	}
}

// TestInvestingInAnOfferingNotOpen: whoever can see an offering that is not
// Published (GET 200) is told it is not open (400 40003, as for Closing);
// whoever cannot see it (GET 404) gets 404 on investing too.
func TestInvestingInAnOfferingNotOpen(t *testing.T) {
	n := newIssuerNetwork(t)
	closingID := n.newOffering(t, "Issa Closing")
	n.publish(t, closingID, "Published", "Closing")
	tests := []struct {
		name       string
		as         client
		offering   int64
		get        int
		investHTTP int
		investCode int
	}{
		{"owner, Draft", n.issuer, n.draftID, 200, 400, 40003},
		{"admin, Draft", n.admin, n.draftID, 200, 400, 40003},
		{"investor, Draft", n.investor, n.draftID, 404, 404, 30004},
		{"owner, Closing", n.issuer, closingID, 200, 400, 40003},
		{"investor, Closing", n.investor, closingID, 200, 400, 40003},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/offerings/" + itoa(tt.offering)
			if got := tt.as.do(t, http.MethodGet, path, nil); got.http != tt.get {
				t.Fatalf("GET %d, want %d", got.http, tt.get)
			}
			tt.as.fails(t, http.MethodPost, path+"/investments", map[string]any{"investment_amount": 1000}, tt.investHTTP, tt.investCode)
		})
	}
}
