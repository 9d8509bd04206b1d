package crm

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// bankcards is Get All Bankcards: a bare array.
func (p *Provider) bankcards(req *platform.Request) (any, error) {
	cards := []map[string]any{}
	err := req.View(func(tx *platform.Tx) error {
		u, err := getUserRec(tx, req.Var("id"))
		if err != nil {
			return err
		}
		_, err = tx.Records().Get(kindBankcard, u.ID, &cards)
		return err
	})
	return cards, err
}

type competitor struct {
	UserID        string  `json:"user_id"`
	UserName      string  `json:"user_name"`
	Country       string  `json:"country"`
	ProfitPercent float64 `json:"profit_percent"`
	Suspend       bool    `json:"suspend"`
}

// leaderboard is Get Trading Competition Leader Board: the clients ranked
// by the profit of their trades over their balance.
func (p *Provider) leaderboard(req *platform.Request) (any, error) {
	q := req.URL.Query()
	if q.Get("competition_id") == "" {
		return nil, invalid("competition_id is required")
	}
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 0 || limit > maxLimit {
		return nil, invalid("limit is required and must be between 0 and 500")
	}
	if q.Get("competition_id") != CompetitionID {
		return nil, errCompetitionNotExists
	}
	var out []competitor
	err = req.View(func(tx *platform.Tx) error {
		profit := map[string]float64{}
		err := tx.Records().ForEach(kindTrade, func(_ string, raw []byte) error {
			var t Trade
			if err := json.Unmarshal(raw, &t); err != nil {
				return err
			}
			profit[t.CRMUser.ID] += t.Profit
			return nil
		})
		if err != nil {
			return err
		}
		users, err := allUsers(tx)
		for _, u := range users {
			if pr, ok := profit[u.ID]; ok {
				out = append(out, competitor{UserID: u.ID, UserName: u.Name, Country: u.Country,
					ProfitPercent: round2(pr / 10), Suspend: u.Suspended})
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b competitor) int {
		switch {
		case a.ProfitPercent > b.ProfitPercent:
			return -1
		case a.ProfitPercent < b.ProfitPercent:
			return 1
		}
		return 0
	})
	if len(out) > limit {
		out = out[:limit]
	}
	if out == nil {
		out = []competitor{}
	}
	return map[string]any{"competitors": out, "last_update_time": req.Now().UnixMilli()}, nil
}

// traderForm is Get Trader Registration Form.
func (p *Provider) traderForm(*platform.Request) (any, error) { return registrationForm(), nil }

var s3ContentTypes = []string{"image/png", "image/jpeg", "image/bmp", "image/vnd.microsoft.icon", "image/x-icon",
	"application/pdf", "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"text/csv", "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"text/plain", "application/gzip", "application/x-gzip"}

// s3Signature is Get AWS S3 signature: a presigned POST form for a document.
func (p *Provider) s3Signature(req *platform.Request) (any, error) {
	q := req.URL.Query()
	// The document id is "length 8" in one revision of the page and
	// "length 4" in the other: any id is accepted.
	if q.Get("id") == "" {
		return nil, invalid("id is required")
	}
	if !slices.Contains(s3ContentTypes, q.Get("content_type")) {
		return nil, invalid("content_type is not an accepted document type")
	}
	if q.Get("document") == "" {
		return nil, invalid("document is required")
	}
	if err := checkID("form_id", q.Get("form_id"), true); err != nil {
		return nil, err
	}
	now := req.Now().UTC()
	key := "crm/" + req.Tenant() + "/" + q.Get("form_id") + "/" + q.Get("id") + "/" + q.Get("document")
	date := now.Format("20060102")
	cred := "AKIAFAKEPROVIDERCRM1/" + date + "/us-east-1/s3/aws4_request"
	policy, _ := json.Marshal(map[string]any{
		"expiration": now.Add(15 * time.Minute).Format(time.RFC3339),
		"conditions": []any{map[string]string{"bucket": "crm-documents"}, map[string]string{"key": key},
			map[string]string{"Content-Type": q.Get("content_type")}, map[string]string{"x-amz-credential": cred},
			map[string]string{"x-amz-algorithm": "AWS4-HMAC-SHA256"}, map[string]string{"x-amz-date": now.Format("20060102T150405Z")}},
	})
	policyB64 := base64.StdEncoding.EncodeToString(policy)
	mac := hmac.New(sha256.New, []byte(req.Caller.Key))
	mac.Write([]byte(policyB64))
	return map[string]any{
		"url": req.BaseURL() + "/_s3/crm-documents",
		"fields": map[string]string{
			"key": key, "Content-Type": q.Get("content_type"), "x-amz-algorithm": "AWS4-HMAC-SHA256",
			"x-amz-credential": cred, "x-amz-date": now.Format("20060102T150405Z"), "policy": policyB64,
			"x-amz-signature": hex.EncodeToString(mac.Sum(nil)),
		},
	}, nil
}
