// Package jsonenc appends JSON without reflection, byte for byte as
// encoding/json.Marshal writes the same values (HTML characters escaped,
// invalid UTF-8 replaced, floats in its format), for the answers on hot
// read paths: a value implements Appender with one method call per field,
// and Marshal falls back to encoding/json for everything else.
package jsonenc

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"
)

// Appender is a value that writes its own JSON encoding, the bytes
// encoding/json.Marshal would write for it.
// A pointer receiver must write null for a nil pointer.
type Appender interface {
	AppendJSON(w *Writer)
}

// Writer accumulates one JSON value. A value encoding/json cannot encode
// (a NaN or infinite float) marks it failed; Marshal then lets
// encoding/json report the error.
type Writer struct {
	B      []byte
	failed bool
	// comma is set after a value inside an object or array: the next
	// field or element starts with ','.
	comma bool
}

// Marshal is json.Marshal, through AppendJSON when v implements Appender.
func Marshal(v any) ([]byte, error) {
	if a, ok := v.(Appender); ok && a != nil {
		w := Writer{B: make([]byte, 0, 512)}
		a.AppendJSON(&w)
		if !w.failed {
			return w.B, nil
		}
	}
	return json.Marshal(v)
}

// Open starts an object.
func (w *Writer) Open() { w.sep(); w.B = append(w.B, '{'); w.comma = false }

// Close ends an object.
func (w *Writer) Close() { w.B = append(w.B, '}'); w.comma = true }

// OpenArray starts an array.
func (w *Writer) OpenArray() { w.sep(); w.B = append(w.B, '['); w.comma = false }

// CloseArray ends an array.
func (w *Writer) CloseArray() { w.B = append(w.B, ']'); w.comma = true }

// Key writes a field name; name must need no escaping (a Go field tag).
func (w *Writer) Key(name string) {
	w.sep()
	w.B = append(w.B, '"')
	w.B = append(w.B, name...)
	w.B = append(w.B, '"', ':')
	w.comma = false
}

// KeyString writes a field name that may need escaping (a map key).
func (w *Writer) KeyString(name string) {
	w.String(name)
	w.B = append(w.B, ':')
	w.comma = false
}

func (w *Writer) sep() {
	if w.comma {
		w.B = append(w.B, ',')
	}
	w.comma = true
}

// StringField writes a string field.
func (w *Writer) StringField(key, v string) { w.Key(key); w.String(v) }

// OptString writes a string field unless v is "" (omitempty).
func (w *Writer) OptString(key, v string) {
	if v != "" {
		w.StringField(key, v)
	}
}

// IntField writes an integer field.
func (w *Writer) IntField(key string, v int64) { w.Key(key); w.Int(v) }

// FloatField writes a float64 field.
func (w *Writer) FloatField(key string, v float64) { w.Key(key); w.Float(v) }

// BoolField writes a boolean field.
func (w *Writer) BoolField(key string, v bool) { w.Key(key); w.Bool(v) }

// Array writes s with each, or null for a nil slice (as encoding/json).
func Array[T any](w *Writer, s []T, each func(T, *Writer)) {
	if s == nil {
		w.Null()
		return
	}
	w.OpenArray()
	for _, e := range s {
		each(e, w)
	}
	w.CloseArray()
}

// Null writes null.
func (w *Writer) Null() { w.sep(); w.B = append(w.B, "null"...) }

// Bool writes a boolean.
func (w *Writer) Bool(b bool) { w.sep(); w.B = strconv.AppendBool(w.B, b) }

// Int writes an integer.
func (w *Writer) Int(i int64) { w.sep(); w.B = strconv.AppendInt(w.B, i, 10) }

// Float writes a float64 as encoding/json does: the shortest form, in
// exponent notation below 1e-6 and from 1e21.
func (w *Writer) Float(f float64) {
	w.sep()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.failed = true
		w.B = append(w.B, '0')
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	w.B = strconv.AppendFloat(w.B, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9, as encoding/json writes it.
		if n := len(w.B); n >= 4 && w.B[n-4] == 'e' && w.B[n-3] == '-' && w.B[n-2] == '0' {
			w.B[n-2] = w.B[n-1]
			w.B = w.B[:n-1]
		}
	}
}

// Value writes v with encoding/json (a field of a type without an
// encoder of its own).
func (w *Writer) Value(v any) {
	if a, ok := v.(Appender); ok {
		a.AppendJSON(w)
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		w.failed = true
		return
	}
	w.sep()
	w.B = append(w.B, raw...)
}

const hexDigits = "0123456789abcdef"

// String writes a string as encoding/json does with HTML escaping on:
// <, > and & as \u003c, \u003e and \u0026; U+2028 and U+2029 escaped;
// invalid UTF-8 as U+FFFD.
func (w *Writer) String(s string) {
	w.sep()
	b := append(w.B, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	w.B = append(b, '"')
}
