package difitek_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/difitek"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

func TestPasswordAndEmailFlows(t *testing.T) {
	h, admin := start(t)
	user, id := register(t, harness{h}, admin, "flow@example.com", "first-pass", "Flow")
	pub := admin.public()

	// Forgot → captured reset e-mail → reset → log in with the new password.
	pub.ok(t, http.MethodPost, "/self/forgotPassword", map[string]any{"email": "flow@example.com", "url": "https://app.example.com/reset"})
	mail := latestEmail(t, harness{h}, "flow@example.com")
	if mail.Type != "reset_password" || mail.UserID != id {
		t.Fatalf("reset e-mail %+v", mail)
	}
	pub.fails(t, http.MethodPost, "/self/resetPassword", map[string]any{"user_id": id, "secret": mail.Secret, "password": "a", "password_confirm": "b"}, 400, 10021)
	pub.fails(t, http.MethodPost, "/self/resetPassword", map[string]any{"user_id": id, "secret": "nope", "password": "a", "password_confirm": "a"}, 400, 10020)
	pub.ok(t, http.MethodPost, "/self/resetPassword", map[string]any{"user_id": id, "secret": mail.Secret, "password": "second-pass", "password_confirm": "second-pass"})
	user.fails(t, http.MethodGet, "/self", nil, 401, 10006)
	user = user.as("flow@example.com", "second-pass")
	user.ok(t, http.MethodGet, "/self", nil)
	// A secret works once.
	pub.fails(t, http.MethodPost, "/self/resetPassword", map[string]any{"user_id": id, "secret": mail.Secret, "password": "x", "password_confirm": "x"}, 400, 10020)

	// Change password.
	user.fails(t, http.MethodPost, "/self/changePassword", map[string]any{"password": "bad", "new_password": "third", "new_password_confirm": "third"}, 400, 10022)
	user.ok(t, http.MethodPost, "/self/changePassword", map[string]any{"password": "second-pass", "new_password": "third", "new_password_confirm": "third"})
	user = user.as("flow@example.com", "third")

	// Resend verification: 10017 without email, 10018 when already verified.
	user.fails(t, http.MethodPost, "/self/resendVerificationEmail", map[string]any{}, 400, 10017)
	user.fails(t, http.MethodPost, "/self/resendVerificationEmail", map[string]any{"email": "flow@example.com"}, 400, 10018)

	// Change e-mail takes effect on verification of the new address
	// (here through the API reference's /public/verifyEmail path).
	user.ok(t, http.MethodPost, "/self/changeEmail", map[string]any{"new_email": "moved@example.com", "new_email_confirm": "moved@example.com"})
	user.ok(t, http.MethodGet, "/self", nil)
	mail = latestEmail(t, harness{h}, "moved@example.com")
	pub.ok(t, http.MethodPost, "/public/verifyEmail", map[string]any{"user_id": mail.UserID, "secret": mail.Secret})
	user.fails(t, http.MethodGet, "/self", nil, 401, 10006)
	user.as("moved@example.com", "third").ok(t, http.MethodGet, "/self", nil)

	// Newsletter, accept terms, registration complete, PATCH /self.
	pub.ok(t, http.MethodPost, "/self/newsletterSignUp", map[string]any{"email": "news@example.com"})
	moved := user.as("moved@example.com", "third")
	moved.ok(t, http.MethodPost, "/self/acceptTerms", nil)
	moved.ok(t, http.MethodPost, "/self/markRegistrationComplete", nil)
	var self struct {
		TermServiceAccepted  bool   `json:"term_service_accepted"`
		RegistrationComplete bool   `json:"registration_complete"`
		JobTitle             string `json:"job_title"`
		FullName             string `json:"full_name"`
		Address              struct {
			City string `json:"city"`
		} `json:"address"`
	}
	moved.ok(t, http.MethodPatch, "/self", map[string]any{"job_title": "CFO", "given_name": "Flo", "address": map[string]any{"city": "Leeds"}, "email": "ignored@example.com"})
	moved.ok(t, http.MethodGet, "/self", nil).into(t, "user", &self)
	if !self.TermServiceAccepted || !self.RegistrationComplete || self.JobTitle != "CFO" || self.FullName != "Flo Flow" || self.Address.City != "Leeds" {
		t.Fatalf("self after updates: %+v", self)
	}
	moved.fails(t, http.MethodPatch, "/self", map[string]any{"job_title": []string{"CFO"}}, 400, 30003)

	// Invitations are captured too.
	moved.ok(t, http.MethodPost, "/self/invitations", map[string]any{"email": "friend@example.com", "given_name": "Fran", "organization_name": "Acme"})
	if m := latestEmail(t, harness{h}, "friend@example.com"); m.Type != "invitation" {
		t.Fatalf("invitation e-mail %+v", m)
	}
	moved.ok(t, http.MethodDelete, "/self", nil)
	moved.fails(t, http.MethodGet, "/self", nil, 401, 10006)
}

func TestKYCScenarios(t *testing.T) {
	h, admin := start(t)
	pass, _ := register(t, harness{h}, admin, "pat@example.com", "pw-pat", "Patel")
	fail, _ := register(t, harness{h}, admin, "fay@example.com", "pw-fay", "Failsworth")
	refer, _ := register(t, harness{h}, admin, "rex@example.com", "pw-rex", "Referee")
	type check struct {
		ID     string         `json:"id"`
		Status string         `json:"status"`
		Result map[string]any `json:"result"`
	}
	var got check
	pass.ok(t, http.MethodGet, "/self/gbgIdVerify", nil).into(t, "", &got)
	if got.Status != "Pending" {
		t.Fatalf("first gbg answer %+v", got)
	}
	fail.ok(t, http.MethodPost, "/self/veridu/backgroundCheck", nil)
	refer.ok(t, http.MethodPost, "/self/reyker/register", nil)
	pass.fails(t, http.MethodGet, "/self/reyker", nil, 404, 30004)
	h.Advance(5 * time.Second)
	pass.ok(t, http.MethodGet, "/self/gbgIdVerify", nil).into(t, "", &got)
	if got.Status != "Passed" || got.Result["band_text"] != "Pass" {
		t.Fatalf("gbg after 5s: %+v", got)
	}
	var self struct {
		GBGPassID string `json:"gbg_pass_id"`
	}
	pass.ok(t, http.MethodGet, "/self", nil).into(t, "user", &self)
	if self.GBGPassID == "" {
		t.Fatal("gbg_pass_id not set after a passed check")
	}
	fail.fails(t, http.MethodGet, "/self/veridu/profile", nil, 404, 30004)
	var bg check
	// The background check is its own record.
	if st := h.Control(http.MethodPost, "/difitek/kyc/veridu-profile-0/status", map[string]any{"stage": "Passed"}, nil); st != http.StatusNotFound && st != http.StatusBadRequest {
		t.Fatalf("control on a missing check: %d", st)
	}
	fail.ok(t, http.MethodPost, "/self/veridu/profile", nil)
	h.Advance(5 * time.Second)
	fail.ok(t, http.MethodGet, "/self/veridu/profile", nil).into(t, "", &bg)
	if bg.Status != "Failed" {
		t.Fatalf("veridu profile of Failsworth: %+v", bg)
	}
	refer.ok(t, http.MethodGet, "/self/reyker", nil).into(t, "", &got)
	if got.Status != "Referred" {
		t.Fatalf("reyker of Referee: %+v", got)
	}
	var plans listView
	refer.ok(t, http.MethodGet, "/self/reyker/plans", nil).into(t, "", &plans)
	if plans.Count == 0 {
		t.Fatal("no reyker plans")
	}
	// Phone verification through the captured SMS.
	pass.ok(t, http.MethodPatch, "/self", map[string]any{"phone_1": "+447700900123"})
	pass.ok(t, http.MethodPost, "/self/veridu/sendPhoneVerificationMessage", nil)
	sms := latestEmail(t, harness{h}, "%2B447700900123")
	pass.fails(t, http.MethodPost, "/self/veridu/verifyPhoneMessage", map[string]any{"code": "000000"}, 400, 30003)
	pass.ok(t, http.MethodPost, "/self/veridu/verifyPhoneMessage", map[string]any{"code": sms.Secret})
}

func TestControlEndpoints(t *testing.T) {
	h, admin := start(t)
	user, id := register(t, harness{h}, admin, "ctl@example.com", "pw-ctl", "Control")
	path := "/difitek/users/" + itoa(id)
	if st := h.Control(http.MethodPost, path+"/block", map[string]any{"user_message": "fraud"}, nil); st != http.StatusOK {
		t.Fatalf("block: %d", st)
	}
	user.fails(t, http.MethodGet, "/self", nil, 403, 10012)
	h.Control(http.MethodPost, path+"/unblock", nil, nil)
	user.ok(t, http.MethodGet, "/self", nil)

	// A Draft offering is hidden until the user is made an admin.
	orgID := user.ok(t, http.MethodPost, "/organizations", map[string]any{"display_name": "Ctl Org"}).id(t)
	offID := user.ok(t, http.MethodPost, "/organizations/"+itoa(orgID)+"/offerings", map[string]any{"name": "Ctl Raise", "funding_goal": 1000}).id(t)
	other, _ := register(t, harness{h}, admin, "other@example.com", "pw-other", "Other")
	other.fails(t, http.MethodGet, "/offerings/"+itoa(offID), nil, 404, 30004)
	h.Control(http.MethodPost, "/difitek/users/"+itoa(id+1)+"/admin", nil, nil)
	other.ok(t, http.MethodGet, "/offerings/"+itoa(offID), nil)

	// Offerings and investments move through their life cycles.
	var off struct {
		LifeCycleStage string `json:"life_cycle_stage"`
	}
	if st := h.Control(http.MethodPost, "/difitek/offerings/"+itoa(offID)+"/stage", map[string]any{"stage": "Settled"}, nil); st != http.StatusBadRequest {
		t.Fatalf("Draft → Settled accepted: %d", st)
	}
	if st := h.Control(http.MethodPost, "/difitek/offerings/"+itoa(offID)+"/stage", map[string]any{"stage": "published"}, &off); st != http.StatusOK || off.LifeCycleStage != "Published" {
		t.Fatalf("publish: %d %+v", st, off)
	}
	invID := other.ok(t, http.MethodPost, "/offerings/"+itoa(offID)+"/investments", map[string]any{"investment_amount": 100}).id(t)
	var inv struct {
		LifeCycleStage string `json:"life_cycle_stage"`
	}
	if st := h.Control(http.MethodPost, "/difitek/investments/"+itoa(invID)+"/stage", map[string]any{"stage": "Cancelled"}, &inv); st != http.StatusOK || inv.LifeCycleStage != "Cancelled" {
		t.Fatalf("cancel investment: %d %+v", st, inv)
	}
	var o offeringView
	other.ok(t, http.MethodGet, "/offerings/"+itoa(offID), nil).into(t, "offering", &o)
	if o.AmountRaised != 0 || o.InvestmentCount != 0 {
		t.Fatalf("cancelled investment still counted: %+v", o)
	}
	// The scenario's later step finds the investment cancelled and leaves it.
	h.Advance(3 * time.Minute)
	if st := h.Control(http.MethodPost, "/difitek/investments/999/stage", map[string]any{"stage": "Settled"}, nil); st != http.StatusNotFound {
		t.Fatalf("missing investment: %d", st)
	}
	var latest capturedEmail
	if st := h.Control(http.MethodGet, "/difitek/emails/latest?type=verify_email", nil, &latest); st != http.StatusOK || latest.To != "other@example.com" {
		t.Fatalf("latest e-mail: %d %+v", st, latest)
	}
}

func TestListsPageSortFilterSearch(t *testing.T) {
	_, admin := start(t)
	var all listView
	admin.ok(t, http.MethodGet, "/offerings", nil).into(t, "", &all)
	if all.Count != 5 || all.Limit != 100 || all.Offset != 0 || len(all.List) != 5 {
		t.Fatalf("admin offerings: count %d limit %d len %d", all.Count, all.Limit, len(all.List))
	}
	var page listView
	admin.ok(t, http.MethodGet, "/offerings?page=1&limit=2&orderby=funding_goal&sort=desc", nil).into(t, "", &page)
	if page.Count != 5 || page.Offset != 1 || page.Limit != 2 || len(page.List) != 2 || page.List[0]["funding_goal"].(float64) < page.List[1]["funding_goal"].(float64) {
		t.Fatalf("page: %+v", page)
	}
	var filtered listView
	admin.ok(t, http.MethodGet, "/offerings?filter[life_cycle_stage]=published", nil).into(t, "", &filtered)
	if filtered.Count != 2 {
		t.Fatalf("filter[life_cycle_stage]=published: %d", filtered.Count)
	}
	name := all.List[0]["name"].(string)
	var found listView
	admin.ok(t, http.MethodGet, "/offerings?search="+strings.ReplaceAll(strings.ToUpper(name[:4]), " ", "%20"), nil).into(t, "", &found)
	if found.Count == 0 {
		t.Fatalf("search %q found nothing", name[:4])
	}
	admin.fails(t, http.MethodGet, "/offerings?limit=abc", nil, 400, 30003)
	admin.fails(t, http.MethodGet, "/offerings?sort=sideways", nil, 400, 30003)
	var pub listView
	admin.public().ok(t, http.MethodGet, "/public/offerings", nil).into(t, "", &pub)
	if pub.Count != 4 {
		t.Fatalf("public offerings: %d (Draft must be hidden)", pub.Count)
	}
	var featured listView
	admin.public().ok(t, http.MethodGet, "/public/featuredOfferings", nil).into(t, "", &featured)
	if featured.Count != 1 {
		t.Fatalf("featured: %d", featured.Count)
	}
	var users listView
	admin.public().ok(t, http.MethodGet, "/public/users", nil).into(t, "", &users)
	for _, u := range users.List {
		if _, leaked := u["passport_number"]; leaked {
			t.Fatal("public users show private fields")
		}
	}
	var stats map[string]float64
	admin.public().ok(t, http.MethodGet, "/public/stats", nil).into(t, "", &stats)
	if stats["count_settled_offerings"] != 1 || stats["count_settled_investments"] != 3 || stats["sum_settled_investments"] != 200000 {
		t.Fatalf("stats: %v", stats)
	}
}

func TestDealRoomsDocumentsAndCapTables(t *testing.T) {
	_, admin := start(t)
	var rooms listView
	admin.ok(t, http.MethodGet, "/offerings/2/dealrooms", nil).into(t, "", &rooms)
	if rooms.Count != 1 {
		t.Fatalf("seeded deal rooms: %d", rooms.Count)
	}
	roomID := int64(rooms.List[0]["id"].(float64))
	room := "/dealrooms/" + itoa(roomID)
	admin.ok(t, http.MethodPatch, room, map[string]any{"name": "Renamed", "nda_required": true})
	topicID := admin.ok(t, http.MethodPost, room+"/topics", map[string]any{"title": "Q&A", "body": "Ask away"}).id(t)
	postID := admin.ok(t, http.MethodPost, "/topics/"+itoa(topicID)+"/posts", map[string]any{"body": "First!"}).id(t)
	admin.ok(t, http.MethodPost, "/posts/"+itoa(postID)+"/comments", map[string]any{"body": "Welcome"})
	admin.fails(t, http.MethodPost, "/posts/"+itoa(postID)+"/comments", map[string]any{}, 400, 30002)
	var comments listView
	admin.ok(t, http.MethodGet, "/posts/"+itoa(postID)+"/comments", nil).into(t, "", &comments)
	if comments.Count != 1 {
		t.Fatalf("comments: %d", comments.Count)
	}
	admin.ok(t, http.MethodGet, "/posts/"+itoa(postID), nil)
	reqID := admin.ok(t, http.MethodPost, room+"/accessrequest", nil).id(t)
	groupID := admin.ok(t, http.MethodPost, room+"/access_groups", map[string]any{"name": "Investors"}).id(t)
	admin.ok(t, http.MethodPost, room+"/document_groups", map[string]any{"name": "Legal"})
	admin.ok(t, http.MethodPost, room+"/accessgroups/"+itoa(groupID), map[string]any{"level": 2})
	admin.ok(t, http.MethodPost, room+"/accessrequests/"+itoa(reqID)+"/group/"+itoa(groupID), nil)
	admin.fails(t, http.MethodPatch, room+"/accessrequests/"+itoa(reqID)+"?status=maybe", nil, 400, 30003)
	var ar struct {
		Status  string `json:"status"`
		GroupID int64  `json:"group_id"`
	}
	admin.ok(t, http.MethodPatch, room+"/accessrequests/"+itoa(reqID)+"?status=Approved", nil).into(t, "accessrequest", &ar)
	if ar.Status != "Approved" || ar.GroupID != groupID {
		t.Fatalf("access request: %+v", ar)
	}
	admin.ok(t, http.MethodGet, room+"/accessrequests/1", nil)

	docID := admin.ok(t, http.MethodPost, "/self/documents", map[string]any{"url": "https://cdn.example.com/id.pdf", "file_type": "application/pdf", "tag": "kyc"}).id(t)
	var doc struct {
		FileName string `json:"file_name"`
	}
	admin.ok(t, http.MethodGet, "/document/"+itoa(docID), nil).into(t, "document", &doc)
	if doc.FileName != "id.pdf" {
		t.Fatalf("document %+v", doc)
	}
	var self struct {
		Documents []map[string]any `json:"documents"`
	}
	admin.ok(t, http.MethodGet, "/self", nil).into(t, "user", &self)
	if len(self.Documents) != 1 {
		t.Fatalf("self documents: %d", len(self.Documents))
	}
	admin.ok(t, http.MethodDelete, "/documents/"+itoa(docID), nil)
	admin.fails(t, http.MethodGet, "/document/"+itoa(docID), nil, 404, 30004)

	var s3 struct {
		URL string `json:"url"`
	}
	admin.ok(t, http.MethodPut, "/s3", map[string]any{"file_name": "deck.pdf", "file_type": "application/pdf"}).into(t, "", &s3)
	req, _ := http.NewRequest(http.MethodPut, s3.URL, bytes.NewReader([]byte("%PDF-1.4")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("upload to %s: %v %v", s3.URL, err, resp)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	// The settled offering's organization (3) has a cap table.
	var capt struct {
		TotalShares  int64            `json:"total_shares"`
		Shareholders []map[string]any `json:"shareholders"`
	}
	admin.ok(t, http.MethodGet, "/capitalizations/3", nil).into(t, "capitalization", &capt)
	if capt.TotalShares == 0 || len(capt.Shareholders) == 0 {
		t.Fatalf("cap table %+v", capt)
	}
	var changes listView
	admin.ok(t, http.MethodGet, "/capitalizations/3/changelog", nil).into(t, "", &changes)
	if changes.Count != 3 {
		t.Fatalf("changelog %d", changes.Count)
	}
}

func TestAdminStyleAndAlivePaths(t *testing.T) {
	h, admin := start(t)
	adminStyle := admin
	adminStyle.network = "admin/" + admin.creds.Network
	orgID := adminStyle.ok(t, http.MethodPost, "/2/organization", map[string]any{"display_name": "Via Admin Path"}).id(t)
	var org struct {
		UserID int64 `json:"user_id"`
	}
	admin.ok(t, http.MethodGet, "/organizations/"+itoa(orgID), nil).into(t, "organization", &org)
	if org.UserID != 2 {
		t.Fatalf("admin-style organization owner %d", org.UserID)
	}
	var out map[string]any
	if st := platformtest.DoJSON(t, http.MethodGet, h.URL+"/difitek/v1/"+admin.creds.Network, nil, &out); st != http.StatusOK {
		t.Fatalf("alive: %d", st)
	}
	if st := platformtest.DoJSON(t, http.MethodGet, h.URL+"/difitek/v1/unknownnet", nil, &out); st != http.StatusNotFound {
		t.Fatalf("alive of an unknown network: %d", st)
	}
}

func TestTenantsAreIsolated(t *testing.T) {
	h, admin := start(t)
	orgID := admin.ok(t, http.MethodPost, "/organizations", map[string]any{"display_name": "Private Co", "visibility": "0"}).id(t)
	tenant := h.NewTenant()
	var listing map[string]json.RawMessage
	if st := h.Control(http.MethodGet, "/credentials?tenant="+tenant, nil, &listing); st != http.StatusOK {
		t.Fatalf("credentials of %s: %d", tenant, st)
	}
	var c2 difitek.Credentials
	if err := json.Unmarshal(listing[difitek.Name], &c2); err != nil || c2.APIKey == "" || c2.Network == admin.creds.Network {
		t.Fatalf("credentials of %s: %s (%v)", tenant, listing[difitek.Name], err)
	}
	other := client{base: admin.base, creds: &c2, user: c2.Username, pw: c2.Password}
	other.ok(t, http.MethodGet, "/self", nil)
	other.fails(t, http.MethodGet, "/organizations/"+itoa(orgID), nil, 404, 30004)
	// Another tenant's key on this network is a wrong network.
	cross := other
	cross.network = admin.creds.Network
	cross.fails(t, http.MethodGet, "/self", nil, 401, 10004)
}
