package d24

import (
	"encoding/json"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// statusChange is a control call's body: the sandbox panel's buttons.
type statusChange struct {
	Status        string `json:"status"`
	RejectionCode int    `json:"rejection_code"`
	PaymentMethod string `json:"payment_method"`
	Result        string `json:"result"`
}

// controls registers /_fakeprovider/d24/… endpoints that move a resource
// to any documented status, notifying as the real service does.
func (p *Provider) controls(m *platform.Mount) {
	for _, kind := range []string{kindDeposit, kindRefund, kindCashout, kindSubscription} {
		kind := kind
		m.Control(http.MethodPost, "/"+kind+"s/{id}/status", func(c *platform.ControlRequest) (any, error) {
			var in statusChange
			if err := json.Unmarshal(c.Body, &in); err != nil || in.Status == "" {
				return nil, platform.BadControl(`body must be {"status":"…"} (cashouts: "rejection_code" with REJECTED)`)
			}
			fields := map[string]any{}
			if in.RejectionCode != 0 {
				fields["rejection_code"] = in.RejectionCode
			}
			if in.PaymentMethod != "" {
				fields["payment_method"] = in.PaymentMethod
			}
			if in.Result != "" {
				fields["result"] = in.Result
			}
			id := c.Var("id")
			err := c.Update(func(tx *platform.Tx) error { return tx.SetStatus(kind, id, in.Status, fields) })
			if err != nil {
				return nil, err
			}
			return map[string]any{"id": id, "status": in.Status}, nil
		})
	}
}
