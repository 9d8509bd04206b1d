package difitek

import (
	"strings"

	"github.com/brianvoe/gofakeit/v7"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// publicStats is GET /public/stats.
func (p *Provider) publicStats(req *platform.Request) (any, error) {
	var sum float64
	var count int
	offerings, investors := map[int64]bool{}, map[int64]bool{}
	err := req.View(func(tx *platform.Tx) error {
		invs, err := listRecords[Investment](tx, kindInvestment)
		for _, inv := range invs {
			if inv.LifeCycleStage == investSettled {
				sum += inv.InvestmentAmount
				count++
				investors[inv.UserID] = true
			}
		}
		offs, err2 := listRecords[Offering](tx, kindOffering)
		for _, o := range offs {
			if o.LifeCycleStage == stageSettled {
				offerings[o.ID] = true
			}
		}
		if err == nil {
			err = err2
		}
		return err
	})
	return map[string]any{
		"sum_settled_investments":                  round2(sum),
		"count_settled_investments":                count,
		"count_settled_offerings":                  len(offerings),
		"count_investors_with_settled_investments": len(investors),
	}, err
}

// listOf runs a filtered list of a kind in a read transaction.
func listOf[T any](req *platform.Request, kind string, keep func(tx *platform.Tx, v T) bool) (any, error) {
	lq, err := parseListQuery(req.URL.Query())
	if err != nil {
		return nil, err
	}
	var data ListData
	err = req.View(func(tx *platform.Tx) error {
		all, err := listRecords[T](tx, kind)
		if err != nil {
			return err
		}
		kept := make([]T, 0, len(all))
		for _, v := range all {
			if keep == nil || keep(tx, v) {
				kept = append(kept, v)
			}
		}
		data = paginate(kept, lq)
		return nil
	})
	return data, err
}

// oneShared is oneOf for objects whose access check needs nothing else
// from the store: the read needs no transaction while nothing was written
// since (platform.Request.ReadShared). Not for users, whose organizations
// are other records.
func oneShared[T any](req *platform.Request, kind, key string, check func(v T) error) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	var v T
	ok, err := req.ReadShared(kind, idKey(id), &v)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	if check != nil {
		if err := check(v); err != nil {
			return nil, err
		}
	}
	return object(key, v), nil
}

// oneOf reads one record of a kind by the {id} path variable; check may
// hide it (Not Found).
func oneOf[T any](req *platform.Request, kind, key string, check func(tx *platform.Tx, v T) error) (any, error) {
	id, err := pathID(req, "id")
	if err != nil {
		return nil, err
	}
	var v T
	err = req.View(func(tx *platform.Tx) error {
		// Rendered only: the decoded record may be shared.
		if v, err = getSharedRecord[T](tx, kind, id); err != nil {
			return err
		}
		if check != nil {
			return check(tx, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return object(key, v), nil
}

func (p *Provider) publicUsers(req *platform.Request) (any, error) {
	return userList(listOf(req, kindUser, func(_ *platform.Tx, u UserRecord) bool {
		return u.Visibility == visibilityOpen && !u.HasBeenBlocked
	}))
}

// userList shows listed users as other users see them.
func userList(v any, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return publicUserView(v.(ListData)), nil
}

func publicUserView(list ListData) ListData {
	rows, _ := list.List.([]UserRecord)
	out := make([]User, len(rows))
	for i, u := range rows {
		out[i] = u.User
	}
	list.List = out
	return list
}

func (p *Provider) publicOrganizations(req *platform.Request) (any, error) {
	return listOf(req, kindOrganization, func(_ *platform.Tx, o Organization) bool { return o.Visibility != visibilityPrivate })
}

func (p *Provider) publicOrganization(req *platform.Request) (any, error) {
	return oneShared(req, kindOrganization, "organization", func(o Organization) error {
		if o.Visibility == visibilityPrivate {
			return errNotFound
		}
		return nil
	})
}

func (p *Provider) featuredOfferings(req *platform.Request) (any, error) {
	return listOf(req, kindOffering, func(_ *platform.Tx, o Offering) bool { return o.IsFeatured && publicStage(o.LifeCycleStage) })
}

func (p *Provider) publicOfferings(req *platform.Request) (any, error) {
	return listOf(req, kindOffering, func(_ *platform.Tx, o Offering) bool { return publicStage(o.LifeCycleStage) })
}

func (p *Provider) publicOffering(req *platform.Request) (any, error) {
	return oneShared(req, kindOffering, "offering", func(o Offering) error {
		if !publicStage(o.LifeCycleStage) {
			return errNotFound
		}
		return nil
	})
}

// registerInput is POST /users: the credentials and the profile fields a
// new account takes.
type registerInput struct {
	Email               string         `json:"email"`
	Password            string         `json:"password"`
	URL                 string         `json:"url"`
	GivenName           string         `json:"given_name"`
	FamilyName          string         `json:"family_name"`
	HonorificPrefix     string         `json:"honorific_prefix"`
	Phone1              string         `json:"phone_1"`
	JobTitle            string         `json:"job_title"`
	Location            string         `json:"location"`
	Visibility          string         `json:"visibility"`
	AffiliateCode       string         `json:"affiliate_code"`
	ReferralCode        string         `json:"referral_code"`
	Custom              map[string]any `json:"custom"`
	Address             Address        `json:"address"`
	AdditionalType      string         `json:"additional_type"`
	TimeZone            string         `json:"time_zone"`
	ExternalReferenceID string         `json:"external_reference_id"`
}

// register is POST /users: create an account and capture the verification
// e-mail (user_id and secret for POST /self/verifyEmail).
func (p *Provider) register(req *platform.Request) (any, error) {
	var in registerInput
	var bad problems
	if err := decodeInto(req, &in, &bad); err != nil {
		return nil, err
	}
	in.Email = strings.TrimSpace(in.Email)
	emailProblems(&bad, in.Email)
	bad.require("password", in.Password != "")
	if err := bad.err(); err != nil {
		return nil, err
	}
	profile := UserRecord{User: User{
		Email: in.Email, GivenName: in.GivenName, FamilyName: in.FamilyName, HonorificPrefix: in.HonorificPrefix,
		Phone1: in.Phone1, JobTitle: in.JobTitle, Location: in.Location, Visibility: in.Visibility,
		AffiliateCode: in.AffiliateCode, ReferralCode: in.ReferralCode, Custom: in.Custom, Address: in.Address,
		AdditionalType: in.AdditionalType, TimeZone: in.TimeZone, ExternalReferenceID: in.ExternalReferenceID,
	}}
	// Codes are drawn before the transaction, whose function may re-run.
	p.fake(func(f *gofakeit.Faker) {
		if profile.AffiliateCode == "" {
			profile.AffiliateCode = strings.ToUpper(f.LetterN(8))
		}
		if profile.ReferralCode == "" {
			profile.ReferralCode = strings.ToUpper(f.LetterN(8))
		}
	})
	return req.Commit(func(tx *platform.Tx) (any, error) {
		u, err := createUser(tx, profile, in.Password)
		if err != nil {
			return nil, err
		}
		if err := sendVerification(tx, u, u.Email, in.URL); err != nil {
			return nil, err
		}
		if err := tx.Publish(platform.Event{Name: eventUserRegistered, Kind: kindUser, ID: idKey(u.ID), Fields: userFields(&u)}); err != nil {
			return nil, err
		}
		return process("user", u.ID, u.User), nil
	})
}

// emailProblems records a missing or malformed e-mail address.
func emailProblems(p *problems, email string) {
	email = strings.TrimSpace(email)
	p.require("email", email != "")
	p.check("email", email == "" || strings.Contains(email, "@"), "must be an e-mail address")
}

// checkEmail is 30002 without an e-mail address, 30003 for one without @.
func checkEmail(email string) error {
	var p problems
	emailProblems(&p, email)
	return p.err()
}

// sendVerification captures the verification e-mail of an address.
func sendVerification(tx *platform.Tx, u UserRecord, email, landing string) error {
	s, err := newSecret(tx, u.ID, "verify", email)
	if err != nil {
		return err
	}
	link := withQuery(landing, "user_id", idKey(u.ID), "secret", s)
	_, err = captureEmail(tx, Email{To: email, Subject: "Please verify your email address", Type: "verify_email",
		UserID: u.ID, Secret: s, URL: link,
		Body: "Welcome! Verify your email address with user_id " + idKey(u.ID) + " and secret " + s + ". " + link})
	return err
}

type secretInput struct {
	UserID          int64  `json:"user_id"`
	Secret          string `json:"secret"`
	Email           string `json:"email"`
	URL             string `json:"url"`
	Password        string `json:"password"`
	PasswordConfirm string `json:"password_confirm"`
}

// verifyEmail is POST /self/verifyEmail and /public/verifyEmail.
func (p *Provider) verifyEmail(req *platform.Request) (any, error) {
	var in secretInput
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if in.UserID == 0 || in.Secret == "" {
		return nil, errVerifySecret.with("Parameter missing: user_id and secret are required")
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		s, ok, err := takeSecret(tx, in.UserID, "verify", in.Secret)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errVerifySecret
		}
		u, err := getRecord[UserRecord](tx, kindUser, in.UserID)
		if err != nil {
			return nil, errVerifySecret
		}
		if s.Email != "" && !strings.EqualFold(s.Email, u.Email) {
			// A change of e-mail takes effect once the new address is verified.
			if tx.Records().GetRaw(kindLogin, emailKey(s.Email)) != nil {
				return nil, errEmailTaken
			}
			var lg login
			if _, err := tx.Records().Get(kindLogin, emailKey(u.Email), &lg); err != nil {
				return nil, err
			}
			if err := tx.Records().Delete(kindLogin, emailKey(u.Email)); err != nil {
				return nil, err
			}
			if err := tx.Records().Put(kindLogin, emailKey(s.Email), lg); err != nil {
				return nil, err
			}
			u.Email = s.Email
		}
		u.EmailVerified = true
		u.UpdatedAt = timestamp(tx.Now())
		return process("user", u.ID, nil), putRecord(tx, kindUser, u.ID, u)
	})
}

// forgotPassword is POST /self/forgotPassword: captures the reset e-mail.
// An unknown address succeeds without an e-mail (no account enumeration).
func (p *Provider) forgotPassword(req *platform.Request) (any, error) {
	var in secretInput
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Email) == "" {
		return nil, errMissingParam.with("Parameter missing: email").withField("email", "required")
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		var lg login
		ok, err := tx.Records().Get(kindLogin, emailKey(in.Email), &lg)
		if err != nil || !ok {
			return map[string]any{}, err
		}
		s, err := newSecret(tx, lg.UserID, "reset", "")
		if err != nil {
			return nil, err
		}
		link := withQuery(in.URL, "user_id", idKey(lg.UserID), "secret", s)
		_, err = captureEmail(tx, Email{To: in.Email, Subject: "Reset your password", Type: "reset_password",
			UserID: lg.UserID, Secret: s, URL: link,
			Body: "Reset your password with user_id " + idKey(lg.UserID) + " and secret " + s + ". " + link})
		return map[string]any{}, err
	})
}

// resetPassword is POST /self/resetPassword.
func (p *Provider) resetPassword(req *platform.Request) (any, error) {
	var in secretInput
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if in.UserID == 0 || in.Secret == "" {
		return nil, errResetSecret.with("Parameter missing: user_id and secret are required")
	}
	if in.Password == "" {
		return nil, errMissingParam.with("Parameter missing: password").withField("password", "required")
	}
	if in.Password != in.PasswordConfirm {
		return nil, errPasswordMatch
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		_, ok, err := takeSecret(tx, in.UserID, "reset", in.Secret)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errResetSecret
		}
		u, err := getRecord[UserRecord](tx, kindUser, in.UserID)
		if err != nil {
			return nil, errResetSecret
		}
		return process("user", u.ID, nil), setPassword(tx, u.Email, in.Password)
	})
}

// newsletterSignUp is POST /self/newsletterSignUp.
func (p *Provider) newsletterSignUp(req *platform.Request) (any, error) {
	var in secretInput
	if err := decodeBody(req, &in); err != nil {
		return nil, err
	}
	if err := checkEmail(in.Email); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		return map[string]any{"email": in.Email}, tx.Records().Put(kindNewsletter, emailKey(in.Email), map[string]string{
			"email": in.Email, "created_at": timestamp(tx.Now())})
	})
}
