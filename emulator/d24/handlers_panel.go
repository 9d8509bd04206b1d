package d24

import (
	"encoding/json"
	"net/http"
	"net/netip"
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
	// ReconIPWhitelist are the addresses (IPs or CIDR prefixes) the
	// reconciliation user may log in from; empty means any.
	ReconIPWhitelist []string `json:"reconciliation_ip_whitelist,omitempty"`
	// ReconUserType is the reconciliation user's type: "API" (configured
	// for the Merchants API, the default when empty) or "PANEL".
	ReconUserType string `json:"reconciliation_user_type,omitempty"`
}

// Reconciliation user types: only an API user may log in (code 96).
const (
	reconUserAPI   = "API"
	reconUserPanel = "PANEL"
)

// reconMaxWhitelist bounds the whitelist's entries.
const reconMaxWhitelist = 100

// userType is the reconciliation user's type, API when never set.
func (s Panel) userType() string {
	if s.ReconUserType == "" {
		return reconUserAPI
	}
	return s.ReconUserType
}

// allows reports whether the whitelist admits addr (an empty list admits
// every address; entries were validated when set).
func (s Panel) allows(addr netip.Addr) bool {
	if len(s.ReconIPWhitelist) == 0 {
		return true
	}
	addr = addr.Unmap()
	for _, w := range s.ReconIPWhitelist {
		if pfx, err := netip.ParsePrefix(w); err == nil && pfx.Contains(addr) {
			return true
		}
		if a, err := netip.ParseAddr(w); err == nil && a.Unmap() == addr {
			return true
		}
	}
	return false
}

// parseWhitelist reads the whitelist setting: IPs or CIDR prefixes.
func parseWhitelist(raw json.RawMessage) ([]string, error) {
	var in []string
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, platform.BadControl(`reconciliation_ip_whitelist must be a list of IPs or CIDR prefixes, e.g. ["203.0.113.7","10.0.0.0/8"]`)
	}
	if len(in) > reconMaxWhitelist {
		return nil, platform.BadControl("reconciliation_ip_whitelist has %d entries (at most %d)", len(in), reconMaxWhitelist)
	}
	out := make([]string, 0, len(in))
	for _, w := range in {
		w = strings.TrimSpace(w)
		if pfx, err := netip.ParsePrefix(w); err == nil {
			out = append(out, pfx.Masked().String())
		} else if a, err := netip.ParseAddr(w); err == nil {
			out = append(out, a.Unmap().String())
		} else {
			return nil, platform.BadControl("reconciliation_ip_whitelist: %q is neither an IP nor a CIDR prefix", w)
		}
	}
	return out, nil
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
			"referral_signup_url":         base + "/d24/referral?id=" + referralCode(c.Tenant),
			"reconciliation_ip_whitelist": append([]string{}, s.ReconIPWhitelist...), "reconciliation_user_type": s.userType()}, err
	})
	m.Control(http.MethodPut, "/panel", func(c *platform.ControlRequest) (any, error) {
		var in map[string]json.RawMessage
		if err := json.Unmarshal(c.Body, &in); err != nil {
			return nil, platform.BadControl(`body must be {"quickpay_callback_url":"…","referral_url":"…","reconciliation_ip_whitelist":["…"],"reconciliation_user_type":"API|PANEL"} (any may be omitted)`)
		}
		urls := map[string]*string{}
		var whitelist []string
		userType := ""
		for name, raw := range in {
			switch name {
			case "quickpay_callback_url", "referral_url":
				var v *string
				if err := json.Unmarshal(raw, &v); err != nil {
					return nil, platform.BadControl("%s must be a string", name)
				}
				if v != nil && *v != "" && !webURL(*v) {
					return nil, platform.BadControl("%s must be an http(s) URL", name)
				}
				urls[name] = v
			case "reconciliation_ip_whitelist":
				var err error
				if whitelist, err = parseWhitelist(raw); err != nil {
					return nil, err
				}
			case "reconciliation_user_type":
				var v string
				_ = json.Unmarshal(raw, &v)
				if v = strings.ToUpper(strings.TrimSpace(v)); v != reconUserAPI && v != reconUserPanel {
					return nil, platform.BadControl(`reconciliation_user_type must be "API" (a Merchants API user) or "PANEL" (a panel user; its login is code 96)`)
				}
				userType = v
			default:
				return nil, platform.BadControl("unknown panel setting %q", name)
			}
		}
		var s Panel
		err := c.Update(func(tx *platform.Tx) error {
			var err error
			if s, err = panel(tx); err != nil {
				return err
			}
			if v := urls["quickpay_callback_url"]; v != nil {
				s.QuickpayCallbackURL = *v
			}
			if v := urls["referral_url"]; v != nil {
				s.ReferralURL = *v
			}
			if _, ok := in["reconciliation_ip_whitelist"]; ok {
				s.ReconIPWhitelist = whitelist
			}
			if userType != "" {
				s.ReconUserType = userType
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
