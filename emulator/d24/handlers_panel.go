package d24

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// kindPanel holds the Merchant Panel settings that have no API: the
// QuickPay callback URL and the Referral URL (Settings > API Access).
const kindPanel = "panel"

// panelID is the one panel record of a tenant.
const panelID = "settings"

// Panel is a tenant's Merchant Panel settings.
type Panel struct {
	// QuickpayCallbackURL receives the QuickPay KYC notification before a
	// QuickPay deposit is approved.
	QuickpayCallbackURL string `json:"quickpay_callback_url"`
	// ReferralURL receives the SubMerchant notifications.
	ReferralURL string `json:"referral_url"`
}

// panel reads the tenant's panel settings (zero when never set).
func panel(tx *platform.Tx) (Panel, error) {
	var s Panel
	_, err := tx.Records().Get(kindPanel, panelID, &s)
	return s, err
}

// panelControls registers GET/PUT /_fakeprovider/d24/panel: what the
// merchant would type in the panel.
func (p *Provider) panelControls(m *platform.Mount) {
	m.Control(http.MethodGet, "/panel", func(c *platform.ControlRequest) (any, error) {
		var s Panel
		err := c.View(func(tx *platform.Tx) (err error) { s, err = panel(tx); return })
		base := strings.TrimSuffix(platform.BaseURL(c.Request), "/")
		return map[string]any{"quickpay_callback_url": s.QuickpayCallbackURL, "referral_url": s.ReferralURL,
			"referral_signup_url": base + "/d24/referral?id=" + referralCode(c.Tenant)}, err
	})
	m.Control(http.MethodPut, "/panel", func(c *platform.ControlRequest) (any, error) {
		var in map[string]*string
		if err := json.Unmarshal(c.Body, &in); err != nil {
			return nil, platform.BadControl(`body must be {"quickpay_callback_url":"…","referral_url":"…"} (either may be omitted)`)
		}
		for name, v := range in {
			if name != "quickpay_callback_url" && name != "referral_url" {
				return nil, platform.BadControl("unknown panel setting %q", name)
			}
			if v != nil && *v != "" && !webURL(*v) {
				return nil, platform.BadControl("%s must be an http(s) URL", name)
			}
		}
		var s Panel
		err := c.Update(func(tx *platform.Tx) error {
			var err error
			if s, err = panel(tx); err != nil {
				return err
			}
			if v := in["quickpay_callback_url"]; v != nil {
				s.QuickpayCallbackURL = *v
			}
			if v := in["referral_url"]; v != nil {
				s.ReferralURL = *v
			}
			return tx.Records().Put(kindPanel, panelID, s)
		})
		return s, err
	})
}

// webURL reports whether s is an absolute http(s) URL of bounded length.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && len(s) <= 2048 && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
