package crm

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// listTrades is Get MT4/MT5 Trades.
func (p *Provider) listTrades(pl string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		q := req.URL.Query()
		if q.Get("connection_id") == "" {
			return nil, invalid("connection_id is required")
		}
		typ := q.Get("type")
		if typ == "" {
			return nil, invalid("type is required")
		}
		// The docs do not list the values: "open" lists open trades (there
		// are none), any other value the closed ones.
		start, end, err := dateWindow(q.Get("start"), q.Get("end"))
		if err != nil {
			return nil, err
		}
		skip, limit, err := paging(q, false)
		if err != nil {
			return nil, err
		}
		userID := q.Get("user_id")
		if err := checkID("user_id", userID, false); err != nil {
			return nil, err
		}
		var login, orderID int64
		if v := q.Get("login"); v != "" {
			if login, err = strconv.ParseInt(v, 10, 64); err != nil {
				return nil, invalid("login must be a number")
			}
		}
		if v := q.Get("order_id"); v != "" {
			if orderID, err = strconv.ParseInt(v, 10, 64); err != nil {
				return nil, invalid("order_id must be a number")
			}
		}
		if q.Get("connection_id") != connectionFor(pl) {
			return nil, connectionNotFound(pl)
		}
		var out []Trade
		err = req.View(func(tx *platform.Tx) error {
			return tx.Records().ForEach(kindTrade, func(_ string, raw []byte) error {
				var t Trade
				if err := json.Unmarshal(raw, &t); err != nil {
					return err
				}
				closed, err := parseTime(t.CloseTime)
				switch {
				case err != nil, t.Platform != pl, typ == "open", closed.Before(start), closed.After(end),
					userID != "" && t.CRMUser.ID != userID, login != 0 && t.Login != login, orderID != 0 && t.OrderID != orderID:
					return nil
				}
				out = append(out, t)
				return nil
			})
		})
		if err != nil {
			return nil, err
		}
		return page(out, skip, limit), nil
	}
}

// commissions is Get Fixed / Flexible Commission Report.
func (p *Provider) commissions(scheme string) platform.HandlerFunc {
	return func(req *platform.Request) (any, error) {
		skip, limit, err := paging(req.URL.Query(), true)
		if err != nil {
			return nil, err
		}
		var out []Commission
		err = req.View(func(tx *platform.Tx) error {
			return tx.Records().ForEach(kindCommission, func(id string, raw []byte) error {
				if !strings.HasPrefix(id, scheme+":") {
					return nil
				}
				var c Commission
				if err := json.Unmarshal(raw, &c); err != nil {
					return err
				}
				out = append(out, c)
				return nil
			})
		})
		if err != nil {
			return nil, err
		}
		slices.SortFunc(out, func(a, b Commission) int { return atoi(a.ID) - atoi(b.ID) })
		return page(out, skip, limit), nil
	}
}

type transactionsBody struct {
	Skip          *int     `json:"skip"`
	Limit         *int     `json:"limit"`
	Start         string   `json:"start"`
	End           string   `json:"end"`
	UserID        string   `json:"user_id"`
	TransactionID string   `json:"transaction_id"`
	Type          []string `json:"type"`
}

// transactions is Get Transactions Report (a signed POST).
func (p *Provider) transactions(req *platform.Request) (any, error) {
	var b transactionsBody
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	var bad problems
	bad.add(checkPaging(b.Skip, b.Limit))
	start, end, err := dateWindow(b.Start, b.End)
	bad.add(err)
	bad.add(checkID("user_id", b.UserID, false))
	if err := bad.err(); err != nil {
		return nil, err
	}
	var out []Transaction
	err = req.View(func(tx *platform.Tx) error {
		return tx.Records().ForEach(kindTransaction, func(_ string, raw []byte) error {
			var t Transaction
			if err := json.Unmarshal(raw, &t); err != nil {
				return err
			}
			at, err := parseTime(t.Timestamp)
			switch {
			case err != nil, at.Before(start), at.After(end), b.UserID != "" && t.UserID != b.UserID,
				b.TransactionID != "" && t.RefID != b.TransactionID, len(b.Type) > 0 && !slices.Contains(b.Type, t.Type):
				return nil
			}
			out = append(out, t)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return page(out, *b.Skip, *b.Limit), nil
}
