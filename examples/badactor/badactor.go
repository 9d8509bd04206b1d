// Package badactor is a small crowdfunding platform that screens an issuer's
// officers with CrowdTrust's Bad Actor Check API: it starts a check, receives
// CrowdTrust's webhook when the check completes, and reads the result.
//
// badactor_test.go runs it against fakeprovider in-process with
// fakeprovidertest, moving the emulator's clock across the three days a
// delayed check takes.
package badactor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Signer sets CrowdTrust's auth headers (Date, Content-MD5, Authorization)
// on a request. In production it is your CrowdTrust client; in tests
// fakeprovidertest's Sign.
type Signer func(req *http.Request, body []byte) error

// Check is CrowdTrust's check object (its string-typed fields as sent).
type Check struct {
	SearchID               string `json:"searchId"`
	Status                 string `json:"status"` // Pending, Complete, Complete with Work History, Error
	BadActorCheckPass      string `json:"badActorCheckPass"`
	DisqualifyingEventDate string `json:"disqualifyingEventDate"`
	FirstName              string `json:"firstName"`
	LastName               string `json:"lastName"`
}

// Platform screens people with CrowdTrust.
type Platform struct {
	// BaseURL of the API (https://www.crowdtrust.com or the emulator); the
	// TEST environment is under /bacapi/test.
	BaseURL string
	Sign    Signer
	Client  *http.Client
	// Results receives checks as their webhooks arrive.
	Results chan Check
}

// New returns a platform.
func New(baseURL string, sign Signer) *Platform {
	return &Platform{BaseURL: strings.TrimRight(baseURL, "/"), Sign: sign, Client: http.DefaultClient, Results: make(chan Check, 16)}
}

// Screen starts a check of one person in the TEST environment.
func (p *Platform) Screen(ctx context.Context, first, last, birth, ssn string) (Check, error) {
	body, _ := json.Marshal(map[string]any{
		"firstName": first, "lastName": last, "dateOfBirth": birth, "ssn": ssn,
		"regulationType": "D", "platformName": "Example Crowdfunding",
	})
	var c Check
	err := p.call(ctx, http.MethodPost, "/bacapi/test/checks", body, &c)
	return c, err
}

// Get reads a check.
func (p *Platform) Get(ctx context.Context, searchID string) (Check, error) {
	var c Check
	err := p.call(ctx, http.MethodGet, "/bacapi/test/checks/"+searchID, nil, &c)
	return c, err
}

// Webhook receives CrowdTrust's notification: the check object.
func (p *Platform) Webhook() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var c Check
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&c); err != nil || c.SearchID == "" {
			http.Error(w, "bad check", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
		select {
		case p.Results <- c:
		default:
		}
	})
}

func (p *Platform) call(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.BaseURL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := p.Sign(req, body); err != nil {
		return err
	}
	resp, err := p.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("crowdtrust: %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return json.Unmarshal(raw, out)
}
