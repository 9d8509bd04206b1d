package d24

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

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
			var now string
			err := c.Update(func(tx *platform.Tx) error {
				if err := tx.SetStatus(kind, id, in.Status, fields); err != nil {
					return err
				}
				now = in.Status
				if kind == kindDeposit || kind == kindRefund {
					now = currentStatus(tx, kind, id)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			// The status targets ignore a change the lifecycle does not allow
			// (a scenario cancelling a paid deposit); a control call says so.
			if !strings.EqualFold(now, in.Status) {
				return &platform.Response{Status: http.StatusConflict, Body: map[string]any{
					"error": "conflict", "id": id, "status": now, "requested": strings.ToUpper(in.Status),
					"message": fmt.Sprintf("%s %s is %s and cannot become %s; nothing changed", kind, id, now, strings.ToUpper(in.Status)),
				}}, nil
			}
			return map[string]any{"id": id, "status": now}, nil
		})
	}
}

// currentStatus reads the status of a resource after a change.
func currentStatus(tx *platform.Tx, kind, id string) string {
	var rec struct {
		Status string `json:"status"`
	}
	if ok, err := tx.Records().Get(kind, id, &rec); err != nil || !ok {
		return ""
	}
	return rec.Status
}
