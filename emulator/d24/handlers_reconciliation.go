package d24

import (
	"crypto/subtle"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// The Reconciliation API (merchants-api…) is a host of its own: a
// reconciliation user logs in with its email and password, gets a
// BEARER_TOKEN cookie, and lists the deposits, cashouts and refunds the
// merchant made, by creation date.

// Record kind of reconciliation sessions (id = the BEARER_TOKEN).
const kindReconSession = "recon_session"

const (
	// reconMaxRows is a list page's size (maxRows in the answers).
	reconMaxRows = 50
	// reconMaxWindow is the longest from–to interval.
	reconMaxWindow = 60 * 24 * time.Hour
	// reconMaxSessions bounds a tenant's open sessions; a login beyond it
	// closes the oldest.
	reconMaxSessions = 50
	// reconCookie is the session cookie's name.
	reconCookie = "BEARER_TOKEN"
)

// ReconError is the Reconciliation API's error: {"code","description"}
// (code absent where the docs give none).
type ReconError struct {
	HTTP        int    `json:"-"`
	Code        int    `json:"code,omitempty"`
	Description string `json:"description"`
}

func (e *ReconError) Error() string { return e.Description }

var (
	errReconCredentials = &ReconError{HTTP: http.StatusPreconditionFailed, Code: 11, Description: "You have typed wrong credentials, or the user is either locked or inactive"}
	errReconDates       = &ReconError{HTTP: http.StatusPreconditionFailed, Code: 17, Description: "Date from must be before date to"}
	errReconPrivileges  = &ReconError{HTTP: http.StatusForbidden, Code: 26, Description: "Access denied. The user has insufficient privileges"}
	errReconToken       = &ReconError{HTTP: http.StatusUnauthorized, Description: "The token is expired or incorrect"}
	errReconWindow      = &ReconError{HTTP: http.StatusPreconditionFailed, Description: "Date period must be smaller than 60 days"}
	// The API codes page pairs 83 with no HTTP status: 403 is the page's
	// "Your IP may not be whitelisted", 412 its "configured for Merchants
	// API usage" (inferred).
	errReconLocation = &ReconError{HTTP: http.StatusForbidden, Code: 83, Description: "You are not permitted to log in from this location, please contact your account administrator"}
	errReconUserType = &ReconError{HTTP: http.StatusPreconditionFailed, Code: 96, Description: "The user type is incorrect"}
)

func errReconCountry(cc string) *ReconError {
	return &ReconError{HTTP: http.StatusPreconditionFailed, Code: 19, Description: "Provided ISO country " + cc + " is not valid"}
}

func errReconParam(name, want string) *ReconError {
	return &ReconError{HTTP: http.StatusBadRequest, Description: "Bad Request: " + name + " must be " + want}
}

// reconSession is a logged-in reconciliation user.
type reconSession struct {
	IDUser     int64     `json:"idUser"`
	Username   string    `json:"username"`
	IDMerchant int64     `json:"idMerchant"`
	Created    time.Time `json:"created"`
}

// loginAnswer is the login (and switchContext) answer, in the docs' order.
type loginAnswer struct {
	IDUser     int64  `json:"idUser"`
	Username   string `json:"username"`
	IDMerchant int64  `json:"idMerchant"`
}

// merchantID is the tenant's MID and userID its reconciliation user's id:
// stable numbers derived from the tenant.
func merchantID(tenant string) int64 { return 1000 + int64(hash32("mid:"+tenant)%900000) }
func reconUserID(tenant string) int64 {
	return 100 + int64(hash32("user:"+tenant)%900000)
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// verifyReconLogin checks the login body's accessKey (the API user's email)
// and secretKey (its password).
func (p *Provider) verifyReconLogin(r *http.Request, body []byte) (platform.Caller, error) {
	var in struct {
		AccessKey string `json:"accessKey"`
		SecretKey string `json:"secretKey"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return platform.Caller{}, platform.Deny(errReconParam("the body", `{"accessKey":"…","secretKey":"…"}`), "the login body is not a JSON object: %v", err)
	}
	email := strings.ToLower(strings.TrimSpace(in.AccessKey))
	if email == "" {
		return platform.Caller{}, platform.Deny(errReconCredentials, "accessKey is empty")
	}
	tenant, creds, found := credentials.Lookup(p.deps.Tenants, Name, "recon:"+email)
	if !found {
		return platform.Caller{}, platform.Deny(errReconCredentials, "accessKey %q is the reconciliation user of no tenant", in.AccessKey)
	}
	if creds.ReconciliationPassword == "" || !constantEqual(in.SecretKey, creds.ReconciliationPassword) {
		return platform.Caller{}, &platform.AuthError{Public: errReconCredentials, Tenant: tenant, Reason: "secretKey is not the password of reconciliation user " + quote(in.AccessKey)}
	}
	// The panel's settings of the user, checked after its password (the
	// order is inferred): the IP whitelist (83), then the user type (96).
	var settings Panel
	if err := p.mount.View(r.Context(), tenant, func(tx *platform.Tx) (err error) { settings, err = panel(tx); return }); err != nil {
		return platform.Caller{}, err
	}
	if !settings.allows(remoteAddr(r)) {
		return platform.Caller{}, &platform.AuthError{Public: errReconLocation, Tenant: tenant,
			Reason: "remote address " + r.RemoteAddr + " is not in the reconciliation user's IP whitelist (PUT /_fakeprovider/d24/panel)"}
	}
	if settings.userType() != reconUserAPI {
		return platform.Caller{}, &platform.AuthError{Public: errReconUserType, Tenant: tenant,
			Reason: "reconciliation user " + quote(in.AccessKey) + " is of type " + settings.userType() + ", not API (PUT /_fakeprovider/d24/panel)"}
	}
	return platform.Caller{Tenant: tenant, Key: creds.ReconciliationEmail, Creds: creds}, nil
}

// remoteAddr is the address the request came from (the connection's, as
// the real service sees it; forwarding headers are not trusted).
func remoteAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	a, _ := netip.ParseAddr(r.RemoteAddr)
	return a.Unmap()
}

// sessionToken is the BEARER_TOKEN sent as a Bearer header or the cookie.
func sessionToken(r *http.Request) string {
	if auth, _ := headerValue(r, "Authorization"); auth != "" {
		if t, ok := strings.CutPrefix(auth, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
	}
	if c, err := r.Cookie(reconCookie); err == nil {
		return c.Value
	}
	return ""
}

// verifyReconSession checks the BEARER_TOKEN of a logged-in user.
func (p *Provider) verifyReconSession(r *http.Request, body []byte) (platform.Caller, error) {
	token := sessionToken(r)
	if token == "" {
		return platform.Caller{}, platform.Deny(errReconToken, "no Authorization: Bearer <BEARER_TOKEN> header and no BEARER_TOKEN cookie")
	}
	tenant, ok := tokenTenant(token)
	if ok {
		_, ok = p.deps.Tenants.Credentials(tenant, Name)
	}
	if !ok {
		return platform.Caller{}, platform.Deny(errReconToken, "BEARER_TOKEN %q was not issued by the login endpoint", token)
	}
	var s reconSession
	err := p.mount.View(r.Context(), tenant, func(tx *platform.Tx) error {
		found, err := tx.Records().Get(kindReconSession, token, &s)
		if err == nil && !found {
			ok = false
		}
		return err
	})
	if err != nil {
		return platform.Caller{}, err
	}
	if !ok {
		return platform.Caller{}, &platform.AuthError{Public: errReconToken, Tenant: tenant, Reason: "BEARER_TOKEN is not an open session (logged out, or closed by newer logins)"}
	}
	return platform.Caller{Tenant: tenant, Key: s.Username, User: s}, nil
}

func (p *Provider) reconLogin(req *platform.Request) (any, error) {
	creds := credentials.Caller(req.Caller)
	tenant := req.Tenant()
	token := checkoutToken(tenant)
	s := reconSession{IDUser: reconUserID(tenant), Username: creds.ReconciliationEmail, IDMerchant: merchantID(tenant)}
	return req.Commit(func(tx *platform.Tx) (any, error) {
		s.Created = tx.Now()
		if err := closeOldSessions(tx); err != nil {
			return nil, err
		}
		if err := tx.Records().Put(kindReconSession, token, s); err != nil {
			return nil, err
		}
		cookie := (&http.Cookie{Name: reconCookie, Value: token, Path: "/", HttpOnly: true}).String()
		return &platform.Response{Status: http.StatusOK, Header: http.Header{"Set-Cookie": {cookie}},
			Body: loginAnswer{s.IDUser, s.Username, s.IDMerchant}}, nil
	})
}

// closeOldSessions keeps a tenant below reconMaxSessions open sessions.
func closeOldSessions(tx *platform.Tx) error {
	type open struct {
		token   string
		created time.Time
	}
	var all []open
	err := tx.Records().ForEach(kindReconSession, func(id string, raw []byte) error {
		var s reconSession
		if json.Unmarshal(raw, &s) == nil {
			all = append(all, open{id, s.Created})
		}
		return nil
	})
	if err != nil || len(all) < reconMaxSessions {
		return err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].created.Before(all[j].created) })
	for _, o := range all[:len(all)-reconMaxSessions+1] {
		if err := tx.Records().Delete(kindReconSession, o.token); err != nil {
			return err
		}
	}
	return nil
}

func (p *Provider) reconSwitchContext(req *platform.Request) (any, error) {
	s, _ := platform.UserOf[reconSession](req.Caller)
	mid, err := strconv.ParseInt(req.Var("mid"), 10, 64)
	if err != nil || mid != merchantID(req.Tenant()) {
		return nil, errReconPrivileges // the user belongs to its own MID only
	}
	return loginAnswer{s.IDUser, s.Username, mid}, nil
}

func (p *Provider) reconLogout(req *platform.Request) (any, error) {
	token := sessionToken(req.Request)
	err := req.Update(func(tx *platform.Tx) error { return tx.Records().Delete(kindReconSession, token) })
	if err != nil {
		return nil, err
	}
	cookie := (&http.Cookie{Name: reconCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true}).String()
	return &platform.Response{Status: http.StatusOK, Header: http.Header{"Set-Cookie": {cookie}}, Raw: []byte{}, ContentType: "application/json"}, nil
}

// reconCountries are the ISO codes D24 operates in (the country filter's
// valid values) with the names the lists show.
var reconCountries = map[string]string{
	"AR": "Argentina", "BO": "Bolivia", "BR": "Brazil", "CA": "Canada", "CL": "Chile", "CN": "China", "CO": "Colombia",
	"CR": "Costa Rica", "CI": "Ivory Coast", "DO": "Dominican Republic", "EC": "Ecuador", "SV": "El Salvador", "GH": "Ghana",
	"GT": "Guatemala", "IN": "India", "ID": "Indonesia", "JP": "Japan", "KE": "Kenya", "MY": "Malaysia", "MX": "Mexico",
	"NI": "Nicaragua", "NG": "Nigeria", "PA": "Panama", "PE": "Peru", "PY": "Paraguay", "PH": "Philippines", "SG": "Singapore",
	"ZA": "South Africa", "TZ": "Tanzania", "TH": "Thailand", "UG": "Uganda", "UY": "Uruguay", "VE": "Venezuela", "VN": "Vietnam",
}

// reconQuery is a list request's filters.
type reconQuery struct {
	from, to                             time.Time
	page                                 int
	country, method, status, clientDocID string
}

// parseReconQuery reads from/to (Unix seconds), page and the filters.
func parseReconQuery(q url.Values, now time.Time) (reconQuery, error) {
	var out reconQuery
	unix := func(name string) (time.Time, bool, error) {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return time.Time{}, false, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return time.Time{}, false, errReconParam(name, "a Unix timestamp in seconds")
		}
		return time.Unix(n, 0).UTC(), true, nil
	}
	from, hasFrom, err := unix("from")
	if err != nil {
		return out, err
	}
	to, hasTo, err := unix("to")
	if err != nil {
		return out, err
	}
	switch {
	case !hasFrom && !hasTo:
		to, from = now, now.Add(-reconMaxWindow)
	case !hasFrom:
		from = to.Add(-reconMaxWindow)
	case !hasTo:
		to = from.Add(reconMaxWindow)
	}
	if from.After(to) {
		return out, errReconDates
	}
	if to.Sub(from) > reconMaxWindow {
		return out, errReconWindow
	}
	out.from, out.to = from, to
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return out, errReconParam("page", "a page number from 0")
		}
		out.page = n
	}
	if cc := strings.ToUpper(strings.TrimSpace(q.Get("country"))); cc != "" {
		if _, ok := reconCountries[cc]; !ok {
			return out, errReconCountry(q.Get("country"))
		}
		out.country = cc
	}
	out.method = strings.ToUpper(strings.TrimSpace(q.Get("paymentMethod")))
	out.status = strings.ToUpper(strings.TrimSpace(q.Get("status")))
	out.clientDocID = strings.TrimSpace(q.Get("clientDocument"))
	return out, nil
}

// in reports whether a creation time is inside [from, to].
func (q reconQuery) in(t time.Time) bool { return !t.Before(q.from) && !t.After(q.to) }

// reconPage is a list answer: {page, rows, maxRows, data}.
type reconPage struct {
	Page    int   `json:"page"`
	Rows    int   `json:"rows"`
	MaxRows int   `json:"maxRows"`
	Data    []any `json:"data"`
}

// item is one list row with its sort key.
type item struct {
	created time.Time
	id      int64
	row     any
}

// pageOf sorts rows by creation and cuts the requested page.
func pageOf(rows []item, page int) reconPage {
	sort.Slice(rows, func(i, j int) bool {
		if !rows[i].created.Equal(rows[j].created) {
			return rows[i].created.Before(rows[j].created)
		}
		return rows[i].id < rows[j].id
	})
	out := reconPage{Page: page, MaxRows: reconMaxRows, Data: []any{}}
	start := page * reconMaxRows
	for i := start; i < len(rows) && i < start+reconMaxRows; i++ {
		out.Data = append(out.Data, rows[i].row)
	}
	out.Rows = len(out.Data)
	return out
}

// recDate is the lists' date format.
func recDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// lastChange is a record's last change, its creation when never changed.
func lastChange(updated, created time.Time) time.Time {
	if updated.IsZero() {
		return created
	}
	return updated
}

// reconDeposit is a row of GET /v1/deposits, in the docs' order.
type reconDeposit struct {
	IDDeposit                  int64    `json:"idDeposit"`
	ExternalID                 string   `json:"externalId"`
	CreationDate               string   `json:"creationDate"`
	CountryName                string   `json:"countryName"`
	Country                    string   `json:"country"`
	PaymentMethodName          string   `json:"paymentMethodName"`
	PaymentMethodCode          string   `json:"paymentMethodCode"`
	RequestedPaymentMethod     string   `json:"requestedPaymentMethod"`
	RequestedPaymentMethodName string   `json:"requestedPaymentMethodName"`
	ClientDocument             string   `json:"clientDocument"`
	Amount                     float64  `json:"amount"`
	Currency                   string   `json:"currency"`
	RequestedAmount            float64  `json:"requestedAmount"`
	RequestedCurrency          string   `json:"requestedCurrency"`
	LocalAmount                float64  `json:"localAmount"`
	LocalCurrency              string   `json:"localCurrency"`
	Fee                        float64  `json:"fee"`
	FeeCurrency                string   `json:"feeCurrency"`
	LastChangeDate             string   `json:"lastChangeDate"`
	Status                     string   `json:"status"`
	IDUser                     string   `json:"idUser"`
	Flags                      []string `json:"flags"`
	IDMerchant                 int64    `json:"idMerchant"`
	MerchantName               string   `json:"merchantName"`
	RefundAttempted            bool     `json:"refundAttempted"`
}

func merchantName(tenant string) string { return "Merchant " + tenant }

func (p *Provider) reconDeposits(req *platform.Request) (any, error) {
	q, err := parseReconQuery(req.URL.Query(), req.Now())
	if err != nil {
		return nil, err
	}
	tenant := req.Tenant()
	rows, err := reconWalk(req, kindDeposit, func(_ *platform.Tx, d *Deposit) (*item, error) {
		if !q.in(d.Created) || (q.country != "" && d.Country != q.country) || (q.method != "" && d.PaymentMethod != q.method) ||
			(q.status != "" && d.Status != q.status) || (q.clientDocID != "" && d.Payer.Document != q.clientDocID) {
			return nil, nil
		}
		name := ""
		if m, ok := countries[d.Country].method(d.PaymentMethod); ok {
			name = m.Name
		}
		fee := 0.0
		if d.FeeAmount != nil {
			fee = *d.FeeAmount
		}
		requested, requestedCur := d.LocalAmount, d.Currency
		if d.RequestedCurrency == "USD" {
			requested, requestedCur = d.USDAmount, "USD"
		}
		return &item{d.Created, d.DepositID, reconDeposit{
			IDDeposit: d.DepositID, ExternalID: d.InvoiceID, CreationDate: recDate(d.Created),
			CountryName: reconCountries[d.Country], Country: d.Country,
			PaymentMethodName: name, PaymentMethodCode: d.PaymentMethod,
			RequestedPaymentMethod: d.PaymentMethod, RequestedPaymentMethodName: name,
			ClientDocument: d.Payer.Document, Amount: d.USDAmount, Currency: "USD",
			RequestedAmount: requested, RequestedCurrency: requestedCur, LocalAmount: d.LocalAmount, LocalCurrency: d.Currency,
			Fee: fee, FeeCurrency: "USD", LastChangeDate: recDate(lastChange(d.Updated, d.Created)), Status: d.Status,
			IDUser: d.UserID, Flags: []string{}, IDMerchant: merchantID(tenant), MerchantName: merchantName(tenant),
			RefundAttempted: d.Refunded || d.RefundedAmount > 0,
		}}, nil
	})
	if err != nil {
		return nil, err
	}
	return pageOf(rows, q.page), nil
}

// reconCashout is a row of GET /v1/cashouts, in the docs' order.
type reconCashout struct {
	IDCashout        int64    `json:"idCashout"`
	ExternalID       string   `json:"externalId"`
	CreationDate     string   `json:"creationDate"`
	Country          string   `json:"country"`
	Currency         string   `json:"currency"`
	Amount           float64  `json:"amount"`
	CreditedCurrency string   `json:"creditedCurrency"`
	CreditedAmount   float64  `json:"creditedAmount"`
	MerchantCurrency string   `json:"merchantCurrency"`
	MerchantAmount   float64  `json:"merchantAmount"`
	FeeCurrency      string   `json:"feeCurrency"`
	Fee              float64  `json:"fee"`
	Tax              float64  `json:"tax"`
	LastChangeDate   string   `json:"lastChangeDate"`
	Status           string   `json:"status"`
	ClientDocument   string   `json:"clientDocument"`
	Flags            []string `json:"flags"`
	IDMerchant       int64    `json:"idMerchant"`
	MerchantName     string   `json:"merchantName"`
	Reason           string   `json:"reason"`
	ExistVoucher     bool     `json:"existVoucher"`
}

// cashoutStatusNames are the status names the cashout list shows.
var cashoutStatusNames = map[int]string{
	cashoutPending: "PENDING", cashoutCompleted: "COMPLETED", cashoutCancelled: "CANCELLED",
	cashoutRejected: "REJECTED", cashoutDelivered: "DELIVERED", cashoutOnHold: "ON_HOLD",
}

func (p *Provider) reconCashouts(req *platform.Request) (any, error) {
	q, err := parseReconQuery(req.URL.Query(), req.Now())
	if err != nil {
		return nil, err
	}
	tenant := req.Tenant()
	rows, err := reconWalk(req, kindCashout, func(_ *platform.Tx, c *Cashout) (*item, error) {
		status := cashoutStatusNames[c.Status]
		if !q.in(c.Created) || (q.country != "" && c.Country != q.country) || (q.status != "" && status != q.status) || (q.clientDocID != "" && c.Document != q.clientDocID) {
			return nil, nil
		}
		n, _ := strconv.ParseInt(c.CashoutID, 10, 64)
		row := reconCashout{IDCashout: n, ExternalID: c.ExternalID, CreationDate: recDate(c.Created), Country: c.Country,
			Currency: c.Currency, Amount: c.Amount, CreditedCurrency: c.Currency, MerchantCurrency: "USD", FeeCurrency: "USD",
			LastChangeDate: recDate(lastChange(c.Updated, c.Created)), Status: status, ClientDocument: c.Document, Flags: []string{}, IDMerchant: merchantID(tenant),
			MerchantName: merchantName(tenant), Reason: c.RejectionReason}
		if c.Status == cashoutCompleted {
			row.CreditedAmount, row.MerchantAmount = c.Amount, c.Amount
			if cc, ok := countries[c.Country]; ok && c.Currency != "USD" {
				_, row.MerchantAmount = cc.amounts(c.Amount, c.Currency)
			}
		}
		return &item{c.Created, n, row}, nil
	})
	if err != nil {
		return nil, err
	}
	return pageOf(rows, q.page), nil
}

// reconRefund is a row of GET /v1/refunds, in the docs' order.
type reconRefund struct {
	Amount            float64 `json:"amount"`
	Beneficiary       string  `json:"beneficiary,omitempty"`
	BankName          string  `json:"bankName,omitempty"`
	BranchNumber      string  `json:"branchNumber,omitempty"`
	RefundCurrency    string  `json:"refundCurrency"`
	BankAccount       string  `json:"bankAccount,omitempty"`
	AccountType       string  `json:"accountType,omitempty"`
	Comments          string  `json:"comments,omitempty"`
	ID                int64   `json:"id"`
	IDBoleto          int64   `json:"idBoleto"`
	IDMerchant        int64   `json:"idMerchant"`
	Date              string  `json:"date"`
	LastChangeDate    string  `json:"lastChangeDate"`
	Country           string  `json:"country"`
	PaymentMethod     string  `json:"paymentMethod"`
	Status            string  `json:"status"`
	AmountType        string  `json:"amountType"`
	MerchantName      string  `json:"merchantName"`
	BankCode          string  `json:"bankCode,omitempty"`
	Type              string  `json:"type"`
	APIVersion        string  `json:"apiVersion"`
	AllowPixAPIRefund bool    `json:"allowPixApiRefund"`
}

func (p *Provider) reconRefunds(req *platform.Request) (any, error) {
	q, err := parseReconQuery(req.URL.Query(), req.Now())
	if err != nil {
		return nil, err
	}
	if q.clientDocID != "" {
		return nil, errReconParam("clientDocument", "absent: the refunds list has no such filter")
	}
	tenant := req.Tenant()
	rows, err := reconWalk(req, kindRefund, func(tx *platform.Tx, rf *Refund) (*item, error) {
		if !q.in(rf.Created) {
			return nil, nil
		}
		var d Deposit
		if _, err := tx.Records().Get(kindDeposit, strconv.FormatInt(rf.DepositID, 10), &d); err != nil {
			return nil, err
		}
		if (q.country != "" && d.Country != q.country) || (q.method != "" && d.PaymentMethod != q.method) || (q.status != "" && rf.Status != q.status) {
			return nil, nil
		}
		row := reconRefund{Amount: rf.Amount, RefundCurrency: d.Currency, Comments: rf.Comments, ID: rf.RefundID, IDBoleto: rf.DepositID,
			IDMerchant: merchantID(tenant), Date: recDate(rf.Created), LastChangeDate: recDate(lastChange(rf.Updated, rf.Created)), Country: d.Country,
			PaymentMethod: d.PaymentMethod, Status: rf.Status, AmountType: "PARTIAL", MerchantName: merchantName(tenant),
			Type: "DEPOSIT", APIVersion: "API_V3"}
		if rf.Amount >= d.LocalAmount {
			row.AmountType = "TOTAL"
		}
		if b := rf.BankAccount; b != nil {
			row.Beneficiary, row.BranchNumber, row.BankAccount, row.AccountType, row.BankCode = b.Beneficiary, b.Branch, b.AccountNumber, b.AccountType, b.BankCode
			for _, bk := range countries[d.Country].Banks {
				if bk.Code == b.BankCode {
					row.BankName = bk.Name
				}
			}
		}
		return &item{rf.Created, rf.RefundID, row}, nil
	})
	if err != nil {
		return nil, err
	}
	return pageOf(rows, q.page), nil
}

// reconWalk is the walk of one reconciliation list: each of the tenant's
// records of kind, decoded as T, becomes the row keep makes of it (nil
// leaves it out). A record that cannot be decoded is skipped and logged by
// the store's walk, as in every other list.
func reconWalk[T any](req *platform.Request, kind string, keep func(tx *platform.Tx, rec *T) (*item, error)) ([]item, error) {
	var rows []item
	err := req.View(func(tx *platform.Tx) error {
		return tx.Records().ForEach(kind, func(_ string, raw []byte) error {
			var rec T
			if err := json.Unmarshal(raw, &rec); err != nil {
				return err
			}
			it, err := keep(tx, &rec)
			if it != nil {
				rows = append(rows, *it)
			}
			return err
		})
	})
	return rows, err
}

// constantEqual compares secrets in constant time.
func constantEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
