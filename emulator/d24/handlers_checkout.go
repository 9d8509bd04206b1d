package d24

import (
	"context"
	"errors"
	"hash/fnv"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// checkoutTemplate is the hosted checkout: the sandbox's pay / decline /
// expire buttons, usable with a plain form POST (action=pay|decline|expire);
// parsed on first use.
var checkoutTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("checkout").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>D24 checkout {{.DepositID}}</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto}button{margin-right:.5rem;padding:.5rem 1rem}</style></head>
<body><h1>D24 sandbox checkout</h1>
<p>Deposit <b id="deposit-id">{{.DepositID}}</b> · invoice {{.InvoiceID}}</p>
<p>Amount <b>{{printf "%.2f" .LocalAmount}} {{.Currency}}</b> · status <b id="status">{{.Status}}</b></p>
{{if .Open}}<form method="post">
<fieldset><legend>Your details</legend>
<p><label>First name <input name="first_name" value="{{.Form.FirstName}}"></label></p>
<p><label>Last name <input name="last_name" value="{{.Form.LastName}}"></label></p>
<p><label>Email <input name="email" type="email" value="{{.Form.Email}}"></label></p>
<p><label>Document <input name="document" value="{{.Form.Document}}"></label>
<label>type <input name="document_type" value="{{.Form.DocumentType}}" size="6"></label></p>
</fieldset>
<button name="action" value="pay">Pay</button>
<button name="action" value="decline">Decline</button>
<button name="action" value="expire">Let it expire</button>
</form>{{else}}<p>This deposit can no longer be paid.</p>{{end}}
</body></html>`))
})

// checkoutView feeds the template.
type checkoutView struct {
	Deposit
	Open bool
	Form Payer // the payer fields as prefilled
}

// Defaults the page prefills when the merchant sent no payer data, so a
// plain form POST pays as a browser submitting the page would.
const (
	defaultFirstName = "Sandbox"
	defaultLastName  = "Payer"
	defaultEmail     = "payer@example.com"
)

// prefill is the payer the page shows: the merchant's data, then defaults.
func prefill(p Payer) Payer {
	if p.FirstName == "" {
		p.FirstName = defaultFirstName
	}
	if p.LastName == "" {
		p.LastName = defaultLastName
	}
	if p.Email == "" {
		p.Email = defaultEmail
	}
	return p
}

// pagePayer is the payer after the page: the prefilled data overridden by
// what was entered.
func pagePayer(d *Deposit, form url.Values) (Payer, string) {
	p := prefill(d.Payer)
	for field, dst := range map[string]*string{
		"first_name": &p.FirstName, "last_name": &p.LastName, "email": &p.Email,
		"document": &p.Document, "document_type": &p.DocumentType,
	} {
		if v := strings.TrimSpace(form.Get(field)); v != "" {
			*dst = v
		}
	}
	if !emailRE.MatchString(p.Email) {
		return p, "email: must be a valid email address"
	}
	if problem := documentProblem(d.Country, p.Document, p.DocumentType); problem != "" {
		return p, "document: " + problem
	}
	return p, ""
}

// pageUserID is the user id D24 gives a payer who identified on the page:
// the merchant's payer.id, else the document, else one derived from the
// email so the same payer keeps the same id (inferred).
func pageUserID(p Payer) string {
	if id := userID(&p); id != "" {
		return id
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(p.Email)))
	return strconv.FormatUint(uint64(h.Sum32()%90000000+10000000), 10)
}

// checkoutDeposit finds the tenant and deposit of a checkout URL.
func (p *Provider) checkoutDeposit(ctx context.Context, r *http.Request) (string, Deposit, error) {
	return p.tokenDeposit(ctx, r, kindCheckout)
}

// tokenDeposit finds the tenant and the deposit of a page URL whose last
// segment is a token recorded under kind (a checkout or a 3DS challenge).
func (p *Provider) tokenDeposit(ctx context.Context, r *http.Request, kind string) (string, Deposit, error) {
	token := path.Base(r.URL.Path)
	var d Deposit
	tenant, ok := tokenTenant(token)
	if !ok {
		return "", d, platform.ErrNotFound
	}
	err := p.mount.View(ctx, tenant, func(tx *platform.Tx) error {
		var id int64
		if ok, err := tx.Records().Get(kind, token, &id); err != nil || !ok {
			if err == nil {
				err = platform.ErrNotFound
			}
			return err
		}
		ok, err := tx.Records().Get(kindDeposit, strconv.FormatInt(id, 10), &d)
		if err == nil && !ok {
			err = platform.ErrNotFound
		}
		return err
	})
	return tenant, d, err
}

func open(status string) bool {
	switch status {
	case "CREATED", "INITIATED", "PENDING", "EARLY_RELEASED":
		return true
	}
	return false
}

func (p *Provider) checkoutPage(w http.ResponseWriter, r *http.Request) {
	_, d, err := p.checkoutDeposit(r.Context(), r)
	if err != nil {
		http.Error(w, "checkout not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	checkoutTemplate().Execute(w, checkoutView{Deposit: d, Open: open(d.Status), Form: prefill(d.Payer)})
}

// checkoutAction pays, declines or expires the deposit, as the payer (or
// the sandbox panel) would, then shows the page again.
func (p *Provider) checkoutAction(w http.ResponseWriter, r *http.Request) {
	tenant, d, err := p.checkoutDeposit(r.Context(), r)
	if err != nil {
		http.Error(w, "checkout not found", http.StatusNotFound)
		return
	}
	status := map[string]string{"pay": "COMPLETED", "decline": "CANCELLED", "expire": "EXPIRED"}[r.FormValue("action")]
	if status == "" {
		http.Error(w, "action must be pay, decline or expire", http.StatusBadRequest)
		return
	}
	if !open(d.Status) {
		http.Error(w, "deposit is "+d.Status, http.StatusConflict)
		return
	}
	payer, problem := pagePayer(&d, r.PostForm)
	if status == "COMPLETED" && problem != "" {
		http.Error(w, problem, http.StatusBadRequest)
		return
	}
	id := strconv.FormatInt(d.DepositID, 10)
	err = p.mount.Update(r.Context(), tenant, func(tx *platform.Tx) error {
		if status == "COMPLETED" {
			// The payer identified on the page: the status reports it.
			var cur Deposit
			if ok, err := tx.Records().Get(kindDeposit, id, &cur); err != nil || !ok {
				if err == nil {
					err = platform.ErrNotFound
				}
				return err
			}
			cur.Payer, cur.UserID, cur.CurrentPayerVerification = payer, pageUserID(payer), "UNMATCHED"
			if err := tx.Records().Put(kindDeposit, id, cur); err != nil {
				return err
			}
		}
		return p.setDepositStatus(tx, id, status, nil)
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		http.Error(w, "could not update the deposit", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
}
