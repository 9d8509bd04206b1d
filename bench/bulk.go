package main

import (
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// kindBucket is a tenant/provider/kind bucket of the data file and its size.
type kindBucket struct {
	path []string
	n    int
}

// bulkClone grows a stopped emulator's data file to total records by
// copying records that the public API created, under new keys, into the
// same tenant/provider/kind buckets, in proportion to their sizes. The
// public API stores a few thousand resources a second on this machine;
// a million through it would take most of the benchmark's five minutes,
// while what is measured (RSS and read latency over a B+tree of a million
// real-shaped records) depends only on what is stored.
func bulkClone(path string, total int) (int, error) {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.NoSync = true // one fsync at the end, by Close
	var kinds []kindBucket
	have := 0
	err = db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket([]byte("data"))
		if data == nil {
			return fmt.Errorf("%s has no data bucket", path)
		}
		return data.ForEachBucket(func(tenant []byte) error {
			tb := data.Bucket(tenant)
			return tb.ForEachBucket(func(provider []byte) error {
				if len(provider) > 0 && provider[0] == '_' {
					return nil // the platform's records (deliveries, runs), not a provider's
				}
				pb := tb.Bucket(provider)
				return pb.ForEachBucket(func(kind []byte) error {
					n := 0
					pb.Bucket(kind).ForEach(func(_, v []byte) error {
						if v != nil {
							n++
						}
						return nil
					})
					have += n
					// Only the kinds the fill created in numbers (not
					// settings, sequences or idempotency keys).
					if n >= 50 {
						kinds = append(kinds, kindBucket{[]string{string(tenant), string(provider), string(kind)}, n})
					}
					return nil
				})
			})
		})
	})
	if err != nil {
		return 0, err
	}
	if len(kinds) == 0 || have >= total {
		return have, nil
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i].n > kinds[j].n })
	seeded := 0
	for _, k := range kinds {
		seeded += k.n
	}
	need, given := total-have, 0
	for i, k := range kinds {
		share := need * k.n / seeded
		if i == len(kinds)-1 {
			share = need - given // the rounding remainder goes to the last
		}
		given += share
		if err := cloneKind(db, k.path, share); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// cloneKind adds n copies of the bucket's records, 50 000 per transaction,
// keyed "<original key>~<copy number>".
func cloneKind(db *bolt.DB, path []string, n int) error {
	var src [][2][]byte
	err := db.View(func(tx *bolt.Tx) error {
		return bucketAt(tx, path).ForEach(func(k, v []byte) error {
			if v != nil {
				src = append(src, [2][]byte{append([]byte(nil), k...), append([]byte(nil), v...)})
			}
			return nil
		})
	})
	if err != nil || len(src) == 0 {
		return err
	}
	const batch = 50_000
	for done := 0; done < n; {
		err := db.Update(func(tx *bolt.Tx) error {
			b := bucketAt(tx, path)
			b.FillPercent = 0.9
			for i := 0; i < batch && done < n; i++ {
				rec := src[done%len(src)]
				key := fmt.Appendf(nil, "%s~%07d", rec[0], done/len(src))
				if err := b.Put(key, rec[1]); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func bucketAt(tx *bolt.Tx, path []string) *bolt.Bucket {
	b := tx.Bucket([]byte("data"))
	for _, p := range path {
		b = b.Bucket([]byte(p))
	}
	return b
}
