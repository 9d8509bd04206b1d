package crm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// wallet is a client's wallet: currency → balance.
type wallet map[string]float64

func getWallet(tx *platform.Tx, userID string) (wallet, error) {
	w := wallet{}
	_, err := tx.Records().Get(kindWallet, userID, &w)
	return w, err
}

// adjustWallet changes a wallet balance and records the transaction.
func adjustWallet(tx *platform.Tx, userID, currency string, amount float64, typ, comment, refID string) error {
	w, err := getWallet(tx, userID)
	if err != nil {
		return err
	}
	prev := w[currency]
	if prev+amount < -1e-9 {
		return errInsufficientFunds
	}
	w[currency] = round2(prev + amount)
	if err := tx.Records().Put(kindWallet, userID, w); err != nil {
		return err
	}
	return recordTransaction(tx, Transaction{UserID: userID, Type: typ, Currency: currency, Amount: abs(amount),
		PaymentMethod: "open_api", PaymentCurrency: currency, PaymentTotal: abs(amount), Comment: comment,
		TradingPlatform: "wallet", TradingID: "WALLET", RefID: refID, PreviousBalance: prev, NewBalance: w[currency],
		WalletID: userID, Status: "approved"})
}

// getWallet is Get Wallet Information: {"USD": 1520.5}.
func (p *Provider) getWallet(req *platform.Request) (any, error) {
	userID := req.URL.Query().Get("user_id")
	if userID == "" {
		return nil, invalid("user_id is required")
	}
	var w wallet
	err := req.View(func(tx *platform.Tx) error {
		if _, err := getUserRec(tx, userID); err != nil {
			return errAccountNotFound
		}
		var err error
		w, err = getWallet(tx, userID)
		if err == nil && len(w) == 0 {
			w = wallet{"USD": 0}
		}
		return err
	})
	return w, err
}

type walletBody struct {
	UserID   string `json:"user_id"`
	Currency string `json:"currency"`
	Amount   any    `json:"amount"`
	OrderID  string `json:"order_id"`
}

// updateWallet is Update Wallet Balance: order_id makes it idempotent; the
// same order_id with another body is rejected.
func (p *Provider) updateWallet(req *platform.Request) (any, error) {
	var b walletBody
	if err := decodeBody(req.Body, &b); err != nil {
		return nil, err
	}
	if err := checkID("user_id", b.UserID, true); err != nil {
		return nil, err
	}
	if !validCurrency(b.Currency) {
		return nil, invalid("currency must be a currency code")
	}
	amount, err := parseAmount("amount", b.Amount, true)
	if err != nil {
		return nil, err
	}
	if len(b.OrderID) != 16 {
		return nil, invalid("order_id must be 16 characters")
	}
	canon, _ := json.Marshal(walletBody{UserID: b.UserID, Currency: b.Currency, Amount: amount, OrderID: b.OrderID})
	sum := sha256.Sum256(canon)
	hash := hex.EncodeToString(sum[:])
	var outcome error
	err = req.Update(func(tx *platform.Tx) error {
		outcome = nil
		var prev WalletOrder
		if ok, err := tx.Records().Get(kindWalletOrder, b.OrderID, &prev); err != nil {
			return err
		} else if ok {
			if prev.BodyHash != hash {
				outcome = invalid("order_id was already used with another request")
				return nil
			}
			if prev.Status == "failed" {
				outcome = errInsufficientFunds
			}
			return nil
		}
		if _, err := getUserRec(tx, b.UserID); err != nil {
			return errAccountNotFound
		}
		order := WalletOrder{OrderID: b.OrderID, UserID: b.UserID, Currency: b.Currency, Amount: amount,
			Status: "success", CreatedAt: formatTime(tx.Now()), BodyHash: hash}
		typ := "wallet_deposit"
		if amount < 0 {
			typ = "wallet_withdrawal"
		}
		if err := adjustWallet(tx, b.UserID, b.Currency, amount, typ, "open api order "+b.OrderID, b.OrderID); err != nil {
			if err != errInsufficientFunds {
				return err
			}
			order.Status, order.Reason, outcome = "failed", "insufficient_funds", errInsufficientFunds
		}
		return tx.Records().Put(kindWalletOrder, b.OrderID, order)
	})
	if err != nil {
		return nil, err
	}
	if outcome != nil {
		return nil, outcome
	}
	return struct{}{}, nil
}

// walletOrder is the [GAP] Get Update Wallet Balance Order status.
func (p *Provider) walletOrder(req *platform.Request) (any, error) {
	id := req.Var("order_id")
	if id == "" {
		id = req.URL.Query().Get("order_id")
	}
	if len(id) != 16 {
		return nil, invalid("order_id must be 16 characters")
	}
	var o WalletOrder
	err := req.View(func(tx *platform.Tx) error {
		ok, err := tx.Records().Get(kindWalletOrder, id, &o)
		if err == nil && !ok {
			err = apiErr(400, "order_not_found")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"order_id": o.OrderID, "user_id": o.UserID, "currency": o.Currency, "amount": o.Amount, "status": o.Status}, nil
}
