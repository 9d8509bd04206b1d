package crm

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v7"
)

// Fixed back-office objects of every tenant.
const (
	// MT4ConnectionID and MT5ConnectionID are the tenant's trading servers.
	MT4ConnectionID = "mt4demo1"
	MT5ConnectionID = "struk0gc"
	// CTraderConnectionID is the tenant's cTrader server.
	CTraderConnectionID = "ctrd3mo1"
	// RegistrationFormID is the trader registration form; KYCFormID the KYC form.
	RegistrationFormID = "r3gf0rm1"
	KYCFormID          = "kycf0rm1"
	// CompetitionID is the running trading competition.
	CompetitionID    = "comp2024"
	defaultGroupID   = "g1def4ul"
	defaultGroupName = "Default"
)

// connections are the tenant's trading platform connections.
var connections = []struct {
	ID       string `json:"id"`
	Platform string `json:"platform"`
	Name     string `json:"name"`
}{
	{MT4ConnectionID, "mt4", "MT4 Demo Server"},
	{MT5ConnectionID, "mt5", "MT5 Live Server"},
	{CTraderConnectionID, "ctrader", "cTrader Demo Server"},
}

func connectionFor(platformName string) string {
	switch platformName {
	case "mt4":
		return MT4ConnectionID
	case "ctrader":
		return CTraderConnectionID
	}
	return MT5ConnectionID
}

func label(en string) map[string]string {
	return map[string]string{"en-us": en}
}

func formField(key, typ, en string, required bool) map[string]any {
	return map[string]any{"key": key, "label": label(en), "required": required, "type": typ,
		"options": []any{}, "disabled": false, "readonly": false, "docs": []any{}}
}

// kycForm is the KYC form, in the registration form's shape.
func kycForm() map[string]any {
	field := formField
	return map[string]any{
		"id":   KYCFormID,
		"type": "kyc",
		"groups": []any{
			map[string]any{"key": "identity", "label": label("Identity"), "fields": []any{
				field("nationality", "country", "Nationality", true),
				field("birthday", "date", "Date of birth", true),
				field("id_number", "text", "ID number", true),
				field("address", "text", "Address", true),
			}},
			map[string]any{"key": "documents", "label": label("Documents"), "fields": []any{
				field("id_front", "file", "ID document (front)", true),
				field("id_back", "file", "ID document (back)", false),
				field("proof_of_address", "file", "Proof of address", true),
			}},
		},
	}
}

// registrationForm is the trader registration form.
func registrationForm() map[string]any {
	field := formField
	return map[string]any{
		"id":   RegistrationFormID,
		"type": "trader",
		"groups": []any{
			map[string]any{"key": "basic", "label": label("Basic information"), "fields": []any{
				field("first_name", "text", "First name", true),
				field("last_name", "text", "Last name", true),
				field("email", "email", "Email", true),
				field("phone", "phone", "Phone", false),
				field("country", "country", "Country", true),
			}},
			map[string]any{"key": "documents", "label": label("Documents"), "fields": []any{
				field("id_document", "file", "Identity document", false),
			}},
		},
	}
}

// fakeUser fills a new client's generated fields.
func (p *Provider) fakeUser(u *User, now time.Time) {
	p.fake(func(f *gofakeit.Faker) {
		first, last := f.FirstName(), f.LastName()
		if u.Name == "" {
			u.Name = first + " " + last
		} else if parts := strings.Fields(u.Name); len(parts) > 1 {
			first, last = parts[0], strings.Join(parts[1:], " ")
		}
		if u.Phone.Number == "" {
			u.Phone = Phone{CountryCode: "+" + strconv.Itoa(f.Number(1, 99)), Number: f.Numerify("#########")}
		}
		u.Country = strings.ToLower(f.CountryAbr())
		u.ReferralCode = strings.ToLower(f.LetterN(4)) + f.Numerify("####")
		u.Details = mustJSON([]FormField{
			{Key: "first_name", Type: "text", Label: label("First name"), Value: first},
			{Key: "last_name", Type: "text", Label: label("Last name"), Value: last},
			{Key: "email", Type: "email", Label: label("Email"), Value: u.Email},
			{Key: "phone", Type: "phone", Label: label("Phone"), Value: u.Phone},
			{Key: "country", Type: "country", Label: label("Country"), Value: u.Country},
			{Key: "address", Type: "text", Label: label("Address"), Value: f.Street() + ", " + f.City()},
			{Key: "birthday", Type: "date", Label: label("Date of birth"), Value: f.DateRange(now.AddDate(-70, 0, 0), now.AddDate(-18, 0, 0)).Format(dateLayout)},
		})
	})
	u.GroupID, u.GroupName = defaultGroupID, defaultGroupName
	u.CreatedAt = formatTime(now)
	u.DownlineCount = "0"
	if u.KYCStatus == "" {
		u.KYCStatus = "pending"
	}
	if u.TradingAccounts == nil {
		u.TradingAccounts = []TradingAccountRef{}
	}
}

// tradeSymbols are the symbols of the fake trades with a typical price and
// the number of digits their quotes carry on an MT server.
var tradeSymbols = []struct {
	name   string
	price  float64
	digits int
}{
	{"EURUSD", 1.09, 5}, {"GBPUSD", 1.27, 5}, {"USDJPY", 149.5, 3}, {"XAUUSD", 2030, 2}, {"US30", 38500, 1},
}

// fakeTrades invents a few closed trades of a new account (for the trades
// and commission reports).
func (p *Provider) fakeTrades(a Account, u User, now time.Time, firstTicket int64) []Trade {
	var out []Trade
	p.fake(func(f *gofakeit.Faker) {
		for i := range 3 {
			open := now.Add(-time.Duration(f.Number(2, 72)) * time.Hour)
			sym := tradeSymbols[f.Number(0, len(tradeSymbols)-1)]
			price := sym.price * f.Float64Range(0.98, 1.02)
			t := Trade{
				Login: a.Login, OrderID: firstTicket + int64(i), Cmd: f.Number(0, 1), Symbol: sym.name,
				Volume: float64(f.Number(1, 100)) / 100, Swaps: round2(f.Float64Range(-2, 0)),
				OpenPrice: roundTo(price, sym.digits), ClosePrice: roundTo(price*1.001, sym.digits),
				OpenTime: formatTime(open), CloseTime: formatTime(open.Add(time.Duration(f.Number(5, 600)) * time.Minute)),
				Profit: round2(f.Float64Range(-50, 80)), Commission: round2(-f.Float64Range(0.5, 3)),
				Platform: a.Platform, ConnectionID: a.ConnectionID,
			}
			t.CRMUser.ID, t.CRMUser.Email = u.ID, u.Email
			out = append(out, t)
		}
	})
	return out
}

// fakeBankcard invents a client's bankcard on file.
func (p *Provider) fakeBankcard(userID string, now time.Time) map[string]any {
	var card map[string]any
	p.fake(func(f *gofakeit.Faker) {
		cc := f.CreditCard()
		masked := cc.Number
		if len(masked) > 4 {
			masked = strings.Repeat("*", len(masked)-4) + masked[len(masked)-4:]
		}
		card = map[string]any{
			"id": newID(), "bank_name": f.Company() + " Bank", "user_id": userID,
			"created_at": formatTime(now), "updated_at": formatTime(now), "status": "approved",
			"form": []FormField{
				{Key: "card_number", Type: "text", Label: label("Card number"), Value: masked},
				{Key: "holder_name", Type: "text", Label: label("Card holder"), Value: f.Name()},
				{Key: "expiry", Type: "text", Label: label("Expiry"), Value: cc.Exp},
			},
		}
	})
	return card
}

// mustJSON encodes values built here (no channels or functions: cannot fail).
func mustJSON(v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return raw
}
