package d24

import "strings"

// The countries D24 documents: the Deposits API's payment-methods pages
// (America 11, Africa 16, Asia 11), the cashout country validations
// (adding Australia) and the Countries Specifications currency table
// (adding CR, DO, SV, NI, PA, PH, SG, UY, VE). BR, MX, CO, CL, PE and AR
// carry the documented methods, banks and account rules; the others carry
// the documented currency and document checks where the docs give them,
// and plausible methods, banks and states marked Inferred (the README
// says which).

// docRule is a documented document check of a country.
type docRule struct {
	Types []string // document_type values it applies to
	Desc  string   // what the document must be
	Check func(doc string) bool
}

// numeric is a document of min..max digits; dots, hyphens and spaces
// between them are ignored.
func numeric(min, max int) func(string) bool {
	return func(doc string) bool {
		d := strings.NewReplacer(".", "", "-", "", " ", "").Replace(doc)
		return len(d) >= min && len(d) <= max && digitsRE.MatchString(d)
	}
}

// letterDigits is one character followed by n digits (Bolivia's CIE, PASS).
func letterDigits(n int) func(string) bool {
	return func(doc string) bool {
		return len(doc) == n+1 && digitsRE.MatchString(doc[1:])
	}
}

// length is any document of min..max characters.
func length(min, max int) func(string) bool {
	return func(doc string) bool { return len(doc) >= min && len(doc) <= max }
}

func anyOf(checks ...func(string) bool) func(string) bool {
	return func(doc string) bool {
		for _, c := range checks {
			if c(doc) {
				return true
			}
		}
		return false
	}
}

// methodList builds a method list: code, name, type triples.
func methodList(triples ...string) []method {
	out := make([]method, 0, len(triples)/3)
	for i := 0; i+2 < len(triples); i += 3 {
		out = append(out, method{triples[i], triples[i+1], triples[i+2]})
	}
	return out
}

func bankList(pairs ...string) []bank {
	out := make([]bank, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, bank{pairs[i], pairs[i+1]})
	}
	return out
}

func stateList(pairs ...string) []state {
	out := make([]state, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, state{pairs[i], pairs[i+1]})
	}
	return out
}

const (
	bankTransfer = "BANK_TRANSFER"
	bankDeposit  = "BANK_DEPOSIT"
	voucher      = "VOUCHER"
	creditCard   = "CREDIT_CARD"
	wallet       = "BANK_TRANSFER" // mobile money and e-wallets are shown as transfers
)

var countries = map[string]country{
	// America — documented data.
	"BR": {Name: "Brazil", Currency: "BRL", Rate: 5.3162, StrictBanks: true,
		Methods: methodList("IX", "Pix", bankTransfer, "BB", "Banco do Brasil", bankDeposit, "I", "Itaú", bankDeposit,
			"BL", "Boleto Bancário", voucher, "VI", "Visa", creditCard, "MC", "Mastercard", creditCard),
		Banks:  bankList("001", "BANCO DO BRASIL S.A.", "033", "BANCO SANTANDER (BRASIL) S.A.", "104", "CAIXA ECONOMICA FEDERAL", "237", "BANCO BRADESCO S.A.", "341", "ITAÚ UNIBANCO S.A.", "323", "MERCADO PAGO"),
		States: stateList("SP", "São Paulo", "RJ", "Rio de Janeiro", "MG", "Minas Gerais", "BA", "Bahia", "RS", "Rio Grande do Sul")},
	"MX": {Name: "Mexico", Currency: "MXN", Rate: 17.12, StrictBanks: true,
		Methods: methodList("SE", "SPEI", bankTransfer, "OX", "OXXO", voucher, "ME", "Mercado Pago", voucher, "VI", "Visa", creditCard),
		Banks:   bankList("002", "BANAMEX", "012", "BBVA MEXICO", "014", "SANTANDER", "072", "BANORTE"),
		States:  stateList("CMX", "Ciudad de México", "JAL", "Jalisco", "NLE", "Nuevo León"),
		Docs:    []docRule{{[]string{"CURP", "RFC", "IFE", "PASS"}, "7 to 18 characters", length(7, 18)}}},
	"CO": {Name: "Colombia", Currency: "COP", Rate: 3950, StrictBanks: true,
		Methods: methodList("PC", "PSE", bankTransfer, "EF", "Efecty", voucher, "NQ", "Nequi", bankTransfer, "VI", "Visa", creditCard),
		Banks:   bankList("001", "BANCO DE BOGOTA", "002", "BANCO POPULAR", "007", "BANCOLOMBIA", "013", "BBVA COLOMBIA", "051", "DAVIVIENDA", "1507", "NEQUI", "1551", "DAVIPLATA"),
		States:  stateList("DC", "Bogotá D.C.", "ANT", "Antioquia", "VAC", "Valle del Cauca"),
		Docs: []docRule{
			{[]string{"CC", "CE"}, "numeric, 6 to 10 digits", numeric(6, 10)},
			{[]string{"NIT"}, "numeric, 8 to 15 digits", numeric(8, 15)},
			{[]string{"PASS"}, "6 to 10 characters", length(6, 10)},
			{[]string{"PEP"}, "numeric, 15 digits", numeric(15, 15)},
		}},
	"CL": {Name: "Chile", Currency: "CLP", Rate: 930, StrictBanks: true,
		Methods: methodList("WP", "WebPay", bankTransfer, "SP", "Servipag", voucher, "VI", "Visa", creditCard),
		Banks:   bankList("001", "BANCO DE CHILE", "012", "BANCO DEL ESTADO DE CHILE", "037", "BANCO SANTANDER CHILE"),
		States:  stateList("RM", "Región Metropolitana", "VS", "Valparaíso", "BI", "Biobío"),
		Docs:    []docRule{{[]string{"ID", "RUN", "RUT"}, "a RUT of 8 or 9 characters with a valid check digit", validRUT}}},
	"PE": {Name: "Peru", Currency: "PEN", Rate: 3.75, StrictBanks: true,
		Methods: methodList("BC", "BCP", bankTransfer, "EF", "PagoEfectivo", voucher, "VI", "Visa", creditCard),
		Banks:   bankList("002", "BCP", "003", "INTERBANK", "009", "SCOTIABANK", "011", "BBVA", "018", "BANCO DE LA NACION"),
		States:  stateList("LIM", "Lima", "ARE", "Arequipa", "CUS", "Cusco"),
		Docs:    []docRule{{[]string{"DNI", "CE", "RUC", "PASS"}, "8 to 12 characters", length(8, 12)}}},
	"AR": {Name: "Argentina", Currency: "ARS", Rate: 870, StrictBanks: true,
		Methods: methodList("RP", "Rapipago", voucher, "PF", "Pago Fácil", voucher, "BT", "Transferencia bancaria", bankTransfer, "VI", "Visa", creditCard),
		Banks:   bankList("007", "BANCO DE GALICIA", "011", "BANCO DE LA NACION ARGENTINA", "072", "BANCO SANTANDER RIO", "998", "ICASH"),
		States:  stateList("C", "Ciudad Autónoma de Buenos Aires", "B", "Buenos Aires", "X", "Córdoba"),
		Docs: []docRule{
			{[]string{"DNI"}, "numeric, 7 to 9 digits", numeric(7, 9)},
			{[]string{"CUIT", "CUIL"}, "numeric, 7 to 9 or 11 digits", anyOf(numeric(7, 9), numeric(11, 11))},
		}},

	// America — documented currency and documents; methods, banks and
	// states inferred unless said otherwise.
	"BO": {Name: "Bolivia", Currency: "BOB", Rate: 6.91, Inferred: true,
		Methods: methodList("BU", "Banco Unión", bankTransfer, "QR", "QR Simple", bankTransfer, "TG", "Tigo Money", wallet),
		Banks:   bankList("001", "BANCO UNION", "002", "BANCO MERCANTIL SANTA CRUZ", "003", "BANCO NACIONAL DE BOLIVIA"),
		States:  stateList("LP", "La Paz", "SC", "Santa Cruz", "CB", "Cochabamba"),
		Docs: []docRule{
			{[]string{"CI"}, "numeric, 7 digits", numeric(7, 7)},
			{[]string{"CIE"}, "one character followed by 8 digits", letterDigits(8)},
			{[]string{"PASS"}, "one character followed by 6 digits", letterDigits(6)},
			{[]string{"NIT"}, "numeric, 12 digits", numeric(12, 12)},
		}},
	"CA": {Name: "Canada", Currency: "CAD", Rate: 1.36, Inferred: true,
		Methods: methodList("IT", "Interac e-Transfer", bankTransfer, "IO", "Interac Online", bankTransfer, "VI", "Visa", creditCard),
		Banks:   bankList("001", "BANK OF MONTREAL", "002", "SCOTIABANK", "003", "ROYAL BANK OF CANADA", "004", "TD CANADA TRUST"),
		States:  stateList("ON", "Ontario", "QC", "Quebec", "BC", "British Columbia", "AB", "Alberta"),
		Docs: []docRule{
			{[]string{"DL"}, "numeric of 6 to 9 digits, or 10 to 15 characters", anyOf(numeric(6, 9), length(10, 15))},
			{[]string{"HC"}, "numeric, 10 digits", numeric(10, 10)},
			{[]string{"PASS"}, "8 to 12 characters", length(8, 12)},
		}},
	// Ecuador's methods and its CC rule are those of the white-label copies
	// of the Ecuador page.
	"EC": {Name: "Ecuador", Currency: "USD", Rate: 1, Inferred: true,
		Methods: methodList("FO", "Facilito", voucher, "GB", "Banco Guayaquil", bankDeposit, "PX", "Banco Pichincha", bankDeposit),
		Banks:   bankList("010", "BANCO PICHINCHA", "017", "BANCO GUAYAQUIL", "030", "BANCO DEL PACIFICO", "036", "PRODUBANCO"),
		States:  stateList("P", "Pichincha", "G", "Guayas", "A", "Azuay"),
		Docs:    []docRule{{[]string{"CC", "CI"}, "numeric, 9 or 10 digits", numeric(9, 10)}}},
	"GT": {Name: "Guatemala", Currency: "GTQ", Rate: 7.8, Inferred: true,
		Methods: methodList("BI", "Banco Industrial", bankDeposit, "PQ", "Pronet Quetzal", voucher, "VI", "Visa", creditCard),
		Banks:   bankList("001", "BANCO INDUSTRIAL", "002", "BANRURAL", "003", "BANCO G&T CONTINENTAL"),
		States:  stateList("GU", "Guatemala", "QZ", "Quetzaltenango", "ES", "Escuintla")},
	"PY": {Name: "Paraguay", Currency: "PYG", Rate: 7300, Inferred: true,
		Methods: methodList("PE", "Pago Express", voucher, "AP", "Aquí Pago", voucher, "BT", "Transferencia bancaria", bankTransfer),
		Banks:   bankList("001", "BANCO ITAU PARAGUAY", "002", "BANCO CONTINENTAL", "003", "VISION BANCO"),
		States:  stateList("ASU", "Asunción", "11", "Central", "10", "Alto Paraná")},
	"CR": {Name: "Costa Rica", Currency: "CRC", Rate: 515, Inferred: true,
		Methods: methodList("SN", "SINPE Móvil", bankTransfer, "VI", "Visa", creditCard),
		Banks:   bankList("001", "BANCO NACIONAL DE COSTA RICA", "002", "BANCO DE COSTA RICA"),
		States:  stateList("SJ", "San José", "A", "Alajuela")},
	"DO": {Name: "Dominican Republic", Currency: "DOP", Rate: 58.5, Inferred: true,
		Methods: methodList("BP", "Banco Popular", bankTransfer, "VI", "Visa", creditCard),
		Banks:   bankList("001", "BANCO POPULAR DOMINICANO", "002", "BANRESERVAS")},
	"SV": {Name: "El Salvador", Currency: "SVC", Rate: 8.75, Inferred: true,
		Methods: methodList("BT", "Transferencia bancaria", bankTransfer, "VI", "Visa", creditCard),
		Banks:   bankList("001", "BANCO AGRICOLA", "002", "BANCO CUSCATLAN")},
	"NI": {Name: "Nicaragua", Currency: "NIO", Rate: 36.6, Inferred: true,
		Methods: methodList("BT", "Transferencia bancaria", bankTransfer, "VI", "Visa", creditCard),
		Banks:   bankList("001", "BANPRO", "002", "BAC NICARAGUA")},
	"PA": {Name: "Panama", Currency: "USD", Rate: 1, Inferred: true,
		Methods: methodList("YP", "Yappy", bankTransfer, "VI", "Visa", creditCard),
		Banks:   bankList("001", "BANCO GENERAL", "002", "BANISTMO")},
	"UY": {Name: "Uruguay", Currency: "UYU", Rate: 39.2, Inferred: true,
		Methods: methodList("AB", "Abitab", voucher, "RP", "Redpagos", voucher, "BT", "Transferencia bancaria", bankTransfer),
		Banks:   bankList("001", "BANCO REPUBLICA", "002", "BANCO SANTANDER URUGUAY"),
		States:  stateList("MO", "Montevideo", "CA", "Canelones")},
	"VE": {Name: "Venezuela", Currency: "VES", Rate: 36.5, Inferred: true,
		Methods: methodList("PM", "Pago Móvil", bankTransfer),
		Banks:   bankList("0102", "BANCO DE VENEZUELA", "0134", "BANESCO")},

	// Africa — currencies documented; methods, banks and states inferred.
	"BW": {Name: "Botswana", Currency: "BWP", Rate: 13.6, Inferred: true, Methods: methodList("OM", "Orange Money", wallet, "BT", "Bank transfer", bankTransfer), Banks: bankList("001", "FIRST NATIONAL BANK BOTSWANA", "002", "ABSA BOTSWANA")},
	"CM": {Name: "Cameroon", Currency: "XAF", Rate: 605, Inferred: true, Methods: methodList("MT", "MTN Mobile Money", wallet, "OM", "Orange Money", wallet), Banks: bankList("001", "AFRILAND FIRST BANK", "002", "SOCIETE GENERALE CAMEROUN"),
		Docs: []docRule{
			{[]string{"PASS"}, "numeric, 9 to 11 digits", numeric(9, 11)},
			{[]string{"CI"}, "numeric, 8 to 12 digits", numeric(8, 12)},
			{[]string{"DL"}, "numeric, 8 to 10 digits", numeric(8, 10)},
		}},
	"CG": {Name: "Congo Brazzaville", Currency: "XAF", Rate: 605, Inferred: true, Methods: methodList("MT", "MTN Mobile Money", wallet, "AT", "Airtel Money", wallet), Banks: bankList("001", "LCB BANK")},
	"CD": {Name: "Congo DRC", Currency: "CDF", Rate: 2800, Inferred: true, Methods: methodList("MP", "M-Pesa", wallet, "AT", "Airtel Money", wallet, "OM", "Orange Money", wallet), Banks: bankList("001", "RAWBANK", "002", "EQUITY BCDC")},
	"EG": {Name: "Egypt", Currency: "EGP", Rate: 48, Inferred: true, Methods: methodList("FW", "Fawry", voucher, "VC", "Vodafone Cash", wallet), Banks: bankList("001", "NATIONAL BANK OF EGYPT", "002", "BANQUE MISR")},
	"GA": {Name: "Gabon", Currency: "XAF", Rate: 605, Inferred: true, Methods: methodList("AT", "Airtel Money", wallet, "MC", "Moov Money", wallet), Banks: bankList("001", "BGFIBANK GABON")},
	"GH": {Name: "Ghana", Currency: "GHS", Rate: 12, Inferred: true, Methods: methodList("MT", "MTN Mobile Money", wallet, "VF", "Telecel Cash", wallet, "AT", "AirtelTigo Money", wallet), Banks: bankList("001", "GCB BANK", "002", "ECOBANK GHANA")},
	"CI": {Name: "Ivory Coast", Currency: "XOF", Rate: 605, Inferred: true, Methods: methodList("OM", "Orange Money", wallet, "MT", "MTN Mobile Money", wallet, "WV", "Wave", wallet), Banks: bankList("001", "SOCIETE GENERALE COTE D'IVOIRE")},
	"KE": {Name: "Kenya", Currency: "KES", Rate: 129, Inferred: true, Methods: methodList("MP", "M-Pesa", wallet, "AT", "Airtel Money", wallet), Banks: bankList("001", "KCB BANK", "002", "EQUITY BANK"),
		States: stateList("30", "Nairobi", "01", "Mombasa")},
	"NG": {Name: "Nigeria", Currency: "NGN", Rate: 1500, Inferred: true, Methods: methodList("BT", "Bank transfer", bankTransfer, "US", "USSD", bankTransfer, "VI", "Visa", creditCard), Banks: bankList("044", "ACCESS BANK", "058", "GUARANTY TRUST BANK", "011", "FIRST BANK OF NIGERIA"),
		States: stateList("LA", "Lagos", "FC", "Federal Capital Territory", "KN", "Kano")},
	"MW": {Name: "Malawi", Currency: "MWK", Rate: 1735, Inferred: true, Methods: methodList("AT", "Airtel Money", wallet, "TN", "TNM Mpamba", wallet), Banks: bankList("001", "NATIONAL BANK OF MALAWI")},
	"RW": {Name: "Rwanda", Currency: "RWF", Rate: 1300, Inferred: true, Methods: methodList("MT", "MTN Mobile Money", wallet, "AT", "Airtel Money", wallet), Banks: bankList("001", "BANK OF KIGALI")},
	"ZA": {Name: "South Africa", Currency: "ZAR", Rate: 18.5, Inferred: true, Methods: methodList("EF", "Instant EFT", bankTransfer, "VI", "Visa", creditCard), Banks: bankList("632005", "ABSA BANK", "250655", "FIRST NATIONAL BANK", "051001", "STANDARD BANK"),
		States: stateList("GP", "Gauteng", "WC", "Western Cape", "KZN", "KwaZulu-Natal")},
	"UG": {Name: "Uganda", Currency: "UGX", Rate: 3750, Inferred: true, Methods: methodList("MT", "MTN Mobile Money", wallet, "AT", "Airtel Money", wallet), Banks: bankList("001", "STANBIC BANK UGANDA")},
	"ZM": {Name: "Zambia", Currency: "ZMW", Rate: 26, Inferred: true, Methods: methodList("MT", "MTN Mobile Money", wallet, "AT", "Airtel Money", wallet), Banks: bankList("001", "ZANACO")},
	"TZ": {Name: "Tanzania", Currency: "TZS", Rate: 2600, Inferred: true, Methods: methodList("MP", "M-Pesa", wallet, "AT", "Airtel Money", wallet, "TP", "Tigo Pesa", wallet), Banks: bankList("001", "CRDB BANK", "002", "NMB BANK")},

	// Asia — currencies documented (BD, CN, HK, PK, TR and AU from the
	// white-label tables); methods, banks and states inferred.
	"BD": {Name: "Bangladesh", Currency: "BDT", Rate: 110, Inferred: true, Methods: methodList("BK", "bKash", wallet, "NG", "Nagad", wallet), Banks: bankList("001", "SONALI BANK", "002", "DUTCH-BANGLA BANK")},
	"CN": {Name: "China", Currency: "CNY", Rate: 7.2, Inferred: true, Methods: methodList("UP", "UnionPay", bankTransfer, "AL", "Alipay", wallet, "WC", "WeChat Pay", wallet), Banks: bankList("102", "INDUSTRIAL AND COMMERCIAL BANK OF CHINA", "105", "CHINA CONSTRUCTION BANK")},
	"HK": {Name: "Hong Kong", Currency: "HKD", Rate: 7.8, Inferred: true, Methods: methodList("FP", "FPS", bankTransfer, "VI", "Visa", creditCard), Banks: bankList("004", "HSBC", "012", "BANK OF CHINA (HONG KONG)")},
	"IN": {Name: "India", Currency: "INR", Rate: 83, Inferred: true, Methods: methodList("UI", "UPI", bankTransfer, "NB", "Net Banking", bankTransfer, "IM", "IMPS", bankTransfer), Banks: bankList("001", "STATE BANK OF INDIA", "002", "HDFC BANK", "003", "ICICI BANK"),
		States: stateList("MH", "Maharashtra", "DL", "Delhi", "KA", "Karnataka")},
	"ID": {Name: "Indonesia", Currency: "IDR", Rate: 15700, Inferred: true, Methods: methodList("VA", "Virtual Account", bankTransfer, "OV", "OVO", wallet, "DA", "DANA", wallet), Banks: bankList("014", "BANK CENTRAL ASIA", "008", "BANK MANDIRI")},
	"JP": {Name: "Japan", Currency: "JPY", Rate: 150, Inferred: true, Methods: methodList("JB", "Bank transfer", bankTransfer, "KO", "Konbini", voucher), Banks: bankList("0005", "MUFG BANK", "0009", "SUMITOMO MITSUI BANKING")},
	"MY": {Name: "Malaysia", Currency: "MYR", Rate: 4.7, Inferred: true, Methods: methodList("FX", "FPX", bankTransfer, "DN", "DuitNow", bankTransfer), Banks: bankList("001", "MAYBANK", "002", "CIMB BANK")},
	"PK": {Name: "Pakistan", Currency: "PKR", Rate: 280, Inferred: true, Methods: methodList("JC", "JazzCash", wallet, "EP", "Easypaisa", wallet), Banks: bankList("001", "HABIB BANK", "002", "MEEZAN BANK")},
	"TH": {Name: "Thailand", Currency: "THB", Rate: 36, Inferred: true, Methods: methodList("PP", "PromptPay", bankTransfer, "TM", "TrueMoney", wallet), Banks: bankList("002", "BANGKOK BANK", "004", "KASIKORNBANK")},
	"TR": {Name: "Turkey", Currency: "TRY", Rate: 32, Inferred: true, Methods: methodList("PA", "Papara", wallet, "HV", "Havale/EFT", bankTransfer), Banks: bankList("0010", "ZIRAAT BANKASI", "0062", "GARANTI BBVA")},
	"VN": {Name: "Vietnam", Currency: "VND", Rate: 24500, Inferred: true, Methods: methodList("VQ", "VietQR", bankTransfer, "MO", "MoMo", wallet), Banks: bankList("001", "VIETCOMBANK", "002", "TECHCOMBANK")},
	"PH": {Name: "Philippines", Currency: "PHP", Rate: 56, Inferred: true, Methods: methodList("GC", "GCash", wallet, "PM", "PayMaya", wallet), Banks: bankList("001", "BDO UNIBANK", "002", "BANK OF THE PHILIPPINE ISLANDS")},
	"SG": {Name: "Singapore", Currency: "SGD", Rate: 1.35, Inferred: true, Methods: methodList("PN", "PayNow", bankTransfer), Banks: bankList("7171", "DBS BANK", "7339", "OCBC BANK")},

	// Oceania — cashout validations only in the docs.
	"AU": {Name: "Australia", Currency: "AUD", Rate: 1.52, Inferred: true, Methods: methodList("PI", "PayID", bankTransfer), Banks: bankList("012", "ANZ", "062", "COMMONWEALTH BANK")},
}

// isoCountries are the ISO 3166-1 alpha-2 codes, to tell a code that is
// not a country from a country D24 does not serve.
var isoCountries = func() map[string]bool {
	const codes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
		"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
		"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
		"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
		"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
		"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
		"UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
	out := map[string]bool{}
	for _, c := range strings.Fields(codes) {
		out[c] = true
	}
	return out
}()
