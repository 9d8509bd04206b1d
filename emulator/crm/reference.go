package crm

// Reference data of Get Countries, Get States and Get Cities. The real lists
// are the tenant's configuration and their pages could not be retrieved:
// these are real ISO 3166 codes, dialling codes and subdivisions, a subset.

var countryList = []country{
	{"AE", "United Arab Emirates", "+971"}, {"AR", "Argentina", "+54"}, {"AU", "Australia", "+61"},
	{"BR", "Brazil", "+55"}, {"CA", "Canada", "+1"}, {"CH", "Switzerland", "+41"}, {"CL", "Chile", "+56"},
	{"CN", "China", "+86"}, {"CO", "Colombia", "+57"}, {"CY", "Cyprus", "+357"}, {"DE", "Germany", "+49"},
	{"ES", "Spain", "+34"}, {"FR", "France", "+33"}, {"GB", "United Kingdom", "+44"}, {"HK", "Hong Kong", "+852"},
	{"ID", "Indonesia", "+62"}, {"IN", "India", "+91"}, {"IT", "Italy", "+39"}, {"JP", "Japan", "+81"},
	{"KR", "South Korea", "+82"}, {"MX", "Mexico", "+52"}, {"MY", "Malaysia", "+60"}, {"NG", "Nigeria", "+234"},
	{"NL", "Netherlands", "+31"}, {"PE", "Peru", "+51"}, {"PH", "Philippines", "+63"}, {"SG", "Singapore", "+65"},
	{"TH", "Thailand", "+66"}, {"TW", "Taiwan", "+886"}, {"US", "United States", "+1"}, {"VN", "Vietnam", "+84"},
	{"ZA", "South Africa", "+27"},
}

// stateList maps a country code to its subdivisions (ISO 3166-2 code
// without the country, name).
var stateList = map[string][][2]string{
	"US": {{"CA", "California"}, {"FL", "Florida"}, {"IL", "Illinois"}, {"NY", "New York"}, {"TX", "Texas"}, {"WA", "Washington"}},
	"AU": {{"NSW", "New South Wales"}, {"QLD", "Queensland"}, {"VIC", "Victoria"}, {"WA", "Western Australia"}},
	"CA": {{"AB", "Alberta"}, {"BC", "British Columbia"}, {"ON", "Ontario"}, {"QC", "Quebec"}},
	"CN": {{"BJ", "Beijing"}, {"GD", "Guangdong"}, {"SH", "Shanghai"}, {"ZJ", "Zhejiang"}},
	"MY": {{"10", "Selangor"}, {"14", "Kuala Lumpur"}, {"07", "Penang"}, {"01", "Johor"}},
	"TH": {{"10", "Bangkok"}, {"50", "Chiang Mai"}, {"83", "Phuket"}},
	"VN": {{"HN", "Ha Noi"}, {"SG", "Ho Chi Minh"}, {"DN", "Da Nang"}},
	"BR": {{"SP", "São Paulo"}, {"RJ", "Rio de Janeiro"}, {"MG", "Minas Gerais"}},
	"MX": {{"CMX", "Ciudad de México"}, {"JAL", "Jalisco"}, {"NLE", "Nuevo León"}},
	"GB": {{"ENG", "England"}, {"SCT", "Scotland"}, {"WLS", "Wales"}, {"NIR", "Northern Ireland"}},
}

// cityList maps "<country>-<state>" to some of its cities.
var cityList = map[string][]string{
	"US-CA":  {"Los Angeles", "San Diego", "San Francisco", "San Jose"},
	"US-FL":  {"Jacksonville", "Miami", "Orlando", "Tampa"},
	"US-IL":  {"Chicago", "Springfield"},
	"US-NY":  {"Buffalo", "New York", "Rochester"},
	"US-TX":  {"Austin", "Dallas", "Houston", "San Antonio"},
	"US-WA":  {"Seattle", "Spokane", "Tacoma"},
	"AU-NSW": {"Newcastle", "Sydney", "Wollongong"},
	"AU-QLD": {"Brisbane", "Cairns", "Gold Coast"},
	"AU-VIC": {"Geelong", "Melbourne"},
	"AU-WA":  {"Perth"},
	"CA-AB":  {"Calgary", "Edmonton"},
	"CA-BC":  {"Vancouver", "Victoria"},
	"CA-ON":  {"Ottawa", "Toronto"},
	"CA-QC":  {"Montreal", "Quebec City"},
	"CN-GD":  {"Guangzhou", "Shenzhen", "Dongguan"},
	"CN-ZJ":  {"Hangzhou", "Ningbo"},
	"MY-10":  {"Petaling Jaya", "Shah Alam", "Subang Jaya"},
	"MY-07":  {"George Town"},
	"MY-01":  {"Johor Bahru"},
	"TH-50":  {"Chiang Mai"},
	"TH-83":  {"Phuket"},
	"VN-DN":  {"Da Nang"},
	"BR-SP":  {"Campinas", "São Paulo", "Santos"},
	"BR-RJ":  {"Niterói", "Rio de Janeiro"},
	"BR-MG":  {"Belo Horizonte", "Uberlândia"},
	"MX-JAL": {"Guadalajara", "Zapopan"},
	"MX-NLE": {"Monterrey"},
	"GB-ENG": {"Birmingham", "London", "Manchester"},
	"GB-SCT": {"Edinburgh", "Glasgow"},
	"GB-WLS": {"Cardiff", "Swansea"},
	"GB-NIR": {"Belfast"},
}
