package difitek

import (
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// authenticate is GET /authenticate: the credentials are valid; answers the
// logged-in user.
func (p *Provider) authenticate(req *platform.Request) (any, error) {
	var u UserRecord
	err := req.Update(func(tx *platform.Tx) error {
		var err error
		if u, err = me(tx, req); err != nil {
			return err
		}
		u.LastLoginAt = timestamp(tx.Now())
		return putRecord(tx, kindUser, u.ID, u)
	})
	if err != nil {
		return nil, err
	}
	return object("user", u), nil
}

func (p *Provider) getSelf(req *platform.Request) (any, error) {
	var u UserRecord
	err := req.View(func(tx *platform.Tx) error {
		var err error
		u, err = me(tx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	return object("user", u), nil
}

// selfWritable are the fields PATCH /self accepts.
var selfWritable = []string{"birth_date", "birth_place", "driving_license_number", "income_range", "passport_country",
	"passport_expiry", "passport_number", "tax_id", "additional_type", "address", "affiliate_code", "biography",
	"custom", "external_reference_id", "family_name", "given_name", "honorific_prefix", "honorific_suffix",
	"job_title", "location", "phone_1", "phone_2", "referral_code", "sector", "tagline", "time_zone",
	"visibility", "web_site"}

func (p *Provider) patchSelf(req *platform.Request) (any, error) {
	return req.Commit(func(tx *platform.Tx) (any, error) {
		u, err := me(tx, req)
		if err != nil {
			return nil, err
		}
		next, in, err := patchRecord(u, req, selfWritable...)
		if err != nil {
			return nil, err
		}
		if raw, ok := in["image"]; ok {
			// A document id; null or "" (a user without a picture, as PHP
			// sends it) removes the picture.
			id, given, valid := idOf(raw)
			var doc Document
			if valid && given {
				doc, err = getRecord[Document](tx, kindDocument, id)
				valid = err == nil
			}
			switch {
			case !valid:
				return nil, errInvalidParam.with("image: must be the id of a document").withField("image", "must be the id of a document")
			case given:
				next.Image = &doc
			default:
				next.Image = nil
			}
		}
		next.FullName = strings.TrimSpace(next.GivenName + " " + next.FamilyName)
		next.Visibility = normalizeVisibility(next.Visibility)
		next.UpdatedAt = timestamp(tx.Now())
		fillUserDefaults(&next)
		return process("user", next.ID, next), putRecord(tx, kindUser, next.ID, next)
	})
}

func (p *Provider) deleteSelf(req *platform.Request) (any, error) {
	return req.Commit(func(tx *platform.Tx) (any, error) {
		u, err := me(tx, req)
		if err != nil {
			return nil, err
		}
		if err := tx.Records().Delete(kindLogin, emailKey(u.Email)); err != nil {
			return nil, err
		}
		if err := tx.Records().Delete(kindUserAuth, idKey(u.ID)); err != nil {
			return nil, err
		}
		return process("user", u.ID, nil), tx.Records().Delete(kindUser, idKey(u.ID))
	})
}

// selfStats is GET /self/stats: the caller's investment figures.
func (p *Provider) selfStats(req *platform.Request) (any, error) {
	out := map[string]any{}
	err := req.View(func(tx *platform.Tx) error {
		u, err := me(tx, req)
		if err != nil {
			return err
		}
		invs, err := listRecords[Investment](tx, kindInvestment)
		var total, settled float64
		var count, settledCount int
		offerings := map[int64]bool{}
		for _, inv := range invs {
			if inv.UserID != u.ID || !counted(inv) {
				continue
			}
			total += inv.InvestmentAmount
			count++
			offerings[inv.OfferingID] = true
			if inv.LifeCycleStage == investSettled {
				settled += inv.InvestmentAmount
				settledCount++
			}
		}
		out["sum_investments"] = round2(total)
		out["count_investments"] = count
		out["sum_settled_investments"] = round2(settled)
		out["count_settled_investments"] = settledCount
		out["count_offerings_invested"] = len(offerings)
		return err
	})
	return out, err
}

// updateSelf applies fn to the caller's record in one transaction.
func (p *Provider) updateSelf(req *platform.Request, fn func(tx *platform.Tx, u *UserRecord) error) (any, error) {
	return req.Commit(func(tx *platform.Tx) (any, error) {
		u, err := me(tx, req)
		if err != nil {
			return nil, err
		}
		if err := fn(tx, &u); err != nil {
			return nil, err
		}
		u.UpdatedAt = timestamp(tx.Now())
		return process("user", u.ID, nil), putRecord(tx, kindUser, u.ID, u)
	})
}

func (p *Provider) acceptTerms(req *platform.Request) (any, error) {
	return p.updateSelf(req, func(_ *platform.Tx, u *UserRecord) error { u.TermServiceAccepted = true; return nil })
}

func (p *Provider) markRegistrationComplete(req *platform.Request) (any, error) {
	return p.updateSelf(req, func(_ *platform.Tx, u *UserRecord) error { u.RegistrationComplete = true; return nil })
}

// resendVerificationEmail: 10017 without email, 10018 when the address is
// not the caller's unverified one.
func (p *Provider) resendVerificationEmail(req *platform.Request) (any, error) {
	var in secretInput
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Email) == "" {
		return nil, errEmailMissing
	}
	return p.updateSelf(req, func(tx *platform.Tx, u *UserRecord) error {
		if !strings.EqualFold(strings.TrimSpace(in.Email), u.Email) || u.EmailVerified {
			return errEmailResend
		}
		return sendVerification(tx, *u, u.Email, in.URL)
	})
}

type passwordChange struct {
	Password           string `json:"password"`
	NewPassword        string `json:"new_password"`
	NewPasswordConfirm string `json:"new_password_confirm"`
	NewEmail           string `json:"new_email"`
	NewEmailConfirm    string `json:"new_email_confirm"`
	VerifyEmailURL     string `json:"verify_email_url"`
}

func (p *Provider) changePassword(req *platform.Request) (any, error) {
	var in passwordChange
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if in.NewPassword == "" {
		return nil, errMissingParam.with("Parameter missing: new_password").withField("new_password", "required")
	}
	if in.NewPassword != in.NewPasswordConfirm {
		return nil, errPasswordMatch
	}
	return p.updateSelf(req, func(tx *platform.Tx, u *UserRecord) error {
		if !checkPassword(tx, u.Email, in.Password) {
			return errPasswordWrong
		}
		u.PasswordExpired = false
		return setPassword(tx, u.Email, in.NewPassword)
	})
}

// changeEmail captures a verification e-mail to the new address; the
// change takes effect when that address is verified.
func (p *Provider) changeEmail(req *platform.Request) (any, error) {
	var in passwordChange
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	in.NewEmail = strings.TrimSpace(in.NewEmail)
	if in.NewEmail == "" {
		return nil, errMissingParam.with("Parameter missing: new_email").withField("new_email", "required")
	}
	if !strings.EqualFold(in.NewEmail, strings.TrimSpace(in.NewEmailConfirm)) {
		return nil, errEmailMatch
	}
	return p.updateSelf(req, func(tx *platform.Tx, u *UserRecord) error {
		if tx.Records().GetRaw(kindLogin, emailKey(in.NewEmail)) != nil {
			return errEmailTaken
		}
		return sendVerification(tx, *u, in.NewEmail, in.VerifyEmailURL)
	})
}

type moderation struct {
	UserID         int64  `json:"user_id"`
	UserMessage    string `json:"user_message"`
	Description    string `json:"description"`
	ExpirationDate string `json:"expiration_date"`
}

// moderate is approveUser / blockUser (administrators): the user named by
// user_id, or the caller when absent.
func (p *Provider) moderate(status string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		var in moderation
		if err := decodeBody(req, &in); err != nil {
			return nil, err
		}
		target := in.UserID
		if target == 0 {
			target = principalOf(req).UserID
		}
		return req.Commit(func(tx *platform.Tx) (any, error) {
			u, err := setUserStatus(tx, target, status, map[string]any{"user_message": in.UserMessage})
			if err != nil {
				return nil, err
			}
			return process("user", u.ID, nil), nil
		})
	}
}

// mine lists the caller's records of a kind.
func mine[T any](kind string, owner func(T) int64) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		uid := principalOf(req).UserID
		return listOf(req, kind, func(_ *platform.Tx, v T) bool { return owner(v) == uid })
	}
}

func (p *Provider) selfOrganizations(req *platform.Request) (any, error) {
	uid := principalOf(req).UserID
	return listOf(req, kindOrganization, func(_ *platform.Tx, o Organization) bool { return isMember(o, uid) })
}

func (p *Provider) selfOfferings(req *platform.Request) (any, error) {
	uid := principalOf(req).UserID
	return listOf(req, kindOffering, func(tx *platform.Tx, o Offering) bool {
		return canManageOffering(tx, Principal{UserID: uid}, o)
	})
}

func (p *Provider) selfPayouts(req *platform.Request) (any, error) {
	uid := principalOf(req).UserID
	return listOf(req, kindPayout, func(_ *platform.Tx, po Payout) bool { return po.UserID == uid })
}

// createWallet opens a wallet.
func createWallet(tx *platform.Tx, userID int64, currency string, balance float64) (Wallet, error) {
	id, err := nextID(tx, kindWallet)
	if err != nil {
		return Wallet{}, err
	}
	now := timestamp(tx.Now())
	w := Wallet{ID: id, CreatedAt: now, UpdatedAt: now, UserID: userID, Currency: currency, Balance: balance, Status: "Active"}
	return w, putRecord(tx, kindWallet, id, w)
}

// createSelfWallet is POST /self/wallets (no body; optional currency).
func (p *Provider) createSelfWallet(req *platform.Request) (any, error) {
	var in struct {
		Currency string `json:"currency"`
	}
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if in.Currency == "" {
		in.Currency = "GBP"
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		w, err := createWallet(tx, principalOf(req).UserID, strings.ToUpper(in.Currency), 0)
		return process("wallet", w.ID, w), err
	})
}

func (p *Provider) selfWallet(req *platform.Request) (any, error) {
	uid := principalOf(req).UserID
	return oneShared(req, kindWallet, "wallet", func(w Wallet) error {
		if w.UserID != uid {
			return errNotFound
		}
		return nil
	})
}

type invitationInput struct {
	Email            string `json:"email"`
	GivenName        string `json:"given_name"`
	FamilyName       string `json:"family_name"`
	OrganizationName string `json:"organization_name"`
}

// createInvitation is POST /self/invitations: captures the invitation e-mail.
func (p *Provider) createInvitation(req *platform.Request) (any, error) {
	var in invitationInput
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if err := checkEmail(in.Email); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		u, err := me(tx, req)
		if err != nil {
			return nil, err
		}
		id, err := nextID(tx, kindInvitation)
		if err != nil {
			return nil, err
		}
		now := timestamp(tx.Now())
		inv := Invitation{ID: id, CreatedAt: now, UpdatedAt: now, UserID: u.ID, Email: in.Email, GivenName: in.GivenName,
			FamilyName: in.FamilyName, OrganizationName: in.OrganizationName, Status: "Sent"}
		if err := putRecord(tx, kindInvitation, id, inv); err != nil {
			return nil, err
		}
		_, err = captureEmail(tx, Email{To: in.Email, Subject: userName(u) + " invited you", Type: "invitation", UserID: u.ID,
			Body: "Hello " + strings.TrimSpace(in.GivenName+" "+in.FamilyName) + ", " + userName(u) + " invited you to join " + in.OrganizationName + "."})
		return process("invitation", id, inv), err
	})
}

func (p *Provider) selfInvitation(req *platform.Request) (any, error) {
	uid := principalOf(req).UserID
	return oneShared(req, kindInvitation, "invitation", func(inv Invitation) error {
		if inv.UserID != uid {
			return errNotFound
		}
		return nil
	})
}
