package difitek

import (
	"fmt"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// kycID names a user's check of a service.
func kycID(service, check string, userID int64) string {
	return fmt.Sprintf("%s-%s-%d", service, check, userID)
}

// kycCheck answers a third-party check: the first call (or every call when
// restart) starts a Pending check and publishes kyc.requested, whose
// scenario completes it; later calls answer its current state.
func (p *Provider) kycCheck(service, check string, restart bool) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		return req.Commit(func(tx *platform.Tx) (any, error) {
			u, err := me(tx, req)
			if err != nil {
				return nil, err
			}
			id := kycID(service, check, u.ID)
			var k KYCCheck
			ok, err := tx.Records().Get(kindKYC, id, &k)
			if err != nil {
				return nil, err
			}
			if ok && !restart {
				return k, nil
			}
			now := timestamp(tx.Now())
			k = KYCCheck{ID: id, CreatedAt: now, UpdatedAt: now, UserID: u.ID, Service: service, Check: check, Status: kycPending}
			k.Result = kycResult(k, kycPending)
			if err := tx.Records().Put(kindKYC, id, k); err != nil {
				return nil, err
			}
			return k, tx.Publish(platform.Event{Name: eventKYCRequested, Kind: kindKYC, ID: id, Fields: kycFields(service, check, &u)})
		})
	}
}

// kycRead answers a check without starting one (Not Found before).
func (p *Provider) kycRead(service, check string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		var k KYCCheck
		err := req.View(func(tx *platform.Tx) error {
			ok, err := tx.Records().Get(kindKYC, kycID(service, check, principalOf(req).UserID), &k)
			if err == nil && !ok {
				err = errNotFound
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		return k, nil
	}
}

// phoneCode is the code of the captured verification SMS.
const phoneCode = "123456"

// sendPhoneVerification captures the SMS the service would send.
func (p *Provider) sendPhoneVerification(req *platform.Request) (any, error) {
	return req.Commit(func(tx *platform.Tx) (any, error) {
		u, err := me(tx, req)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(u.Phone1) == "" {
			return nil, errMissingParam.with("Parameter missing: phone_1 (set it with PATCH /self)").withField("phone_1", "required")
		}
		_, err = captureEmail(tx, Email{To: u.Phone1, Subject: "Phone verification", Type: "sms", UserID: u.ID, Secret: phoneCode,
			Body: "Your verification code is " + phoneCode})
		return map[string]any{"sent": true, "phone": u.Phone1}, err
	})
}

// verifyPhone checks the code of the captured SMS.
func (p *Provider) verifyPhone(req *platform.Request) (any, error) {
	var in struct {
		Code string `json:"code"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	return p.updateSelf(req, func(_ *platform.Tx, u *UserRecord) error {
		if in.Code != phoneCode {
			return errInvalidParam.with("Invalid verification code").withField("code", "invalid")
		}
		u.PhoneVerified = true
		return nil
	})
}

// reykerPlans is GET /self/reyker/plans: the canned product list.
func (p *Provider) reykerPlans(req *platform.Request) (any, error) {
	plans := []map[string]any{
		{"id": 1, "name": "General Investment Account", "code": "GIA", "currency": "GBP"},
		{"id": 2, "name": "Innovative Finance ISA", "code": "IFISA", "currency": "GBP", "annual_allowance": 20000},
		{"id": 3, "name": "Self-Invested Personal Pension", "code": "SIPP", "currency": "GBP"},
	}
	return ListData{Offset: 0, Limit: len(plans), Count: len(plans), List: plans}, nil
}
