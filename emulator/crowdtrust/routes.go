package crowdtrust

import (
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// routes declares the bacapi endpoints at their real paths, LIVE and TEST.
func (p *Provider) routes(m *platform.Mount) {
	m.Handle(http.MethodPost, "/bacapi/account", platform.NoAuth, p.createAccount, platform.Named("account.create"))
	for _, base := range []string{"/bacapi", "/bacapi/test"} {
		m.Handle(http.MethodPost, base+"/account/billing", p.verify, p.setBilling, platform.Named("billing.set"),
			platform.InferredAs("the answer body is not documented: a card summary without number or cvc"))
		m.Handle(http.MethodPost, base+"/checks", p.verify, p.createCheck, platform.Named("checks.create"))
		m.Handle(http.MethodGet, base+"/checks/{searchId}", p.verify, p.getCheck, platform.Named("checks.get"))
	}
	m.Handle(http.MethodGet, "/bacapi/checks/{searchId}/report", p.verify, p.getReport, platform.Named("checks.report"),
		platform.InferredAs("the report's layout was never published: the PDF's content is invented"))
	m.Handle(http.MethodGet, "/bacapi/test/checks/{searchId}/report", platform.NoAuth, noTestReport, platform.Named("checks.report.test"),
		platform.InferredAs("the docs only say reports are LIVE-only: the TEST path answers 404 Not Found"))
}
