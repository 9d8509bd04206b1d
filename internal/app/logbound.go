package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/fakeprovider/fakeprovider/internal/journal"
)

// Log bounds: a log attribute carries at most MaxLogValue bytes of one value
// (MaxLogStack for a "stack"), so a request with a 900 KB header that ends
// up in an auth-failure reason writes a line of a few KiB, not 900 KB.
const (
	MaxLogValue = 2048
	MaxLogStack = 16 << 10
)

// boundedHandler cuts long string values (and errors and byte slices,
// which print as strings) of every record and attribute, with
// journal.Cut's marker. It also keeps each key once per line: a logger made
// with With("provider", …) whose caller adds "provider" again would
// otherwise write the key twice (invalid for most JSON readers); the first
// value wins. Keys inside a group are the group's own.
type boundedHandler struct {
	next slog.Handler
	// keys set by WithAttrs at the top level (nil once a group is open).
	keys map[string]bool
	// grouped: a WithGroup is open, so record attributes are not top level.
	grouped bool
}

// BoundLog wraps h so that no attribute value is longer than MaxLogValue.
func BoundLog(h slog.Handler) slog.Handler {
	if _, ok := h.(boundedHandler); ok {
		return h
	}
	return boundedHandler{next: h, keys: map[string]bool{}}
}

func (b boundedHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return b.next.Enabled(ctx, l)
}

func (b boundedHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, journal.Cut(r.Message, MaxLogValue), r.PC)
	var seen map[string]bool
	r.Attrs(func(a slog.Attr) bool {
		if !b.grouped && a.Key != "" {
			if b.keys[a.Key] || seen[a.Key] {
				return true
			}
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[a.Key] = true
		}
		out.AddAttrs(boundAttr(a))
		return true
	})
	return b.next.Handle(ctx, out)
}

func (b boundedHandler) WithAttrs(as []slog.Attr) slog.Handler {
	keys := b.keys
	bounded := make([]slog.Attr, 0, len(as))
	if !b.grouped {
		keys = make(map[string]bool, len(b.keys)+len(as))
		for k := range b.keys {
			keys[k] = true
		}
	}
	for _, a := range as {
		if !b.grouped && a.Key != "" {
			if keys[a.Key] {
				continue
			}
			keys[a.Key] = true
		}
		bounded = append(bounded, boundAttr(a))
	}
	return boundedHandler{next: b.next.WithAttrs(bounded), keys: keys, grouped: b.grouped}
}

func (b boundedHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return b
	}
	return boundedHandler{next: b.next.WithGroup(name), keys: b.keys, grouped: true}
}

func boundAttr(a slog.Attr) slog.Attr {
	limit := MaxLogValue
	if a.Key == "stack" {
		limit = MaxLogStack
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		if s := v.String(); len(s) > limit {
			return slog.String(a.Key, journal.Cut(s, limit))
		}
	case slog.KindGroup:
		g := v.Group()
		out := make([]slog.Attr, len(g))
		for i, ga := range g {
			out[i] = boundAttr(ga)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	case slog.KindAny:
		var s string
		switch x := v.Any().(type) {
		case error:
			s = x.Error()
		case []byte:
			s = string(x)
		case fmt.Stringer:
			s = x.String()
		case string:
			s = x
		default:
			// Other values print through fmt; a panic value can be any size.
			s = fmt.Sprint(x)
			if len(s) <= limit {
				return slog.Attr{Key: a.Key, Value: v}
			}
		}
		if len(s) > limit {
			return slog.String(a.Key, journal.Cut(s, limit))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
