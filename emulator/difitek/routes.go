package difitek

import (
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// routes declares every v1 endpoint at its real path with its credentials
// class (see README "Endpoints").
func (p *Provider) routes(m *platform.Mount) {
	const (
		get, post, patch, put, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete
	)
	public, user, admin := p.verifier(accessPublic), p.verifier(accessUser), p.verifier(accessAdmin)
	h := func(method, path string, v platform.Verifier, fn platform.HandlerFunc, name string, opts ...platform.RouteOption) {
		m.Handle(method, "/v1/{network}"+path, v, fn, append([]platform.RouteOption{platform.Named(name)}, opts...)...)
	}
	inferred := platform.InferredAs

	h(get, "/authenticate", user, p.authenticate, "authenticate")
	m.Handle(get, "/v1/{network}", platform.NoAuth, p.alive, platform.Named("alive"), inferred(reasonAlive))

	// Public.
	h(get, "/public/stats", public, p.publicStats, "public.stats")
	h(get, "/public/users", public, p.publicUsers, "public.users")
	h(get, "/public/organizations", public, p.publicOrganizations, "public.organizations")
	h(get, "/public/organizations/{id}", public, p.publicOrganization, "public.organization")
	h(get, "/public/featuredOfferings", public, p.featuredOfferings, "public.featuredOfferings")
	h(get, "/public/offerings", public, p.publicOfferings, "public.offerings")
	h(get, "/public/offerings/{id}", public, p.publicOffering, "public.offering")
	h(post, "/public/verifyEmail", public, p.verifyEmail, "public.verifyEmail")
	h(post, "/users", public, p.register, "users.create")
	h(post, "/self/verifyEmail", public, p.verifyEmail, "self.verifyEmail")
	h(post, "/self/forgotPassword", public, p.forgotPassword, "self.forgotPassword")
	h(post, "/self/resetPassword", public, p.resetPassword, "self.resetPassword")
	h(post, "/self/newsletterSignUp", public, p.newsletterSignUp, "self.newsletterSignUp")

	// Self.
	h(get, "/self", user, p.getSelf, "self.get")
	h(patch, "/self", user, p.patchSelf, "self.update")
	h(del, "/self", user, p.deleteSelf, "self.delete")
	h(get, "/self/stats", user, p.selfStats, "self.stats", inferred(reasonSelfStats))
	h(post, "/self/acceptTerms", user, p.acceptTerms, "self.acceptTerms")
	h(post, "/self/resendVerificationEmail", user, p.resendVerificationEmail, "self.resendVerificationEmail")
	h(post, "/self/changePassword", user, p.changePassword, "self.changePassword")
	h(post, "/self/changeEmail", user, p.changeEmail, "self.changeEmail")
	h(post, "/self/approveUser", admin, p.moderate("approved"), "self.approveUser", inferred(reasonModeration))
	h(post, "/self/blockUser", admin, p.moderate("blocked"), "self.blockUser", inferred(reasonModeration))
	h(post, "/self/markRegistrationComplete", user, p.markRegistrationComplete, "self.markRegistrationComplete")
	h(get, "/self/organizations", user, p.selfOrganizations, "self.organizations")
	h(get, "/self/offerings", user, p.selfOfferings, "self.offerings")
	h(get, "/self/investments", user, mine(kindInvestment, func(i Investment) int64 { return i.UserID }), "self.investments")
	h(get, "/self/payouts", user, p.selfPayouts, "self.payouts")
	h(get, "/self/documents", user, p.ownerDocuments(kindUser), "self.documents")
	h(post, "/self/documents", user, p.attachDocument(kindUser), "self.documents.create")
	h(get, "/self/invitations", user, mine(kindInvitation, func(i Invitation) int64 { return i.UserID }), "self.invitations")
	h(post, "/self/invitations", user, p.createInvitation, "self.invitations.create")
	h(get, "/self/invitations/{id}", user, p.selfInvitation, "self.invitation")
	h(get, "/self/wallets", user, mine(kindWallet, func(w Wallet) int64 { return w.UserID }), "self.wallets")
	h(post, "/self/wallets", user, p.createSelfWallet, "self.wallets.create")
	h(get, "/self/wallets/{id}", user, p.selfWallet, "self.wallet")

	// Third-party KYC.
	h(post, "/self/veridu/profile", user, p.kycCheck("veridu", "profile", true), "veridu.profile.create", inferred(reasonKYC))
	h(get, "/self/veridu/profile", user, p.kycRead("veridu", "profile"), "veridu.profile", inferred(reasonKYC))
	h(post, "/self/veridu/sendPhoneVerificationMessage", user, p.sendPhoneVerification, "veridu.sendPhone", inferred(reasonKYC))
	h(post, "/self/veridu/verifyPhoneMessage", user, p.verifyPhone, "veridu.verifyPhone", inferred(reasonKYC))
	h(post, "/self/veridu/backgroundCheck", user, p.kycCheck("veridu", "background", true), "veridu.backgroundCheck", inferred(reasonKYC))
	h(get, "/self/gbgIdVerify", user, p.kycCheck("gbg", "id", false), "gbg.idVerify", inferred(reasonKYC))
	h(get, "/self/gbgroup/incrementalVerify", user, p.kycCheck("gbg", "incremental", false), "gbg.incrementalVerify", inferred(reasonKYC))
	h(post, "/self/reyker/register", user, p.kycCheck("reyker", "register", true), "reyker.register", inferred(reasonKYC))
	h(get, "/self/reyker", user, p.kycRead("reyker", "register"), "reyker.get", inferred(reasonKYC))
	h(get, "/self/reyker/plans", user, p.reykerPlans, "reyker.plans", inferred(reasonKYC))

	// Users.
	h(get, "/users", user, p.listUsers, "users.list")
	h(get, "/users/{id}", user, p.getUser, "users.get")
	h(get, "/users/{id}/investments", user, p.userInvestments, "users.investments")
	h(get, "/users/{id}/offerings", user, p.userOfferings, "users.offerings")

	// Organizations.
	h(get, "/organizations", user, p.listOrganizations, "organizations.list")
	h(post, "/organizations", user, p.postOrganization, "organizations.create")
	h(get, "/organizations/{id}", user, p.getOrganization, "organizations.get")
	h(patch, "/organizations/{id}", user, p.patchOrganization, "organizations.update")
	h(post, "/organizations/{id}/members/{user_id}", user, p.member(true), "organizations.members.add")
	h(del, "/organizations/{id}/members/{user_id}", user, p.member(false), "organizations.members.remove")
	h(post, "/organizations/{id}/user/{user_id}", user, p.member(true), "organizations.user.add", inferred(reasonThirdParty))
	h(get, "/organizations/{id}/offerings", user, p.organizationOfferings, "organizations.offerings")
	h(post, "/organizations/{id}/offerings", user, p.postOrganizationOffering, "offerings.create")
	h(get, "/organizations/{id}/documents", user, p.ownerDocuments(kindOrganization), "organizations.documents")
	h(post, "/organizations/{id}/documents", user, p.attachDocument(kindOrganization), "organizations.documents.create")
	m.Handle(post, "/v1/admin/{network}/{user_id}/organization", admin, p.postOrganization, platform.Named("admin.organization.create"), inferred(reasonAdminPath))

	// Offerings.
	h(get, "/offerings", user, p.listOfferings, "offerings.list")
	h(get, "/offerings/{id}", user, p.getOffering, "offerings.get")
	h(patch, "/offerings/{id}", user, p.patchOffering, "offerings.update")
	h(del, "/offerings/{id}", user, p.deleteOffering, "offerings.cancel")
	h(get, "/offerings/{id}/investments", user, p.offeringInvestments, "offerings.investments")
	h(post, "/offerings/{id}/investments", user, p.postInvestment, "investments.create")
	h(get, "/offerings/{id}/dealrooms", user, offeringChildren(kindDealRoom, func(d DealRoom) int64 { return d.OfferingID }), "offerings.dealrooms")
	h(post, "/offerings/{id}/dealrooms", user, p.postDealRoom, "dealrooms.create")
	h(get, "/offerings/{id}/bulletins", user, offeringChildren(kindBulletin, func(b Bulletin) int64 { return b.OfferingID }), "offerings.bulletins")
	h(post, "/offerings/{id}/bulletins", user, p.postBulletin, "bulletins.create")
	h(get, "/offerings/{id}/documents", user, p.ownerDocuments(kindOffering), "offerings.documents")
	h(post, "/offerings/{id}/documents", user, p.attachDocument(kindOffering), "offerings.documents.create")
	h(get, "/offerings/{id}/tasks", user, p.offeringTasks, "offerings.tasks", inferred(reasonTasks))

	// Investments, payouts, transactions, wallets.
	h(get, "/investments/{id}", user, p.getInvestment, "investments.get")
	h(patch, "/investments/{id}", user, p.patchInvestment, "investments.update")
	h(get, "/investments/{id}/documents", user, p.ownerDocuments(kindInvestment), "investments.documents")
	h(post, "/investments/{id}/documents", user, p.attachDocument(kindInvestment), "investments.documents.create")
	h(get, "/investments/{id}/payouts", user, investmentChildren(kindPayout, func(po Payout) int64 { return po.InvestmentID }), "investments.payouts")
	h(post, "/investments/{id}/payouts", user, p.postPayout, "payouts.create")
	h(get, "/payouts/{id}", user, p.getPayout, "payouts.get")
	h(patch, "/payouts/{id}", user, p.patchPayout, "payouts.update")
	h(get, "/payouts/{id}/transactions", user, p.payoutTransactions, "payouts.transactions")
	h(get, "/transactions/{id}", user, p.getTransaction, "transactions.get")
	h(patch, "/transactions/{id}", user, p.patchTransaction, "transactions.update")
	h(get, "/wallets/{id}/transactions", user, p.walletTransactions, "wallets.transactions")

	// Deal rooms.
	h(patch, "/dealrooms/{id}", user, p.patchDealRoom, "dealrooms.update", inferred(reasonThirdParty))
	h(get, "/dealrooms/{id}/topics", user, dealRoomChildren(kindTopic, func(t Topic) int64 { return t.DealRoomID }), "dealrooms.topics")
	h(post, "/dealrooms/{id}/topics", user, p.postTopic, "topics.create")
	h(post, "/dealrooms/{id}/accessrequest", user, p.requestAccess, "dealrooms.accessrequest", inferred(reasonThirdParty))
	h(get, "/dealrooms/{id}/accessrequests", user, dealRoomChildren(kindAccess, func(a AccessRequest) int64 { return a.DealRoomID }), "dealrooms.accessrequests", inferred(reasonThirdParty))
	h(get, "/dealrooms/{id}/accessrequests/{user_id}", user, p.accessRequestOfUser, "dealrooms.accessrequests.user", inferred(reasonThirdParty))
	h(patch, "/dealrooms/{id}/accessrequests/{request_id}", admin, p.decideAccess, "dealrooms.accessrequests.decide", inferred(reasonThirdParty))
	h(post, "/dealrooms/{id}/document_groups", user, p.postGroup("document"), "dealrooms.document_groups.create", inferred(reasonThirdParty))
	h(post, "/dealrooms/{id}/access_groups", user, p.postGroup("access"), "dealrooms.access_groups.create", inferred(reasonThirdParty))
	h(post, "/dealrooms/{id}/accessgroups/{group_id}", user, p.patchGroup, "dealrooms.accessgroups.update", inferred(reasonThirdParty))
	h(post, "/dealrooms/{id}/accessrequests/{request_id}/group/{group_id}", user, p.assignGroup, "dealrooms.accessrequests.group", inferred(reasonThirdParty))
	h(get, "/topics/{id}/posts", user, listChildren(kindPost, func(x Post) int64 { return x.TopicID }, kindTopic), "topics.posts")
	h(post, "/topics/{id}/posts", user, p.postMessage(kindPost, kindTopic), "posts.create")
	h(get, "/posts/{id}", user, p.getPost, "posts.get")
	h(get, "/posts/{id}/comments", user, listChildren(kindComment, func(x Post) int64 { return x.PostID }, kindPost), "posts.comments")
	h(post, "/posts/{id}/comments", user, p.postMessage(kindComment, kindPost), "comments.create")

	// Documents, uploads, cap tables.
	h(del, "/documents/{id}", user, p.deleteDocument, "documents.delete")
	h(get, "/document/{id}", user, p.getDocument, "documents.get")
	h(put, "/s3", user, p.s3URL, "s3.url", inferred(reasonS3))
	h(get, "/capitalizations/{id}", user, p.capitalization(false), "capitalizations.get", inferred(reasonCapTable))
	h(get, "/capitalizations/{id}/changelog", user, p.capitalization(true), "capitalizations.changelog", inferred(reasonCapTable))
	for _, method := range []string{put, post} {
		m.HandleHTTP("", method, "/_s3/uploads/{network}/{token}/{name}", s3Upload(), platform.Named("s3.upload"), inferred(reasonS3))
	}
}

// Why a route's contract is inferred (README "Inferred routes"); its
// answers carry X-Fakeprovider-Inferred.
const (
	reasonAlive      = "answer inferred: a third-party client (TRUSTED) calls GET /v1/{network} without credentials as a health check; the answer is undocumented"
	reasonSelfStats  = "fields inferred: the SDK copies the raw object; its fields are undocumented"
	reasonModeration = "rights inferred: the SDK marks approveUser/blockUser as admin?; the target user_id is the emulator's"
	reasonKYC        = "answer inferred: the SDK copies the third-party service's raw answer; results are canned and driven by scenarios"
	reasonThirdParty = "path from a third-party client (BMI); the request and answer shapes are inferred"
	reasonAdminPath  = "path from a third-party client (BMI) of an older admin-style API variant; contract inferred"
	reasonTasks      = "answer inferred: a third-party client (BMI) calls the path; the checklist is the emulator's"
	reasonS3         = "contract inferred: a third-party client (BMI) calls PUT /s3; its parameters and answer are undocumented"
	reasonCapTable   = "answer inferred: the Postman collection names the path; the cap table's shape is the emulator's"
	reasonSSO        = "single sign-on inferred: the jwt-auth token's algorithm, key and claims are undocumented (HS256 with sso_secret, email claim)"
)

// listChildren lists records whose parent (of parentKind) exists.
func listChildren[T any](kind string, parentOf func(T) int64, parentKind string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		id, err := pathID(req, "id")
		if err != nil {
			return nil, err
		}
		if err := req.View(func(tx *platform.Tx) error {
			if tx.Records().GetRaw(parentKind, idKey(id)) == nil {
				return errNotFound
			}
			return nil
		}); err != nil {
			return nil, err
		}
		return listOf(req, kind, func(_ *platform.Tx, v T) bool { return parentOf(v) == id })
	}
}

// alive answers GET /v1/{network} without credentials (clients use it as
// a health check): success for a known network, Not Found otherwise.
func (p *Provider) alive(req *platform.Request) (any, error) {
	if _, _, ok := p.tenantOfNetwork(req.Var("network")); !ok {
		return nil, errNotFound
	}
	return map[string]any{"network": req.Var("network")}, nil
}

func (p *Provider) getPost(req *platform.Request) (any, error) {
	return oneShared[Post](req, kindPost, "post", nil)
}
