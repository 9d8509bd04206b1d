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
// journal.Cut's marker.
type boundedHandler struct{ next slog.Handler }

// BoundLog wraps h so that no attribute value is longer than MaxLogValue.
func BoundLog(h slog.Handler) slog.Handler {
	if _, ok := h.(boundedHandler); ok {
		return h
	}
	return boundedHandler{next: h}
}

func (b boundedHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return b.next.Enabled(ctx, l)
}

func (b boundedHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, journal.Cut(r.Message, MaxLogValue), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(boundAttr(a))
		return true
	})
	return b.next.Handle(ctx, out)
}

func (b boundedHandler) WithAttrs(as []slog.Attr) slog.Handler {
	bounded := make([]slog.Attr, len(as))
	for i, a := range as {
		bounded[i] = boundAttr(a)
	}
	return boundedHandler{next: b.next.WithAttrs(bounded)}
}

func (b boundedHandler) WithGroup(name string) slog.Handler {
	return boundedHandler{next: b.next.WithGroup(name)}
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
