package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
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
}

func (c *readCache) get(k cacheKey, raw []byte) (reflect.Value, bool) {
	c.mu.Lock()
	e := c.entries[k]
	c.mu.Unlock()
	if e == nil || !bytes.Equal(e.raw, raw) {
		return reflect.Value{}, false
	}
	return e.val, true
}

func (c *readCache) put(k cacheKey, raw []byte, val reflect.Value) {
	e := &cacheEntry{raw: bytes.Clone(raw), val: val}
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
	if val, ok := c.get(k, raw); ok {
		pv.Elem().Set(val)
		return true, nil
	}
	fresh := reflect.New(pv.Type().Elem())
	if err := json.Unmarshal(raw, fresh.Interface()); err != nil {
		return true, fmt.Errorf("store: decode %s/%s/%s/%s: %w", s.tenant, s.provider, kind, id, err)
	}
	c.put(k, raw, fresh.Elem())
	pv.Elem().Set(fresh.Elem())
	return true, nil
}
