package journal

import (
	"hash/maphash"
	"sync"
)

// Bodies an emulator answers are often the same bytes again (a client
// polling a deposit's status): their redacted form is kept, keyed by two
// independent seeded hashes of the bytes, so a repeated answer costs two
// hashes instead of a validation and a scan. Only the redacted form is
// kept, never the clear bytes, so no secret stays in memory in clear.
const (
	bodyCacheEntries = 512
	bodyCacheMax     = 2 << 10 // larger bodies are redacted every time
)

type bodyKey struct {
	h1, h2 uint64
	n      int
	ct     string
	keys   *keySet // the sensitive keys the form was redacted with
}

type bodyCache struct {
	seed1, seed2 maphash.Seed
	mu           sync.Mutex
	m            map[bodyKey]string
}

func newBodyCache() *bodyCache {
	return &bodyCache{seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed(), m: make(map[bodyKey]string)}
}

// redact is r.Body(contentType, body, limit), from the cache when the same
// bytes were redacted with the same sensitive keys before.
func (c *bodyCache) redact(r *Redactor, contentType string, body []byte, limit int) string {
	if len(body) == 0 || len(body) > bodyCacheMax {
		return r.Body(contentType, body, limit)
	}
	// Loaded before redacting: a form cached under these keys was made
	// with them or with a later (larger) set.
	k := bodyKey{h1: maphash.Bytes(c.seed1, body), h2: maphash.Bytes(c.seed2, body), n: len(body), ct: contentType, keys: r.keys.Load()}
	c.mu.Lock()
	s, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return s
	}
	s = r.Body(contentType, body, limit)
	c.mu.Lock()
	if len(c.m) >= bodyCacheEntries {
		for old := range c.m { // map order: an arbitrary victim
			delete(c.m, old)
			break
		}
	}
	c.m[k] = s
	c.mu.Unlock()
	return s
}
