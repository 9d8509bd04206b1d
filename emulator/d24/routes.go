package d24

import (
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// inferredPage: the payer-facing pages stand in for D24's own, which are
// not part of the API.
const inferredPage = "the emulator's stand-in for a payer-facing D24 page"

// routes declares every endpoint at its real path.
func (p *Provider) routes(m *platform.Mount) {
	idem := platform.Idempotent("X-Idempotency-Key", errIdempotencyKeyUsed)
	m.Handle(http.MethodPost, "/v3/deposits", p.verifyDeposit, p.createDeposit, idem, platform.Named("deposit.create"))
	m.Handle(http.MethodGet, "/v3/deposits/{id}", p.verifyDeposit, p.getDeposit, platform.Named("deposit.status"))
	m.Handle(http.MethodPost, "/v3/refunds", p.verifyDeposit, p.createRefund, idem, platform.Named("refund.create"))
	m.Handle(http.MethodGet, "/v3/refunds/{id}", p.verifyDeposit, p.getRefund, platform.Named("refund.status"))

	cashout := platform.InEnvelope(cashoutEnvelope)
	m.Handle(http.MethodPost, "/v3/cashout", p.verifyCashout, p.createCashout, cashout, platform.Named("cashout.create"))
	m.Handle(http.MethodPost, "/v3/cashout/status", p.verifyCashout, p.cashoutStatus, cashout, platform.Named("cashout.status"))
	m.Handle(http.MethodPut, "/v3/cashout/status", p.verifyCashout, p.updateCashoutStatus, cashout, platform.Named("cashout.update"))
	m.Handle(http.MethodDelete, "/v3/cashout/cancel", p.verifyCashout, p.cancelCashout, cashout, platform.Named("cashout.cancel"))

	m.Handle(http.MethodGet, "/v3/payment_methods", p.verifyReadOnly, p.paymentMethods, platform.Named("lookup.payment_methods"))
	m.Handle(http.MethodGet, "/v3/exchange_rates", p.verifyReadOnly, p.exchangeRates, platform.Named("lookup.exchange_rates"))
	m.Handle(http.MethodGet, "/v3/exchange_rates/crypto", p.verifyReadOnly, p.cryptoRates, platform.Named("lookup.crypto"),
		platform.InferredAs("fields documented; how fx_rate, converted_amount and fee are computed is not (converted_amount = amount / fx_rate, fee 1%)"))
	m.Handle(http.MethodGet, "/v3/banks", p.verifyReadOnly, p.banks, platform.Named("lookup.banks"))
	m.Handle(http.MethodGet, "/v3/states", p.verifyReadOnly, p.states, platform.Named("lookup.states"))

	// The card host (cc-api) takes card data; its deposits share the main
	// host's records, so status and refunds work on the main host.
	m.HandleOn(CardHost, http.MethodPost, "/v3/deposits", p.verifyDeposit, p.createCardDeposit, idem, platform.Named("card.deposit.create"),
		platform.InferredAs("the sandbox test-card table could not be retrieved: the rejecting, 3DS and delayed card numbers are the emulator's own"))
	m.HandleOn(CardHost, http.MethodPost, "/v3/cashout", p.verifyCashout, p.createCardCashout, cashout, platform.Named("card.cashout.create"))
	m.HandleHTTP(CardHost, http.MethodGet, "/3ds/{token}", http.HandlerFunc(p.challengePage), platform.Named("card.3ds.page"), platform.InferredAs(inferredPage))
	m.HandleHTTP(CardHost, http.MethodPost, "/3ds/{token}", http.HandlerFunc(p.challengeAction), platform.Named("card.3ds.action"), platform.InferredAs(inferredPage))

	m.Handle(http.MethodPost, "/v3/subscriptions", p.verifyDeposit, p.createSubscription, idem, platform.Named("subscription.create"))
	m.Handle(http.MethodGet, "/v3/subscriptions/{id}", p.verifyDeposit, p.getSubscription, platform.Named("subscription.status"),
		platform.InferredAs("the status page could not be retrieved: path from the docs' menu, answer shape inferred"))
	m.Handle(http.MethodDelete, "/v3/subscriptions/{id}", p.verifyDeposit, p.cancelSubscription, platform.Named("subscription.cancel"))

	// /v1/kyc is also served at its real path on the shared port: its
	// literal segment wins over Difitek's /v1/{network}.
	m.Handle(http.MethodPost, "/v1/kyc", p.verifyDeposit, p.kyc, platform.Named("kyc.check"))
	m.Handle(http.MethodPost, "/v5/account/validate", p.verifyAccountKey, p.validateAccount, platform.Named("account.validate"))
	m.Handle(http.MethodPost, "/v5/account/pix_key/validate", p.verifyAccountKey, p.validatePixKeys, platform.Named("account.pix_validate"))

	m.HandleHTTP("", http.MethodGet, "/checkout/{token}", http.HandlerFunc(p.checkoutPage), platform.Named("checkout.page"), platform.InferredAs(inferredPage))
	m.HandleHTTP("", http.MethodPost, "/checkout/{token}", http.HandlerFunc(p.checkoutAction), platform.Named("checkout.action"), platform.InferredAs(inferredPage))
}

// familyRoutes declares QuickPay's, Tools for Platforms' and the
// Reconciliation API's endpoints and their notifications and controls.
func (p *Provider) familyRoutes(m *platform.Mount) {
	idem := platform.Idempotent("X-Idempotency-Key", errIdempotencyKeyUsed)
	m.Handle(http.MethodGet, "/v3/sub_merchants/{id}", p.verifyDeposit, p.getSubMerchant, platform.Named("sub_merchant.status"))
	// The guide's path is singular; the API reference's plural. Both answer.
	m.Handle(http.MethodPut, "/v3/sub_merchant/{id}/markup_fee", p.verifyDeposit, p.updateMarkupFee, idem, platform.Named("sub_merchant.markup_fee"))
	m.Handle(http.MethodPut, "/v3/sub_merchants/{id}/markup_fee", p.verifyDeposit, p.updateMarkupFee, idem, platform.Named("sub_merchant.markup_fee"))

	// The Referral Signup form the account manager's link opens.
	m.HandleHTTP("", http.MethodGet, "/referral", http.HandlerFunc(p.referralPage), platform.Named("sub_merchant.referral_page"),
		platform.InferredAs("page inferred: the real form's fields are not documented"))
	m.HandleHTTP("", http.MethodPost, "/referral", http.HandlerFunc(p.referralSignup), platform.Named("sub_merchant.referral_signup"),
		platform.InferredAs("page inferred: the real form's fields are not documented"))

	m.HandleOn(MerchantsHost, http.MethodPost, "/v1/auth/login", p.verifyReconLogin, p.reconLogin, platform.Named("recon.login"))
	m.HandleOn(MerchantsHost, http.MethodPost, "/v1/auth/{mid}/switchContext", p.verifyReconSession, p.reconSwitchContext, platform.Named("recon.switch_context"),
		platform.InferredAs("answer inferred: the page documents the call, not its body (the login answer for the new MID)"))
	m.HandleOn(MerchantsHost, http.MethodDelete, "/v1/auth/session/destroy", p.verifyReconSession, p.reconLogout, platform.Named("recon.logout"),
		platform.InferredAs("path from the same platform's white-label copies (LimePay, Tupay); D24's page names a Logout Endpoint without its path"))
	m.HandleOn(MerchantsHost, http.MethodGet, "/v1/deposits", p.verifyReconSession, p.reconDeposits, platform.Named("recon.deposits"))
	m.HandleOn(MerchantsHost, http.MethodGet, "/v1/cashouts", p.verifyReconSession, p.reconCashouts, platform.Named("recon.cashouts"))
	m.HandleOn(MerchantsHost, http.MethodGet, "/v1/refunds", p.verifyReconSession, p.reconRefunds, platform.Named("recon.refunds"))

	m.Event("sub_merchant.created", kindSubMerchant)
	m.StatusTarget(kindSubMerchant, p.setSubMerchantStatus, "ACTIVE", "INACTIVE")
	m.Event("quickpay.callback", kindQuickpay)
	m.StatusTarget(kindQuickpay, p.setQuickpayStatus, "APPROVED", "REFUSED")
	m.OnOutcome(kindQuickpay, p.quickpayOutcome)
	p.panelControls(m)
	p.submerchantControls(m)
}
