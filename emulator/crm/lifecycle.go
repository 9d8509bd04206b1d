package crm

import "github.com/fakeprovider/fakeprovider/internal/platform"

// lifecycle declares the events scenarios react to and how they move
// requests and payments.
func (p *Provider) lifecycle(m *platform.Mount) {
	m.Event("request.created", "request")
	m.Event("payment.created", "payment")
	m.StatusTarget("request", p.requestStatus)
	m.StatusTarget("payment", p.paymentStatus)
}
