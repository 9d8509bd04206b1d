package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
)

// readCacheSize bounds the decoded records kept for GetShared: about
// 1–2 KiB each (the stored bytes and the decoded value), so ~8 MiB at most.
const readCacheSize = 4096

// readCache keeps decoded records for the read paths that only render them.
// An entry holds the stored bytes it was decoded from, and a read uses it
// only when the bytes the read's own transaction sees are equal: a commit
// that changes the record makes its next read decode again, without any
// invalidation hook (and no race between a commit and a read caching what
// it saw before it). The key names tenant, provider, kind and id, and the
// bytes must match too, so a tenant never gets another tenant's record.
//
// An entry also keeps the store's commit count at which its bytes were
// last seen in a read transaction begun while no write was in progress:
// while no write transaction has begun since, the entry is what a
// transaction would read, and ReadShared answers from it without opening
// one.
type readCache struct {
	mu      sync.Mutex
	entries map[cacheKey]*cacheEntry
}

type cacheKey struct {
	tenant, provider, kind, id string
	typ                        reflect.Type
}

type cacheEntry struct {
	raw []byte        // the stored bytes, copied out of the transaction
	val reflect.Value // the decoded value (not a pointer)
	seq atomic.Uint64 // the commit count of the latest read that saw raw
}

// get returns k's value when raw, read by a transaction that began at
// commit count seq, is the entry's bytes.
func (c *readCache) get(k cacheKey, raw []byte, seq uint64) (reflect.Value, bool) {
	c.mu.Lock()
	e := c.entries[k]
	c.mu.Unlock()
	if e == nil || !bytes.Equal(e.raw, raw) {
		return reflect.Value{}, false
	}
	if stable(seq) {
		for old := e.seq.Load(); old < seq && !e.seq.CompareAndSwap(old, seq); old = e.seq.Load() {
		}
	}
	return e.val, true
}

// current returns k's value when no write transaction has run since it was
// last read: seq is the store's commit count now.
func (c *readCache) current(k cacheKey, seq uint64) (reflect.Value, bool) {
	c.mu.Lock()
	e := c.entries[k]
	c.mu.Unlock()
	if e == nil || e.seq.Load() != seq {
		return reflect.Value{}, false
	}
	return e.val, true
}

// stable reports whether seq is a commit count at which no write was in
// progress (writeSeq, a write transaction's, is odd).
func stable(seq uint64) bool { return seq%2 == 0 }

func (c *readCache) put(k cacheKey, raw []byte, val reflect.Value, seq uint64) {
	e := &cacheEntry{raw: bytes.Clone(raw), val: val}
	if !stable(seq) {
		seq = 1 // never current: the count is even whenever it is compared
	}
	e.seq.Store(seq)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[cacheKey]*cacheEntry)
	}
	if _, ok := c.entries[k]; !ok && len(c.entries) >= readCacheSize {
		for old := range c.entries { // map order: an arbitrary victim
			delete(c.entries, old)
			break
		}
	}
	c.entries[k] = e
}

// GetShared is Get for read paths that only render the record: the decoded
// value may be shared with other readers, so v's maps, slices and pointed-to
// values must not be modified (assigning v's own fields is fine: v is a
// shallow copy). v must be a non-nil pointer. The record is decoded again
// whenever its stored bytes changed.
func (s Scope) GetShared(kind, id string, v any) (bool, error) {
	raw := s.GetRaw(kind, id)
	if raw == nil {
		return false, nil
	}
	pv := reflect.ValueOf(v)
	if pv.Kind() != reflect.Pointer || pv.IsNil() {
		return s.Get(kind, id, v)
	}
	c := &s.tx.store.cache
	k := cacheKey{tenant: s.tenant, provider: s.provider, kind: kind, id: id, typ: pv.Type()}
	if val, ok := c.get(k, raw, s.tx.seq); ok {
		pv.Elem().Set(val)
		return true, nil
	}
	fresh := reflect.New(pv.Type().Elem())
	if err := json.Unmarshal(raw, fresh.Interface()); err != nil {
		return true, fmt.Errorf("store: decode %s/%s/%s/%s: %w", s.tenant, s.provider, kind, id, err)
	}
	// What a write transaction reads may still roll back: not kept.
	if s.tx.seq != writeSeq {
		c.put(k, raw, fresh.Elem(), s.tx.seq)
	}
	pv.Elem().Set(fresh.Elem())
	return true, nil
}

// ReadShared is GetShared of tenant/provider/kind/id in a read transaction
// of its own, for the reads of a request that need one record: when no
// write transaction has run since the record's cached copy was read, it
// answers from that copy without opening a transaction. The same rules for
// v hold as for GetShared; a missing record is read again every time.
func (s *Store) ReadShared(ctx context.Context, tenant, provider, kind, id string, v any) (bool, error) {
	pv := reflect.ValueOf(v)
	if pv.Kind() == reflect.Pointer && !pv.IsNil() {
		select {
		case <-s.closed:
			return false, ErrClosed
		default:
		}
		k := cacheKey{tenant: tenant, provider: provider, kind: kind, id: id, typ: pv.Type()}
		if seq := s.commits.Load(); stable(seq) {
			if val, ok := s.cache.current(k, seq); ok {
				pv.Elem().Set(val)
				return true, nil
			}
		}
	}
	var found bool
	err := s.View(ctx, func(tx *Tx) error {
		var err error
		found, err = tx.In(tenant, provider).GetShared(kind, id, v)
		return err
	})
	return found, err
}
