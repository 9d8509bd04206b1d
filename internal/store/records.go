package store

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

func stack() []byte { return debug.Stack() }

// IdemRecord is a stored first response to an idempotency key.
type IdemRecord struct {
	// Fingerprint identifies the request (method, path, body) that first used
	// the key; the same key with another fingerprint is a conflict.
	Fingerprint string      `json:"fingerprint"`
	Status      int         `json:"status"`
	Header      http.Header `json:"header,omitempty"`
	Body        []byte      `json:"body"`
	Created     time.Time   `json:"created"`
}

func (s Scope) idemBucket(create bool) (*bolt.Bucket, error) {
	b := s.tx.btx.Bucket(bucketIdem)
	for _, name := range []string{s.tenant, s.provider} {
		next := b.Bucket([]byte(name))
		if next == nil {
			if !create {
				return nil, nil
			}
			if !s.tx.btx.Writable() {
				return nil, ErrReadOnly
			}
			var err error
			if next, err = b.CreateBucket([]byte(name)); err != nil {
				return nil, err
			}
		}
		b = next
	}
	return b, nil
}

// Idempotency returns the record stored for key, if any.
func (s Scope) Idempotency(key string) (*IdemRecord, error) {
	b, err := s.idemBucket(false)
	if err != nil || b == nil {
		return nil, err
	}
	raw := b.Get([]byte(key))
	if raw == nil {
		return nil, nil
	}
	var rec IdemRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, err
	}
	return &rec, nil
}

// PutIdempotency stores the first response to key.
func (s Scope) PutIdempotency(key string, rec IdemRecord) error {
	b, err := s.idemBucket(true)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), raw)
}

// ResetTenant deletes every record and idempotency key of tenant (all
// tenants when tenant is ""), the platform's records of the tenant with
// them (deliveries, runs, policies, its clock offset). It is a deletion of
// the tenant's buckets: nothing of another tenant is read. Credentials
// live elsewhere and are kept.
func (tx *Tx) ResetTenant(tenant string) error {
	tx.scopeBucket = nil // the buckets below are deleted
	if tenant == "" {
		if err := tx.clearIndexes(); err != nil {
			return err
		}
	}
	for _, top := range [][]byte{bucketData, bucketIdem} {
		b := tx.btx.Bucket(top)
		if tenant != "" {
			if tb := b.Bucket([]byte(tenant)); tb != nil {
				if string(top) == string(bucketData) {
					if err := tx.dropIndexed(tb); err != nil {
						return err
					}
				}
				if err := b.DeleteBucket([]byte(tenant)); err != nil {
					return err
				}
			}
			continue
		}
		var names [][]byte
		if err := b.ForEachBucket(func(k []byte) error {
			names = append(names, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for _, name := range names {
			if err := b.DeleteBucket(name); err != nil {
				return err
			}
		}
	}
	return nil
}

// Dump returns the tenant's records as provider → kind → id → JSON value.
// Internal sequences are left out. provider "" means all providers. A
// record that is not valid JSON is left out and logged.
func (tx *Tx) Dump(tenant, provider string) map[string]map[string]map[string]json.RawMessage {
	out := map[string]map[string]map[string]json.RawMessage{}
	tb := tx.btx.Bucket(bucketData).Bucket([]byte(tenant))
	if tb == nil {
		return out
	}
	_ = tb.ForEachBucket(func(pname []byte) error {
		if (provider != "" && string(pname) != provider) || string(pname) == platformBucket {
			return nil
		}
		pb := tb.Bucket(pname)
		kinds := map[string]map[string]json.RawMessage{}
		_ = pb.ForEachBucket(func(kname []byte) error {
			if len(kname) > 0 && kname[0] == '_' {
				return nil
			}
			recs := map[string]json.RawMessage{}
			_ = pb.Bucket(kname).ForEach(func(k, v []byte) error {
				switch {
				case v == nil:
				case !json.Valid(v):
					tx.skipped(tenant+"/"+string(pname)+"/"+string(kname)+"/"+string(k), errors.New("not valid JSON"))
				default:
					recs[string(k)] = append(json.RawMessage(nil), v...)
				}
				return nil
			})
			kinds[string(kname)] = recs
			return nil
		})
		out[string(pname)] = kinds
		return nil
	})
	return out
}

// Check runs bbolt's consistency check and returns the first problem found.
func (s *Store) Check(ctx context.Context) error {
	return s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
}
