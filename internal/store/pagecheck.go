package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
)

// bbolt page layout (go.etcd.io/bbolt/internal/common): a 16-byte header
// (id, flags, count, overflow), then count 16-byte elements; a branch
// element is (pos, ksize, child page), a leaf element (flags, pos, ksize,
// vsize), pos counted from the element. A leaf element with flag 1 is a
// bucket whose value starts with its root page and sequence; root 0 means
// the bucket's leaf page is inline, after those 16 bytes.
const (
	pageBranch     = 0x01
	pageLeaf       = 0x02
	leafBucketFlag = 0x01
	elementSize    = 16
	bucketHdrSize  = 16
)

// checkPages walks every page reachable from the newest meta page, reading
// the file itself, and reports the first inconsistency as a DamagedError:
// a page id out of range or referenced twice, a page that is not a branch
// or a leaf, an element outside its page, keys out of order. These are the
// checks bbolt makes when it rebuilds its freelist at open, where they
// panic on a goroutine of its own that no caller can recover; made here
// first, damage is an error instead. It does not read values, so a flipped
// bit inside a record is found only when the record is decoded (and then
// skipped, see Scope.ForEach).
func checkPages(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // bbolt reports it
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return nil
	}
	head := make([]byte, headSize)
	n, _ := f.ReadAt(head, 0)
	m0 := readMeta(head[:n])
	if m0.err != "" {
		return nil // checkMeta has answered
	}
	meta := m0
	if m1 := readMeta(head[min(int(m0.pageSize), n):n]); m1.err == "" && m1.txid > m0.txid {
		meta = m1
	}
	w := &pageWalker{f: f, ps: int64(meta.pageSize), hwm: meta.hwm, seen: make([]uint64, meta.hwm/64+1)}
	if _, err := w.tree(meta.root, nil, nil); err != nil {
		return &DamagedError{Path: path, Reason: err.Error()}
	}
	return nil
}

type pageWalker struct {
	f    *os.File
	ps   int64
	hwm  uint64
	seen []uint64 // bitmap of the pages reached
}

// page reads page id with its overflow pages, marking them reached.
func (w *pageWalker) page(id uint64) ([]byte, error) {
	if id < 2 || id >= w.hwm {
		return nil, fmt.Errorf("page %d is out of range (the file has %d)", id, w.hwm)
	}
	hdr := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(hdr, int64(id)*w.ps); err != nil {
		return nil, fmt.Errorf("reading page %d: %v", id, err)
	}
	le := binary.LittleEndian
	if got := le.Uint64(hdr); got != id {
		return nil, fmt.Errorf("page %d identifies itself as page %d", id, got)
	}
	overflow := uint64(le.Uint32(hdr[12:]))
	if id+overflow >= w.hwm {
		return nil, fmt.Errorf("page %d runs past the end (%d overflow pages)", id, overflow)
	}
	for p := id; p <= id+overflow; p++ {
		if w.seen[p/64]&(1<<(p%64)) != 0 {
			return nil, fmt.Errorf("page %d is referenced twice", p)
		}
		w.seen[p/64] |= 1 << (p % 64)
	}
	buf := make([]byte, int64(overflow+1)*w.ps)
	if _, err := w.f.ReadAt(buf, int64(id)*w.ps); err != nil {
		return nil, fmt.Errorf("reading page %d: %v", id, err)
	}
	return buf, nil
}

// tree checks the subtree rooted at page id, whose keys must lie in
// [lo, hi) (nil: unbounded), and returns its largest key.
func (w *pageWalker) tree(id uint64, lo, hi []byte) ([]byte, error) {
	buf, err := w.page(id)
	if err != nil {
		return nil, err
	}
	return w.node(buf, fmt.Sprintf("page %d", id), lo, hi)
}

// node checks one page's elements (a stored page, or an inline bucket's).
func (w *pageWalker) node(buf []byte, name string, lo, hi []byte) ([]byte, error) {
	le := binary.LittleEndian
	if len(buf) < pageHeaderSize {
		return nil, fmt.Errorf("%s is cut short", name)
	}
	flags, count := le.Uint16(buf[8:]), int(le.Uint16(buf[10:]))
	if pageHeaderSize+count*elementSize > len(buf) {
		return nil, fmt.Errorf("%s has %d elements, more than fit", name, count)
	}
	elem := func(i int) (e []byte, key []byte, err error) {
		off := pageHeaderSize + i*elementSize
		e = buf[off : off+elementSize]
		pos, ksize := int(le.Uint32(e[0:])), int(le.Uint32(e[4:]))
		if flags == pageLeaf {
			pos, ksize = int(le.Uint32(e[4:])), int(le.Uint32(e[8:]))
		}
		if start := off + pos; pos < 0 || start+ksize > len(buf) || ksize < 0 {
			return nil, nil, fmt.Errorf("%s: element %d lies outside the page", name, i)
		}
		return e, buf[off+pos : off+pos+ksize], nil
	}
	prev := lo
	var last []byte
	switch flags {
	case pageBranch:
		for i := 0; i < count; i++ {
			e, key, err := elem(i)
			if err != nil {
				return nil, err
			}
			if err := keyInRange(name, i, key, prev, hi); err != nil {
				return nil, err
			}
			next := hi
			if i+1 < count {
				if _, k, err := elem(i + 1); err == nil {
					next = k
				}
			}
			if last, err = w.tree(le.Uint64(e[8:]), key, next); err != nil {
				return nil, err
			}
			prev = last
		}
		return last, nil
	case pageLeaf:
		for i := 0; i < count; i++ {
			e, key, err := elem(i)
			if err != nil {
				return nil, err
			}
			if i == 0 {
				if prev != nil && bytes.Compare(prev, key) > 0 {
					return nil, fmt.Errorf("%s: keys out of order", name)
				}
			} else if bytes.Compare(prev, key) >= 0 {
				return nil, fmt.Errorf("%s: keys out of order", name)
			}
			if hi != nil && bytes.Compare(key, hi) >= 0 {
				return nil, fmt.Errorf("%s: key beyond its parent's range", name)
			}
			vstart := pageHeaderSize + i*elementSize + int(le.Uint32(e[4:])) + len(key)
			vsize := int(le.Uint32(e[12:]))
			if vstart+vsize > len(buf) || vsize < 0 {
				return nil, fmt.Errorf("%s: value %d lies outside the page", name, i)
			}
			if le.Uint32(e[0:])&leafBucketFlag != 0 {
				if err := w.bucket(buf[vstart:vstart+vsize], fmt.Sprintf("%s bucket %q", name, key)); err != nil {
					return nil, err
				}
			}
			prev, last = key, key
		}
		return last, nil
	}
	return nil, fmt.Errorf("%s is neither a branch nor a leaf (flags %#x)", name, flags)
}

// bucket checks a bucket value: a root page, or an inline leaf.
func (w *pageWalker) bucket(v []byte, name string) error {
	if len(v) < bucketHdrSize {
		return fmt.Errorf("%s: bucket header cut short", name)
	}
	if root := binary.LittleEndian.Uint64(v); root != 0 {
		_, err := w.tree(root, nil, nil)
		return err
	}
	_, err := w.node(v[bucketHdrSize:], name+" (inline)", nil, nil)
	return err
}

func keyInRange(name string, i int, key, prev, hi []byte) error {
	if i == 0 && prev != nil && bytes.Compare(prev, key) > 0 {
		return fmt.Errorf("%s: first key below its parent's", name)
	}
	if i > 0 && bytes.Compare(prev, key) >= 0 {
		return fmt.Errorf("%s: keys out of order", name)
	}
	if hi != nil && bytes.Compare(key, hi) >= 0 {
		return fmt.Errorf("%s: key beyond its parent's range", name)
	}
	return nil
}
