package difitek

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
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
	return readRecord[T](tx, kind, id, false)
}

// getSharedRecord is getRecord for reads that only render the record: the
// decoded value is shared with other reads of the same stored bytes
// (store.Scope.GetShared), so its slices, maps and pointers are read-only.
func getSharedRecord[T any](tx *platform.Tx, kind string, id int64) (T, error) {
	return readRecord[T](tx, kind, id, true)
}

func readRecord[T any](tx *platform.Tx, kind string, id int64, shared bool) (T, error) {
	var v T
	get := tx.Records().Get
	if shared {
		get = tx.Records().GetShared
	}
	ok, err := get(kind, idKey(id), &v)
	if err != nil {
		return v, err
	}
	if !ok {
		return v, errNotFound
	}
	return v, withOrganizations(tx, &v)
}

func putRecord(tx *platform.Tx, kind string, id int64, v any) error {
	if u, ok := v.(UserRecord); ok {
		u.Organizations = nil // kept as membership records
		v = u
		// Authentication reads this projection, not the whole record.
		auth := authUser{ID: u.ID, Email: u.Email, IsAdmin: u.IsAdmin, HasBeenBlocked: u.HasBeenBlocked}
		if err := tx.Records().Put(kindUserAuth, idKey(id), auth); err != nil {
			return err
		}
	}
	return tx.Records().Put(kind, idKey(id), v)
}

// exists reports whether kind/id is stored, without decoding it.
func exists(tx *platform.Tx, kind string, id int64) bool {
	return tx.Records().GetRaw(kind, idKey(id)) != nil
}

// A user's organizations are membership records keyed "<user>/<org>", one
// per organization, not a list inside the user record: an administrator
// creating organizations would otherwise rewrite an ever longer user record
// on each create, and every authenticated request would decode it.
func membershipKey(userID, orgID int64) string { return idKey(userID) + "/" + idKey(orgID) }

// withOrganizations fills a user record's organizations from its
// membership records, in id order (other kinds are left alone).
func withOrganizations(tx *platform.Tx, v any) error {
	u, ok := v.(*UserRecord)
	if !ok {
		return nil
	}
	u.Organizations = []int64{}
	prefix := idKey(u.ID) + "/"
	err := tx.Records().ForEachPrefix(kindMembership, prefix, func(id string, _ []byte) error {
		if n, err := strconv.ParseInt(id[len(prefix):], 10, 64); err == nil {
			u.Organizations = append(u.Organizations, n)
		}
		return nil
	})
	slices.Sort(u.Organizations)
	return err
}

// addMembership records organizations among the user's organizations.
func addMembership(tx *platform.Tx, userID int64, orgs ...Organization) error {
	for _, o := range orgs {
		if err := tx.Records().Put(kindMembership, membershipKey(userID, o.ID), true); err != nil {
			return err
		}
	}
	return nil
}

// removeMembership takes an organization off the user's organizations.
func removeMembership(tx *platform.Tx, userID, orgID int64) error {
	return tx.Records().Delete(kindMembership, membershipKey(userID, orgID))
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
		if err := withOrganizations(tx, &v); err != nil {
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
