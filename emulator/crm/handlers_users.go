package crm

import (
	"encoding/json"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// getUserRec loads a user or answers user_not_found.
func getUserRec(tx *platform.Tx, id string) (User, error) {
	return loadUser(id, tx.Records().Get)
}

func loadUser(id string, get func(kind, id string, v any) (bool, error)) (User, error) {
	var u User
	if !validID(id) {
		return u, errUserNotFound
	}
	ok, err := get(kindUser, id, &u)
	if err != nil {
		return u, err
	}
	if !ok {
		return u, errUserNotFound
	}
	return u, nil
}

// findReferrer resolves a referrer_id given as a client id or a referral
// code through the referral-code index, without reading every client.
func findReferrer(tx *platform.Tx, ref string) (User, error) {
	var u User
	if ok, err := tx.Records().Get(kindUser, ref, &u); err != nil || ok {
		return u, err
	}
	var id string
	if ok, err := tx.Records().Get(kindReferral, ref, &id); err != nil {
		return u, err
	} else if ok {
		if ok, err := tx.Records().Get(kindUser, id, &u); err != nil || ok {
			return u, err
		}
	}
	return User{}, errUserNotFound
}

func allUsers(tx *platform.Tx) ([]User, error) {
	var out []User
	err := tx.Records().ForEach(kindUser, func(_ string, raw []byte) error {
		var u User
		if err := json.Unmarshal(raw, &u); err != nil {
			return err
		}
		out = append(out, u)
		return nil
	})
	return out, err
}

// userListItem is a client as Get List of Client returns it.
type userListItem struct {
	ID              string              `json:"id"`
	Name            string              `json:"name"`
	Email           string              `json:"email"`
	Phone           Phone               `json:"phone"`
	Type            string              `json:"type"`
	GroupID         string              `json:"group_id"`
	GroupName       string              `json:"group_name"`
	ReferralCode    string              `json:"referral_code"`
	KYCStatus       string              `json:"kyc_status"`
	KYCProcessing   bool                `json:"kyc_processing"`
	TradingAccounts []TradingAccountRef `json:"trading_accounts"`
	ReferrerID      string              `json:"referrer_id"`
	ReferrerName    string              `json:"referrer_name"`
	DownlineCount   string              `json:"downline_count"`
	FirstOpenTime   string              `json:"first_open_time"`
	CreatedAt       string              `json:"created_at"`
}

func (u User) listItem() userListItem { return u.userListItem }

func (p *Provider) listUsers(req *platform.Request) (any, error) {
	q := req.URL.Query()
	skip, limit, err := paging(q, true)
	if err != nil {
		return nil, err
	}
	typ := q.Get("type")
	if typ != "" && typ != "ib" && typ != "trader" {
		return nil, invalid("type must be ib or trader")
	}
	suspended := false
	switch q.Get("suspended") {
	case "", "false", "0":
	case "true", "1":
		suspended = true
	default:
		return nil, invalid("suspended must be a boolean (true or false)")
	}
	var items []userListItem
	err = req.View(func(tx *platform.Tx) error {
		users, err := allUsers(tx)
		for _, u := range users {
			if (typ == "" || u.Type == typ) && u.Suspended == suspended {
				items = append(items, u.listItem())
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return page(items, skip, limit), nil
}

type person struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

func (p *Provider) getUser(req *platform.Request) (any, error) {
	// Only rendered: the decoded record is shared with other reads of the
	// same stored bytes (platform.Request.ReadShared), so its slices, maps
	// and pointers are read-only.
	u, err := loadUser(req.Var("id"), req.ReadShared)
	if err != nil {
		return nil, err
	}
	q := req.URL.Query()
	out := clientView{ID: u.ID, Name: u.Name, Email: u.Email, Phone: u.Phone, Type: u.Type,
		CreatedAt: u.CreatedAt, ReferralCode: u.ReferralCode, TradingAccounts: u.TradingAccounts}
	if q.Get("owner") == "true" {
		out.Owner = &person{u.ID, u.Name, u.Email}
	}
	if q.Get("participants") == "true" {
		out.Participants = &[]person{}
	}
	return out, nil
}

// clientView is Get Client's answer. Its fields are in sorted order, as
// the CRM's answer keys are (the answer used to be a map); a struct
// encodes several times faster.
type clientView struct {
	CreatedAt       string              `json:"created_at"`
	Email           string              `json:"email"`
	ID              string              `json:"id"`
	Name            string              `json:"name"`
	Owner           *person             `json:"owner,omitempty"`
	Participants    *[]person           `json:"participants,omitempty"`
	Phone           Phone               `json:"phone"`
	ReferralCode    string              `json:"referral_code"`
	TradingAccounts []TradingAccountRef `json:"trading_accounts"`
	Type            string              `json:"type"`
}

func (p *Provider) userDetails(req *platform.Request) (any, error) {
	var out json.RawMessage
	err := req.View(func(tx *platform.Tx) error {
		u, err := getUserRec(tx, req.Var("id"))
		out = u.Details
		return err
	})
	if len(out) == 0 || string(out) == "null" {
		out = json.RawMessage("[]")
	}
	return out, err
}

// userKYC answers the [GAP] Get Client KYC Details with the submitted KYC
// form fields, in the registration-details shape.
func (p *Provider) userKYC(req *platform.Request) (any, error) {
	out := []FormField{}
	err := req.View(func(tx *platform.Tx) error {
		u, err := getUserRec(tx, req.Var("id"))
		if err != nil {
			return err
		}
		var sub kycSubmission
		if ok, err := tx.Records().Get(kindKYC, u.ID, &sub); err != nil || !ok {
			return err
		}
		out = sub.Fields
		return nil
	})
	return out, err
}

type createUserBody struct {
	ID             string         `json:"id"`
	Email          string         `json:"email"`
	Name           string         `json:"name"`
	Phone          *Phone         `json:"phone"`
	Password       string         `json:"password"`
	RepeatPassword string         `json:"repeat_password"`
	UpdatePassword *bool          `json:"update_password"`
	FormID         string         `json:"form_id"`
	ReferrerID     string         `json:"referrer_id"`
	SendEmail      bool           `json:"send_email"`
	Language       string         `json:"language"`
	Type           string         `json:"type"`
	CustomFields   map[string]any `json:"custom_fields"`
}

func (b createUserBody) validate() error {
	var p problems
	p.add(checkID("id", b.ID, false))
	p.add(checkEmail(b.Email))
	// That repeat_password must equal password is not documented: the
	// password is what counts.
	if b.Password == "" {
		p.add(invalid("password is required"))
	}
	if b.RepeatPassword == "" {
		p.add(invalid("repeat_password is required"))
	}
	if b.UpdatePassword == nil {
		p.add(invalid("update_password is required"))
	}
	p.add(checkID("form_id", b.FormID, true))
	p.add(checkID("referrer_id", b.ReferrerID, false))
	if b.Type != "" && b.Type != "trader" && b.Type != "ib" {
		p.add(invalid("type must be trader or ib"))
	}
	p.add(checkLanguage(b.Language))
	return p.err()
}

// createUser is Create Client: 201 {"id":…}.
func (p *Provider) createUser(req *platform.Request) (any, error) {
	var b createUserBody
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	if err := b.validate(); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		u, err := p.insertUser(tx, b)
		if err != nil {
			return nil, err
		}
		return platform.Created(map[string]string{"id": u.ID}), nil
	})
}

// insertUser stores a new client (Create Client, approved registrations).
func (p *Provider) insertUser(tx *platform.Tx, b createUserBody) (User, error) {
	if b.ID != "" && tx.Records().GetRaw(kindUser, b.ID) != nil {
		return User{}, invalid("id is already taken")
	}
	var referrer *User
	if b.ReferrerID != "" {
		r, err := findReferrer(tx, b.ReferrerID)
		if err != nil {
			return User{}, err
		}
		referrer = &r
	}
	u := User{userListItem: userListItem{ID: b.ID, Email: b.Email, Name: b.Name, Type: b.Type}, FormID: b.FormID}
	if u.ID == "" {
		u.ID = newID()
	}
	if u.Type == "" {
		u.Type = "trader"
	}
	if b.Phone != nil {
		u.Phone = *b.Phone
	}
	u.PasswordHash = passwordHash(u.ID, b.Password)
	if u.Name == "" {
		first, _ := b.CustomFields["first_name"].(string)
		last, _ := b.CustomFields["last_name"].(string)
		u.Name = strings.TrimSpace(first + " " + last)
	}
	p.fakeUser(&u, tx.Now())
	if referrer != nil {
		u.ReferrerID, u.ReferrerName = referrer.ID, referrer.Name
		referrer.DownlineCount = itoa(atoi(referrer.DownlineCount) + 1)
		if err := tx.Records().Put(kindUser, referrer.ID, *referrer); err != nil {
			return User{}, err
		}
	}
	if err := tx.Records().Put(kindUser, u.ID, u); err != nil {
		return User{}, err
	}
	// The first client with a referral code keeps it, as a scan in key
	// order would find it.
	if u.ReferralCode != "" && tx.Records().GetRaw(kindReferral, u.ReferralCode) == nil {
		if err := tx.Records().Put(kindReferral, u.ReferralCode, u.ID); err != nil {
			return User{}, err
		}
	}
	if err := tx.Records().Put(kindBankcard, u.ID, []map[string]any{p.fakeBankcard(u.ID, tx.Now())}); err != nil {
		return User{}, err
	}
	return u, nil
}

type lineBody struct {
	UserID string `json:"user_id"`
	Email  string `json:"email"`
}

func findUser(tx *platform.Tx, b lineBody) (User, []User, error) {
	users, err := allUsers(tx)
	if err != nil {
		return User{}, nil, err
	}
	for _, u := range users {
		if (b.UserID != "" && u.ID == b.UserID) || (b.UserID == "" && b.Email != "" && strings.EqualFold(u.Email, b.Email)) {
			return u, users, nil
		}
	}
	return User{}, nil, errUserNotFound
}

type lineNode struct {
	ID        string     `json:"id"`
	Email     string     `json:"email"`
	Phone     Phone      `json:"phone"`
	Downlines []lineNode `json:"downlines"`
}

func downlineTree(u User, users []User, depth int) lineNode {
	n := lineNode{ID: u.ID, Email: u.Email, Phone: u.Phone, Downlines: []lineNode{}}
	if depth > 50 {
		return n
	}
	for _, c := range users {
		if c.ReferrerID == u.ID && c.ID != u.ID {
			n.Downlines = append(n.Downlines, downlineTree(c, users, depth+1))
		}
	}
	return n
}

func (p *Provider) readLineBody(req *platform.Request) (lineBody, error) {
	var b lineBody
	if err := decodeBody(req.Body, &b); err != nil {
		return b, err
	}
	if b.UserID == "" && b.Email == "" {
		return b, errUserNotFound
	}
	if b.UserID != "" && !validID(b.UserID) {
		return b, invalid("user_id must be 8 letters or digits")
	}
	return b, nil
}

// downlines is Get Downlines Information: the referral tree below a client.
func (p *Provider) downlines(req *platform.Request) (any, error) {
	b, err := p.readLineBody(req)
	if err != nil {
		return nil, err
	}
	var out lineNode
	err = req.View(func(tx *platform.Tx) error {
		u, users, err := findUser(tx, b)
		out = downlineTree(u, users, 0)
		return err
	})
	return out, err
}

type uplineNode struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone Phone  `json:"phone"`
}

// uplines is the [GAP] Get Uplines Information: the referrer chain.
func (p *Provider) uplines(req *platform.Request) (any, error) {
	b, err := p.readLineBody(req)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	err = req.View(func(tx *platform.Tx) error {
		u, users, err := findUser(tx, b)
		if err != nil {
			return err
		}
		byID := map[string]User{}
		for _, x := range users {
			byID[x.ID] = x
		}
		chain := []uplineNode{}
		seen := map[string]bool{u.ID: true}
		for ref := u.ReferrerID; ref != "" && !seen[ref]; {
			up, ok := byID[ref]
			if !ok {
				break
			}
			seen[ref] = true
			chain = append(chain, uplineNode{up.ID, up.Name, up.Email, up.Phone})
			ref = up.ReferrerID
		}
		out = map[string]any{"id": u.ID, "email": u.Email, "phone": u.Phone, "uplines": chain}
		return nil
	})
	return out, err
}

type kycSubmission struct {
	ID     string      `json:"id"`
	UserID string      `json:"user_id"`
	FormID string      `json:"form_id"`
	Fields []FormField `json:"fields"`
	Status string      `json:"status"`
}

// submitKYC is Submit Client KYC: the KYC profile goes to review.
func (p *Provider) submitKYC(req *platform.Request) (any, error) {
	var b struct {
		FormID       string         `json:"form_id"`
		CustomFields map[string]any `json:"custom_fields"`
		Phone        *Phone         `json:"phone"`
	}
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	if err := checkID("form_id", b.FormID, true); err != nil {
		return nil, err
	}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		u, err := getUserRec(tx, req.Var("id"))
		if err != nil {
			return nil, errAccountNotFound
		}
		if u.KYCProcessing || u.KYCStatus == "verified" {
			return nil, errKYCDuplicate
		}
		sub := kycSubmission{ID: newID(), UserID: u.ID, FormID: b.FormID, Status: "pending"}
		for _, k := range sortedKeys(b.CustomFields) {
			sub.Fields = append(sub.Fields, FormField{Key: k, Type: "text", Label: label(k), Value: b.CustomFields[k]})
		}
		if b.Phone != nil {
			u.Phone = *b.Phone
		}
		u.KYCProcessing = true
		if err := tx.Records().Put(kindKYC, u.ID, sub); err != nil {
			return nil, err
		}
		if err := tx.Records().Put(kindUser, u.ID, u); err != nil {
			return nil, err
		}
		return map[string]string{"id": sub.ID}, nil
	})
}
