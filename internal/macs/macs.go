// Package macs computes HMAC-SHA256 with hashers reused across requests:
// verifying request after request signed with the same secret then skips
// crypto/hmac.New's key set-up and its allocations.
package macs

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"sync"
)

// maxKeptBuffer bounds the message buffer a pooled hasher keeps.
const maxKeptBuffer = 4 << 10

// Pool hands out HMAC-SHA256 hashers keyed by secret; the zero value is
// ready. A hasher keyed by another secret is set up again.
type Pool struct{ p sync.Pool }

type state struct {
	key string
	mac hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

// Sum returns HMAC-SHA256(key, parts joined, then tail).
func (p *Pool) Sum(key string, tail []byte, parts ...string) [sha256.Size]byte {
	st, _ := p.p.Get().(*state)
	if st == nil {
		st = &state{}
	}
	if st.mac == nil || st.key != key {
		st.mac, st.key = hmac.New(sha256.New, []byte(key)), key
	} else {
		st.mac.Reset()
	}
	buf := st.buf[:0]
	for _, s := range parts {
		buf = append(buf, s...)
	}
	st.mac.Write(buf)
	st.mac.Write(tail)
	st.mac.Sum(st.sum[:0])
	out := st.sum
	if cap(buf) <= maxKeptBuffer {
		st.buf = buf
	} else {
		st.buf = nil
	}
	p.p.Put(st)
	return out
}

const hexDigits = "0123456789abcdef"

// EqualHex reports, in time independent of where they differ, whether
// sent is sum in lowercase hex (exactly: uppercase hex is another string).
func EqualHex(sent string, sum []byte) bool {
	if len(sent) != 2*len(sum) {
		return false
	}
	var diff byte
	for i, b := range sum {
		diff |= sent[2*i] ^ hexDigits[b>>4]
		diff |= sent[2*i+1] ^ hexDigits[b&0xF]
	}
	return diff == 0
}

// EqualBase64 reports, in time independent of where they differ, whether
// sent is sum in standard padded base64.
func EqualBase64(sent string, sum [sha256.Size]byte) bool {
	var enc [44]byte // base64.StdEncoding.EncodedLen(sha256.Size)
	base64.StdEncoding.Encode(enc[:], sum[:])
	if len(sent) != len(enc) {
		return false
	}
	var diff byte
	for i := range enc {
		diff |= sent[i] ^ enc[i]
	}
	return diff == 0
}
