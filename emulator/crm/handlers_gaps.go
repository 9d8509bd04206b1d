package crm

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// The endpoints of this file are in the docs' menu but their pages could
// not be retrieved: paths follow the API's own conventions, bodies and
// answers the shapes of their documented siblings. Their routes are marked
// inferred (X-Fakeprovider-Inferred), and the README says what was chosen.

// passwordHash is what a client's password is kept as: salted with the
// client id, so equal passwords of two clients differ.
func passwordHash(userID, password string) string {
	sum := sha256.Sum256([]byte(userID + "\x00" + password))
	return hex.EncodeToString(sum[:])
}

type credentialsBody struct {
	UserID   string `json:"user_id"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// validateCredentials is Validate User's Credentials:
// POST /public/v1/users/validate {email|user_id, password} →
// 200 {"id","email","valid"}; an unknown client is 400 user_not_found.
func (p *Provider) validateCredentials(req *platform.Request) (any, error) {
	var b credentialsBody
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	var bad problems
	if b.Email == "" && b.UserID == "" {
		bad.add(invalid("email or user_id is required"))
	}
	if b.Password == "" {
		bad.add(invalid("password is required"))
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	var out map[string]any
	err := req.View(func(tx *platform.Tx) error {
		u, _, err := findUser(tx, lineBody{UserID: b.UserID, Email: b.Email})
		if err != nil {
			return err
		}
		want := passwordHash(u.ID, b.Password)
		valid := u.PasswordHash != "" && subtle.ConstantTimeCompare([]byte(want), []byte(u.PasswordHash)) == 1
		out = map[string]any{"id": u.ID, "email": u.Email, "valid": valid}
		return nil
	})
	return out, err
}

// Lead is a prospect created with Create Lead.
type Lead struct {
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	FirstName    string         `json:"first_name,omitempty"`
	LastName     string         `json:"last_name,omitempty"`
	Email        string         `json:"email"`
	Phone        Phone          `json:"phone"`
	Country      string         `json:"country,omitempty"`
	Language     string         `json:"language,omitempty"`
	Source       string         `json:"source,omitempty"`
	ReferrerID   string         `json:"referrer_id,omitempty"`
	Comment      string         `json:"comment,omitempty"`
	CustomFields map[string]any `json:"custom_fields,omitempty"`
	CreatedAt    string         `json:"created_at"`
}

type leadBody struct {
	Name         string         `json:"name"`
	FirstName    string         `json:"first_name"`
	LastName     string         `json:"last_name"`
	Email        string         `json:"email"`
	Phone        *Phone         `json:"phone"`
	Country      string         `json:"country"`
	Language     string         `json:"language"`
	Source       string         `json:"source"`
	LeadSource   string         `json:"lead_source"`
	ReferrerID   string         `json:"referrer_id"`
	Comment      string         `json:"comment"`
	CustomFields map[string]any `json:"custom_fields"`
}

// createLead is Create Lead: POST /public/v1/leads/create → 201 {"id"},
// like Create Client. The lead is stored; GET /_fakeprovider/crm/leads
// lists them.
func (p *Provider) createLead(req *platform.Request) (any, error) {
	var b leadBody
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	// The page's fields are unknown: nothing is required; language is the
	// documented code list wherever it appears.
	if err := checkLanguage(b.Language); err != nil {
		return nil, err
	}
	lead := Lead{ID: newID(), Name: b.Name, FirstName: b.FirstName, LastName: b.LastName, Email: b.Email,
		Country: b.Country, Language: b.Language, Source: b.Source, ReferrerID: b.ReferrerID,
		Comment: b.Comment, CustomFields: b.CustomFields}
	if lead.Source == "" {
		lead.Source = b.LeadSource
	}
	if b.Phone != nil {
		lead.Phone = *b.Phone
	}
	if lead.Name == "" {
		lead.Name = strings.TrimSpace(b.FirstName + " " + b.LastName)
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		lead.CreatedAt = formatTime(tx.Now())
		if err := tx.Records().Put(kindLead, lead.ID, lead); err != nil {
			return nil, err
		}
		return platform.Created(map[string]string{"id": lead.ID}), nil
	})
}

// country is an entry of Get Countries.
type country struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	PhoneCode string `json:"phone_code"`
}

// region is an entry of Get States (Code set) or Get Cities.
type region struct {
	Code    string `json:"code,omitempty"`
	Name    string `json:"name"`
	State   string `json:"state,omitempty"`
	Country string `json:"country"`
}

// countries is Get Countries: GET /public/v1/configurations/countries → a
// bare array.
func (p *Provider) countries(*platform.Request) (any, error) { return countryList, nil }

// states is Get States: GET /public/v1/configurations/states?country=US.
// A country without listed states answers [].
func (p *Provider) states(req *platform.Request) (any, error) {
	c := strings.ToUpper(strings.TrimSpace(req.URL.Query().Get("country")))
	if c == "" {
		return nil, invalid("country is required")
	}
	out := []region{}
	for _, s := range stateList[c] {
		out = append(out, region{Code: s[0], Name: s[1], Country: c})
	}
	return out, nil
}

// cities is Get Cities: GET /public/v1/configurations/cities?country=US&state=CA.
func (p *Provider) cities(req *platform.Request) (any, error) {
	q := req.URL.Query()
	c := strings.ToUpper(strings.TrimSpace(q.Get("country")))
	st := strings.ToUpper(strings.TrimSpace(q.Get("state")))
	var bad problems
	if c == "" {
		bad.add(invalid("country is required"))
	}
	if st == "" {
		bad.add(invalid("state is required"))
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	out := []region{}
	for _, name := range cityList[c+"-"+st] {
		out = append(out, region{Name: name, State: st, Country: c})
	}
	return out, nil
}

// kycForms is Get User Kyc Form Collections:
// GET /public/v1/form/kyc/collections → the KYC forms of the tenant.
func (p *Provider) kycForms(*platform.Request) (any, error) {
	return []map[string]any{{"id": KYCFormID, "type": "kyc", "name": label("Individual KYC"), "default": true}}, nil
}

// kycFormByID is Get User Kyc Form: GET /public/v1/form/kyc/{id}, in the
// shape of Get Trader Registration Form. An unknown form is 400
// form_not_found.
func (p *Provider) kycFormByID(req *platform.Request) (any, error) {
	if req.Var("id") != KYCFormID {
		return nil, errFormNotFound
	}
	return kycForm(), nil
}

var errFormNotFound = apiErr(400, "form_not_found")

// accountTypes is Get CRM Trading Account Types:
// GET /public/v1/tradingAccounts/types → a bare array; their ids are the
// account_type_id of Create MT4/MT5 Account.
func (p *Provider) accountTypes(*platform.Request) (any, error) { return accountTypeList, nil }

type accountType struct {
	ID              string            `json:"id"`
	Name            map[string]string `json:"name"`
	Platform        string            `json:"platform"`
	ConnectionID    string            `json:"connection_id"`
	Group           string            `json:"group"`
	Currency        string            `json:"currency"`
	Leverages       []int             `json:"leverages"`
	DefaultLeverage int               `json:"default_leverage"`
	Demo            bool              `json:"demo"`
}

var accountTypeList = []accountType{
	{"mt4stdac", label("MT4 Standard"), "mt4", MT4ConnectionID, `demo\USD`, "USD", []int{50, 100, 200, 500}, 100, true},
	{"mt5stdac", label("MT5 Standard"), "mt5", MT5ConnectionID, `real\USD`, "USD", []int{50, 100, 200, 500}, 100, false},
	{"mt5proac", label("MT5 Pro EUR"), "mt5", MT5ConnectionID, `real\PROEUR`, "EUR", []int{100, 200}, 100, false},
	{"ctrstdac", label("cTrader Standard"), "ctrader", CTraderConnectionID, "Standard", "USD", []int{100, 200, 500}, 200, true},
}
