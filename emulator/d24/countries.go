package d24

import (
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/lazyre"
)

// method is a payment method of a country.
type method struct {
	Code, Name, Type string
}

// country is what the emulator knows of a country D24 serves.
type country struct {
	Name     string
	Currency string // the local currency; USD is accepted everywhere
	// Rate is local currency units per USD; fixed so answers are consistent.
	Rate    float64
	Methods []method
	Banks   []bank
	States  []state
	// Docs are the document checks; none means any document is accepted.
	Docs []docRule
	// StrictBanks: the bank list is the documented one, so an unknown
	// bank_code is refused (303); elsewhere any code is accepted.
	StrictBanks bool
	// Inferred: methods, banks and states are plausible, not documented.
	Inferred bool
}

type bank struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type state struct {
	ISO  string `json:"iso"`
	Name string `json:"name"`
}

// amounts converts a request amount, in the local currency or in USD, to
// the local and the USD amounts at the country's fixed rate.
func (c country) amounts(amount float64, currency string) (local, usd float64) {
	if currency == "USD" {
		return round2(amount * c.Rate), amount
	}
	return amount, round2(amount / c.Rate)
}

// currencyOK: the local currency or USD.
func (c country) currencyOK(cur string) bool { return cur == c.Currency || cur == "USD" }

// countryProblem says why cc is not a country D24 serves: not an ISO
// 3166-1 alpha-2 code at all, or a country outside D24's list; "" if it
// is served.
func countryProblem(cc string) string {
	switch {
	case cc == "":
		return "country: required"
	case !isoCountries[cc]:
		return "country: " + cc + " is not an ISO-3166 alpha-2 country code"
	}
	if _, ok := countries[cc]; !ok {
		return "country: " + cc + " is not a country D24 operates in"
	}
	return ""
}

// sameBankCode: bank codes are numbers in /v3/banks and strings such as
// "001" in the docs' examples; 1, "1" and "001" name the same bank.
func sameBankCode(a, b string) bool {
	if a == b {
		return true
	}
	if !digitsRE.MatchString(a) || !digitsRE.MatchString(b) {
		return false
	}
	ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	return ta == tb
}

// bank finds a bank by code in any of its spellings; the answer carries
// the code as listed.
func (c country) bank(code string) (bank, bool) {
	for _, b := range c.Banks {
		if sameBankCode(b.Code, code) {
			return b, true
		}
	}
	return bank{}, false
}

// method finds a payment method by code. Where the method list is
// inferred, any other code is taken too (as a bank transfer named by its
// code): a real code the list lacks must not be refused.
func (c country) method(code string) (method, bool) {
	for _, m := range c.Methods {
		if m.Code == code {
			return m, true
		}
	}
	if c.Inferred && code != "" {
		return method{code, code, bankTransfer}, true
	}
	return method{}, false
}

func (c country) hasBank(code string) bool {
	_, ok := c.bank(code)
	return ok
}

var (
	digitsRE = lazyre.New(`^\d+$`)
	// Colombian and Brazilian bank account numbers, compiled once.
	coAccountRE = lazyre.New(`^\d{8,19}$`)
	brAccountRE = lazyre.New(`^\d{1,14}(-)?[\dxX]$`)
)

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// pixBankCode: BR's Pix-key cashout codes (10000 phone, 10001 email,
// 10002 document).
func pixBankCode(code string) bool {
	return code == "10000" || code == "10001" || code == "10002"
}

// validCPF checks a Brazilian CPF's two verifier digits.
func validCPF(s string) bool {
	d := onlyDigits(s)
	if len(d) != 11 || strings.Count(d, d[:1]) == 11 {
		return false
	}
	for n := 9; n <= 10; n++ {
		sum := 0
		for i := 0; i < n; i++ {
			sum += int(d[i]-'0') * (n + 1 - i)
		}
		check := sum * 10 % 11 % 10
		if check != int(d[n]-'0') {
			return false
		}
	}
	return true
}

// validRUT checks a Chilean RUT's mod-11 check digit (may be K).
func validRUT(s string) bool {
	s = strings.ToUpper(strings.NewReplacer(".", "", "-", "").Replace(s))
	if len(s) < 8 || len(s) > 9 {
		return false
	}
	body, dv := s[:len(s)-1], s[len(s)-1]
	if !digitsRE.MatchString(body) {
		return false
	}
	sum, mul := 0, 2
	for i := len(body) - 1; i >= 0; i-- {
		sum += int(body[i]-'0') * mul
		if mul++; mul > 7 {
			mul = 2
		}
	}
	want := "0123456789K"[(11-sum%11)%11]
	return dv == want
}

// validCLABE checks a Mexican CLABE (18 digits, weights 3,7,1, mod 10).
func validCLABE(s string) bool {
	if len(s) != 18 || !digitsRE.MatchString(s) {
		return false
	}
	weights := []int{3, 7, 1}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += (int(s[i]-'0') * weights[i%3]) % 10
	}
	return (10-sum%10)%10 == int(s[17]-'0')
}

// validCBU checks an Argentine CBU/CVU (22 digits, two check digits).
func validCBU(s string) bool {
	if len(s) != 22 || !digitsRE.MatchString(s) {
		return false
	}
	check := func(part string, weights []int) bool {
		sum := 0
		for i := 0; i < len(part)-1; i++ {
			sum += int(part[i]-'0') * weights[i%len(weights)]
		}
		return (10-sum%10)%10 == int(part[len(part)-1]-'0')
	}
	return check(s[:8], []int{7, 1, 3, 9, 7, 1, 3}) && check(s[8:], []int{3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3})
}

// validCCI checks a Peruvian CCI: 20 digits whose first three are a known bank.
func validCCI(s string, c country) bool {
	return len(s) == 20 && digitsRE.MatchString(s) && c.hasBank(s[:3])
}

// documentProblem returns why a payer/beneficiary document is invalid for
// the country, or "". A document_type the country documents selects its
// rule; without one (or with another) any of the country's rules will do.
func documentProblem(cc, doc, docType string) string {
	if doc == "" {
		return ""
	}
	if cc == "BR" {
		d := onlyDigits(doc)
		if len(d) == 14 || strings.EqualFold(docType, "CNPJ") {
			if len(d) != 14 {
				return "CNPJ must have 14 digits"
			}
			return ""
		}
		if !validCPF(doc) {
			return "CPF must have 11 digits with valid verifier digits"
		}
		return ""
	}
	rules := countries[cc].Docs
	if len(rules) == 0 {
		return ""
	}
	docType = strings.ToUpper(strings.TrimSpace(docType))
	for _, r := range rules {
		for _, t := range r.Types {
			if t == docType {
				if r.Check(doc) {
					return ""
				}
				return docType + " must be " + r.Desc
			}
		}
	}
	descs := make([]string, 0, len(rules))
	for _, r := range rules {
		if r.Check(doc) {
			return ""
		}
		descs = append(descs, strings.Join(r.Types, "/")+" "+r.Desc)
	}
	return "document must be one of: " + strings.Join(descs, "; ")
}

// bankAccountProblem validates a cashout account per country, or "".
func bankAccountProblem(cc, bankCode, account string) string {
	c := countries[cc]
	switch cc {
	case "MX":
		if !validCLABE(account) && !(len(account) >= 15 && len(account) <= 16 && digitsRE.MatchString(account)) {
			return "bank_account must be a valid CLABE"
		}
	case "AR":
		if !validCBU(account) {
			return "bank_account must be a valid CBU/CVU"
		}
	case "PE":
		if !validCCI(account, c) {
			return "bank_account must be a valid CCI"
		}
	case "CO":
		if sameBankCode(bankCode, "1507") || sameBankCode(bankCode, "1551") {
			return ""
		}
		if !coAccountRE.MatchString(account) {
			return "bank_account must have 8 to 19 digits"
		}
	case "BR":
		if pixBankCode(bankCode) {
			return ""
		}
		if !brAccountRE.MatchString(account) {
			return "bank_account is not a valid account number"
		}
	case "CL":
		if !digitsRE.MatchString(account) {
			return "bank_account must be numeric"
		}
	}
	return ""
}
