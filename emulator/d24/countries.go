package d24

import (
	"regexp"
	"strings"
)

// method is a payment method of a country.
type method struct {
	Code, Name, Type string
}

// country is what the emulator knows of a supported country.
type country struct {
	Currency string
	// Rate is local currency units per USD; fixed so answers are consistent.
	Rate    float64
	Methods []method
	Banks   []bank
	States  []state
}

type bank struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type state struct {
	ISO  string `json:"iso"`
	Name string `json:"name"`
}

// countries are the six countries with full data and validation.
// amounts converts a request amount, in the local currency or in USD, to
// the local and the USD amounts at the country's fixed rate.
func (c country) amounts(amount float64, currency string) (local, usd float64) {
	if currency == "USD" {
		return round2(amount * c.Rate), amount
	}
	return amount, round2(amount / c.Rate)
}

var countries = map[string]country{
	"BR": {Currency: "BRL", Rate: 5.3162, Methods: []method{
		{"IX", "Pix", "BANK_TRANSFER"}, {"BB", "Banco do Brasil", "BANK_DEPOSIT"}, {"I", "Itaú", "BANK_DEPOSIT"},
		{"BL", "Boleto Bancário", "VOUCHER"}, {"VI", "Visa", "CREDIT_CARD"}, {"MC", "Mastercard", "CREDIT_CARD"}},
		Banks:  []bank{{"001", "BANCO DO BRASIL S.A."}, {"033", "BANCO SANTANDER (BRASIL) S.A."}, {"104", "CAIXA ECONOMICA FEDERAL"}, {"237", "BANCO BRADESCO S.A."}, {"341", "ITAÚ UNIBANCO S.A."}, {"323", "MERCADO PAGO"}},
		States: []state{{"SP", "São Paulo"}, {"RJ", "Rio de Janeiro"}, {"MG", "Minas Gerais"}, {"BA", "Bahia"}, {"RS", "Rio Grande do Sul"}}},
	"MX": {Currency: "MXN", Rate: 17.12, Methods: []method{
		{"SE", "SPEI", "BANK_TRANSFER"}, {"OX", "OXXO", "VOUCHER"}, {"ME", "Mercado Pago", "VOUCHER"}, {"VI", "Visa", "CREDIT_CARD"}},
		Banks:  []bank{{"002", "BANAMEX"}, {"012", "BBVA MEXICO"}, {"014", "SANTANDER"}, {"072", "BANORTE"}},
		States: []state{{"CMX", "Ciudad de México"}, {"JAL", "Jalisco"}, {"NLE", "Nuevo León"}}},
	"CO": {Currency: "COP", Rate: 3950, Methods: []method{
		{"PC", "PSE", "BANK_TRANSFER"}, {"EF", "Efecty", "VOUCHER"}, {"NQ", "Nequi", "BANK_TRANSFER"}, {"VI", "Visa", "CREDIT_CARD"}},
		Banks:  []bank{{"001", "BANCO DE BOGOTA"}, {"002", "BANCO POPULAR"}, {"007", "BANCOLOMBIA"}, {"013", "BBVA COLOMBIA"}, {"051", "DAVIVIENDA"}, {"1507", "NEQUI"}, {"1551", "DAVIPLATA"}},
		States: []state{{"DC", "Bogotá D.C."}, {"ANT", "Antioquia"}, {"VAC", "Valle del Cauca"}}},
	"CL": {Currency: "CLP", Rate: 930, Methods: []method{
		{"WP", "WebPay", "BANK_TRANSFER"}, {"SP", "Servipag", "VOUCHER"}, {"VI", "Visa", "CREDIT_CARD"}},
		Banks:  []bank{{"001", "BANCO DE CHILE"}, {"012", "BANCO DEL ESTADO DE CHILE"}, {"037", "BANCO SANTANDER CHILE"}},
		States: []state{{"RM", "Región Metropolitana"}, {"VS", "Valparaíso"}, {"BI", "Biobío"}}},
	"PE": {Currency: "PEN", Rate: 3.75, Methods: []method{
		{"BC", "BCP", "BANK_TRANSFER"}, {"EF", "PagoEfectivo", "VOUCHER"}, {"VI", "Visa", "CREDIT_CARD"}},
		Banks:  []bank{{"002", "BCP"}, {"003", "INTERBANK"}, {"009", "SCOTIABANK"}, {"011", "BBVA"}, {"018", "BANCO DE LA NACION"}},
		States: []state{{"LIM", "Lima"}, {"ARE", "Arequipa"}, {"CUS", "Cusco"}}},
	"AR": {Currency: "ARS", Rate: 870, Methods: []method{
		{"RP", "Rapipago", "VOUCHER"}, {"PF", "Pago Fácil", "VOUCHER"}, {"BT", "Transferencia bancaria", "BANK_TRANSFER"}, {"VI", "Visa", "CREDIT_CARD"}},
		Banks:  []bank{{"007", "BANCO DE GALICIA"}, {"011", "BANCO DE LA NACION ARGENTINA"}, {"072", "BANCO SANTANDER RIO"}, {"998", "ICASH"}},
		States: []state{{"C", "Ciudad Autónoma de Buenos Aires"}, {"B", "Buenos Aires"}, {"X", "Córdoba"}}},
}

func (c country) method(code string) (method, bool) {
	for _, m := range c.Methods {
		if m.Code == code {
			return m, true
		}
	}
	return method{}, false
}

func (c country) hasBank(code string) bool {
	for _, b := range c.Banks {
		if b.Code == code {
			return true
		}
	}
	return false
}

var digitsRE = regexp.MustCompile(`^\d+$`)

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
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
// the country, or "".
func documentProblem(cc, doc, docType string) string {
	if doc == "" {
		return ""
	}
	d := onlyDigits(doc)
	switch cc {
	case "BR":
		if len(d) == 14 || strings.EqualFold(docType, "CNPJ") {
			if len(d) != 14 {
				return "CNPJ must have 14 digits"
			}
			return ""
		}
		if !validCPF(doc) {
			return "CPF must have 11 digits with valid verifier digits"
		}
	case "MX":
		if len(doc) < 7 || len(doc) > 18 {
			return "document must have 7 to 18 characters"
		}
	case "CO":
		if len(d) < 6 || len(d) > 15 || len(d) != len(doc) {
			return "document must be numeric, 6 to 15 digits"
		}
	case "CL":
		if !validRUT(doc) {
			return "RUT must have a valid check digit"
		}
	case "PE":
		if len(doc) < 8 || len(doc) > 12 {
			return "document must have 8 to 12 characters"
		}
	case "AR":
		if (len(d) < 7 || len(d) > 9) && len(d) != 11 {
			return "DNI must have 7 to 9 digits, CUIT/CUIL 11"
		}
	}
	return ""
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
		if bankCode == "1507" || bankCode == "1551" {
			return ""
		}
		if !regexp.MustCompile(`^\d{8,19}$`).MatchString(account) {
			return "bank_account must have 8 to 19 digits"
		}
	case "BR":
		if bankCode == "10000" || bankCode == "10001" || bankCode == "10002" {
			return ""
		}
		if !regexp.MustCompile(`^\d{1,14}(-)?[\dxX]$`).MatchString(account) {
			return "bank_account is not a valid account number"
		}
	case "CL":
		if !digitsRE.MatchString(account) {
			return "bank_account must be numeric"
		}
	}
	return ""
}
