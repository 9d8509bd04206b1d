// Package faults makes chosen provider calls fail or slow down: rules added
// through the control API or by scenario steps match verified calls by
// provider, tenant, method and path, and answer with a status and body,
// wait, or drop the connection, a given number of times or with a
// probability. Rules live in memory: they are test set-up, not state.
package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Rule is one fault rule.
type Rule struct {
	ID       string `json:"id"`
	Provider string `json:"provider,omitempty"`
	Tenant   string `json:"tenant,omitempty"`
	Method   string `json:"method,omitempty"`
	// Path is a path.Match pattern over the request path as the provider
	// sees it (without a /<provider> prefix), e.g. "/v3/deposits/*".
	Path string `json:"path,omitempty"`

	Latency Duration `json:"latency,omitempty"`
	Status  int      `json:"status,omitempty"`
	// Body is written verbatim with Status; empty means the provider's own
	// error envelope for Status.
	Body string `json:"body,omitempty"`
	Drop bool   `json:"drop,omitempty"`

	// Count is how many calls the rule affects (0: until removed).
	Count int `json:"count,omitempty"`
	// Probability in (0,1] applies the rule to that share of matching calls
	// (0: every one).
	Probability float64 `json:"probability,omitempty"`

	Source string `json:"source,omitempty"`
	Hits   int    `json:"hits"`
}

// Duration is a time.Duration written as "2s" in JSON.
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Duration(d).String() + `"`), nil
}

// UnmarshalJSON reads "2s" or a number of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*d = 0
		return nil
	}
	if v, err := time.ParseDuration(s); err == nil {
		*d = Duration(v)
		return nil
	}
	var ms float64
	if _, err := fmt.Sscan(s, &ms); err != nil {
		return fmt.Errorf("duration %q: use a Go duration like \"250ms\" or \"2s\"", s)
	}
	*d = Duration(time.Duration(ms * float64(time.Millisecond)))
	return nil
}

// Validate checks a rule.
func (r *Rule) Validate() error {
	if r.Status == 0 && r.Latency == 0 && !r.Drop {
		return fmt.Errorf("a rule needs an action: status, latency or drop")
	}
	if r.Status != 0 && (r.Status < 100 || r.Status > 599) {
		return fmt.Errorf("status %d is not an HTTP status", r.Status)
	}
	if r.Count < 0 {
		return fmt.Errorf("count must be ≥ 0")
	}
	if r.Probability < 0 || r.Probability > 1 {
		return fmt.Errorf("probability must be within [0, 1]")
	}
	if r.Path != "" {
		if _, err := path.Match(r.Path, "/"); err != nil {
			return fmt.Errorf("path pattern %q: %v", r.Path, err)
		}
	}
	if r.Latency < 0 || time.Duration(r.Latency) > 5*time.Minute {
		return fmt.Errorf("latency must be within 0..5m")
	}
	return nil
}

// Set is the active rules.
type Set struct {
	mu    sync.Mutex
	rules []*Rule
	seq   int
	rand  func() float64
}

// New returns an empty rule set.
func New() *Set { return &Set{rand: rand.Float64} }

// Add validates and adds a rule, returning it with its id.
func (s *Set) Add(r Rule) (Rule, error) {
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	r.Method = strings.ToUpper(r.Method)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	r.ID = fmt.Sprintf("fault_%d", s.seq)
	r.Hits = 0
	s.rules = append(s.rules, &r)
	return r, nil
}

// List returns the rules in the order they were added.
func (s *Set) List() []Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Rule, 0, len(s.rules))
	for _, r := range s.rules {
		out = append(out, *r)
	}
	return out
}

// Remove deletes a rule; it reports whether it existed.
func (s *Set) Remove(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.rules {
		if r.ID == id {
			s.rules = append(s.rules[:i], s.rules[i+1:]...)
			return true
		}
	}
	return false
}

// Clear removes every rule of tenant ("" = all rules).
func (s *Set) Clear(tenant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tenant == "" {
		s.rules = nil
		return
	}
	kept := s.rules[:0]
	for _, r := range s.rules {
		if r.Tenant != tenant {
			kept = append(kept, r)
		}
	}
	s.rules = kept
}

// Match implements platform.FaultSource: the first matching rule applies,
// and its count goes down by one.
func (s *Set) Match(ctx context.Context, provider, tenant string, req *http.Request) *platform.Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.rules) == 0 {
		return nil
	}
	p := strings.TrimPrefix(req.URL.Path, platform.Prefix(req))
	for i, r := range s.rules {
		if r.Provider != "" && r.Provider != provider {
			continue
		}
		if r.Tenant != "" && r.Tenant != tenant {
			continue
		}
		if r.Method != "" && r.Method != req.Method {
			continue
		}
		if r.Path != "" {
			if ok, _ := path.Match(r.Path, p); !ok {
				if ok2, _ := path.Match(r.Path, strings.TrimSuffix(p, "/")); !ok2 {
					continue
				}
			}
		}
		if r.Probability > 0 && s.rand() >= r.Probability {
			continue
		}
		r.Hits++
		f := &platform.Fault{Latency: time.Duration(r.Latency), Drop: r.Drop, Rule: r.ID}
		if r.Status != 0 {
			f.Fail = &platform.FaultError{Status: r.Status}
			if r.Body != "" {
				f.Fail.Body = []byte(r.Body)
			}
		}
		if r.Count > 0 {
			r.Count--
			if r.Count == 0 {
				s.rules = append(s.rules[:i], s.rules[i+1:]...)
			}
		}
		return f
	}
	return nil
}
