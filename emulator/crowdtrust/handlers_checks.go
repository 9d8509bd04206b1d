package crowdtrust

import (
	"fmt"
	"strconv"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// checkRequest is a validated POST /bacapi[/test]/checks body.
type checkRequest struct {
	FirstName, LastName, DateOfBirth, SSN, RegulationType, PlatformName string
	WorkHistory                                                         []WorkHistory
	HomeAddresses                                                       []HomeAddress
}

func parseCheckRequest(body []byte) (checkRequest, error) {
	var in checkRequest
	o, err := parseObject(body)
	if err != nil {
		return in, err
	}
	if in.FirstName, err = o.required("firstName", ""); err != nil {
		return in, err
	}
	if in.LastName, err = o.required("lastName", ""); err != nil {
		return in, err
	}
	if in.DateOfBirth, err = o.required("dateOfBirth", ""); err != nil {
		return in, err
	}
	if !validDate(in.DateOfBirth) {
		return in, invalid("dateOfBirth", "The provided dateOfBirth must be a date in the format yyyy-MM-dd")
	}
	ssn, err := o.required("ssn", "")
	if err != nil {
		return in, err
	}
	if in.SSN, _ = normalizeSSN(ssn); in.SSN == "" {
		return in, invalid("ssn", "The provided ssn must be 9 digits (NNN-NN-NNNN or NNNNNNNNN)")
	}
	if in.RegulationType, err = o.required("regulationType", ""); err != nil {
		return in, err
	}
	if in.RegulationType != "A" && in.RegulationType != "D" {
		return in, invalid("regulationType", "The provided regulationType must be 'A' or 'D'")
	}
	if in.PlatformName, err = o.required("platformName", ""); err != nil {
		return in, err
	}
	jobs, err := o.objects("workHistory")
	if err != nil {
		return in, err
	}
	in.WorkHistory = []WorkHistory{}
	for i, j := range jobs {
		prefix := fmt.Sprintf("workHistory[%d].", i)
		var w WorkHistory
		// The items' fields are not marked required in the docs: accept
		// missing ones; a date that is given must be a date.
		if w.Company, err = j.str("company", prefix); err != nil {
			return in, err
		}
		if w.Title, err = j.str("title", prefix); err != nil {
			return in, err
		}
		if w.StartDate, err = j.str("startDate", prefix); err != nil {
			return in, err
		}
		if w.StartDate != "" && !validDate(w.StartDate) {
			return in, invalid(prefix+"startDate", "The provided startDate must be a date in the format yyyy-MM-dd")
		}
		if w.EndDate, err = j.str("endDate", prefix); err != nil {
			return in, err
		}
		if w.EndDate != "" && !validDate(w.EndDate) {
			return in, invalid(prefix+"endDate", "The provided endDate must be a date in the format yyyy-MM-dd or empty")
		}
		in.WorkHistory = append(in.WorkHistory, w)
	}
	homes, err := o.objects("homeAddresses")
	if err != nil {
		return in, err
	}
	in.HomeAddresses = []HomeAddress{}
	for i, h := range homes {
		prefix := fmt.Sprintf("homeAddresses[%d].", i)
		var a HomeAddress
		for _, f := range []struct {
			name string
			dst  *string
		}{{"address1", &a.Address1}, {"address2", &a.Address2}, {"city", &a.City}, {"state", &a.State}, {"zip", &a.Zip}} {
			if *f.dst, err = h.str(f.name, prefix); err != nil {
				return in, err
			}
		}
		in.HomeAddresses = append(in.HomeAddresses, a)
	}
	return in, nil
}

// searchIDBase makes search ids look like the real ones ("1253").
const searchIDBase = 1000

// createCheck is POST /bacapi[/test]/checks.
func (p *Provider) createCheck(req *platform.Request) (any, error) {
	in, err := parseCheckRequest(req.Body)
	if err != nil {
		return nil, err
	}
	account, _ := platform.UserOf[string](req.Caller)
	var reference string
	p.fake(func(f *gofakeit.Faker) { reference = f.Numerify("CT-####-####-####") })
	return req.Commit(func(tx *platform.Tx) (any, error) {
		acct, err := loadAccount(tx, account)
		if err != nil {
			return nil, err
		}
		if req.Caller.Env == EnvLive && acct.LiveBilling == nil {
			return nil, errBillingRequired
		}
		seq, err := tx.Records().NextSeq(kindCheck)
		if err != nil {
			return nil, err
		}
		last4 := in.SSN[5:]
		c := Check{
			CheckView: CheckView{
				SearchID: strconv.FormatUint(seq+searchIDBase, 10), Status: StatusPending,
				BadActorCheckPass: "null", DisqualifyingEventDate: "null",
				FirstName: in.FirstName, LastName: in.LastName, SSN: maskSSN(last4), DateOfBirth: in.DateOfBirth,
				RegulationType: in.RegulationType, WorkHistory: in.WorkHistory, HomeAddresses: in.HomeAddresses,
			},
			Account: acct.ID, Env: req.Caller.Env, PlatformName: in.PlatformName, SSNLast4: last4,
			Created: tx.Now(), Reference: reference,
		}
		if err := tx.Records().Put(kindCheck, c.SearchID, c); err != nil {
			return nil, err
		}
		if err := tx.Publish(platform.Event{Name: eventCheckCreated, Kind: kindCheck, ID: c.SearchID, Fields: checkFields(&c, tx.Tenant)}); err != nil {
			return nil, err
		}
		// A scenario whose first step is due at once (the default pass)
		// has already completed the check in this transaction.
		if _, err := tx.Records().Get(kindCheck, c.SearchID, &c); err != nil {
			return nil, err
		}
		return c.CheckView, nil
	})
}

// checkFields are the event fields scenarios match on.
func checkFields(c *Check, tenant string) map[string]any {
	return map[string]any{
		"searchId": c.SearchID, "env": c.Env, "account": c.Account,
		"firstName": c.FirstName, "lastName": c.LastName, "dateOfBirth": c.DateOfBirth,
		"ssn.last4": c.SSNLast4, "regulationType": c.RegulationType, "platformName": c.PlatformName,
		"workHistory.count": len(c.WorkHistory), "homeAddresses.count": len(c.HomeAddresses),
	}
}

// findCheck reads a check visible to the caller: same account, same
// environment; anything else is "This check does not exist". Its callers
// only render the check, so the decoded record is shared with other reads
// (platform.Request.ReadShared): its slices and pointers are read-only.
func findCheck(req *platform.Request) (*Check, error) {
	id := req.Var("searchId")
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return nil, errCheckNotFound
	}
	var c Check
	ok, err := req.ReadShared(kindCheck, id, &c)
	if err != nil {
		return nil, err
	}
	account, _ := platform.UserOf[string](req.Caller)
	if !ok || c.Account != account || c.Env != req.Caller.Env {
		return nil, errCheckNotFound
	}
	return &c, nil
}

// getCheck is GET /bacapi[/test]/checks/{searchId}.
func (p *Provider) getCheck(req *platform.Request) (any, error) {
	c, err := findCheck(req)
	if err != nil {
		return nil, err
	}
	return c.CheckView, nil
}

// getReport is GET /bacapi/checks/{searchId}/report (LIVE only): the PDF of
// a completed check.
func (p *Provider) getReport(req *platform.Request) (any, error) {
	c, err := findCheck(req)
	if err != nil {
		return nil, err
	}
	if !c.complete() {
		return nil, errReportNotReady
	}
	pdf, err := renderReport(c)
	if err != nil {
		return nil, err
	}
	return platform.RawResponse(200, "application/pdf", pdf), nil
}

// noTestReport answers the report path under /bacapi/test: it does not exist.
func noTestReport(*platform.Request) (any, error) { return nil, errNotFound }
