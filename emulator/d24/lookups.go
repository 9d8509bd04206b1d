package d24

import (
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// lookupCountry reads ?country= for the lookups.
func lookupCountry(req *platform.Request) (string, country, error) {
	cc := strings.ToUpper(req.URL.Query().Get("country"))
	c, ok := countries[cc]
	if !ok {
		return "", c, &APIError{HTTP: 400, Code: 201, Description: "Invalid country", Type: "BEAN_VALIDATION_ERROR", Details: []string{"country: must be a supported ISO-3166 alpha-2 code"}}
	}
	return cc, c, nil
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
	amount := 1.0
	if s := req.URL.Query().Get("amount"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v <= 0 {
			return nil, validation("amount: must be a positive number")
		}
		amount = v
	}
	return map[string]any{"fx_rate": c.Rate, "currency": c.Currency, "converted_amount": round2(amount * c.Rate)}, nil
}

// cryptoUSD is the fixed USD price of the supported crypto symbols.
var cryptoUSD = map[string]float64{"BTC": 65000, "ETH": 3200, "USDT": 1, "USDC": 1}

func (p *Provider) cryptoRates(req *platform.Request) (any, error) {
	q := req.URL.Query()
	sym := strings.ToUpper(q.Get("crypto"))
	price, ok := cryptoUSD[sym]
	if !ok {
		return nil, validation("crypto: must be one of BTC, ETH, USDT, USDC")
	}
	currency := strings.ToUpper(q.Get("currency"))
	rate := 1.0
	if currency != "USD" {
		found := false
		for _, c := range countries {
			if c.Currency == currency {
				rate, found = c.Rate, true
			}
		}
		if !found {
			return nil, validation("currency: unsupported")
		}
	}
	amount, err := strconv.ParseFloat(q.Get("amount"), 64)
	if err != nil || amount <= 0 {
		return nil, validation("amount: must be a positive number")
	}
	usd := amount / rate
	return map[string]any{"currency": currency, "crypto": sym, "amount": amount, "fx_rate": round2(price * rate),
		"crypto_amount": strconv.FormatFloat(usd/price, 'f', 8, 64)}, nil
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
	return c.States, nil
}
