package store

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// layoutKey (a key of the system bucket) holds the version of the file's
// layout. Files written before it existed have layout 1.
var layoutKey = []byte("layout")

// layoutCurrent is the layout this code writes: the platform's records of a
// tenant live under data/<tenant>/_platform/<kind>.
const layoutCurrent = "2"

// Platform kinds that layout 1 kept in one system bucket for every tenant
// (see migrate). The packages that own them use the same names.
const (
	legacyDeliveries = "outbox"           // id → delivery with its "tenant"
	legacyRuns       = "scenario_runs"    // id → run with its "tenant"
	legacyPolicies   = "webhook_policies" // tenant\x00provider\x00kind\x00id → policy
	legacyClock      = "clock"            // "offsets" → {"global":ns,"tenants":{t:ns}}
)

// Where the clock offsets live in layout 2: the global one in the system
// bucket ClockBucket, a tenant's own in the tenant's records of that kind,
// both under ClockKey as a JSON number of nanoseconds.
const (
	ClockBucket = legacyClock
	ClockKey    = "offset"
)

// migrate brings a file of an older layout to the current one, inside the
// opening transaction: all of it or nothing is migrated.
func migrate(tx *bolt.Tx, log *slog.Logger) error {
	sys := tx.Bucket(bucketSystem)
	switch v := sys.Get(layoutKey); {
	case string(v) == layoutCurrent:
		return nil
	case v != nil:
		// Written by a newer version: its layout is unknown here, and
		// writing to it could lose what that version keeps.
		return fmt.Errorf("store: the data file has layout %q, newer than this version's %q: use the fakeprovider that wrote it, or another --data file", v, layoutCurrent)
	}
	t := &Tx{btx: tx}
	moved := 0
	for _, kind := range []string{legacyDeliveries, legacyRuns} {
		n, err := migrateIndexed(t, sys, kind, log)
		if err != nil {
			return fmt.Errorf("store: migrating %s: %w", kind, err)
		}
		moved += n
	}
	if old := sys.Bucket([]byte(legacyPolicies)); old != nil {
		err := old.ForEach(func(k, v []byte) error {
			tenant, rest, ok := strings.Cut(string(k), "\x00")
			if !ok || tenant == "" {
				log.Error("store: migration skipped a webhook policy without a tenant", "key", string(k))
				return nil
			}
			moved++
			return t.Records(tenant, legacyPolicies).Put(rest, append([]byte(nil), v...))
		})
		if err != nil {
			return fmt.Errorf("store: migrating %s: %w", legacyPolicies, err)
		}
		if err := sys.DeleteBucket([]byte(legacyPolicies)); err != nil {
			return err
		}
	}
	if cb := sys.Bucket([]byte(legacyClock)); cb != nil {
		if raw := cb.Get([]byte("offsets")); raw != nil {
			var off struct {
				Global  time.Duration            `json:"global"`
				Tenants map[string]time.Duration `json:"tenants"`
			}
			if err := json.Unmarshal(raw, &off); err != nil {
				return fmt.Errorf("store: migrating the clock offsets: %w", err)
			}
			if err := cb.Put([]byte(ClockKey), jsonNumber(off.Global)); err != nil {
				return err
			}
			for tenant, d := range off.Tenants {
				if err := t.Records(tenant, ClockBucket).Put(ClockKey, jsonNumber(d)); err != nil {
					return err
				}
			}
			if err := cb.Delete([]byte("offsets")); err != nil {
				return err
			}
		}
	}
	if moved > 0 {
		log.Info("store: moved the platform's records under their tenants", "records", moved)
	}
	return sys.Put(layoutKey, []byte(layoutCurrent))
}

// migrateIndexed moves system/<kind> (records with a "tenant" field) under
// their tenants, indexed, keeping the id sequence.
func migrateIndexed(t *Tx, sys *bolt.Bucket, kind string, log *slog.Logger) (int, error) {
	old := sys.Bucket([]byte(kind))
	if old == nil {
		return 0, nil
	}
	seq := old.Sequence()
	n := 0
	err := old.ForEach(func(k, v []byte) error {
		if v == nil {
			return nil
		}
		var head struct {
			Tenant string `json:"tenant"`
		}
		if err := json.Unmarshal(v, &head); err != nil || head.Tenant == "" {
			log.Error("store: migration skipped a record that cannot be decoded", "record", kind+"/"+string(k), "err", err)
			return nil
		}
		n++
		return t.Indexed(head.Tenant, kind).Put(string(k), append([]byte(nil), v...))
	})
	if err != nil {
		return n, err
	}
	if err := sys.DeleteBucket([]byte(kind)); err != nil {
		return n, err
	}
	ix, err := Records{tx: t, kind: kind}.index(true)
	if err != nil {
		return n, err
	}
	if ix.Sequence() < seq {
		err = ix.SetSequence(seq)
	}
	return n, err
}

func jsonNumber(d time.Duration) []byte { return []byte(fmt.Sprint(int64(d))) }
