package crm

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

func accountKey(platformName string, login int64) string {
	return platformName + ":" + strconv.FormatInt(login, 10)
}

func getAccount(tx *platform.Tx, platformName string, login int64) (Account, bool, error) {
	var a Account
	ok, err := tx.Records().Get(kindAccount, accountKey(platformName, login), &a)
	return a, ok, err
}

func putAccount(tx *platform.Tx, a Account) error {
	return tx.Records().Put(kindAccount, accountKey(a.Platform, a.Login), a)
}

// listConnections is the [GAP] Get CRM Trading Platform Connections.
func (p *Provider) listConnections(*platform.Request) (any, error) { return connections, nil }

// platformConnections is the [GAP] Get MT4/MT5 Connection Information.
func (p *Provider) platformConnections(pl string) platform.HandlerFunc {
	return func(*platform.Request) (any, error) {
		for _, c := range connections {
			if c.Platform == pl {
				return []any{c}, nil
			}
		}
		return []any{}, nil
	}
}

func (p *Provider) listAccounts(pl string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		q := req.URL.Query()
		if q.Get("connection_id") == "" {
			return nil, invalid("connection_id is required")
		}
		if q.Get("connection_id") != connectionFor(pl) {
			return nil, connectionNotFound(pl)
		}
		skip, limit, err := paging(q, false)
		if err != nil {
			return nil, err
		}
		userID := q.Get("user_id")
		if err := checkID("user_id", userID, false); err != nil {
			return nil, err
		}
		var views []accountView
		err = req.View(func(tx *platform.Tx) error {
			return tx.Records().ForEach(kindAccount, func(_ string, raw []byte) error {
				var a Account
				if err := json.Unmarshal(raw, &a); err != nil {
					return err
				}
				if a.Platform == pl && (userID == "" || a.UserID == userID) {
					views = append(views, a.view())
				}
				return nil
			})
		})
		if err != nil {
			return nil, err
		}
		return page(views, skip, limit), nil
	}
}

type createAccountBody struct {
	ConnectionID     string       `json:"connection_id"`
	Group            string       `json:"group"`
	Leverage         *json.Number `json:"leverage"`
	Login            *json.Number `json:"login"`
	AccountTypeID    string       `json:"account_type_id"`
	RebateUserID     string       `json:"rebate_user_id"`
	MasterPassword   string       `json:"master_password"`
	InvestorPassword string       `json:"investor_password"`
	EnableReadonly   bool         `json:"enable_readonly"`
	EnableRebate     bool         `json:"enable_rebate"`
	SendEmail        bool         `json:"send_email"`
	SendPopUp        bool         `json:"send_pop_up"`
	Language         string       `json:"language"`
}

func (b createAccountBody) validate(pl string) (leverage int, login int64, err error) {
	var p problems
	if b.ConnectionID == "" {
		p.add(invalid("connection_id is required"))
	}
	if strings.TrimSpace(b.Group) == "" {
		p.add(invalid("group is required"))
	}
	var lv int64
	if b.Leverage == nil {
		p.add(invalid("leverage is required"))
	} else if lv, err = b.Leverage.Int64(); err != nil || lv < 1 || lv > 5000 {
		p.add(invalid("leverage must be a number between 1 and 5000"))
	}
	if b.Login != nil {
		if login, err = b.Login.Int64(); err != nil || login <= 0 {
			p.add(invalid("login must be a positive number"))
		}
	}
	p.add(checkID("account_type_id", b.AccountTypeID, false))
	p.add(checkID("rebate_user_id", b.RebateUserID, false))
	p.add(checkTradingPassword("master_password", pl, b.MasterPassword))
	p.add(checkTradingPassword("investor_password", pl, b.InvestorPassword))
	p.add(checkLanguage(b.Language))
	return int(lv), login, p.err()
}

// groupCurrency reads the account currency from an MT group name such as
// demo\BBSTGHEDGEEUR; USD otherwise.
func groupCurrency(group string) string {
	for _, c := range []string{"EUR", "GBP", "JPY", "AUD", "CAD", "CHF", "USC", "USD"} {
		if strings.HasSuffix(strings.ToUpper(group), c) {
			return c
		}
	}
	return "USD"
}

// generatedPassword satisfies both the MT4 and the MT5 password rules.
func generatedPassword() string {
	return "Aa1!" + randomString(8, "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
}

func (p *Provider) createAccount(pl string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		var b createAccountBody
		if err := decodeBody(req.Body, &b); err != nil {
			return nil, err
		}
		_, login, err := b.validate(pl)
		if err != nil {
			return nil, err
		}
		if b.ConnectionID != connectionFor(pl) {
			return nil, connectionNotFound(pl)
		}
		if b.MasterPassword == "" {
			b.MasterPassword = generatedPassword()
		}
		if b.InvestorPassword == "" {
			b.InvestorPassword = generatedPassword()
		}
		return req.Commit(func(tx *platform.Tx) (any, error) {
			a, err := p.openAccount(tx, pl, req.Var("id"), login, b)
			if err != nil {
				return nil, err
			}
			return map[string]any{"login": a.Login, "master_password": b.MasterPassword, "investor_password": b.InvestorPassword}, nil
		})
	}
}

// openAccount opens a trading account of a client (login 0: the next
// free one) with its fake trades.
func (p *Provider) openAccount(tx *platform.Tx, pl, userID string, login int64, b createAccountBody) (Account, error) {
	u, err := getUserRec(tx, userID)
	if err != nil {
		return Account{}, err
	}
	if login == 0 {
		seq, err := tx.Records().NextSeq("login")
		if err != nil {
			return Account{}, err
		}
		switch pl {
		case "mt4":
			login = 60000 + int64(seq)
		case "ctrader":
			login = 3000000 + int64(seq)
		default:
			login = 126000 + int64(seq)
		}
	}
	if _, taken, err := getAccount(tx, pl, login); err != nil || taken {
		if err == nil {
			err = invalid("login is already in use")
		}
		return Account{}, err
	}
	leverage, _ := b.Leverage.Int64()
	now := tx.Now()
	a := Account{Login: login, Platform: pl, ConnectionID: connectionFor(pl), UserID: u.ID, Group: b.Group,
		Currency: groupCurrency(b.Group), Leverage: int(leverage), CreatedAt: formatTime(now), LastActive: formatTime(now),
		Name: u.Name, Email: u.Email, Enable: 1, AccountTypeID: b.AccountTypeID, EnableRebate: b.EnableRebate,
		LeadSource: "", Comment: ""}
	if b.EnableReadonly {
		a.EnableReadonly = 1
	}
	if err := putAccount(tx, a); err != nil {
		return Account{}, err
	}
	u.TradingAccounts = append(u.TradingAccounts, TradingAccountRef{Platform: pl, ConnectionID: a.ConnectionID, TradingID: strconv.FormatInt(login, 10)})
	if u.FirstOpenTime == "" {
		u.FirstOpenTime = formatTime(now)
	}
	if err := tx.Records().Put(kindUser, u.ID, u); err != nil {
		return Account{}, err
	}
	return a, p.storeTrades(tx, a, u)
}

// storeTrades records a new account's fake trades and the commissions they
// earn the client's referrer.
func (p *Provider) storeTrades(tx *platform.Tx, a Account, u User) error {
	seq, err := tx.Records().NextSeq("ticket")
	if err != nil {
		return err
	}
	trades := p.fakeTrades(a, u, tx.Now(), 1000000+int64(seq)*10)
	for _, t := range trades {
		id := accountKey(a.Platform, t.OrderID)
		if err := tx.Records().Put(kindTrade, id, t); err != nil {
			return err
		}
		for _, scheme := range []string{"fixed", "flexible"} {
			cseq, err := tx.Records().NextSeq("commission")
			if err != nil {
				return err
			}
			rate := 2.0
			if scheme == "flexible" {
				rate = 3.5
			}
			c := Commission{ID: strconv.FormatUint(cseq, 10), Scheme: scheme, OrderID: strconv.FormatInt(t.OrderID, 10),
				TradingAccountID: strconv.FormatInt(a.Login, 10), TraderID: u.ID, ReceiverID: u.ReferrerID,
				Currency: a.Currency, Symbol: t.Symbol, Volume: strconv.FormatFloat(t.Volume, 'f', -1, 64),
				Swaps: money(t.Swaps), Profit: money(t.Profit), OpenTime: t.OpenTime, CloseTime: t.CloseTime,
				RebateTime: t.CloseTime, Commission: money(rate * t.Volume), Total: money(rate * t.Volume),
				Status: "completed"}
			if err := tx.Records().Put(kindCommission, scheme+":"+c.ID, c); err != nil {
				return err
			}
		}
	}
	return nil
}

type fundsBody struct {
	ConnectionID string `json:"connection_id"`
	Currency     string `json:"currency"`
	Amount       any    `json:"amount"`
	Comment      string `json:"comment"`
	UserID       string `json:"user_id"`
	SendEmail    bool   `json:"send_email"`
	SendPopUp    bool   `json:"send_pop_up"`
	Language     string `json:"language"`
}

// recentOp remembers a comment used on an account for the repeat guard.
type recentOp struct {
	At string `json:"at"`
}

// moveFunds is Deposit into / Withdraw from an MT account: 204, or 200
// {"repeat":true} when the comment was used within the repeat window.
func (p *Provider) moveFunds(pl string, deposit bool) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		login, err := strconv.ParseInt(req.Var("login"), 10, 64)
		if err != nil || login <= 0 {
			return nil, tradingAccountNotFound(pl)
		}
		var b fundsBody
		if err := decodeBody(req.Body, &b); err != nil {
			return nil, err
		}
		var bad problems
		if b.ConnectionID == "" {
			bad.add(invalid("connection_id is required"))
		}
		if b.Currency == "" {
			bad.add(invalid("currency is required"))
		} else if !validCurrency(b.Currency) {
			bad.add(invalid("currency must be a currency code"))
		}
		amount, err := parseAmount("amount", b.Amount, true)
		if err != nil {
			bad.add(err)
		} else if amount <= 0 {
			bad.add(invalid("amount must be greater than 0"))
		}
		if b.Comment == "" {
			bad.add(invalid("comment is required"))
		}
		bad.add(checkID("user_id", b.UserID, false))
		bad.add(checkLanguage(b.Language))
		if err := bad.err(); err != nil {
			return nil, err
		}
		if b.ConnectionID != connectionFor(pl) {
			return nil, connectionNotFound(pl)
		}
		return req.Commit(func(tx *platform.Tx) (any, error) {
			a, ok, err := getAccount(tx, pl, login)
			if err != nil {
				return nil, err
			}
			if !ok || (b.UserID != "" && b.UserID != a.UserID) {
				return nil, tradingAccountNotFound(pl)
			}
			now := tx.Now()
			opKey := accountKey(pl, login) + ":" + b.Comment
			var last recentOp
			if ok, err := tx.Records().Get(kindRecentOp, opKey, &last); err != nil {
				return nil, err
			} else if ok {
				if at, err := parseTime(last.At); err == nil && now.Sub(at) < p.opts.RepeatWindow {
					return map[string]bool{"repeat": true}, nil
				}
			}
			if b.Currency != a.Currency {
				return nil, invalid("currency does not match the account currency " + a.Currency)
			}
			signed := amount
			typ := "deposit"
			if !deposit {
				if amount > a.Balance {
					return nil, errInsufficientFunds
				}
				signed, typ = -amount, "withdrawal"
			}
			if err := p.adjustAccount(tx, &a, signed, typ, b.Comment, ""); err != nil {
				return nil, err
			}
			if err := tx.Records().Put(kindRecentOp, opKey, recentOp{At: formatTime(now)}); err != nil {
				return nil, err
			}
			return platform.NoContent(), nil
		})
	}
}

// adjustAccount changes an account balance by amount and records the
// transaction for the report.
func (p *Provider) adjustAccount(tx *platform.Tx, a *Account, amount float64, typ, comment, refID string) error {
	prev := a.Balance
	a.Balance = round2(a.Balance + amount)
	a.LastActive = formatTime(tx.Now())
	if err := putAccount(tx, *a); err != nil {
		return err
	}
	return recordTransaction(tx, Transaction{UserID: a.UserID, Type: typ, Currency: a.Currency, Amount: abs(amount),
		PaymentMethod: "open_api", PaymentCurrency: a.Currency, PaymentTotal: abs(amount), Comment: comment,
		TradingPlatform: a.Platform, TradingConnectionID: a.ConnectionID, TradingID: strconv.FormatInt(a.Login, 10),
		RefID: refID, PreviousBalance: prev, NewBalance: a.Balance, Status: "approved"})
}

func recordTransaction(tx *platform.Tx, t Transaction) error {
	seq, err := tx.Records().NextSeq("transaction")
	if err != nil {
		return err
	}
	t.ID = strconv.FormatUint(seq, 10)
	t.Timestamp = formatTime(tx.Now())
	return tx.Records().Put(kindTransaction, pad(seq), t)
}

// pad keeps sequence keys in numeric order in the store.
func pad(n uint64) string { return strconv.FormatUint(n+1e12, 10) }

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
