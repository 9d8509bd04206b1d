package crm

import (
	"encoding/json"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Record kinds in the store.
const (
	kindSettings = "settings"
	kindUser     = "user"
	// kindReferral indexes clients by referral code (code → client id).
	kindReferral    = "user_referral"
	kindAccount     = "account"
	kindWallet      = "wallet"
	kindWalletOrder = "wallet_order"
	kindTransaction = "transaction"
	kindTrade       = "trade"
	kindCommission  = "commission"
	kindRequest     = "request"
	kindPayment     = "payment"
	kindOTP         = "otp"
	kindRecentOp    = "recent_op"
	kindKYC         = "kyc_submission"
	kindBankcard    = "bankcard"
	kindLead        = "lead"
)

// Settings are a tenant's back-office settings: the enforced auth mode,
// webhook subscriptions, the PSP integration and external exchange rates.
type Settings struct {
	AuthMode string    `json:"auth_mode"`
	Webhooks []Webhook `json:"webhooks"`
	PSP      PSPConfig `json:"psp"`
	FX       FXConfig  `json:"fx"`
}

// Webhook is a subscription configured in Dev Space → Webhooks.
type Webhook struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Secret string   `json:"secret"`
	// Prefix sends X-Crm-Signature as "sha256=<hex>" instead of bare hex.
	Prefix  bool `json:"prefix"`
	Enabled bool `json:"enabled"`
}

// PSPConfig is the PSP integration: where API-1 (get payment URL) goes.
type PSPConfig struct {
	AppURL string `json:"app_url"`
}

// FXConfig is the external exchange-rate source assigned to deposits.
type FXConfig struct {
	URL string `json:"url"`
	Key string `json:"key"`
}

func loadSettings(tx *platform.Tx) Settings {
	var s Settings
	if ok, err := tx.Records().Get(kindSettings, "tenant", &s); err != nil || !ok {
		s = Settings{}
	}
	if s.AuthMode == "" {
		s.AuthMode = AuthV2
	}
	return s
}

func saveSettings(tx *platform.Tx, s Settings) error {
	return tx.Records().Put(kindSettings, "tenant", s)
}

// Phone is a phone number as the CRM returns it.
type Phone struct {
	CountryCode string `json:"country_code"`
	Number      string `json:"number"`
}

// TradingAccountRef is a user's trading account reference.
type TradingAccountRef struct {
	Platform     string `json:"platform"`
	ConnectionID string `json:"connection_id"`
	TradingID    string `json:"trading_id"`
}

// FormField is one filled field of a form (registration details, bankcards).
type FormField struct {
	Key   string            `json:"key"`
	Type  string            `json:"type"`
	Label map[string]string `json:"label"`
	Value any               `json:"value"`
}

// User is a CRM client as stored; its JSON is the list item the API returns
// plus internal fields.
type User struct {
	userListItem
	Suspended bool   `json:"suspended"`
	Country   string `json:"country"`
	FormID    string `json:"form_id"`
	// Details is kept encoded ([]FormField): only Get Client Details
	// reads it, and decoding its maps was most of every client read.
	Details json.RawMessage `json:"details"`
	// PasswordHash is the salted hash Validate User's Credentials checks.
	PasswordHash string `json:"password_hash,omitempty"`
}

// Account is an MT4/MT5 trading account.
type Account struct {
	Login                int64   `json:"login"`
	Platform             string  `json:"platform"`
	ConnectionID         string  `json:"connection_id"`
	UserID               string  `json:"user_id"`
	Group                string  `json:"group"`
	Currency             string  `json:"currency"`
	Balance              float64 `json:"balance"`
	Credit               float64 `json:"credit"`
	BalancePreviousMonth float64 `json:"balance_previous_month"`
	BalancePreviousDay   float64 `json:"balance_previous_day"`
	Leverage             int     `json:"leverage"`
	CreatedAt            string  `json:"created_at"`
	LastActive           string  `json:"last_active"`
	Name                 string  `json:"name"`
	Email                string  `json:"email"`
	Comment              string  `json:"comment"`
	AgentAccount         int64   `json:"agent_account"`
	LeadSource           string  `json:"lead_source"`
	Enable               int     `json:"enable"`
	EnableReadonly       int     `json:"enable_readonly"`
	AccountTypeID        string  `json:"account_type_id,omitempty"`
	EnableRebate         bool    `json:"enable_rebate"`
}

// accountView is an account as Get MT4/MT5 Accounts lists it.
type accountView struct {
	Login                int64   `json:"login"`
	Group                string  `json:"group"`
	Currency             string  `json:"currency"`
	Balance              float64 `json:"balance"`
	Credit               float64 `json:"credit"`
	AvailableWithdrawal  float64 `json:"available_withdrawal"`
	BalancePreviousMonth float64 `json:"balance_previous_month"`
	BalancePreviousDay   float64 `json:"balance_previous_day"`
	Leverage             int     `json:"leverage"`
	Equity               float64 `json:"equity"`
	MarginFree           float64 `json:"margin_free"`
	Margin               float64 `json:"margin"`
	MarginLevel          float64 `json:"margin_level"`
	CreatedAt            string  `json:"created_at"`
	LastActive           string  `json:"last_active"`
	Name                 string  `json:"name"`
	Email                string  `json:"email"`
	Comment              string  `json:"comment"`
	AgentAccount         int64   `json:"agent_account"`
	LeadSource           string  `json:"lead_source"`
	Enable               int     `json:"enable"`
	EnableReadonly       int     `json:"enable_readonly"`
	UserID               string  `json:"user_id"`
}

func (a Account) view() accountView {
	equity := a.Balance + a.Credit
	return accountView{
		Login: a.Login, Group: a.Group, Currency: a.Currency, Balance: a.Balance, Credit: a.Credit,
		AvailableWithdrawal: equity - a.Credit, BalancePreviousMonth: a.BalancePreviousMonth,
		BalancePreviousDay: a.BalancePreviousDay, Leverage: a.Leverage, Equity: equity, MarginFree: equity,
		CreatedAt: a.CreatedAt, LastActive: a.LastActive, Name: a.Name, Email: a.Email, Comment: a.Comment,
		AgentAccount: a.AgentAccount, LeadSource: a.LeadSource, Enable: a.Enable, EnableReadonly: a.EnableReadonly,
		UserID: a.UserID,
	}
}

// WalletOrder is one Update Wallet Balance operation, keyed by order_id.
type WalletOrder struct {
	OrderID   string  `json:"order_id"`
	UserID    string  `json:"user_id"`
	Currency  string  `json:"currency"`
	Amount    float64 `json:"amount"`
	Status    string  `json:"status"`
	Reason    string  `json:"reason,omitempty"`
	CreatedAt string  `json:"created_at"`
	Body      string  `json:"-"`
	BodyHash  string  `json:"body_hash"`
}

// Transaction is a row of the transactions report.
type Transaction struct {
	ID                  string  `json:"id"`
	UserID              string  `json:"user_id"`
	Type                string  `json:"type"`
	Currency            string  `json:"currency"`
	Amount              float64 `json:"amount"`
	PaymentMethod       string  `json:"payment_method"`
	PaymentCurrency     string  `json:"payment_currency"`
	PaymentTotal        float64 `json:"payment_total"`
	Timestamp           string  `json:"timestamp"`
	Comment             string  `json:"comment"`
	TradingPlatform     string  `json:"trading_platform"`
	TradingConnectionID string  `json:"trading_connection_id"`
	TradingID           string  `json:"trading_id"`
	RefID               string  `json:"ref_id"`
	PreviousBalance     float64 `json:"previous_balance"`
	NewBalance          float64 `json:"new_balance"`
	WalletID            string  `json:"wallet_id"`
	Status              string  `json:"status"`
	WithdrawalMethod    string  `json:"withdrawal_method"`
}

// Trade is a closed MT trade.
type Trade struct {
	Login      int64   `json:"login"`
	OrderID    int64   `json:"order_id"`
	Cmd        int     `json:"cmd"`
	Symbol     string  `json:"symbol"`
	Volume     float64 `json:"volume"`
	Swaps      float64 `json:"swaps"`
	StopLoss   float64 `json:"stop_loss"`
	TakeProfit float64 `json:"take_profit"`
	OpenPrice  float64 `json:"open_price"`
	ClosePrice float64 `json:"close_price"`
	OpenTime   string  `json:"open_time"`
	CloseTime  string  `json:"close_time"`
	Profit     float64 `json:"profit"`
	Commission float64 `json:"commission"`
	Comment    string  `json:"comment"`
	CRMUser    struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	} `json:"crm_user"`
	Platform     string `json:"platform"`
	ConnectionID string `json:"connection_id"`
}

// Commission is a row of the fixed or flexible commission report; numeric
// values are strings, as documented.
type Commission struct {
	ID               string `json:"id"`
	Kind             string `json:"-"`
	Scheme           string `json:"scheme"`
	OrderID          string `json:"order_id"`
	TradingAccountID string `json:"trading_account_id"`
	TraderID         string `json:"trader_id"`
	ReceiverID       string `json:"receiver_id"`
	Currency         string `json:"currency"`
	Symbol           string `json:"symbol"`
	Volume           string `json:"volume"`
	Swaps            string `json:"swaps"`
	Profit           string `json:"profit"`
	OpenTime         string `json:"open_time"`
	CloseTime        string `json:"close_time"`
	RebateTime       string `json:"rebate_time"`
	Commission       string `json:"commission"`
	Total            string `json:"total"`
	Status           string `json:"status"`
	RebateAccountID  string `json:"rebate_account_id"`
}

// Request is a client-portal request (withdrawal, transfer, prop trading)
// under multi-node approval.
type Request struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Status      string `json:"status"`
	UserID      string `json:"user_id"`
	RequestTime string `json:"request_time"`
	// TotalNodes is how many approval nodes the request needs; ApprovedNodes
	// how many have approved.
	TotalNodes    int    `json:"total_nodes"`
	ApprovedNodes int    `json:"approved_nodes"`
	Comment       string `json:"comment,omitempty"`
	// Debit is what was taken from an account or wallet at submission and
	// is refunded on rejection.
	Debit *Debit `json:"debit,omitempty"`
	// Credit is what a transfer adds to its target on final approval.
	Credit *Debit `json:"credit,omitempty"`
	// Data is the type-specific webhook data (besides id/type/status/...).
	Data map[string]any `json:"data"`
}

// Debit names an amount on an account (Login) or a wallet (Login 0).
type Debit struct {
	Platform     string  `json:"platform"`
	ConnectionID string  `json:"connection_id"`
	Login        int64   `json:"login"`
	UserID       string  `json:"user_id"`
	Currency     string  `json:"currency"`
	Amount       float64 `json:"amount"`
}

// Payment is a client deposit through the PSP bridge.
type Payment struct {
	OrderNo       string  `json:"order_no"`
	UserID        string  `json:"user_id"`
	Amount        float64 `json:"amount"`
	Currency      string  `json:"currency"`
	Status        string  `json:"status"`
	PayURL        string  `json:"pay_url"`
	PayError      string  `json:"pay_error,omitempty"`
	Target        Debit   `json:"target"`
	Rate          float64 `json:"rate"`
	TransactionID string  `json:"transaction_id,omitempty"`
	CreatedAt     string  `json:"created_at"`
	UpdatedAt     string  `json:"updated_at"`
}

// Payment statuses.
const (
	paymentPending    = "pending"
	paymentProcessing = "processing"
	paymentSuccess    = "success"
	paymentFailed     = "failed"
)

// OTP is a registration one-time code pair sent to an email.
type OTP struct {
	Email     string          `json:"email"`
	EmailCode string          `json:"email_code"`
	PhoneCode string          `json:"phone_code"`
	OTPType   string          `json:"otp_type"`
	Request   json.RawMessage `json:"request"`
	CreatedAt string          `json:"created_at"`
	Used      bool            `json:"used"`
}

// list is the CRM's list answer.
type list[T any] struct {
	Count   int `json:"count"`
	Records []T `json:"records"`
}
