package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// DamagedError says that a data file cannot be used as it is. The file is
// left untouched.
type DamagedError struct {
	Path   string
	Reason string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("data file %s is damaged: %s; move it away or use another --data", e.Path, e.Reason)
}

// InUseError says that another process holds the data file.
type InUseError struct {
	Path string
	PID  int // 0 when unknown
}

func (e *InUseError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("another process (pid %d)", e.PID)
	}
	return fmt.Sprintf("data file %s is in use by %s, probably another fakeprovider; stop it or use another --data", e.Path, who)
}

// bbolt's on-disk meta page (go.etcd.io/bbolt/internal/common): a 16-byte
// page header, then magic, version, page size, flags, root bucket (root
// page, sequence), freelist page, high-water page, txid, and an FNV-64a
// checksum of the fields before it. Native byte order, little-endian on
// every platform fakeprovider ships for.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	metaSumOffset  = 56
	metaSize       = metaSumOffset + 8
	// headSize covers both meta pages at the largest page size (64 KiB).
	headSize = 2 << 16
)

type metaPage struct {
	pageSize uint32
	root     uint64 // the root bucket's page
	hwm      uint64 // pages in use
	txid     uint64
	err      string // why it is invalid; "" when valid
}

func readMeta(b []byte) metaPage {
	if len(b) < pageHeaderSize+metaSize {
		return metaPage{err: "cut short"}
	}
	m := b[pageHeaderSize : pageHeaderSize+metaSize]
	le := binary.LittleEndian
	mp := metaPage{pageSize: le.Uint32(m[8:]), root: le.Uint64(m[16:]), hwm: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}
	h := fnv.New64a()
	h.Write(m[:metaSumOffset])
	switch {
	case le.Uint32(m[0:]) != boltMagic:
		mp.err = "not a bbolt meta page"
	case le.Uint32(m[4:]) != boltVersion:
		mp.err = fmt.Sprintf("bbolt format version %d, not %d", le.Uint32(m[4:]), boltVersion)
	case le.Uint64(m[metaSumOffset:]) != h.Sum64():
		mp.err = "checksum mismatch"
	}
	return mp
}

// checkMeta validates both meta pages of an existing bbolt file before
// bbolt opens it. bbolt alone would open a file whose newest meta page is
// damaged on the other one — silently going back one transaction — and
// would map a truncated file and fault on the pages past its end.
func checkMeta(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // bbolt reports it
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return nil // a new file
	}
	damaged := func(format string, args ...any) error {
		return &DamagedError{Path: path, Reason: fmt.Sprintf(format, args...)}
	}
	head := make([]byte, headSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return damaged("reading its header: %v", err)
	}
	head = head[:n]
	m0 := readMeta(head)
	sizes := []uint32{uint32(os.Getpagesize()), 4096, 16384, 65536}
	if m0.err == "" {
		sizes = []uint32{m0.pageSize}
	}
	m1 := metaPage{err: "cut short"}
	var pageSize uint32
	for _, ps := range sizes {
		if ps < 1024 || int(ps) > len(head) {
			continue
		}
		if m1 = readMeta(head[ps:]); m1.err == "" {
			pageSize = ps
			break
		}
	}
	if pageSize == 0 && m0.err == "" {
		pageSize = m0.pageSize
	}
	switch {
	case m0.err != "" && m1.err != "":
		if int64(n) < 2*1024 {
			return damaged("%d bytes, shorter than its two meta pages", info.Size())
		}
		return damaged("neither meta page is valid (%s); it is not a fakeprovider data file or its header was overwritten", m0.err)
	case m0.err != "":
		return damaged("meta page 0 is invalid (%s); opening it would silently go back to transaction %d, possibly losing the last change", m0.err, m1.txid)
	case m1.err != "":
		return damaged("meta page 1 is invalid (%s); opening it would silently go back to transaction %d, possibly losing the last change", m1.err, m0.txid)
	}
	newest := m0
	if m1.txid > m0.txid {
		newest = m1
	}
	if need := int64(newest.hwm) * int64(pageSize); info.Size() < need {
		return damaged("%d bytes but its pages reach %d: the file was cut short", info.Size(), need)
	}
	return nil
}
