package store

import (
	"bytes"
	"encoding/json"
	"errors"

	bolt "go.etcd.io/bbolt"
)

// platformBucket is the bucket under each tenant (next to its providers')
// that holds the platform's records of the tenant: deliveries, scenario
// runs, webhook policies, its clock offset. Provider names never start
// with '_', so it cannot collide with a provider.
const platformBucket = "_platform"

// indexPrefix names the system buckets that map a global id to its tenant
// (see Tx.Indexed).
const indexPrefix = "index:"

// Records is one bucket of platform records: JSON by id, kept under a
// tenant (Tx.Records, Tx.Indexed) or under the system bucket (Tx.System).
// It hands out values, never the bucket, so that the layout stays the
// store's.
type Records struct {
	tx      *Tx
	tenant  string // "" for a system bucket
	kind    string
	indexed bool
}

// Records is the tenant's platform records of kind. A reset of the tenant
// deletes them with the tenant's bucket.
func (tx *Tx) Records(tenant, kind string) Records {
	return Records{tx: tx, tenant: tenant, kind: kind}
}

// Indexed is Records whose ids are unique across tenants (from NextID) and
// found without the tenant (Locate): every Put also records id → tenant in
// a system index, and a reset of the tenant removes its entries from it
// (work proportional to the tenant's records, not to the store's).
func (tx *Tx) Indexed(tenant, kind string) Records {
	return Records{tx: tx, tenant: tenant, kind: kind, indexed: true}
}

// System is the named bucket of records that belong to no tenant (the
// tenants themselves, scenarios loaded at run time).
func (tx *Tx) System(name string) Records {
	return Records{tx: tx, kind: name}
}

// OnCommit runs fn after the transaction commits (never if it rolls back).
func (tx *Tx) OnCommit(fn func()) { tx.btx.OnCommit(fn) }

func (r Records) bucket(create bool) (*bolt.Bucket, error) {
	if r.tenant == "" {
		return child(r.tx, r.tx.btx.Bucket(bucketSystem), r.kind, create)
	}
	b, err := r.tx.In(r.tenant, platformBucket).bucket("", create)
	if b == nil || err != nil {
		return nil, err
	}
	return child(r.tx, b, r.kind, create)
}

func (r Records) index(create bool) (*bolt.Bucket, error) {
	return child(r.tx, r.tx.btx.Bucket(bucketSystem), indexPrefix+r.kind, create)
}

// Get returns the stored value of id, or nil; the slice is valid only
// during the transaction.
func (r Records) Get(id string) []byte {
	b, _ := r.bucket(false)
	if b == nil {
		return nil
	}
	return b.Get([]byte(id))
}

// GetJSON decodes the value of id into v and reports whether it exists.
func (r Records) GetJSON(id string, v any) (bool, error) {
	raw := r.Get(id)
	if raw == nil {
		return false, nil
	}
	return true, json.Unmarshal(raw, v)
}

// Put stores raw under id.
func (r Records) Put(id string, raw []byte) error {
	b, err := r.bucket(true)
	if err != nil {
		return err
	}
	if err := b.Put([]byte(id), raw); err != nil {
		return err
	}
	if r.indexed {
		ix, err := r.index(true)
		if err != nil {
			return err
		}
		return ix.Put([]byte(id), []byte(r.tenant))
	}
	return nil
}

// PutJSON stores v as JSON under id.
func (r Records) PutJSON(id string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return r.Put(id, raw)
}

// Delete removes id; a missing record is not an error.
func (r Records) Delete(id string) error {
	if !r.tx.btx.Writable() {
		return ErrReadOnly
	}
	if b, _ := r.bucket(false); b != nil {
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
	}
	if r.indexed {
		if ix, _ := r.index(false); ix != nil {
			return ix.Delete([]byte(id))
		}
	}
	return nil
}

// ForEach calls fn for every record in key order (ErrStop ends the walk;
// a record fn cannot decode is skipped and logged, as Scope.ForEach).
func (r Records) ForEach(fn func(id string, raw []byte) error) error {
	return r.walk(false, fn)
}

// ForEachReverse is ForEach from the last key to the first.
func (r Records) ForEachReverse(fn func(id string, raw []byte) error) error {
	return r.walk(true, fn)
}

func (r Records) walk(reverse bool, fn func(id string, raw []byte) error) error {
	b, err := r.bucket(false)
	if err != nil || b == nil {
		return err
	}
	c := b.Cursor()
	first, next := c.First, c.Next
	if reverse {
		first, next = c.Last, c.Prev
	}
	s := Scope{tx: r.tx, tenant: r.tenant, provider: platformBucket}
	for k, v := first(); k != nil; k, v = next() {
		if v == nil {
			continue
		}
		if stop, err := s.visit(r.kind, k, v, fn); stop {
			return err
		}
	}
	return nil
}

// NextID returns the next value (1, 2, …) of kind's sequence, shared by
// every tenant, for the ids of Indexed records.
func (tx *Tx) NextID(kind string) (uint64, error) {
	ix, err := Records{tx: tx, kind: kind}.index(true)
	if err != nil {
		return 0, err
	}
	return ix.NextSequence()
}

// Locate returns the tenant of an Indexed record of kind.
func (tx *Tx) Locate(kind, id string) (string, bool) {
	ix, _ := Records{tx: tx, kind: kind}.index(false)
	if ix == nil {
		return "", false
	}
	t := ix.Get([]byte(id))
	return string(t), t != nil
}

// ForEachIndexed calls fn with the id and tenant of every Indexed record of
// kind, newest (highest id) first when reverse is set; ErrStop ends it.
func (tx *Tx) ForEachIndexed(kind string, reverse bool, fn func(id, tenant string) error) error {
	ix, _ := Records{tx: tx, kind: kind}.index(false)
	if ix == nil {
		return nil
	}
	c := ix.Cursor()
	first, next := c.First, c.Next
	if reverse {
		first, next = c.Last, c.Prev
	}
	for k, v := first(); k != nil; k, v = next() {
		if err := fn(string(k), string(v)); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// ForEachTenant calls fn for every tenant that has platform records of
// kind, in name order.
func (tx *Tx) ForEachTenant(kind string, fn func(tenant string) error) error {
	data := tx.btx.Bucket(bucketData)
	var names []string
	_ = data.ForEachBucket(func(k []byte) error {
		if pb := data.Bucket(k).Bucket([]byte(platformBucket)); pb != nil && pb.Bucket([]byte(kind)) != nil {
			names = append(names, string(k))
		}
		return nil
	})
	for _, n := range names {
		if err := fn(n); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// dropIndexed removes the index entries of the tenant's indexed records,
// before its bucket is deleted.
func (tx *Tx) dropIndexed(tb *bolt.Bucket) error {
	pb := tb.Bucket([]byte(platformBucket))
	if pb == nil {
		return nil
	}
	sys := tx.btx.Bucket(bucketSystem)
	return pb.ForEachBucket(func(kind []byte) error {
		ix := sys.Bucket(append([]byte(indexPrefix), kind...))
		if ix == nil {
			return nil
		}
		c := pb.Bucket(kind).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if err := ix.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// clearIndexes empties every index, keeping its sequence (ids are never
// reused, even after a reset of everything).
func (tx *Tx) clearIndexes() error {
	sys := tx.btx.Bucket(bucketSystem)
	var names [][]byte
	_ = sys.ForEachBucket(func(k []byte) error {
		if bytes.HasPrefix(k, []byte(indexPrefix)) {
			names = append(names, append([]byte(nil), k...))
		}
		return nil
	})
	for _, n := range names {
		seq := sys.Bucket(n).Sequence()
		if err := sys.DeleteBucket(n); err != nil {
			return err
		}
		b, err := sys.CreateBucket(n)
		if err != nil {
			return err
		}
		if err := b.SetSequence(seq); err != nil {
			return err
		}
	}
	return nil
}
