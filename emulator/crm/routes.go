package crm

import (
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// tradingPlatforms are the MT platforms whose endpoints are twins.
var tradingPlatforms = []string{"mt4", "mt5"}

// Why a route's contract is inferred (the X-Fakeprovider-Inferred header).
const (
	gapPage    = "the docs page could not be retrieved: path, body and answer follow the API's conventions"
	gapSibling = "the docs page could not be retrieved: a twin of its documented sibling"
	gapAnswer  = "the docs page could not be retrieved: path from a production integration, body and answer inferred"
	gapLead    = "path completed from the docs page's truncated text (POST /public/v1/leads/c…); body and answer inferred"
)

// routes declares every Open API endpoint at its real path.
func (p *Provider) routes(m *platform.Mount) {
	v := p.verify
	get, post := http.MethodGet, http.MethodPost
	named, inferred := platform.Named, platform.InferredAs

	m.Handle(get, "/public/v1/users", v, p.listUsers, named("users.list"))
	m.Handle(post, "/public/v1/users/create", v, p.createUser, named("users.create"),
		inferred("the docs page is cut off before the answer: 201 {\"id\"} is inferred"))
	m.Handle(post, "/public/v1/users/downlines", v, p.downlines, named("users.downlines"))
	m.Handle(post, "/public/v1/users/validate", v, p.validateCredentials, named("users.validate"), inferred(gapPage))
	m.Handle(post, "/public/v1/users/uplines", v, p.uplines, named("users.uplines"), inferred(gapSibling))
	m.Handle(get, "/public/v1/users/{id}", v, p.getUser, named("users.get"))
	m.Handle(get, "/public/v1/users/{id}/details", v, p.userDetails, named("users.details"))
	m.Handle(get, "/public/v1/users/{id}/kyc", v, p.userKYC, named("users.kyc"), inferred(gapPage))
	m.Handle(post, "/public/v1/users/{id}/profile/submit", v, p.submitKYC, named("users.kyc.submit"))

	m.Handle(get, "/public/v1/connections", v, p.listConnections, named("connections.list"), inferred(gapPage))
	for _, pl := range tradingPlatforms {
		m.Handle(get, "/public/v1/"+pl+"/connections", v, p.platformConnections(pl), named(pl+".connections"), inferred(gapPage))
		// Documented for MT4; MT5's list and deposit pages are missing.
		twin := func(name string) []platform.RouteOption {
			if pl == "mt5" {
				return []platform.RouteOption{named(name), inferred(gapSibling)}
			}
			return []platform.RouteOption{named(name)}
		}
		m.Handle(get, "/public/v1/"+pl+"/accounts", v, p.listAccounts(pl), twin(pl+".accounts.list")...)
		m.Handle(post, "/public/v1/users/{id}/"+pl+"/accounts", v, p.createAccount(pl), named(pl+".accounts.create"))
		m.Handle(post, "/public/v1/"+pl+"/accounts/{login}/deposit", v, p.moveFunds(pl, true), twin(pl+".accounts.deposit")...)
		m.Handle(post, "/public/v1/"+pl+"/accounts/{login}/withdrawal", v, p.moveFunds(pl, false), named(pl+".accounts.withdrawal"))
		m.Handle(get, "/public/v1/"+pl+"/trades", v, p.listTrades(pl), named(pl+".trades"))
	}

	m.Handle(post, "/public/v1/leads/create", v, p.createLead, named("leads.create"), inferred(gapLead))

	m.Handle(get, "/public/v1/ctrader/connections", v, p.platformConnections("ctrader"), named("ctrader.connections"), inferred(gapPage))
	m.Handle(get, "/public/v1/ctrader/accounts", v, p.listAccounts("ctrader"), named("ctrader.accounts.list"), inferred(gapSibling))

	m.Handle(get, "/public/v1/report/commissions/fixed", v, p.commissions("fixed"), named("report.commissions.fixed"), inferred(gapSibling))
	m.Handle(get, "/public/v1/report/commissions/flexible", v, p.commissions("flexible"), named("report.commissions.flexible"))
	m.Handle(post, "/public/v1/report/transactions", v, p.transactions, named("report.transactions"))

	m.Handle(get, "/public/v1/wallets", v, p.getWallet, named("wallets.get"))
	m.Handle(http.MethodPatch, "/public/v1/wallets/balance", v, p.updateWallet, named("wallets.balance"),
		inferred("the docs show an empty response table: 200 {} is inferred"))
	m.Handle(get, "/public/v1/wallets/balance", v, p.walletOrder, named("wallets.balance.order"), inferred(gapPage))
	m.Handle(get, "/public/v1/wallets/balance/{order_id}", v, p.walletOrder, named("wallets.balance.order"), inferred(gapPage))

	m.Handle(get, "/public/v1/payments/{id}/bankcards", v, p.bankcards, named("payments.bankcards"))
	m.Handle(get, "/public/v1/tradingCompetition/leaderboard", v, p.leaderboard, named("competition.leaderboard"))

	m.Handle(post, "/public/v1/requests/withdrawal/approve", v, p.approveRequest, named("requests.withdrawal.approve"), inferred(gapAnswer))
	m.Handle(post, "/public/v1/requests/withdrawal/reject", v, p.rejectRequestREST, named("requests.withdrawal.reject"))

	m.Handle(post, "/public/v1/account/register/request", v, p.registerRequest, named("account.register.request"))
	m.Handle(post, "/public/v1/account/register/multistep", v, p.registerMultistep, named("account.register.multistep"))

	m.Handle(get, "/public/v1/form/registration/trader", v, p.traderForm, named("form.registration.trader"))
	m.Handle(get, "/public/v1/form/kyc/collections", v, p.kycForms, named("form.kyc.collections"), inferred(gapPage))
	m.Handle(get, "/public/v1/form/kyc/{id}", v, p.kycFormByID, named("form.kyc.get"), inferred(gapPage))
	m.Handle(get, "/public/v1/form/s3/signature", v, p.s3Signature, named("form.s3.signature"))

	m.Handle(get, "/public/v1/configurations/countries", v, p.countries, named("configurations.countries"), inferred(gapPage))
	m.Handle(get, "/public/v1/configurations/states", v, p.states, named("configurations.states"), inferred(gapPage))
	m.Handle(get, "/public/v1/configurations/cities", v, p.cities, named("configurations.cities"), inferred(gapPage))

	m.Handle(get, "/public/v1/tradingAccounts/types", v, p.accountTypes, named("tradingAccounts.types"), inferred(gapPage))

	m.Handle(post, "/pay/callback", p.verifyPSP, p.payCallback, named("psp.callback"))
}
