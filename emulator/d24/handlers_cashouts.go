package d24

import (
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// cashoutIDBase makes cashout ids look like the real ones ("8405147").
const cashoutIDBase = 8400000

type cashoutRequest struct {
	ExternalID          string `json:"external_id"`
	Country             string `json:"country"`
	Currency            string `json:"currency"`
	Amount              Amount `json:"amount"`
	DocumentID          string `json:"document_id"`
	DocumentType        string `json:"document_type"`
	BeneficiaryName     string `json:"beneficiary_name"`
	BeneficiaryLastname string `json:"beneficiary_lastname"`
	BankCode            string `json:"bank_code"`
	BankAccount         string `json:"bank_account"`
	BankBranch          string `json:"bank_branch"`
	AccountType         string `json:"account_type"`
	Email               string `json:"email"`
	Phone               string `json:"phone"`
	NotificationURL     string `json:"notification_url"`
	Comments            string `json:"comments"`
	OnHold              bool   `json:"on_hold"`
}

// cashoutSchema is how the cashout fields are read (lenient.go):
// bank_code is a number in the OpenAPI and a string ("001") in every
// example, so both are read as its text.
var cashoutSchema = schema{
	"login": kString, "pass": kString, "external_id": kText, "country": kString, "currency": kString, "amount": kNumber,
	"document_id": kText, "document_type": kString, "beneficiary_name": kString, "beneficiary_lastname": kString,
	"bank_code": kText, "bank_account": kText, "bank_branch": kText, "account_type": kString,
	"email": kString, "phone": kText, "notification_url": kString, "comments": kString, "on_hold": kBool,
}

// bankCode is the request's bank_code as the country lists it (1, "1"
// and "001" are the same bank), or as sent when the country does not
// list it.
func (in *cashoutRequest) bankCode() string {
	code := strings.TrimSpace(in.BankCode)
	if b, ok := countries[in.Country].bank(code); ok {
		return b.Code
	}
	return code
}

// errCountryNotAvailable is the documented 518.
var errCountryNotAvailable = &CashoutError{HTTP: 412, Code: 518, Message: "Country not available"}

func (in *cashoutRequest) validate(code string) error {
	c, known := countries[in.Country]
	switch {
	case in.ExternalID == "" || len(in.ExternalID) > 100:
		return invalidParam("external_id", "(required, at most 100 characters)")
	case in.Country == "" || !isoCountries[in.Country]:
		return invalidParam("country", "(an ISO-3166 alpha-2 country code)")
	case !known:
		return errCountryNotAvailable
	case in.Currency != "" && !c.currencyOK(in.Currency):
		return &CashoutError{HTTP: 412, Code: 526, Message: "Invalid currency"}
	case in.Amount.Bad || !in.Amount.Set || in.Amount.Value <= 0 || !twoDecimals(in.Amount.Value):
		return invalidParam("amount", "(a positive number with at most 2 decimals)")
	case in.DocumentID == "":
		return invalidParam("document_id", "(required)")
	case in.BeneficiaryName == "" || len(in.BeneficiaryName) > 100 || len(in.BeneficiaryLastname) > 100:
		return invalidParam("beneficiary_name", "(required, at most 100 characters)")
	case in.NotificationURL == "":
		return invalidParam("notification_url", "(required)")
	case len(in.Comments) > 200:
		return invalidParam("comments", "(at most 200 characters)")
	}
	if problem := documentProblem(in.Country, in.DocumentID, in.DocumentType); problem != "" {
		return invalidParam("document_id", problem)
	}
	pix := in.Country == "BR" && pixBankCode(code)
	if code != "" && !pix && c.StrictBanks && !c.hasBank(code) {
		return errCashoutBankCode
	}
	if (in.Country == "CL" || in.Country == "BR" || in.Country == "CO") && code == "" {
		return errCashoutBankCode
	}
	if len(in.AccountType) > 1 || in.AccountType != "" && !strings.Contains("CSVM", in.AccountType) {
		return invalidParam("account_type", "(C, S, V or M)")
	}
	if !pix {
		if problem := bankAccountProblem(in.Country, code, in.BankAccount); problem != "" {
			return &CashoutError{HTTP: 400, Code: 300, Message: "bankAccount: Invalid or missing Bank account"}
		}
	}
	return nil
}

// errDebitCardHost: MX debit-card numbers are paid out by the card host.
var errDebitCardHost = &CashoutError{HTTP: 400, Code: 300, Message: "bankAccount: debit card numbers must be sent to the card host (cc-api…/v3/cashout)"}

// validateDebitCard is the card host's rule (§2.3 C6): an MX cashout to a
// Luhn-valid 15–16-digit debit card with the card's bank_code.
func (in *cashoutRequest) validateDebitCard(code string) error {
	if in.Country != "MX" {
		return errCountryNotAvailable
	}
	if code == "" || !countries["MX"].hasBank(code) {
		return errCashoutBankCode
	}
	n := len(in.BankAccount)
	if n < 15 || n > 16 || !digitsRE.MatchString(in.BankAccount) || !luhn(in.BankAccount) {
		return &CashoutError{HTTP: 400, Code: 300, Message: "bankAccount: Invalid or missing debit card number"}
	}
	return nil
}

func (p *Provider) createCashout(req *platform.Request) (any, error) {
	return p.newCashout(req, false)
}

func (p *Provider) createCardCashout(req *platform.Request) (any, error) {
	return p.newCashout(req, true)
}

// newCashout creates a cashout on the main host (bank accounts) or the
// card host (MX debit cards).
func (p *Provider) newCashout(req *platform.Request, cardHost bool) (any, error) {
	var in cashoutRequest
	if err := decodeCashout(req.Body, cashoutSchema, &in); err != nil {
		return nil, err
	}
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	code := in.bankCode()
	if cardHost {
		if err := in.validateDebitCard(code); err != nil {
			return nil, err
		}
	}
	if err := in.validate(code); err != nil {
		return nil, err
	}
	if !cardHost && in.Country == "MX" && !validCLABE(in.BankAccount) {
		return nil, errDebitCardHost
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		var existing string
		if ok, err := tx.Records().Get(kindCashoutEx, in.ExternalID, &existing); err != nil {
			return nil, err
		} else if ok {
			return nil, errCashoutExternalID
		}
		seq, err := tx.Records().NextSeq(kindCashout)
		if err != nil {
			return nil, err
		}
		c := Cashout{CashoutID: strconv.FormatInt(cashoutIDBase+int64(seq), 10), ExternalID: in.ExternalID, Country: in.Country,
			Currency: in.Currency, Amount: in.Amount.Value, Status: cashoutPending, BankCode: code,
			Comments: in.Comments, NotificationURL: in.NotificationURL, Document: in.DocumentID, Created: tx.Now()}
		if c.Currency == "" {
			c.Currency = countries[in.Country].Currency
		}
		if in.OnHold {
			c.Status = cashoutOnHold
		}
		if err := tx.Records().Put(kindCashout, c.CashoutID, c); err != nil {
			return nil, err
		}
		if err := tx.Records().Put(kindCashoutEx, c.ExternalID, c.CashoutID); err != nil {
			return nil, err
		}
		if err := tx.Publish(platform.Event{Name: "cashout.created", Kind: kindCashout, ID: c.CashoutID, Fields: cashoutFields(&c, &in, code, cardHost)}); err != nil {
			return nil, err
		}
		return map[string]any{"cashout_id": c.CashoutID}, nil
	})
}

// cashoutRef names a cashout by id and/or external id.
type cashoutRef struct {
	CashoutID  Amount `json:"cashout_id"`
	ExternalID string `json:"external_id"`
	Status     string `json:"status"`
}

func (r cashoutRef) id() string {
	if !r.CashoutID.Set {
		return ""
	}
	return strconv.FormatInt(int64(r.CashoutID.Value), 10)
}

// find loads the cashout named by ref (both given: they must agree).
func findCashout(tx *platform.Tx, ref cashoutRef) (Cashout, error) {
	var c Cashout
	id := ref.id()
	if id == "" {
		var byExt string
		ok, err := tx.Records().Get(kindCashoutEx, ref.ExternalID, &byExt)
		if err != nil {
			return c, err
		}
		if !ok {
			return c, errCashoutNotFound
		}
		id = byExt
	}
	ok, err := tx.Records().Get(kindCashout, id, &c)
	if err != nil {
		return c, err
	}
	if !ok || (ref.ExternalID != "" && ref.ExternalID != c.ExternalID) {
		return c, errCashoutNotFound
	}
	return c, nil
}

// cashoutRefSchema is how the status, update and cancel bodies are read.
var cashoutRefSchema = schema{"login": kString, "pass": kString, "cashout_id": kInteger, "external_id": kText, "status": kString}

func parseRef(body []byte) (cashoutRef, error) {
	var ref cashoutRef
	err := decodeCashout(body, cashoutRefSchema, &ref)
	return ref, err
}

func (p *Provider) cashoutStatus(req *platform.Request) (any, error) {
	ref, err := parseRef(req.Body)
	if err != nil {
		return nil, err
	}
	if ref.id() == "" && ref.ExternalID == "" {
		return nil, invalidParam("cashout_id", "(cashout_id or external_id is required)")
	}
	var c Cashout
	err = req.View(func(tx *platform.Tx) error {
		c, err = findCashout(tx, ref)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c.statusView(), nil
}

func (p *Provider) updateCashoutStatus(req *platform.Request) (any, error) {
	ref, err := parseRef(req.Body)
	if err != nil {
		return nil, err
	}
	target, ok := map[string]int{"PENDING": cashoutPending, "ON_HOLD": cashoutOnHold}[strings.ToUpper(ref.Status)]
	if !ok {
		return nil, invalidParam("status", "(PENDING or ON_HOLD)")
	}
	if ref.id() == "" && ref.ExternalID == "" {
		return nil, invalidParam("cashout_id", "(required)")
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		c, err := findCashout(tx, ref)
		if err != nil {
			return nil, err
		}
		if c.Status != cashoutPending && c.Status != cashoutOnHold {
			return nil, errCashoutTransition
		}
		c.Status, c.Updated = target, tx.Now()
		if err := tx.Records().Put(kindCashout, c.CashoutID, c); err != nil {
			return nil, err
		}
		return c.statusView(), nil
	})
}

func (p *Provider) cancelCashout(req *platform.Request) (any, error) {
	ref, err := parseRef(req.Body)
	if err != nil {
		return nil, err
	}
	if ref.id() == "" {
		return nil, invalidParam("cashout_id", "(required)")
	}
	if ref.ExternalID == "" {
		return nil, invalidParam("external_id", "(required)")
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		c, err := findCashout(tx, ref)
		if err != nil {
			return nil, err
		}
		if c.Status != cashoutPending && c.Status != cashoutOnHold {
			return nil, errCashoutTransition
		}
		if err := p.setCashoutStatus(tx, c.CashoutID, "CANCELLED", nil); err != nil {
			return nil, err
		}
		return map[string]any{"cashout_status": cashoutCancelled, "cashout_status_description": cashoutDescriptions[cashoutCancelled]}, nil
	})
}

// cashoutFields is what cashout.created carries.
func cashoutFields(c *Cashout, in *cashoutRequest, code string, cardHost bool) map[string]any {
	return map[string]any{
		"amount": c.Amount, "country": c.Country, "currency": c.Currency, "external_id": c.ExternalID,
		"bank_code": code, "beneficiary_name": in.BeneficiaryName, "comments": in.Comments, "on_hold": in.OnHold, "debit_card": cardHost,
	}
}
