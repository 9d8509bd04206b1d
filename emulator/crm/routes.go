package crm

import (
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// tradingPlatforms are the MT platforms whose endpoints are twins.
var tradingPlatforms = []string{"mt4", "mt5"}

// routes declares every Open API endpoint at its real path.
func (p *Provider) routes(m *platform.Mount) {
	v := p.verify
	get, post := http.MethodGet, http.MethodPost
	named := platform.Named

	m.Handle(get, "/public/v1/users", v, p.listUsers, named("users.list"))
	m.Handle(post, "/public/v1/users/create", v, p.createUser, named("users.create"))
	m.Handle(post, "/public/v1/users/downlines", v, p.downlines, named("users.downlines"))
	m.Handle(post, "/public/v1/users/uplines", v, p.uplines, named("users.uplines"))
	m.Handle(get, "/public/v1/users/{id}", v, p.getUser, named("users.get"))
	m.Handle(get, "/public/v1/users/{id}/details", v, p.userDetails, named("users.details"))
	m.Handle(get, "/public/v1/users/{id}/kyc", v, p.userKYC, named("users.kyc"))
	m.Handle(post, "/public/v1/users/{id}/profile/submit", v, p.submitKYC, named("users.kyc.submit"))

	m.Handle(get, "/public/v1/connections", v, p.listConnections, named("connections.list"))
	for _, pl := range tradingPlatforms {
		m.Handle(get, "/public/v1/"+pl+"/connections", v, p.platformConnections(pl), named(pl+".connections"))
		m.Handle(get, "/public/v1/"+pl+"/accounts", v, p.listAccounts(pl), named(pl+".accounts.list"))
		m.Handle(post, "/public/v1/users/{id}/"+pl+"/accounts", v, p.createAccount(pl), named(pl+".accounts.create"))
		m.Handle(post, "/public/v1/"+pl+"/accounts/{login}/deposit", v, p.moveFunds(pl, true), named(pl+".accounts.deposit"))
		m.Handle(post, "/public/v1/"+pl+"/accounts/{login}/withdrawal", v, p.moveFunds(pl, false), named(pl+".accounts.withdrawal"))
		m.Handle(get, "/public/v1/"+pl+"/trades", v, p.listTrades(pl), named(pl+".trades"))
	}

	m.Handle(get, "/public/v1/report/commissions/fixed", v, p.commissions("fixed"), named("report.commissions.fixed"))
	m.Handle(get, "/public/v1/report/commissions/flexible", v, p.commissions("flexible"), named("report.commissions.flexible"))
	m.Handle(post, "/public/v1/report/transactions", v, p.transactions, named("report.transactions"))

	m.Handle(get, "/public/v1/wallets", v, p.getWallet, named("wallets.get"))
	m.Handle(http.MethodPatch, "/public/v1/wallets/balance", v, p.updateWallet, named("wallets.balance"))
	m.Handle(get, "/public/v1/wallets/balance", v, p.walletOrder, named("wallets.balance.order"))
	m.Handle(get, "/public/v1/wallets/balance/{order_id}", v, p.walletOrder, named("wallets.balance.order"))

	m.Handle(get, "/public/v1/payments/{id}/bankcards", v, p.bankcards, named("payments.bankcards"))
	m.Handle(get, "/public/v1/tradingCompetition/leaderboard", v, p.leaderboard, named("competition.leaderboard"))

	m.Handle(post, "/public/v1/requests/withdrawal/approve", v, p.approveRequest, named("requests.withdrawal.approve"))
	m.Handle(post, "/public/v1/requests/withdrawal/reject", v, p.rejectRequestREST, named("requests.withdrawal.reject"))

	m.Handle(post, "/public/v1/account/register/request", v, p.registerRequest, named("account.register.request"))
	m.Handle(post, "/public/v1/account/register/multistep", v, p.registerMultistep, named("account.register.multistep"))

	m.Handle(get, "/public/v1/form/registration/trader", v, p.traderForm, named("form.registration.trader"))
	m.Handle(get, "/public/v1/form/s3/signature", v, p.s3Signature, named("form.s3.signature"))

	m.Handle(post, "/pay/callback", p.verifyPSP, p.payCallback, named("psp.callback"))
}
