package crm

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/google/uuid"
)

// controls declares the back-office stand-ins under /_fakeprovider/crm.
func (p *Provider) controls(m *platform.Mount) {
	get, post, put, del := http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	m.Control(get, "/settings", p.ctlSettings)
	m.Control(put, "/settings/auth-mode", p.ctlAuthMode)
	m.Control(put, "/settings/psp", p.ctlPSP)
	m.Control(put, "/settings/fx", p.ctlFX)
	m.Control(get, "/webhooks", p.ctlListWebhooks)
	m.Control(post, "/webhooks", p.ctlAddWebhook)
	m.Control(del, "/webhooks/{id}", p.ctlDeleteWebhook)
	m.Control(get, "/requests", p.ctlListRequests)
	m.Control(get, "/leads", p.ctlListLeads)
	m.Control(post, "/users/{id}/ctrader/accounts", p.ctlOpenCTraderAccount)
	m.Control(get, "/requests/{id}", p.ctlGetRequest)
	m.Control(post, "/requests/withdrawal", p.ctlNewRequest("withdrawal"))
	m.Control(post, "/requests/transfer", p.ctlNewRequest("transfer"))
	m.Control(post, "/requests/prop-trading", p.ctlNewRequest("prop_trading"))
	m.Control(post, "/requests/prop-trading-live", p.ctlNewRequest("prop_trading_live_step"))
	m.Control(post, "/requests/{id}/approve", p.ctlApprove)
	m.Control(post, "/requests/{id}/reject", p.ctlReject)
	m.Control(post, "/payments", p.ctlStartPayment)
	m.Control(get, "/payments/{id}", p.ctlGetPayment)
	m.Control(get, "/otp", p.ctlOTP)
	m.Control(post, "/users/{id}/kyc", p.ctlReviewKYC)
}

// ctlReviewKYC is the back office reviewing a client's KYC profile:
// {"status":"verified"|"rejected"|"pending"}.
func (p *Provider) ctlReviewKYC(c *platform.ControlRequest) (any, error) {
	var b struct {
		Status string `json:"status"`
	}
	if err := decodeControl(c, &b); err != nil {
		return nil, err
	}
	if b.Status != "verified" && b.Status != "rejected" && b.Status != "pending" {
		return nil, platform.BadControl("status must be verified, rejected or pending")
	}
	var u User
	err := c.Update(func(tx *platform.Tx) error {
		var err error
		if u, err = getUserRec(tx, c.Var("id")); err != nil {
			return platform.ControlNotFound("no client %q", c.Var("id"))
		}
		u.KYCStatus, u.KYCProcessing = b.Status, false
		if err := tx.Records().Put(kindUser, u.ID, u); err != nil {
			return err
		}
		var sub kycSubmission
		if ok, err := tx.Records().Get(kindKYC, u.ID, &sub); err != nil || !ok {
			return err
		}
		sub.Status = b.Status
		return tx.Records().Put(kindKYC, u.ID, sub)
	})
	return u.listItem(), err
}

func decodeControl(c *platform.ControlRequest, v any) error {
	if len(c.Body) == 0 {
		return platform.BadControl("a JSON body is required")
	}
	dec := json.NewDecoder(strings.NewReader(string(c.Body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return platform.BadControl("invalid body: %v", err)
	}
	return nil
}

// controlError turns API errors into control errors with their type.
func controlError(err error) error {
	if ae, ok := err.(*APIError); ok {
		if ae == errRequestNotFound || ae == errPaymentNotFound {
			return platform.ControlNotFound("%s", ae.Error())
		}
		return platform.BadControl("%s", ae.Error())
	}
	return err
}

func (p *Provider) ctlSettings(c *platform.ControlRequest) (any, error) {
	var s Settings
	err := c.View(func(tx *platform.Tx) error { s = loadSettings(tx); return nil })
	return s, err
}

func (p *Provider) updateSettings(c *platform.ControlRequest, fn func(*Settings) error) (any, error) {
	var s Settings
	err := c.Update(func(tx *platform.Tx) error {
		s = loadSettings(tx)
		if err := fn(&s); err != nil {
			return err
		}
		return saveSettings(tx, s)
	})
	return s, err
}

func (p *Provider) ctlAuthMode(c *platform.ControlRequest) (any, error) {
	var b struct {
		Mode string `json:"mode"`
	}
	if err := decodeControl(c, &b); err != nil {
		return nil, err
	}
	if b.Mode != AuthV2 && b.Mode != AuthV1 && b.Mode != AuthBoth {
		return nil, platform.BadControl("mode must be v2, v1 or both")
	}
	return p.updateSettings(c, func(s *Settings) error { s.AuthMode = b.Mode; return nil })
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return platform.BadControl("%q is not an http(s) URL", raw)
	}
	return nil
}

func (p *Provider) ctlPSP(c *platform.ControlRequest) (any, error) {
	var b PSPConfig
	if err := decodeControl(c, &b); err != nil {
		return nil, err
	}
	if b.AppURL != "" {
		if err := checkURL(b.AppURL); err != nil {
			return nil, err
		}
	}
	return p.updateSettings(c, func(s *Settings) error { s.PSP = b; return nil })
}

func (p *Provider) ctlFX(c *platform.ControlRequest) (any, error) {
	var b FXConfig
	if err := decodeControl(c, &b); err != nil {
		return nil, err
	}
	if b.URL != "" {
		if err := checkURL(b.URL); err != nil {
			return nil, err
		}
		if b.Key == "" {
			b.Key = randomHex(16)
		}
	}
	return p.updateSettings(c, func(s *Settings) error { s.FX = b; return nil })
}

func (p *Provider) ctlListWebhooks(c *platform.ControlRequest) (any, error) {
	var s Settings
	err := c.View(func(tx *platform.Tx) error { s = loadSettings(tx); return nil })
	if s.Webhooks == nil {
		s.Webhooks = []Webhook{}
	}
	return s.Webhooks, err
}

func (p *Provider) ctlAddWebhook(c *platform.ControlRequest) (any, error) {
	var b struct {
		Name    string   `json:"name"`
		URL     string   `json:"url"`
		Events  []string `json:"events"`
		Secret  string   `json:"secret"`
		Prefix  bool     `json:"prefix"`
		Enabled *bool    `json:"enabled"`
	}
	if err := decodeControl(c, &b); err != nil {
		return nil, err
	}
	if b.Name == "" {
		return nil, platform.BadControl("name is required")
	}
	if err := checkURL(b.URL); err != nil {
		return nil, err
	}
	events := normaliseEvents(b.Events)
	if len(events) == 0 {
		return nil, platform.BadControl("events must list at least one event slug or group")
	}
	w := Webhook{ID: uuid.NewString(), Name: b.Name, URL: b.URL, Events: events, Secret: b.Secret, Prefix: b.Prefix,
		Enabled: b.Enabled == nil || *b.Enabled}
	if w.Secret == "" {
		w.Secret = randomHex(16)
	}
	if _, err := p.updateSettings(c, func(s *Settings) error { s.Webhooks = append(s.Webhooks, w); return nil }); err != nil {
		return nil, err
	}
	return w, nil
}

func (p *Provider) ctlDeleteWebhook(c *platform.ControlRequest) (any, error) {
	id := c.Var("id")
	found := false
	_, err := p.updateSettings(c, func(s *Settings) error {
		kept := s.Webhooks[:0]
		for _, w := range s.Webhooks {
			if w.ID == id {
				found = true
				continue
			}
			kept = append(kept, w)
		}
		s.Webhooks = kept
		return nil
	})
	if err == nil && !found {
		return nil, platform.ControlNotFound("no webhook %s", id)
	}
	return map[string]bool{"deleted": true}, err
}

func (p *Provider) ctlListRequests(c *platform.ControlRequest) (any, error) {
	out := []Request{}
	err := c.View(func(tx *platform.Tx) error {
		return tx.Records().ForEach(kindRequest, func(_ string, raw []byte) error {
			var r Request
			if err := json.Unmarshal(raw, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// ctlOpenCTraderAccount opens a cTrader account of a client, as the back
// office does (the Open API documents no endpoint for it):
// {"group","leverage","login"} (all optional) → the account as Get cTrader
// Accounts lists it.
func (p *Provider) ctlOpenCTraderAccount(c *platform.ControlRequest) (any, error) {
	var in struct {
		Group    string `json:"group"`
		Leverage int    `json:"leverage"`
		Login    int64  `json:"login"`
	}
	if len(c.Body) > 0 {
		if err := decodeControl(c, &in); err != nil {
			return nil, err
		}
	}
	if in.Group == "" {
		in.Group = "Standard"
	}
	if in.Leverage == 0 {
		in.Leverage = 200
	}
	if in.Leverage < 1 || in.Leverage > 5000 || in.Login < 0 {
		return nil, platform.BadControl("leverage must be 1-5000 and login positive")
	}
	lv := json.Number(strconv.Itoa(in.Leverage))
	var view accountView
	err := c.Update(func(tx *platform.Tx) error {
		a, err := p.openAccount(tx, "ctrader", c.Var("id"), in.Login, createAccountBody{Group: in.Group, Leverage: &lv})
		view = a.view()
		return err
	})
	return view, controlError(err)
}

// ctlListLeads lists the leads created with Create Lead.
func (p *Provider) ctlListLeads(c *platform.ControlRequest) (any, error) {
	out := []Lead{}
	err := c.View(func(tx *platform.Tx) error {
		return tx.Records().ForEach(kindLead, func(_ string, raw []byte) error {
			var l Lead
			if err := json.Unmarshal(raw, &l); err != nil {
				return err
			}
			out = append(out, l)
			return nil
		})
	})
	return out, err
}

func (p *Provider) ctlGetRequest(c *platform.ControlRequest) (any, error) {
	var r Request
	err := c.View(func(tx *platform.Tx) error {
		var err error
		r, err = getRequest(tx, c.Var("id"))
		return err
	})
	return r, controlError(err)
}

// newRequestBody is what the client portal submits.
type newRequestBody struct {
	UserID string `json:"user_id"`
	// Nodes is how many approval nodes the request needs (1-10).
	Nodes int `json:"nodes"`
	// Comment is the client's note (scenarios match on it).
	Comment string `json:"comment"`
	// Source account (platform+login) or the wallet (login 0/absent).
	Platform string  `json:"platform"`
	Login    int64   `json:"login"`
	Currency string  `json:"currency"`
	Amount   float64 `json:"amount"`
	// Withdrawal.
	Method          string         `json:"method"`
	Fee             float64        `json:"fee"`
	ExternalOrderID string         `json:"external_order_id"`
	CustomFields    map[string]any `json:"custom_fields"`
	// Transfer target: another account or wallet, maybe of another user.
	TargetUserID   string  `json:"target_user_id"`
	TargetPlatform string  `json:"target_platform"`
	TargetLogin    int64   `json:"target_login"`
	Rate           float64 `json:"rate"`
	// Prop trading.
	PackageName string         `json:"package_name"`
	Extra       map[string]any `json:"extra"`
}

func (p *Provider) ctlNewRequest(typ string) platform.ControlFunc {
	return func(c *platform.ControlRequest) (any, error) {
		var b newRequestBody
		if err := decodeControl(c, &b); err != nil {
			return nil, err
		}
		if b.Nodes == 0 {
			b.Nodes = 1
		}
		if b.Nodes < 1 || b.Nodes > maxNodes {
			return nil, platform.BadControl("nodes must be between 1 and 10")
		}
		if !validID(b.UserID) {
			return nil, platform.BadControl("user_id must be an 8-character client id")
		}
		var r Request
		err := c.Update(func(tx *platform.Tx) error {
			var err error
			r, err = p.buildRequest(tx, typ, b)
			if err != nil {
				return err
			}
			return p.insertRequest(tx, &r)
		})
		return r, controlError(err)
	}
}

// buildRequest validates a portal request, debits its source and fills the
// webhook data of its type.
func (p *Provider) buildRequest(tx *platform.Tx, typ string, b newRequestBody) (Request, error) {
	u, err := getUserRec(tx, b.UserID)
	if err != nil {
		return Request{}, err
	}
	r := Request{ID: newID(), Type: typ, Status: "pending", UserID: u.ID, RequestTime: formatTime(tx.Now()),
		TotalNodes: b.Nodes, Comment: b.Comment, Data: map[string]any{}}
	source, err := p.sourceOf(tx, u.ID, b.Platform, b.Login, b.Currency, b.Amount)
	if err != nil {
		return r, err
	}
	tradingID := any("WALLET")
	if source.Login != 0 {
		tradingID = source.Login
	}
	switch typ {
	case "withdrawal":
		if b.Amount <= 0 || b.Fee < 0 || b.Fee >= b.Amount {
			return r, platform.BadControl("amount must be > 0 and fee between 0 and amount")
		}
		if b.Method == "" {
			b.Method = "USDT-TRC20"
		}
		fields := []FormField{}
		for _, k := range sortedKeys(b.CustomFields) {
			fields = append(fields, FormField{Key: k, Type: "text", Label: label(k), Value: b.CustomFields[k]})
		}
		r.Data = map[string]any{"trading_id": tradingID, "trading_platform": source.Platform,
			"trading_connection_id": source.ConnectionID, "trading_currency": source.Currency,
			"trading_amount": money(b.Amount), "withdrawal_method": b.Method, "withdrawal_currency": source.Currency,
			"exchange_rate": "1", "converted_amount": b.Amount, "withdrawal_fee": money(b.Fee),
			"withdrawal_amount": money(b.Amount - b.Fee), "custom_fields": fields}
		if b.ExternalOrderID != "" {
			r.Data["external_order_id"] = b.ExternalOrderID
		}
		r.Debit = &source
	case "transfer":
		if b.Amount <= 0 {
			return r, platform.BadControl("amount must be > 0")
		}
		if b.Rate == 0 {
			b.Rate = 1
		}
		targetUser := b.TargetUserID
		if targetUser == "" {
			targetUser = u.ID
		}
		tu, err := getUserRec(tx, targetUser)
		if err != nil {
			return r, err
		}
		target, err := p.sourceOf(tx, tu.ID, b.TargetPlatform, b.TargetLogin, "", 0)
		if err != nil {
			return r, err
		}
		target.Amount = round2(b.Amount * b.Rate)
		targetID := any("WALLET")
		if target.Login != 0 {
			targetID = target.Login
		}
		if target.Login == 0 {
			target.Currency = source.Currency
		}
		transferType := "oneself"
		if tu.ID != u.ID {
			transferType = "others"
		}
		r.Data = map[string]any{"source_trading_id": tradingID, "target_trading_id": targetID,
			"source_platform": source.Platform, "source_connection_id": source.ConnectionID,
			"source_amount": money(b.Amount), "source_currency": source.Currency, "target_platform": target.Platform,
			"target_connection_id": target.ConnectionID, "target_amount": money(target.Amount),
			"target_currency": target.Currency, "rate": strconv.FormatFloat(b.Rate, 'f', -1, 64),
			"rate2": strconv.FormatFloat(1/b.Rate, 'f', 6, 64), "source_input": true, "transfer_type": transferType}
		if transferType == "others" {
			r.Data["beneficiary_name"], r.Data["beneficiary_email"], r.Data["beneficiary_user_id"] = tu.Name, tu.Email, tu.ID
			r.Data["beneficiary_phone"] = tu.Phone.CountryCode + tu.Phone.Number
		}
		r.Debit, r.Credit = &source, &target
	case "prop_trading", "prop_trading_live_step":
		name := b.PackageName
		if name == "" {
			name = "Challenge 10K"
		}
		r.Data = map[string]any{"package_name": map[string]string{"en-us": name}}
		if typ == "prop_trading" {
			r.Data["registration_fee"], r.Data["fee_type"], r.Data["payment_total"], r.Data["payment_fee"] = b.Amount, "balance_deduct", b.Amount, 0
			r.Data["payment_platform"], r.Data["payment_currency"] = source.Platform, source.Currency
			r.Data["payment_trading_id"], r.Data["payment_connection_id"] = strconv.FormatInt(source.Login, 10), source.ConnectionID
			if source.Login == 0 {
				r.Data["payment_trading_id"] = "WALLET"
			}
			if b.Amount > 0 {
				r.Debit = &source
			}
		} else {
			r.Data["platform"], r.Data["connection_id"], r.Data["group"], r.Data["leverage"] = "mt5", MT5ConnectionID, "demo\\PROPUSD", 100
			r.Data["initial_balance"], r.Data["max_daily_loss_percent"], r.Data["max_loss_percent"], r.Data["profit_target_percent"] = 10000, 5, 10, 10
		}
		for k, v := range b.Extra {
			r.Data[k] = v
		}
	}
	if r.Debit != nil {
		if err := p.adjust(tx, *r.Debit, -r.Debit.Amount, typ+"_request", typ+" request "+r.ID, r.ID); err != nil {
			return r, err
		}
	}
	return r, nil
}

// sourceOf resolves an account (platform+login) or the wallet of a user.
func (p *Provider) sourceOf(tx *platform.Tx, userID, pl string, login int64, currency string, amount float64) (Debit, error) {
	if login == 0 {
		if currency == "" {
			currency = "USD"
		}
		return Debit{Platform: "wallet", UserID: userID, Currency: currency, Amount: amount}, nil
	}
	if pl == "" {
		pl = "mt5"
	}
	a, ok, err := getAccount(tx, pl, login)
	if err != nil {
		return Debit{}, err
	}
	if !ok || a.UserID != userID {
		return Debit{}, tradingAccountNotFound(pl)
	}
	return Debit{Platform: pl, ConnectionID: a.ConnectionID, Login: a.Login, UserID: userID, Currency: a.Currency, Amount: amount}, nil
}

func (p *Provider) ctlApprove(c *platform.ControlRequest) (any, error) {
	var b struct {
		Node int `json:"node"`
	}
	if len(c.Body) > 0 {
		if err := decodeControl(c, &b); err != nil {
			return nil, err
		}
	}
	var r Request
	err := c.Update(func(tx *platform.Tx) error {
		var err error
		r, err = p.approveNode(tx, c.Var("id"), b.Node)
		return err
	})
	return r, controlError(err)
}

func (p *Provider) ctlReject(c *platform.ControlRequest) (any, error) {
	var b struct {
		Comment string `json:"comment"`
	}
	if len(c.Body) > 0 {
		if err := decodeControl(c, &b); err != nil {
			return nil, err
		}
	}
	var r Request
	err := c.Update(func(tx *platform.Tx) error {
		var err error
		r, err = p.rejectRequest(tx, c.Var("id"), b.Comment)
		return err
	})
	return r, controlError(err)
}

func (p *Provider) ctlGetPayment(c *platform.ControlRequest) (any, error) {
	var pay Payment
	err := c.View(func(tx *platform.Tx) error {
		var err error
		pay, err = getPayment(tx, c.Var("id"))
		return err
	})
	return pay, controlError(err)
}

// ctlStartPayment is a client starting a deposit through the PSP method:
// the CRM calls the tenant's API-1 and records the payment page URL.
func (p *Provider) ctlStartPayment(c *platform.ControlRequest) (any, error) {
	var b struct {
		UserID   string  `json:"user_id"`
		Amount   float64 `json:"amount"`
		Currency string  `json:"currency"`
		Platform string  `json:"platform"`
		Login    int64   `json:"login"`
		Device   string  `json:"device"`
		Language string  `json:"language"`
		// ExternalRate fetches the conversion rate from the tenant's
		// external exchange-rate API.
		ExternalRate bool `json:"external_rate"`
	}
	if err := decodeControl(c, &b); err != nil {
		return nil, err
	}
	if b.Amount <= 0 || !validCurrency(b.Currency) {
		return nil, platform.BadControl("amount must be > 0 and currency a currency code")
	}
	if b.Device == "" {
		b.Device = "pc"
	}
	if b.Language == "" {
		b.Language = "en-us"
	}
	creds, ok := credentials.Of(p.deps.Tenants, c.Tenant, Name)
	if !ok {
		return nil, platform.ControlNotFound("tenant %s has no crm credentials", c.Tenant)
	}
	var settings Settings
	var u User
	var target Debit
	err := c.View(func(tx *platform.Tx) error {
		settings = loadSettings(tx)
		var err error
		if u, err = getUserRec(tx, b.UserID); err != nil {
			return err
		}
		target, err = p.sourceOf(tx, u.ID, b.Platform, b.Login, b.Currency, 0)
		return err
	})
	if err != nil {
		return nil, controlError(err)
	}
	if settings.PSP.AppURL == "" {
		return nil, platform.BadControl("%s: set the PSP app_url with PUT /_fakeprovider/crm/settings/psp first", errPSPSettingNotFound.Type)
	}
	rate := 1.0
	if b.ExternalRate || (target.Login != 0 && target.Currency != b.Currency && settings.FX.URL != "") {
		if settings.FX.URL == "" {
			return nil, platform.BadControl("no external exchange-rate source configured (PUT /_fakeprovider/crm/settings/fx)")
		}
		if rate, err = p.fetchRate(c.Context(), settings.FX, b.Currency, target.Currency); err != nil {
			return nil, platform.BadControl("external exchange rate: %v", err)
		}
	}
	pay := Payment{OrderNo: randomString(12, idAlphabet), UserID: u.ID, Amount: b.Amount, Currency: b.Currency,
		Status: paymentPending, Target: target, Rate: rate}
	err = c.Update(func(tx *platform.Tx) error {
		pay.CreatedAt, pay.UpdatedAt = formatTime(tx.Now()), formatTime(tx.Now())
		if err := tx.Records().Put(kindPayment, pay.OrderNo, pay); err != nil {
			return err
		}
		return tx.Publish(platform.Event{Name: "payment.created", Kind: "payment", ID: pay.OrderNo, Fields: paymentFields(&pay)})
	})
	if err != nil {
		return nil, err
	}
	body, err := payURLRequest(creds, pay, u, b.Device, b.Language)
	if err != nil {
		return nil, err
	}
	payURL, callErr := p.callPayURL(c.Context(), settings.PSP.AppURL, creds.PSPToken, body)
	err = c.Update(func(tx *platform.Tx) error {
		cur, err := getPayment(tx, pay.OrderNo)
		if err != nil {
			return err
		}
		if callErr != nil {
			cur.PayError = callErr.Error()
		} else {
			cur.PayURL = payURL
		}
		pay = cur
		return tx.Records().Put(kindPayment, cur.OrderNo, cur)
	})
	if err != nil {
		return nil, err
	}
	if p.deps.Log != nil && callErr != nil {
		p.deps.Log.Warn("crm: PSP get payment URL failed", "order_no", pay.OrderNo, "err", callErr)
	}
	return pay, nil
}

// ctlOTP shows the registration codes "sent" to an email (?email=).
func (p *Provider) ctlOTP(c *platform.ControlRequest) (any, error) {
	email := strings.ToLower(c.URL.Query().Get("email"))
	var otp OTP
	err := c.View(func(tx *platform.Tx) error {
		ok, err := tx.Records().Get(kindOTP, email, &otp)
		if err == nil && !ok {
			err = platform.ControlNotFound("no OTP sent to %q", email)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"email": otp.Email, "email_code": otp.EmailCode, "phone_code": otp.PhoneCode,
		"otp_type": otp.OTPType, "used": otp.Used, "created_at": otp.CreatedAt}, nil
}

// paymentFields is what payment.created carries.
func paymentFields(pay *Payment) map[string]any {
	return map[string]any{"amount": pay.Amount, "currency": pay.Currency, "user_id": pay.UserID, "platform": pay.Target.Platform}
}
