// Package merchant is a small shop backend that takes payments through D24
// (Directa24) deposits v3: it creates a deposit, receives D24's
// notification, and asks D24 for the deposit's status, as D24's
// integration guide prescribes (a notification only says "something
// changed": the status comes from the API).
//
// merchant_test.go runs it against fakeprovider in-process with
// fakeprovidertest: copy both files as a starting point.
package merchant

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Signer sets D24's auth headers on a request (X-Login, X-Date,
// Authorization over the body). In production it is your D24 client's
// signing code; in tests fakeprovidertest's Sign does it with the tenant's
// credentials, choosing the key D24 expects for the path.
type Signer func(req *http.Request, body []byte) error

// Merchant is the shop backend.
type Merchant struct {
	// BaseURL of D24's API, e.g. https://api-stg.directa24.com or
	// srv.URL("d24") of fakeprovider.
	BaseURL string
	// NotificationURL is where D24 posts deposit notifications (the
	// merchant's Handler).
	NotificationURL string
	Sign            Signer
	Client          *http.Client

	mu       sync.Mutex
	statuses map[string]string // deposit id → last status fetched
	notified chan string
}

// New returns a merchant.
func New(baseURL string, sign Signer) *Merchant {
	return &Merchant{BaseURL: strings.TrimRight(baseURL, "/"), Sign: sign, Client: http.DefaultClient,
		statuses: map[string]string{}, notified: make(chan string, 16)}
}

// Deposit is D24's answer to a deposit creation.
type Deposit struct {
	DepositID         json.Number `json:"deposit_id"`
	CheckoutType      string      `json:"checkout_type"`
	RedirectURL       string      `json:"redirect_url"`
	UserID            string      `json:"user_id"`
	MerchantInvoiceID string      `json:"merchant_invoice_id"`
}

// CreateDeposit asks D24 for a deposit of amount for the order invoiceID;
// the customer is then sent to RedirectURL.
func (m *Merchant) CreateDeposit(ctx context.Context, invoiceID string, amount float64, country, currency string) (*Deposit, error) {
	body, _ := json.Marshal(map[string]any{
		"invoice_id": invoiceID,
		"amount":     amount,
		"country":    country,
		"currency":   currency,
		// With a payment method and the payer's data the deposit is ONE_SHOT:
		// PENDING at once, waiting for the customer's Pix payment.
		"payment_method": "IX",
		"payer": map[string]any{
			"id":            "customer42",
			"document":      "84932568207", // a CPF with valid check digits
			"document_type": "CPF",
			"first_name":    "Ricardo",
			"last_name":     "Carrasco",
			"email":         "ricardo@example.com",
		},
		"description":      "Order " + invoiceID,
		"client_ip":        "203.0.113.7",
		"notification_url": m.NotificationURL,
		"success_url":      "https://shop.example.com/success",
		"back_url":         "https://shop.example.com/back",
		"error_url":        "https://shop.example.com/error",
	})
	var d Deposit
	if err := m.call(ctx, http.MethodPost, "/v3/deposits", body, &d); err != nil {
		return nil, err
	}
	if d.DepositID == "" {
		return nil, fmt.Errorf("d24: no deposit_id in the answer")
	}
	return &d, nil
}

// Status fetches a deposit's status (e.g. PENDING, COMPLETED, CANCELLED).
func (m *Merchant) Status(ctx context.Context, depositID string) (string, error) {
	var v struct {
		Status string `json:"status"`
	}
	if err := m.call(ctx, http.MethodGet, "/v3/deposits/"+url.PathEscape(depositID), nil, &v); err != nil {
		return "", err
	}
	m.mu.Lock()
	m.statuses[depositID] = v.Status
	m.mu.Unlock()
	return v.Status, nil
}

// Handler receives D24's deposit notifications: it reads the deposit id
// (JSON or form body), answers 200 at once, and fetches the status.
func (m *Merchant) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		id := depositIDOf(raw)
		if id == "" {
			http.Error(w, "no deposit_id", http.StatusBadRequest)
			return
		}
		if _, err := m.Status(r.Context(), id); err != nil {
			// D24 retries a notification that is not answered 200.
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
		select {
		case m.notified <- id:
		default:
		}
	})
}

// Notified returns the ids of notified deposits as they arrive.
func (m *Merchant) Notified() <-chan string { return m.notified }

// Known returns the last status fetched for a deposit.
func (m *Merchant) Known(depositID string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.statuses[depositID]
}

func depositIDOf(raw []byte) string {
	var v struct {
		DepositID json.Number `json:"deposit_id"`
	}
	if json.Unmarshal(raw, &v) == nil && v.DepositID != "" {
		return v.DepositID.String()
	}
	if q, err := url.ParseQuery(string(raw)); err == nil {
		return q.Get("deposit_id")
	}
	return ""
}

func (m *Merchant) call(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, m.BaseURL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := m.Sign(req, body); err != nil {
		return err
	}
	resp, err := m.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("d24: %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(out)
}
