package crowdtrust

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// eventCheckCreated is published when a check is submitted.
const eventCheckCreated = "check.created"

// signerWebhook names the webhook signer: the real service documents no
// signature, so it only sets the headers.
const signerWebhook = "crowdtrust-webhook"

// webhookRetry is the wait after each failed webhook attempt.
var webhookRetry = []time.Duration{time.Minute, 10 * time.Minute, time.Hour}

// lifecycle declares the check's event, status target and webhook signer.
func (p *Provider) lifecycle(m *platform.Mount) {
	m.Event(eventCheckCreated, kindCheck)
	m.StatusTarget(kindCheck, p.setCheckStatus, checkStatusNames...)
	m.Signer(signerWebhook, func(_ context.Context, _ string, d *platform.Delivery, _ time.Time) error {
		if d.Header == nil {
			d.Header = map[string][]string{}
		}
		d.Header.Set("Content-Type", "application/json")
		d.Header.Set("Accept", "application/json")
		return nil
	})
}

// canonicalStatus maps a scenario or control status to the API's spelling.
func canonicalStatus(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "pending":
		return StatusPending, true
	case "complete", "completed", "pass", "passed", "fail", "failed":
		return StatusComplete, true
	case "complete with work history":
		return StatusCompleteWorkHis, true
	case "error":
		return StatusError, true
	}
	return "", false
}

// stringField reads a field as the API's string form ("true", "null").
func stringField(fields map[string]any, name string) (string, bool) {
	v, ok := fields[name]
	if !ok || v == nil {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	}
	return fmt.Sprint(v), true
}

// setCheckStatus moves a check to a status (scenario steps and control
// calls), sends the completion e-mail and posts the check to the account's
// webhook when the check reaches a result.
func (p *Provider) setCheckStatus(tx *platform.Tx, id, status string, fields platform.Fields) error {
	var c Check
	ok, err := tx.Records().Get(kindCheck, id, &c)
	if err != nil {
		return err
	}
	if !ok {
		return platform.ControlNotFound("no check %q", id)
	}
	st, ok := canonicalStatus(status)
	if !ok {
		return platform.BadControl("unknown check status %q (Pending, Complete, Complete with Work History, Error)", status)
	}
	lower := strings.ToLower(status)
	pass := "true"
	if strings.HasPrefix(lower, "fail") {
		pass = "false"
	}
	if v, ok := stringField(fields, "pass"); ok {
		pass = v
	}
	if v, ok := stringField(fields, "badActorCheckPass"); ok {
		pass = v
	}
	if pass != "true" && pass != "false" {
		return platform.BadControl("pass must be true or false, got %q", pass)
	}
	eventDate := "null"
	if v, ok := stringField(fields, "disqualifyingEventDate"); ok {
		eventDate = v
	}
	if eventDate != "null" && !validDate(eventDate) {
		return platform.BadControl("disqualifyingEventDate must be yyyy-MM-dd or null, got %q", eventDate)
	}
	now := tx.Now()
	switch st {
	case StatusPending:
		c.BadActorCheckPass, c.DisqualifyingEventDate, c.Completed = "null", "null", nil
	case StatusError:
		c.BadActorCheckPass, c.DisqualifyingEventDate, c.Completed = "null", "null", &now
	default:
		if st == StatusComplete && len(c.WorkHistory) > 0 {
			st = StatusCompleteWorkHis
		}
		if pass == "false" && eventDate == "null" {
			eventDate = p.eventDate(now)
		}
		if pass == "true" {
			eventDate = "null"
		}
		c.BadActorCheckPass, c.DisqualifyingEventDate, c.Completed = pass, eventDate, &now
	}
	c.Status = st
	if err := tx.Records().Put(kindCheck, c.SearchID, c); err != nil {
		return err
	}
	if st == StatusPending {
		return nil
	}
	acct, err := loadAccount(tx, c.Account)
	if err != nil {
		return err
	}
	if acct.Email != "" {
		subject := "Your Bad Actor Check " + c.SearchID + " has completed"
		if st == StatusError {
			subject = "Your Bad Actor Check " + c.SearchID + " could not be completed"
		}
		if err := captureEmail(tx, Email{To: acct.Email, Account: acct.ID, Sent: now, Subject: subject,
			Body: fmt.Sprintf("Bad Actor Check %s for %s %s (%s): status %s, pass %s.\n", c.SearchID, c.FirstName, c.LastName, strings.ToUpper(c.Env), c.Status, c.BadActorCheckPass)}); err != nil {
			return err
		}
	}
	if acct.Webhook == "" {
		return nil
	}
	body, err := json.Marshal(c.CheckView)
	if err != nil {
		return err
	}
	_, err = tx.Notify(platform.Delivery{
		URL: acct.Webhook, Body: body, Signer: signerWebhook, Retry: webhookRetry, Timeout: 10 * time.Second,
		Event: "check." + strings.ToLower(strings.ReplaceAll(c.Status, " ", "_")), Kind: kindCheck, ResourceID: c.SearchID,
	})
	return err
}

// eventDate invents a disqualifying event date between the rule's effective
// date (2013-09-23) and now.
func (p *Provider) eventDate(now time.Time) string {
	start := time.Date(2013, 9, 23, 0, 0, 0, 0, time.UTC)
	var d time.Time
	p.fake(func(f *gofakeit.Faker) { d = f.DateRange(start, now) })
	return d.UTC().Format(time.DateOnly)
}
