package d24

import (
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/lazyre"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Record kinds of the validation APIs; each call is kept so scenarios can
// decide its outcome inside the call's own transaction.
const (
	kindKYC          = "kyc"
	kindAccountCheck = "account_check"
)

// Check is a stored KYC or bank-account validation: the outcome a
// scenario may change before the call answers.
type Check struct {
	ID         string    `json:"id"`
	Country    string    `json:"country"`
	Status     string    `json:"status"` // APPROVED / REJECTED (KYC), VALID / INVALID (accounts)
	ReasonCode int       `json:"reason_code,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Created    time.Time `json:"created"`
}

// kycRequest is POST /v1/kyc.
type kycRequest struct {
	Country      string       `json:"country"`
	Document     string       `json:"document"`
	DocumentType string       `json:"document_type"`
	FirstName    string       `json:"first_name"`
	LastName     string       `json:"last_name"`
	Phone        string       `json:"phone"`
	Email        string       `json:"email"`
	BankAccount  *BankAccount `json:"bank_account"`
	UserIP       string       `json:"user_ip"`
}

// kycSchema is how the KYC fields are read (lenient.go).
var kycSchema = schema{
	"country": kString, "document": kText, "document_type": kString, "first_name": kString, "last_name": kString,
	"phone": kText, "email": kString, "bank_account": kObject, "user_ip": kString,
}.with("bank_account", bankAccountSchema)

var (
	emailRE = lazyre.New(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	phoneRE = lazyre.New(`^\+?\d{8,15}$`)
)

// kycRejected is the answer of a KYC check that failed: the reason code
// table of the USER_REJECTED_KYC_CHECK type starts at 101.
func kycRejected(code int, reason string) *APIError {
	if code == 0 {
		code = 101
	}
	if reason == "" {
		reason = "User rejected by KYC check"
	}
	return &APIError{HTTP: 400, Code: code, Description: reason, Type: "USER_REJECTED_KYC_CHECK"}
}

func (p *Provider) kyc(req *platform.Request) (any, error) {
	var in kycRequest
	if err := decodeDepositFamily(req.Body, kycSchema, &in); err != nil {
		return nil, err
	}
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	var details []string
	if problem := countryProblem(in.Country); problem != "" {
		details = append(details, problem)
	}
	if in.Document == "" && in.Email == "" && in.Phone == "" && in.BankAccount == nil {
		details = append(details, "document, email, phone or bank_account: at least one is required")
	}
	if in.Email != "" && (!emailRE.MatchString(in.Email) || len(in.Email) > 100) {
		details = append(details, "email: must be a valid email address")
	}
	if in.Phone != "" && !phoneRE.MatchString(strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(in.Phone)) {
		details = append(details, "phone: must have 8 to 15 digits")
	}
	if in.UserIP != "" && net.ParseIP(in.UserIP) == nil {
		details = append(details, "user_ip: must be a valid IPv4 or IPv6 address")
	}
	if len(details) == 0 && in.BankAccount != nil {
		if problem := bankAccountProblem(in.Country, in.BankAccount.BankCode, in.BankAccount.AccountNumber); problem != "" {
			details = append(details, "bank_account: "+problem)
		}
	}
	if len(details) > 0 {
		return nil, validation(details...)
	}
	if problem := documentProblem(in.Country, in.Document, in.DocumentType); problem != "" {
		return nil, &APIError{HTTP: 400, Code: 411, Description: "Invalid user document: " + problem, Type: "INVALID_USER_DOCUMENT"}
	}
	ck, err := p.runCheck(req, kindKYC, "kyc.created", "APPROVED", in.Country, kycFields(&in))
	if err != nil {
		return nil, err
	}
	if ck.Status == "REJECTED" {
		return nil, kycRejected(ck.ReasonCode, ck.Reason)
	}
	return map[string]any{"description": "Valid account"}, nil
}

// runCheck stores a check with its default outcome, publishes its event
// and returns it as the scenarios left it: a scenario's leading steps run
// inside the publishing transaction, so they decide this very answer.
func (p *Provider) runCheck(req *platform.Request, kind, event, status, cc string, fields map[string]any) (Check, error) {
	var ck Check
	err := req.Update(func(tx *platform.Tx) error {
		seq, err := tx.Records().NextSeq(kind)
		if err != nil {
			return err
		}
		ck = Check{ID: strconv.FormatUint(seq, 10), Country: cc, Status: status, Created: tx.Now()}
		if err := tx.Records().Put(kind, ck.ID, ck); err != nil {
			return err
		}
		if err := tx.Publish(platform.Event{Name: event, Kind: kind, ID: ck.ID, Fields: fields}); err != nil {
			return err
		}
		_, err = tx.Records().Get(kind, ck.ID, &ck)
		return err
	})
	return ck, err
}

// checkStatuses are the outcomes a scenario may give each check kind.
var checkStatuses = map[string]map[string]bool{
	kindKYC:          {"APPROVED": true, "REJECTED": true},
	kindAccountCheck: {"VALID": true, "INVALID": true},
}

// setCheckStatus is the status target of KYC and account checks; fields
// may carry reason_code and reason.
func setCheckStatus(kind string) platform.StatusFunc {
	return func(tx *platform.Tx, id, status string, fields platform.Fields) error {
		status = strings.ToUpper(status)
		if !checkStatuses[kind][status] {
			return platform.BadControl("unknown %s status %q", kind, status)
		}
		var ck Check
		ok, err := tx.Records().Get(kind, id, &ck)
		if err != nil {
			return err
		}
		if !ok {
			return platform.ControlNotFound("no %s %s", kind, id)
		}
		ck.Status = status
		if rc, ok := fields.Int("reason_code"); ok {
			ck.ReasonCode = rc
		}
		if v, ok := fields["reason"].(string); ok {
			ck.Reason = v
		}
		return tx.Records().Put(kind, id, ck)
	}
}

// accountRequest is POST /v5/account/validate.
type accountRequest struct {
	Country      string `json:"country"`
	Document     string `json:"document"`
	DocumentType string `json:"document_type"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	BankAccount  *struct {
		BankCode    string `json:"bank_code"`
		Account     string `json:"account"`
		Branch      string `json:"branch"`
		AccountType string `json:"account_type"`
	} `json:"bank_account"`
	Amount   Amount `json:"amount"`
	Currency string `json:"currency"`
}

// accountSchema is how the account validation fields are read (lenient.go).
var accountSchema = schema{
	"country": kString, "document": kText, "document_type": kString, "first_name": kString, "last_name": kString,
	"bank_account": kObject, "amount": kNumber, "currency": kString,
}.with("bank_account", schema{"bank_code": kText, "account": kText, "branch": kText, "account_type": kString})

// accountRejected answers an account that is not valid, with the
// documented cashout rejection code and name of the cause.
func accountRejected(code int, detail string) *APIError {
	if _, ok := rejectionReasons[code]; !ok {
		code = 800
	}
	e := &APIError{HTTP: 400, Code: code, Description: "Invalid account", Type: rejectionReasons[code]}
	if detail != "" {
		e.Details = []string{detail}
	}
	return e
}

func (p *Provider) validateAccount(req *platform.Request) (any, error) {
	var in accountRequest
	if err := decodeDepositFamily(req.Body, accountSchema, &in); err != nil {
		return nil, err
	}
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	var details []string
	c, known := countries[in.Country]
	if problem := countryProblem(in.Country); problem != "" {
		details = append(details, problem)
	}
	if in.Document == "" {
		details = append(details, "document: required")
	}
	if in.DocumentType == "" {
		details = append(details, "document_type: required")
	}
	if in.BankAccount == nil || in.BankAccount.Account == "" {
		details = append(details, "bank_account.account: required")
	}
	if in.Amount.Bad {
		details = append(details, "amount: must be a number")
	}
	if in.Currency != "" && known && in.Currency != c.Currency && in.Currency != "USD" {
		details = append(details, "currency: must be "+c.Currency+" or USD for "+in.Country)
	}
	if len(details) > 0 {
		return nil, validation(details...)
	}
	ba := in.BankAccount
	code := strings.TrimSpace(ba.BankCode)
	if b, ok := c.bank(code); ok {
		code = b.Code // a number: 7 is "007"
	}
	if problem := documentProblem(in.Country, in.Document, in.DocumentType); problem != "" {
		return nil, accountRejected(805, "document: "+problem)
	}
	if code != "" && c.StrictBanks && !c.hasBank(code) || code == "" && (in.Country == "BR" || in.Country == "CL" || in.Country == "CO") {
		return nil, accountRejected(803, "bank_code: unknown or missing for "+in.Country)
	}
	if t := ba.AccountType; t != "" && (len(t) > 1 || !strings.Contains("CSVM", t)) {
		return nil, accountRejected(819, "account_type: C, S, V or M")
	}
	if problem := bankAccountProblem(in.Country, code, ba.Account); problem != "" {
		return nil, accountRejected(800, strings.Replace(problem, "bank_account", "bank_account.account", 1))
	}
	ck, err := p.runCheck(req, kindAccountCheck, "account_validation.created", "VALID", in.Country, accountFields(&in, code, ba.Account, ba.Branch))
	if err != nil {
		return nil, err
	}
	if ck.Status == "INVALID" {
		return nil, accountRejected(ck.ReasonCode, ck.Reason)
	}
	return map[string]any{"description": "Valid account"}, nil
}

var (
	pixPhoneRE = lazyre.New(`^\+55\d{10,11}$`)
	pixEVPRE   = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// maxPixKeys bounds one validation call.
const maxPixKeys = 100

// validPixKey checks a key of each Pix kind: CPF or CNPJ with their check
// digits, email (at most 77 characters), +55 phone, or a random (EVP) key.
func validPixKey(k string) bool {
	switch {
	case digitsRE.MatchString(k) && len(k) == 11:
		return validCPF(k)
	case digitsRE.MatchString(k) && len(k) == 14:
		return validCNPJ(k)
	case strings.HasPrefix(k, "+"):
		return pixPhoneRE.MatchString(k)
	case strings.Contains(k, "@"):
		return len(k) <= 77 && emailRE.MatchString(k)
	}
	return pixEVPRE.MatchString(k)
}

// validCNPJ checks a Brazilian CNPJ's two check digits.
func validCNPJ(d string) bool {
	if len(d) != 14 || !digitsRE.MatchString(d) || strings.Count(d, d[:1]) == 14 {
		return false
	}
	weights := []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	for n := 12; n <= 13; n++ {
		sum := 0
		for i := 0; i < n; i++ {
			sum += int(d[i]-'0') * weights[i+13-n]
		}
		check := 11 - sum%11
		if check >= 10 {
			check = 0
		}
		if check != int(d[n]-'0') {
			return false
		}
	}
	return true
}

func (p *Provider) validatePixKeys(req *platform.Request) (any, error) {
	var in []struct {
		Pix *string `json:"pix"`
	}
	if err := json.Unmarshal(req.Body, &in); err != nil {
		return nil, validation(`request body: must be an array of {"pix":"…"}`)
	}
	if len(in) == 0 || len(in) > maxPixKeys {
		return nil, validation("request body: 1 to " + itoa(maxPixKeys) + " keys")
	}
	out := make([]map[string]any, len(in))
	for i, k := range in {
		if k.Pix == nil {
			return nil, validation("[" + itoa(i) + "].pix: required")
		}
		out[i] = map[string]any{"pix": *k.Pix, "valid": validPixKey(*k.Pix)}
	}
	return out, nil
}

// kycFields is what kyc.created carries.
func kycFields(in *kycRequest) map[string]any {
	return map[string]any{"country": in.Country, "document": in.Document, "document_type": in.DocumentType,
		"first_name": in.FirstName, "last_name": in.LastName, "email": in.Email, "phone": in.Phone}
}

// accountFields is what account_validation.created carries.
func accountFields(in *accountRequest, code, account, branch string) map[string]any {
	return map[string]any{"country": in.Country, "document": in.Document, "first_name": in.FirstName, "last_name": in.LastName,
		"bank_account.bank_code": code, "bank_account.account": account, "bank_account.branch": branch}
}
