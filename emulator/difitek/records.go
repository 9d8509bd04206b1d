package difitek

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// timestamp formats times as the API does: ISO-8601 in UTC with "+00:00".
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") + "+00:00" }

func idKey(id int64) string { return strconv.FormatInt(id, 10) }

// nextID allocates the next integer id of a kind in the tenant's network.
func nextID(tx *platform.Tx, kind string) (int64, error) {
	n, err := tx.Records().NextSeq(kind)
	return int64(n), err
}

// getRecord loads kind/id, answering the API's Not Found when it is missing.
func getRecord[T any](tx *platform.Tx, kind string, id int64) (T, error) {
	var v T
	ok, err := tx.Records().Get(kind, idKey(id), &v)
	if err != nil {
		return v, err
	}
	if !ok {
		return v, errNotFound
	}
	return v, nil
}

func putRecord(tx *platform.Tx, kind string, id int64, v any) error {
	return tx.Records().Put(kind, idKey(id), v)
}

// listRecords loads every record of a kind in id order.
func listRecords[T any](tx *platform.Tx, kind string) ([]T, error) {
	type keyed struct {
		id int64
		v  T
	}
	var all []keyed
	err := tx.Records().ForEach(kind, func(id string, raw []byte) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		all = append(all, keyed{n, v})
		return nil
	})
	sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
	out := make([]T, len(all))
	for i, k := range all {
		out[i] = k.v
	}
	return out, err
}

// hashPassword is the stored form of a password.
func hashPassword(salt, password string) string {
	sum := sha256.Sum256([]byte(salt + password))
	return hex.EncodeToString(sum[:])
}

// parseID reads an integer path id; a non-number is Not Found, as a
// missing record.
func parseID(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, errNotFound
	}
	return n, nil
}
