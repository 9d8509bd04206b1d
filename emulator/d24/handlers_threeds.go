package d24

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// challengeTemplate is the 3DS challenge of a card deposit whose result was
// PENDING_AUTHENTICATION: the payer authenticates or fails, and only then is
// the deposit notified. A plain form POST action=authenticate|fail works
// without a browser.
var challengeTemplate = template.Must(template.New("3ds").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>D24 3DS {{.DepositID}}</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto}button{margin-right:.5rem;padding:.5rem 1rem}</style></head>
<body><h1>D24 sandbox 3-D Secure</h1>
<p>Deposit <b id="deposit-id">{{.DepositID}}</b> · {{.Card.Brand}} {{.Card.MaskedCard}}</p>
<p>Amount <b>{{printf "%.2f" .LocalAmount}} {{.Currency}}</b> · status <b id="status">{{.Status}}</b></p>
{{if .Open}}<form method="post">
<button name="action" value="authenticate">Authenticate</button>
<button name="action" value="fail">Fail authentication</button>
</form>{{else}}<p>This authentication is over.</p>{{end}}
</body></html>`))

// challengeDeposit finds the tenant and the card deposit of a 3DS URL.
func (p *Provider) challengeDeposit(ctx context.Context, r *http.Request) (string, Deposit, error) {
	tenant, d, err := p.tokenDeposit(ctx, r, kindChallenge)
	if err == nil && d.Card == nil {
		err = platform.ErrNotFound
	}
	return tenant, d, err
}

// awaitingAuth: the challenge can still be answered.
func awaitingAuth(d *Deposit) bool { return d.CardResult == card3DS && d.Status == "PENDING" }

func (p *Provider) challengePage(w http.ResponseWriter, r *http.Request) {
	_, d, err := p.challengeDeposit(r.Context(), r)
	if err != nil {
		http.Error(w, "authentication not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	challengeTemplate.Execute(w, struct {
		Deposit
		Open bool
	}{d, awaitingAuth(&d)})
}

// challengeAction completes or fails the authentication: the deposit
// becomes COMPLETED or DECLINED and is notified.
func (p *Provider) challengeAction(w http.ResponseWriter, r *http.Request) {
	tenant, d, err := p.challengeDeposit(r.Context(), r)
	if err != nil {
		http.Error(w, "authentication not found", http.StatusNotFound)
		return
	}
	action := r.FormValue("action")
	if action != "authenticate" && action != "fail" {
		http.Error(w, "action must be authenticate or fail", http.StatusBadRequest)
		return
	}
	if !awaitingAuth(&d) {
		http.Error(w, "deposit is "+d.Status, http.StatusConflict)
		return
	}
	err = p.mount.Update(r.Context(), tenant, func(tx *platform.Tx) error {
		return p.finishChallenge(tx, strconv.FormatInt(d.DepositID, 10), action == "authenticate")
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		http.Error(w, "could not update the deposit", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
}

// finishChallenge records the authentication's outcome on the card and
// moves the deposit, which notifies.
func (p *Provider) finishChallenge(tx *platform.Tx, id string, ok bool) error {
	var d Deposit
	found, err := tx.Records().Get(kindDeposit, id, &d)
	if err != nil || !found || !awaitingAuth(&d) {
		return err
	}
	status := "COMPLETED"
	d.CardResult, d.Card.TransactionResult = cardSuccess, "Transaction Approved"
	if !ok {
		status = "DECLINED"
		d.CardResult, d.Card.TransactionResult = cardRejected, "3DS authentication failed"
	}
	if err := tx.Records().Put(kindDeposit, id, d); err != nil {
		return err
	}
	return p.setDepositStatus(tx, id, status, nil)
}
