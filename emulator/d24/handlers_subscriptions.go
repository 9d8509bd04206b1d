package d24

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

const kindSubscription = "subscription"

// subscriptionIDBase makes subscription ids look like the documented ones.
const subscriptionIDBase = 1000

// planPeriods are the billing periods of the documented plans in scenario
// time; a month is 30 days and a year 365. TEST charges every minute, as
// the sandbox's TEST plan does.
var planPeriods = map[string]time.Duration{
	"DAILY": 24 * time.Hour, "WEEKLY": 7 * 24 * time.Hour, "MONTHLY": 30 * 24 * time.Hour,
	"ANNUALLY": 365 * 24 * time.Hour, "TEST": time.Minute,
}

// Subscription statuses.
const (
	subPending    = "PENDING" // waiting for the first payment on the checkout
	subActive     = "ACTIVE"
	subCancelled  = "CANCELLED"
	subTerminated = "TERMINATED" // the term's cycles are over without renewal
)

var (
	errSubscriptionNotFound  = &APIError{HTTP: 404, Code: 420, Description: "Subscription not found", Type: "SUBSCRIPTION_NOT_FOUND"}
	errSubscriptionCancelled = &APIError{HTTP: 400, Code: 421, Description: "Subscription already cancelled", Type: "SUBSCRIPTION_ALREADY_CANCELLED"}
	errSubscriptionEnded     = &APIError{HTTP: 400, Code: 426, Description: "Subscription is terminated", Type: "SUBSCRIPTION_TERMINATED"}
	errSubscriptionGeneric   = &APIError{HTTP: 400, Code: 501, Description: "Could not process the subscription request", Type: "GENERIC_ERROR"}
)

// subscriptionTerms is the subscription object of a creation.
type subscriptionTerms struct {
	StartDate   string          `json:"start_date"`
	Plan        string          `json:"plan"`
	PlanUnit    json.RawMessage `json:"plan_unit"`
	AutoRenewal bool            `json:"auto_renewal"`
}

// subscriptionRequest is POST /v3/subscriptions (OneShot).
type subscriptionRequest struct {
	depositRequest
	Subscription *subscriptionTerms `json:"subscription"`
	ClientIP     string             `json:"client_ip"`
}

// subscriptionSchema is how the subscription fields are read (lenient.go):
// Jackson sends start_date as [y,m,d].
var subscriptionSchema = depositSchema.with("subscription", schema{
	"start_date": kDate, "plan": kString, "plan_unit": kInteger, "auto_renewal": kBool,
}).with("", schema{"subscription": kObject, "client_ip": kString})

// Subscription is a stored subscription.
type Subscription struct {
	SubscriptionID  int64      `json:"subscription_id"`
	InvoiceID       string     `json:"merchant_invoice_id"`
	Status          string     `json:"status"`
	Country         string     `json:"country"`
	Currency        string     `json:"currency"`
	Amount          float64    `json:"amount"`
	USDAmount       float64    `json:"x_usd_amount"`
	Plan            string     `json:"plan"`
	PlanUnit        int        `json:"plan_unit"`
	AutoRenewal     bool       `json:"auto_renewal"`
	StartDate       string     `json:"start_date"`
	NextPaymentDate string     `json:"next_payment_date,omitempty"`
	Payments        int        `json:"payments"`
	Deposits        []int64    `json:"deposit_ids"`
	CreatedAt       string     `json:"created_at"`
	CancelledAt     string     `json:"cancelled_at,omitempty"`
	Payer           Payer      `json:"x_payer"`
	NotificationURL string     `json:"x_notification_url,omitempty"`
	Method          string     `json:"x_method,omitempty"`
	Created         time.Time  `json:"x_created"`
	Ended           *time.Time `json:"x_ended,omitempty"`
}

// view is GET /v3/subscriptions/{id}.
func (s *Subscription) view() map[string]any {
	v := map[string]any{
		"subscription_id": s.SubscriptionID, "merchant_invoice_id": s.InvoiceID, "status": s.Status,
		"country": s.Country, "currency": s.Currency, "amount": s.Amount, "plan": s.Plan, "plan_unit": s.PlanUnit,
		"auto_renewal": s.AutoRenewal, "start_date": s.StartDate, "payments": s.Payments, "deposit_ids": s.Deposits,
		"created_at": s.CreatedAt,
	}
	if s.NextPaymentDate != "" {
		v["next_payment_date"] = s.NextPaymentDate
	}
	if s.CancelledAt != "" {
		v["cancelled_at"] = s.CancelledAt
	}
	return v
}

// validate returns the terms' problems: a plan, a positive plan_unit (the
// number of charges in a term) and a start date not in the past.
func (t *subscriptionTerms) validate(today string) (int, []string) {
	var details []string
	if _, ok := planPeriods[t.Plan]; !ok {
		details = append(details, "subscription.plan: must be DAILY, WEEKLY, MONTHLY, ANNUALLY or TEST")
	}
	unit := 1
	if len(t.PlanUnit) > 0 && string(t.PlanUnit) != "null" {
		n, err := strconv.Atoi(strings.Trim(string(t.PlanUnit), `"`))
		if err != nil || n < 1 || n > 1000 {
			details = append(details, "subscription.plan_unit: must be an integer from 1 to 1000")
		}
		unit = n
	}
	if d, err := time.Parse("2006-01-02", t.StartDate); err != nil || len(t.StartDate) != 10 {
		details = append(details, "subscription.start_date: must be yyyy-MM-dd")
	} else if d.Format("2006-01-02") < today {
		details = append(details, "subscription.start_date: must not be in the past")
	}
	return unit, details
}

func (p *Provider) createSubscription(req *platform.Request) (any, error) {
	var in subscriptionRequest
	if err := decodeDepositFamily(req.Body, subscriptionSchema, &in); err != nil {
		return nil, err
	}
	details := in.problems()
	if in.Payer == nil || in.Payer.Email == "" {
		details = append(details, "payer.email: required")
	}
	unit := 1
	if in.Subscription == nil {
		details = append(details, "subscription: required")
	} else {
		var problems []string
		unit, problems = in.Subscription.validate(req.Now().UTC().Format("2006-01-02"))
		details = append(details, problems...)
	}
	if len(details) > 0 {
		return nil, validation(details...)
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	c := countries[in.Country]
	token := checkoutToken(req.Tenant())
	base := req.BaseURL()
	return req.Commit(func(tx *platform.Tx) (any, error) {
		seq, err := tx.Records().NextSeq(kindSubscription)
		if err != nil {
			return nil, err
		}
		depSeq, err := tx.Records().NextSeq(kindDeposit)
		if err != nil {
			return nil, err
		}
		now := tx.Now()
		local, usd := c.amounts(in.Amount.Value, in.Currency)
		s := Subscription{SubscriptionID: subscriptionIDBase + int64(seq), InvoiceID: in.InvoiceID, Status: subPending,
			Country: in.Country, Currency: c.Currency, Amount: local, USDAmount: usd, Plan: in.Subscription.Plan, PlanUnit: unit,
			AutoRenewal: in.Subscription.AutoRenewal, StartDate: in.Subscription.StartDate, Payer: *in.Payer,
			NotificationURL: in.NotificationURL, Method: in.PaymentMethod, Created: now, CreatedAt: now.UTC().Format(dateLayout)}
		subID := s.SubscriptionID
		// The first payment is a hosted deposit: the payer pays it on the
		// checkout page and the subscription starts then.
		d := Deposit{
			depositStatus: depositStatus{
				UserID: userID(in.Payer), DepositID: depositIDBase + int64(depSeq), InvoiceID: in.InvoiceID,
				Country: in.Country, Currency: c.Currency, LocalAmount: local, USDAmount: usd,
				Status: "CREATED", CurrentPayerVerification: "NO_CURRENT_PAYER_DATA", Payer: *in.Payer,
				SubscriptionID: &subID,
			},
			CheckoutType: "HOSTED", NotificationURL: in.NotificationURL, Token: token, Created: now,
		}
		s.Deposits = []int64{d.DepositID}
		id := strconv.FormatInt(s.SubscriptionID, 10)
		if err := tx.Records().Put(kindSubscription, id, s); err != nil {
			return nil, err
		}
		if err := tx.Records().Put(kindDeposit, strconv.FormatInt(d.DepositID, 10), d); err != nil {
			return nil, err
		}
		if err := tx.Records().Put(kindCheckout, token, d.DepositID); err != nil {
			return nil, err
		}
		if err := tx.Publish(platform.Event{Name: "deposit.created", Kind: kindDeposit, ID: strconv.FormatInt(d.DepositID, 10), Fields: depositFields(&d, &in.depositRequest)}); err != nil {
			return nil, err
		}
		// The Subscriptions API notifies the creation; like every D24
		// notification it carries only the id (the body is inferred).
		if err := notify(tx, s.NotificationURL, "subscription.created", kindSubscription, id, "subscription_id", s.SubscriptionID); err != nil {
			return nil, err
		}
		return map[string]any{"subscription_id": s.SubscriptionID, "redirect_url": base + "/checkout/" + token,
			"expiration_date": now.Add(depositExpiry).UTC().Format(dateLayout), "payment_amount": local, "redirect": true}, nil
	})
}

// subscriptionID parses a path id; ids are numbers, so anything else is
// not found.
func subscriptionID(req *platform.Request) (string, error) {
	id := req.Var("id")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return "", errSubscriptionNotFound
	}
	return id, nil
}

func (p *Provider) getSubscription(req *platform.Request) (any, error) {
	id, err := subscriptionID(req)
	if err != nil {
		return nil, err
	}
	s, err := readRecord[Subscription](req, kindSubscription, id, errSubscriptionNotFound)
	if err != nil {
		return nil, err
	}
	return s.view(), nil
}

// cancelSubscription is DELETE /v3/subscriptions/{id}; the body is {} or
// empty.
func (p *Provider) cancelSubscription(req *platform.Request) (any, error) {
	id, err := subscriptionID(req)
	if err != nil {
		return nil, err
	}
	if body := strings.TrimSpace(string(req.Body)); body != "" {
		var obj map[string]any
		if json.Unmarshal([]byte(body), &obj) != nil {
			return nil, errSubscriptionGeneric
		}
	}
	var s Subscription
	err = req.Update(func(tx *platform.Tx) error {
		ok, err := tx.Records().Get(kindSubscription, id, &s)
		switch {
		case err != nil:
			return err
		case !ok:
			return errSubscriptionNotFound
		case s.Status == subCancelled:
			return errSubscriptionCancelled
		case s.Status == subTerminated:
			return errSubscriptionEnded
		}
		return p.endSubscription(tx, &s, subCancelled)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"subscription_id": s.SubscriptionID, "status": s.Status}, nil
}

// endSubscription cancels or terminates s: no further charges.
func (p *Provider) endSubscription(tx *platform.Tx, s *Subscription, status string) error {
	now := tx.Now()
	s.Status, s.NextPaymentDate, s.Ended = status, "", &now
	if status == subCancelled {
		s.CancelledAt = now.UTC().Format(dateLayout)
	}
	return tx.Records().Put(kindSubscription, strconv.FormatInt(s.SubscriptionID, 10), s)
}

// subscriptionPaid starts a pending subscription when its first deposit
// is paid.
func (p *Provider) subscriptionPaid(tx *platform.Tx, id int64, d *Deposit) error {
	var s Subscription
	key := strconv.FormatInt(id, 10)
	ok, err := tx.Records().Get(kindSubscription, key, &s)
	if err != nil || !ok || s.Status != subPending {
		return err
	}
	s.Status, s.Payments, s.Method = subActive, 1, d.PaymentMethod
	return p.scheduleNext(tx, &s)
}

// scheduleNext ends the term or reports the next cycle, whose scenario
// (one per plan) charges it when due.
func (p *Provider) scheduleNext(tx *platform.Tx, s *Subscription) error {
	if s.Payments >= s.PlanUnit && !s.AutoRenewal {
		return p.endSubscription(tx, s, subTerminated)
	}
	s.NextPaymentDate = tx.Now().Add(planPeriods[s.Plan]).UTC().Format(dateLayout)
	id := strconv.FormatInt(s.SubscriptionID, 10)
	if err := tx.Records().Put(kindSubscription, id, s); err != nil {
		return err
	}
	return tx.Publish(platform.Event{Name: "subscription.cycle", Kind: kindSubscription, ID: id, Fields: cycleFields(s)})
}

// cycleFields is what subscription.cycle carries.
func cycleFields(s *Subscription) map[string]any {
	return map[string]any{
		"plan": s.Plan, "plan_unit": s.PlanUnit, "cycle": s.Payments + 1, "auto_renewal": s.AutoRenewal,
		"amount": s.Amount, "currency": s.Currency, "country": s.Country, "invoice_id": s.InvoiceID,
		"payer.first_name": s.Payer.FirstName, "payer.last_name": s.Payer.LastName, "payer.email": s.Payer.Email,
		"payer.document": s.Payer.Document,
	}
}

// setSubscriptionStatus is the subscription status target: CHARGE bills
// the next cycle (fields result DECLINED makes the charge fail),
// CANCELLED and TERMINATED end it.
func (p *Provider) setSubscriptionStatus(tx *platform.Tx, id, status string, fields platform.Fields) error {
	var s Subscription
	ok, err := tx.Records().Get(kindSubscription, id, &s)
	if err != nil {
		return err
	}
	if !ok {
		return platform.ControlNotFound("no subscription %s", id)
	}
	switch strings.ToUpper(status) {
	case "CHARGE":
		if s.Status != subActive {
			return nil // cancelled or ended meanwhile: nothing to charge
		}
		result := fields.String("result")
		return p.charge(tx, &s, !strings.EqualFold(result, "DECLINED"))
	case subCancelled, subTerminated:
		if s.Status == subCancelled || s.Status == subTerminated {
			return nil
		}
		return p.endSubscription(tx, &s, strings.ToUpper(status))
	}
	return platform.BadControl("unknown subscription status %q (CHARGE, CANCELLED, TERMINATED)", status)
}

// charge creates the cycle's deposit, linked by subscription_id, notifies
// it and schedules the next cycle.
func (p *Provider) charge(tx *platform.Tx, s *Subscription, paid bool) error {
	seq, err := tx.Records().NextSeq(kindDeposit)
	if err != nil {
		return err
	}
	c := countries[s.Country]
	m := c.Methods[0]
	if found, ok := c.method(s.Method); ok {
		m = found
	}
	fee := round2(s.USDAmount * 0.025)
	subID := s.SubscriptionID
	s.Payments++
	d := Deposit{
		depositStatus: depositStatus{
			UserID: userID(&s.Payer), DepositID: depositIDBase + int64(seq),
			InvoiceID: s.InvoiceID + "-" + strconv.Itoa(s.Payments), Country: s.Country, Currency: s.Currency,
			LocalAmount: s.Amount, USDAmount: s.USDAmount, Status: "COMPLETED", Payer: s.Payer,
			PaymentMethod: m.Code, PaymentType: m.Type, FeeAmount: &fee, FeeCurrency: "USD",
			CurrentPayerVerification: "UNMATCHED", SubscriptionID: &subID,
		},
		CheckoutType: "ONE_SHOT", NotificationURL: s.NotificationURL, Created: tx.Now(),
	}
	if !paid {
		d.Status = "DECLINED"
	}
	id := strconv.FormatInt(d.DepositID, 10)
	if err := tx.Records().Put(kindDeposit, id, d); err != nil {
		return err
	}
	s.Deposits = append(s.Deposits, d.DepositID)
	if err := notify(tx, d.NotificationURL, "deposit."+strings.ToLower(d.Status), kindDeposit, id, "deposit_id", d.DepositID); err != nil {
		return err
	}
	return p.scheduleNext(tx, s)
}
