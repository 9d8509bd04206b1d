package d24

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// lookupCountry reads ?country= for the lookups.
func lookupCountry(req *platform.Request) (string, country, error) {
	cc := strings.ToUpper(strings.TrimSpace(req.URL.Query().Get("country")))
	if problem := countryProblem(cc); problem != "" {
		return "", country{}, &APIError{HTTP: 400, Code: 201, Description: "Invalid country", Type: "BEAN_VALIDATION_ERROR", Details: []string{problem}}
	}
	return cc, countries[cc], nil
}

func (p *Provider) paymentMethods(req *platform.Request) (any, error) {
	cc, c, err := lookupCountry(req)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, m := range c.Methods {
		out = append(out, map[string]any{"country": cc, "code": m.Code, "name": m.Name, "type": m.Type, "status": "OK",
			"logo": req.BaseURL() + "/logos/" + strings.ToLower(m.Code) + ".svg"})
	}
	return out, nil
}

func (p *Provider) exchangeRates(req *platform.Request) (any, error) {
	_, c, err := lookupCountry(req)
	if err != nil {
		return nil, err
	}
	amount, err := queryAmount(req)
	if err != nil {
		return nil, err
	}
	return map[string]any{"fx_rate": c.Rate, "currency": c.Currency, "converted_amount": round2(amount * c.Rate)}, nil
}

// queryAmount reads ?amount=, 1 when absent or empty (as documented).
func queryAmount(req *platform.Request) (float64, error) {
	s := strings.TrimSpace(req.URL.Query().Get("amount"))
	if s == "" {
		return 1, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) {
		return 0, validation("amount: must be a positive number")
	}
	return v, nil
}

// cryptoUSD is the fixed USD price of the crypto symbols the emulator
// prices (the docs do not list D24's symbols).
var cryptoUSD = map[string]float64{
	"BTC": 65000, "ETH": 3200, "USDT": 1, "USDC": 1, "LTC": 80, "TRX": 0.12, "BNB": 580, "SOL": 150, "XRP": 0.5, "DOGE": 0.15,
}

// cryptoFee is the conversion fee, a share of the converted amount
// (inferred: the docs show a fee without saying how it is computed).
const cryptoFee = 0.01

// cryptoRates is GET /v3/exchange_rates/crypto: the documented
// {"fx_rate","converted_amount","fee"}, all numbers. fx_rate is the price
// of one unit of the crypto in the currency, converted_amount the amount
// in the crypto and fee the conversion fee in the crypto.
func (p *Provider) cryptoRates(req *platform.Request) (any, error) {
	q := req.URL.Query()
	var details []string
	sym := strings.ToUpper(strings.TrimSpace(q.Get("crypto")))
	price, ok := cryptoUSD[sym]
	if !ok {
		details = append(details, "crypto: must be one of "+strings.Join(cryptoSymbols(), ", "))
	}
	currency := strings.ToUpper(strings.TrimSpace(q.Get("currency")))
	rate, known := currencyRate(currency)
	switch {
	case currency == "":
		details = append(details, "currency: required")
	case !known:
		details = append(details, "currency: "+quote(currency)+" is not USD or the currency of a country D24 operates in")
	}
	amount, err := queryAmount(req)
	if err != nil {
		details = append(details, "amount: must be a positive number")
	}
	if len(details) > 0 {
		return nil, validation(details...)
	}
	fxRate := math.Round(price*rate*1e4) / 1e4
	converted := round8(amount / (price * rate))
	return map[string]any{"fx_rate": fxRate, "converted_amount": converted, "fee": round8(converted * cryptoFee)}, nil
}

func round8(v float64) float64 { return math.Round(v*1e8) / 1e8 }

// currencyRate is USD's rate (1) or a served country's.
func currencyRate(cur string) (float64, bool) {
	if cur == "USD" {
		return 1, true
	}
	for _, c := range countries {
		if c.Currency == cur {
			return c.Rate, true
		}
	}
	return 0, false
}

func cryptoSymbols() []string {
	out := make([]string, 0, len(cryptoUSD))
	for s := range cryptoUSD {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func (p *Provider) banks(req *platform.Request) (any, error) {
	_, c, err := lookupCountry(req)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(c.Banks))
	for _, b := range c.Banks {
		n, _ := strconv.Atoi(b.Code)
		out = append(out, map[string]any{"code": n, "name": b.Name})
	}
	return out, nil
}

func (p *Provider) states(req *platform.Request) (any, error) {
	_, c, err := lookupCountry(req)
	if err != nil {
		return nil, err
	}
	if c.States == nil {
		return []state{}, nil
	}
	return c.States, nil
}
