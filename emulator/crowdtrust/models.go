package crowdtrust

import "time"

// Record kinds in the store.
const (
	kindAccount = "account"
	kindAPIKey  = "apikey"
	kindCheck   = "check"
	kindEmail   = "email"
	kindToken   = "tos_token"
)

// mainAccount is the id of a tenant's own account, whose key pairs are the
// tenant's credentials.
const mainAccount = "main"

// Check statuses.
const (
	StatusPending         = "Pending"
	StatusComplete        = "Complete"
	StatusCompleteWorkHis = "Complete with Work History"
	StatusError           = "Error"
)

// Account is a Bad Actor User: its LIVE and TEST key pairs, webhook and
// billing. The tenant's own account ("main") takes its keys from the
// tenant's credentials.
type Account struct {
	ID               string    `json:"id"`
	Email            string    `json:"email,omitempty"`
	OrganizationName string    `json:"organizationName,omitempty"`
	Webhook          string    `json:"webhook,omitempty"`
	FirstName        string    `json:"firstName,omitempty"`
	LastName         string    `json:"lastName,omitempty"`
	Phone            string    `json:"phone,omitempty"`
	APIKey           string    `json:"apiKey,omitempty"`
	SecretKey        string    `json:"secretKey,omitempty"`
	TestAPIKey       string    `json:"testApiKey,omitempty"`
	TestSecretKey    string    `json:"testSecretKey,omitempty"`
	LiveBilling      *Billing  `json:"liveBilling,omitempty"`
	TestBilling      *Billing  `json:"testBilling,omitempty"`
	Created          time.Time `json:"created"`
}

// AccountKeys is the answer of POST /bacapi/account.
type AccountKeys struct {
	APIKey        string `json:"apiKey"`
	SecretKey     string `json:"secretKey"`
	TestAPIKey    string `json:"testApiKey"`
	TestSecretKey string `json:"testSecretKey"`
}

// apiKeyRecord maps an API key of a created account to the account.
type apiKeyRecord struct {
	Account string `json:"account"`
	Env     string `json:"env"`
}

// Billing is what is kept of a card: never its number or cvc.
type Billing struct {
	Name           string `json:"name"`
	Brand          string `json:"brand"`
	Last4          string `json:"last4"`
	ExpMonth       int    `json:"exp_month"`
	ExpYear        int    `json:"exp_year"`
	AddressLine1   string `json:"address_line1"`
	AddressLine2   string `json:"address_line2,omitempty"`
	AddressCity    string `json:"address_city"`
	AddressState   string `json:"address_state"`
	AddressZip     string `json:"address_zip"`
	AddressCountry string `json:"address_country"`
}

// WorkHistory is one job of the check's subject.
type WorkHistory struct {
	Company   string `json:"company"`
	Title     string `json:"title"`
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
}

// HomeAddress is one home address of the check's subject.
type HomeAddress struct {
	Address1 string `json:"address1"`
	Address2 string `json:"address2"`
	City     string `json:"city"`
	State    string `json:"state"`
	Zip      string `json:"zip"`
}

// CheckView is the check object exactly as the API returns it, with the
// real service's string typing ("1253", "true", "null") and the SSN masked.
type CheckView struct {
	SearchID               string        `json:"searchId"`
	Status                 string        `json:"status"`
	BadActorCheckPass      string        `json:"badActorCheckPass"`
	FirstName              string        `json:"firstName"`
	LastName               string        `json:"lastName"`
	SSN                    string        `json:"ssn"`
	DateOfBirth            string        `json:"dateOfBirth"`
	RegulationType         string        `json:"regulationType"`
	DisqualifyingEventDate string        `json:"disqualifyingEventDate"`
	WorkHistory            []WorkHistory `json:"workHistory"`
	HomeAddresses          []HomeAddress `json:"homeAddresses"`
}

// Check is a stored check: the API view plus what the service keeps about
// it. The full SSN is never stored, only its masked form and last four.
type Check struct {
	CheckView
	Account      string     `json:"account"`
	Env          string     `json:"env"`
	PlatformName string     `json:"platformName"`
	SSNLast4     string     `json:"ssnLast4"`
	Created      time.Time  `json:"created"`
	Completed    *time.Time `json:"completed,omitempty"`
	Reference    string     `json:"reference"`
}

// complete reports whether the check completed with a pass/fail result.
func (c *Check) complete() bool {
	return c.Status == StatusComplete || c.Status == StatusCompleteWorkHis
}

// Email is a message the service sent, captured for the control API.
type Email struct {
	ID      string    `json:"id"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	Account string    `json:"account"`
	Sent    time.Time `json:"sent"`
}

// TosToken is a terms-of-service token issued through the control API.
type TosToken struct {
	Token   string     `json:"token"`
	Issued  time.Time  `json:"issued"`
	Used    *time.Time `json:"used,omitempty"`
	Account string     `json:"account,omitempty"`
}
