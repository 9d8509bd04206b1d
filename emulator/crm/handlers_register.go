package crm

import (
	"encoding/json"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

type registerBody struct {
	Email          string         `json:"email"`
	Type           string         `json:"type"`
	Name           string         `json:"name"`
	Phone          *Phone         `json:"phone"`
	OTPType        string         `json:"otp_type"`
	Password       string         `json:"password"`
	RepeatPassword string         `json:"repeat_password"`
	FormID         string         `json:"form_id"`
	LinkID         string         `json:"link_id"`
	ReferrerID     string         `json:"referrer_id"`
	EmailCode      string         `json:"email_code"`
	PhoneCode      string         `json:"phone_code"`
	CustomFields   map[string]any `json:"custom_fields"`
}

func (b registerBody) validate() error {
	var p problems
	p.add(checkEmail(b.Email))
	if b.Type != "trader" {
		p.add(invalid("type must be trader"))
	}
	// That repeat_password must equal password is not documented: the
	// password is what counts.
	if b.Password == "" {
		p.add(invalid("password is required"))
	}
	if b.RepeatPassword == "" {
		p.add(invalid("repeat_password is required"))
	}
	p.add(checkID("form_id", b.FormID, true))
	p.add(checkID("referrer_id", b.ReferrerID, false))
	return p.err()
}

// registerRequest is Send Registration Request for OTP: 204; the codes are
// "sent" (readable through the control API).
func (p *Provider) registerRequest(req *platform.Request) (any, error) {
	var b registerBody
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	if b.OTPType == "" {
		b.OTPType = "email"
	}
	if b.OTPType != "email" && b.OTPType != "phone" {
		return nil, invalid("otp_type must be email or phone")
	}
	if b.OTPType == "phone" && (b.Phone == nil || b.Phone.Number == "") {
		return nil, invalid("phone is required when otp_type is phone")
	}
	if err := b.validate(); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		otp := OTP{Email: strings.ToLower(b.Email), EmailCode: randomString(6, "0123456789"),
			PhoneCode: randomString(6, "0123456789"), OTPType: b.OTPType, Request: json.RawMessage(req.Body),
			CreatedAt: formatTime(tx.Now())}
		if err := tx.Records().Put(kindOTP, otp.Email, otp); err != nil {
			return nil, err
		}
		return platform.NoContent(), nil
	})
}

type multistepBody struct {
	TraderRegister string       `json:"trader_register"`
	Register       registerBody `json:"register"`
	KYC            *struct {
		FormID       string         `json:"form_id"`
		CustomFields map[string]any `json:"custom_fields"`
	} `json:"kyc"`
}

// registerMultistep is Send Multi-Step Registration Request for Approval:
// with the right OTP codes it creates a pending registration request (204).
func (p *Provider) registerMultistep(req *platform.Request) (any, error) {
	var b multistepBody
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	if b.TraderRegister != "trader_register" {
		return nil, invalid(`trader_register must be "trader_register"`)
	}
	if err := b.Register.validate(); err != nil {
		return nil, err
	}
	if b.KYC != nil {
		if err := checkID("kyc.form_id", b.KYC.FormID, true); err != nil {
			return nil, err
		}
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		var otp OTP
		ok, err := tx.Records().Get(kindOTP, strings.ToLower(b.Register.Email), &otp)
		if err != nil {
			return nil, err
		}
		if !ok || otp.Used {
			return nil, errInvalidValidationCode
		}
		emailOK := b.Register.EmailCode != "" && equalString(b.Register.EmailCode, otp.EmailCode)
		phoneOK := b.Register.PhoneCode != "" && equalString(b.Register.PhoneCode, otp.PhoneCode)
		if (otp.OTPType == "phone" && !phoneOK) || (otp.OTPType != "phone" && !emailOK) {
			return nil, errInvalidValidationCode
		}
		otp.Used = true
		if err := tx.Records().Put(kindOTP, otp.Email, otp); err != nil {
			return nil, err
		}
		data := map[string]any{"email": b.Register.Email, "form_id": b.Register.FormID, "referrer_id": b.Register.ReferrerID,
			"custom_fields": b.Register.CustomFields}
		if b.Register.Phone != nil {
			data["phone"] = *b.Register.Phone
		}
		r := Request{ID: newID(), Type: "registration", Status: "pending", RequestTime: formatTime(tx.Now()),
			TotalNodes: 1, Data: data}
		if err := p.insertRequest(tx, &r); err != nil {
			return nil, err
		}
		return platform.NoContent(), nil
	})
}
