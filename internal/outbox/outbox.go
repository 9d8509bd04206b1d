// Package outbox is the persisted queue of outgoing webhooks.
//
// A provider puts a delivery in the outbox inside the transaction of the
// state change that causes it (platform.Tx.Notify), so the change and its
// notification commit together. The delivery is an entry of the scheduler
// (internal/schedule), due at once or after its delay; when it falls due a
// worker sends it with the provider's signer, records every attempt, and
// on a non-2xx answer or a timeout schedules the provider's next retry in
// scenario time. Pending deliveries are reloaded at start, so a restart or
// a crash resumes them: delivery is at least once (an attempt cut off by a
// crash is sent again).
//
// Deliveries never reach the emulator itself: a connection to one of its own
// listeners is refused at dial time and the delivery is recorded as refused.
// Attempts in flight are bounded in total, per tenant and per receiver host,
// so a receiver that never answers holds only its share of the workers.
package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/schedule"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// Kind is the kind of the outbox's entries in the scheduler.
const Kind = "webhook"

const (
	bucketDeliveries = "outbox"
	bucketPolicies   = "webhook_policies"
)

// Delivery statuses.
const (
	StatusPending   = "pending"   // waiting for its first attempt or a retry
	StatusDelivered = "delivered" // a 2xx answer was received
	StatusFailed    = "failed"    // every attempt of the provider's schedule failed
	StatusDropped   = "dropped"   // a scenario step dropped it; never sent
	StatusRefused   = "refused"   // its target is the emulator itself; never sent, never retried
)

// Attempt is one try to deliver.
type Attempt struct {
	Time          time.Time         `json:"time"`
	ScenarioTime  time.Time         `json:"scenario_time"`
	URL           string            `json:"url"`
	Method        string            `json:"method"`
	RequestHeader map[string]string `json:"request_headers"`
	RequestBody   string            `json:"request_body"`
	Status        int               `json:"response_status,omitempty"`
	ResponseBody  string            `json:"response_body,omitempty"`
	LatencyMS     float64           `json:"latency_ms"`
	Error         string            `json:"error,omitempty"`
	Resend        bool              `json:"resend,omitempty"`
	// Refused is set when the attempt was not sent because its target is
	// the emulator itself (Error says why).
	Refused bool `json:"refused,omitempty"`
}

// Record is a delivery with its state and attempts.
type Record struct {
	ID       string            `json:"id"`
	Tenant   string            `json:"tenant"`
	Provider string            `json:"provider"`
	Status   string            `json:"status"`
	Created  time.Time         `json:"created"`
	NextAt   *time.Time        `json:"next_attempt_at,omitempty"` // scenario time
	Delivery platform.Delivery `json:"delivery"`
	Attempts []Attempt         `json:"attempts"`
	// AttemptsDropped counts the oldest resends left out of Attempts to keep
	// it within MaxAttempts.
	AttemptsDropped int `json:"attempts_dropped,omitempty"`
}

// MaxAttempts bounds the attempts kept per delivery. Automatic attempts are
// bounded by the provider's retry schedule; resends are not, so beyond the
// bound the oldest resends are dropped (and counted).
const MaxAttempts = 100

// Policy changes what happens to a resource's future deliveries (set by a
// scenario's webhook step).
type Policy struct {
	Drop  bool          `json:"drop,omitempty"`
	Delay time.Duration `json:"delay,omitempty"`
}

// Clock is the outbox's view of time.
type Clock interface {
	Now() time.Time
	ScenarioNow(tenant string) time.Time
}

// Options configure an Outbox.
type Options struct {
	Store *store.Store
	Clock Clock
	// Schedule is the scheduler the deliveries are entries of; the outbox
	// registers itself as the handler of Kind.
	Schedule *schedule.Scheduler
	Log      *slog.Logger
	// Signers are the providers' signers: provider → name → func.
	Signers map[string]map[string]platform.SignFunc
	// RetryScale multiplies every retry wait.
	RetryScale float64
	// Concurrency bounds attempts in flight (default 32).
	Concurrency int
	// PerTenant bounds one tenant's attempts in flight (default 8).
	PerTenant int
	// PerHost bounds the attempts in flight to one receiver host:port
	// (default 4).
	PerHost int
	// Client sends the requests. The default refuses connections to the
	// emulator's own listeners (see SetOwnAddrs), uses no proxy and does not
	// follow redirects; each attempt has its own timeout.
	Client *http.Client
	// Outcome, when set, is told in the recording transaction when a
	// pending delivery ends: delivered, or failed after its last retry.
	Outcome func(tx *store.Tx, rec *Record, delivered bool) error
}

// Outbox delivers webhooks.
type Outbox struct {
	opts  Options
	guard *selfGuard

	mu       sync.Mutex
	ready    map[string]readyItem // due, handed by the scheduler, waiting for a slot
	inflight map[string]slot      // id → the slot its automatic attempt holds
	running  int
	byTenant map[string]int
	byHost   map[string]int
	stopped  bool // Drain was called: no attempt starts
	wg       sync.WaitGroup
	redirect *loopbackRedirect // see RedirectLoopback

	logLimit logLimiter // refused deliveries
	storeLog logLimiter // attempts that could not be recorded
}

// readyItem is a due delivery waiting for a slot.
type readyItem struct {
	slot
	ctx context.Context
}

// slot is what an attempt in flight counts against.
type slot struct{ tenant, host string }

// New returns an outbox, registered with opts.Schedule as the handler of
// its deliveries.
func New(opts Options) *Outbox {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 32
	}
	if opts.PerTenant <= 0 {
		opts.PerTenant = 8
	}
	if opts.PerHost <= 0 {
		opts.PerHost = 4
	}
	if opts.RetryScale <= 0 {
		opts.RetryScale = 1
	}
	guard := newSelfGuard()
	if opts.Client == nil {
		opts.Client = newClient(guard)
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	o := &Outbox{
		opts:     opts,
		guard:    guard,
		ready:    map[string]readyItem{},
		inflight: map[string]slot{},
		byTenant: map[string]int{},
		byHost:   map[string]int{},
	}
	if opts.Schedule != nil { // nil only for an outbox that never delivers (tests of its parts)
		opts.Schedule.Handle(Kind, o)
	}
	return o
}

// newClient is the webhook client: every connection it opens is checked
// against the emulator's own listeners on the resolved address. It uses no
// proxy (a proxy would dial on its behalf, past the check) and follows no
// redirect: a 3xx is the receiver's answer, as with most real providers.
func newClient(g *selfGuard) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: g.control}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   5 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// SetOwnAddrs sets the emulator's own listening addresses (host:port or base
// URLs), to which no delivery is ever sent. Call it once the listeners are
// bound.
func (o *Outbox) SetOwnAddrs(addrs []string) error { return o.guard.set(addrs) }

// SetSigners sets the providers' signers (after the providers are mounted).
func (o *Outbox) SetSigners(s map[string]map[string]platform.SignFunc) { o.opts.Signers = s }

// SetOutcome sets Options.Outcome (after the providers are mounted).
func (o *Outbox) SetOutcome(fn func(tx *store.Tx, rec *Record, delivered bool) error) {
	o.opts.Outcome = fn
}

// seqKey makes ids that sort in creation order.
func seqKey(n uint64) string { return fmt.Sprintf("wh_%016x", n) }

// Enqueue implements platform.OutboxSink: it stores the delivery in tx
// (under its tenant); it is scheduled once tx commits.
func (o *Outbox) Enqueue(tx *platform.Tx, d platform.Delivery) (string, error) {
	seq, err := tx.NextID(bucketDeliveries)
	if err != nil {
		return "", err
	}
	if d.Method == "" {
		d.Method = http.MethodPost
	}
	now := tx.Now()
	rec := Record{
		ID:       seqKey(seq),
		Tenant:   tx.Tenant,
		Provider: tx.Provider(),
		Status:   StatusPending,
		Created:  now,
		Delivery: d,
		Attempts: []Attempt{},
	}
	due := now.Add(d.Delay)
	if d.Kind != "" && d.ResourceID != "" {
		if p, ok, err := policyOf(tx.Tx, tx.Tenant, tx.Provider(), d.Kind, d.ResourceID); err != nil {
			return "", err
		} else if ok {
			if p.Drop {
				rec.Status = StatusDropped
			}
			due = due.Add(p.Delay)
		}
	}
	if rec.Status == StatusPending {
		rec.NextAt = &due
	}
	if err := tx.Indexed(rec.Tenant, bucketDeliveries).PutJSON(rec.ID, &rec); err != nil {
		return "", err
	}
	if rec.Status == StatusPending {
		e := entryOf(&rec)
		// The transaction's context: a notification that a fast-forward's
		// step makes is waited for by that fast-forward.
		ctx := tx.Context()
		tx.OnCommit(func() { o.opts.Schedule.ScheduleFrom(ctx, e) })
	}
	return rec.ID, nil
}

// policyKey is a policy's id among its tenant's policies.
func policyKey(provider, kind, id string) string {
	return provider + "\x00" + kind + "\x00" + id
}

func policyOf(tx *store.Tx, tenant, provider, kind, id string) (Policy, bool, error) {
	var p Policy
	ok, err := tx.Records(tenant, bucketPolicies).GetJSON(policyKey(provider, kind, id), &p)
	return p, ok && err == nil, err
}

// SetPolicy sets the webhook policy of a resource in tx.
func SetPolicy(tx *store.Tx, tenant, provider, kind, id string, p Policy) error {
	return tx.Records(tenant, bucketPolicies).PutJSON(policyKey(provider, kind, id), p)
}

// entryOf is the scheduler's entry of a pending delivery.
func entryOf(rec *Record) schedule.Entry {
	return schedule.Entry{Kind: Kind, ID: rec.ID, Tenant: rec.Tenant, Due: *rec.NextAt, Tag: hostKey(rec.Delivery.URL)}
}

// hostKey is the receiver a URL points at (host:port), for the per-host
// bound; an unparsable URL counts as one receiver of its own.
func hostKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.ToLower(u.Host)
}

// Pending implements schedule.Handler: the pending deliveries stored in tx
// (at start).
func (o *Outbox) Pending(tx *store.Tx, add func(schedule.Entry)) error {
	return tx.ForEachTenant(bucketDeliveries, func(tenant string) error {
		return tx.Indexed(tenant, bucketDeliveries).ForEach(func(k string, v []byte) error {
			var rec Record
			if err := json.Unmarshal(v, &rec); err != nil {
				o.opts.Log.Error("outbox: unreadable delivery, skipped", "id", k, "err", err)
				return nil
			}
			if rec.Status == StatusPending && rec.NextAt != nil {
				add(entryOf(&rec))
			}
			return nil
		})
	})
}

// Run implements schedule.Handler: the due deliveries wait for a slot and
// are attempted as the bounds allow.
func (o *Outbox) Run(ctx context.Context, due []schedule.Entry) {
	o.mu.Lock()
	for _, e := range due {
		o.ready[e.ID] = readyItem{slot: slot{tenant: e.Tenant, host: e.Tag}, ctx: context.WithoutCancel(ctx)}
	}
	o.mu.Unlock()
	o.dispatch()
}

// Limit implements schedule.Limiter: the scheduler hands over at most
// twice PerHost due deliveries of one tenant to one receiver host at a
// time, enough to keep its slots busy. The rest stay queued, so a receiver
// slower than the deliveries made for it grows no set in memory here, and
// picking the next delivery costs the same however long the backlog is.
func (o *Outbox) Limit() int { return 2 * o.opts.PerHost }

// dueCandidate is a due delivery waiting for a slot.
type dueCandidate struct {
	id   string
	item readyItem
	rank int // its place among its tenant's due deliveries
}

// dispatch starts the ready deliveries as far as the bounds allow: in
// total, per tenant and per receiver host. Tenants take turns (each one's
// oldest first), so a tenant with many due deliveries does not push
// another's back, and a receiver that hangs holds at most PerHost
// attempts. The others stay ready until a slot frees.
func (o *Outbox) dispatch() {
	o.mu.Lock()
	if o.stopped {
		o.mu.Unlock()
		return
	}
	due := make([]dueCandidate, 0, len(o.ready))
	for id, it := range o.ready {
		due = append(due, dueCandidate{id: id, item: it})
	}
	sort.Slice(due, func(i, j int) bool { return due[i].id < due[j].id }) // oldest first
	ranks := map[string]int{}
	for i := range due {
		due[i].rank = ranks[due[i].item.tenant]
		ranks[due[i].item.tenant]++
	}
	sort.SliceStable(due, func(i, j int) bool { return due[i].rank < due[j].rank })
	var start []dueCandidate
	for _, c := range due {
		if o.running >= o.opts.Concurrency {
			break
		}
		if o.blocked(c.item.slot) {
			continue
		}
		delete(o.ready, c.id)
		o.inflight[c.id] = c.item.slot
		o.running++
		o.byTenant[c.item.tenant]++
		o.byHost[c.item.host]++
		start = append(start, c)
	}
	o.wg.Add(len(start))
	o.mu.Unlock()
	for _, c := range start {
		go func(id string, ctx context.Context) {
			defer o.wg.Done()
			_ = o.attempt(ctx, id, false) // recorded or rescheduled inside
			o.release(id)
		}(c.id, c.item.ctx)
	}
}

// release frees the slot of id's automatic attempt, tells the scheduler
// the entry is done and starts the deliveries that waited for the slot.
func (o *Outbox) release(id string) {
	o.mu.Lock()
	if s, ok := o.inflight[id]; ok {
		delete(o.inflight, id)
		o.running--
		if o.byTenant[s.tenant]--; o.byTenant[s.tenant] <= 0 {
			delete(o.byTenant, s.tenant)
		}
		if o.byHost[s.host]--; o.byHost[s.host] <= 0 {
			delete(o.byHost, s.host)
		}
	}
	o.mu.Unlock()
	o.opts.Schedule.Done(Kind, id)
	o.dispatch()
}

// blocked reports whether a bound keeps s from starting now (o.mu held).
func (o *Outbox) blocked(s slot) bool {
	return o.running >= o.opts.Concurrency || o.byTenant[s.tenant] >= o.opts.PerTenant || o.byHost[s.host] >= o.opts.PerHost
}

// Drain stops starting attempts and waits for those in flight (at
// shutdown, before the store closes). Deliveries not started stay pending
// in the store and resume at the next start.
func (o *Outbox) Drain() {
	o.mu.Lock()
	o.stopped = true
	o.mu.Unlock()
	o.wg.Wait()
}

// ErrNotFound is returned for an unknown delivery id.
var ErrNotFound = errors.New("outbox: no such delivery")

// Resend sends a delivery once more now, whatever its status, and returns
// the updated record. A pending delivery keeps its schedule; a delivered one
// stays delivered whatever the answer. A resend to the emulator itself is
// refused at dial time like any attempt, so it can never recurse.
func (o *Outbox) Resend(ctx context.Context, id string) (*Record, error) {
	if _, err := o.Get(ctx, id); err != nil {
		return nil, err
	}
	if err := o.attempt(ctx, id, true); err != nil {
		return nil, err
	}
	return o.Get(ctx, id)
}

// Get returns one delivery.
func (o *Outbox) Get(ctx context.Context, id string) (*Record, error) {
	var rec *Record
	err := o.opts.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		rec, err = getRecord(tx, id)
		return err
	})
	return rec, err
}

// getRecord reads delivery id in tx (ErrNotFound when it is not stored).
func getRecord(tx *store.Tx, id string) (*Record, error) {
	tenant, ok := tx.Locate(bucketDeliveries, id)
	if !ok {
		return nil, ErrNotFound
	}
	rec := &Record{}
	if ok, err := tx.Indexed(tenant, bucketDeliveries).GetJSON(id, rec); !ok {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	return rec, nil
}

// Filter selects deliveries.
type Filter struct {
	Tenant, Provider, Status string
	Limit                    int
}

// List returns matching deliveries, newest first.
func (o *Outbox) List(ctx context.Context, f Filter) ([]Record, error) {
	out := []Record{}
	keep := func(raw []byte) error {
		var rec Record
		if err := json.Unmarshal(raw, &rec); err != nil {
			return nil // left out, as before
		}
		if (f.Provider != "" && rec.Provider != f.Provider) || (f.Status != "" && rec.Status != f.Status) {
			return nil
		}
		out = append(out, rec)
		if f.Limit > 0 && len(out) >= f.Limit {
			return store.ErrStop
		}
		return nil
	}
	err := o.opts.Store.View(ctx, func(tx *store.Tx) error {
		if f.Tenant != "" {
			// One tenant's deliveries are read from its bucket alone.
			return tx.Indexed(f.Tenant, bucketDeliveries).ForEachReverse(func(_ string, raw []byte) error { return keep(raw) })
		}
		return tx.ForEachIndexed(bucketDeliveries, true, func(id, tenant string) error {
			if raw := tx.Indexed(tenant, bucketDeliveries).Get(id); raw != nil {
				return keep(raw)
			}
			return nil
		})
	})
	return out, err
}

// attempt sends a delivery once and records the outcome in one transaction.
// The in-memory schedule follows the committed record (set on commit, in
// commit order), so concurrent attempts of one delivery — an automatic one
// and resends — each add one attempt and never revive a stale schedule.
func (o *Outbox) attempt(ctx context.Context, id string, resend bool) error {
	rec, err := o.Get(ctx, id)
	if err != nil {
		if !resend {
			o.forget(id)
		}
		return err
	}
	if !resend && rec.Status != StatusPending {
		o.forget(id)
		return nil
	}
	d := rec.Delivery
	d.Header = d.Header.Clone()
	if d.Header == nil {
		d.Header = http.Header{}
	}
	att := Attempt{Time: o.opts.Clock.Now().UTC(), ScenarioTime: o.opts.Clock.ScenarioNow(rec.Tenant).UTC(), URL: d.URL, Method: d.Method, Resend: resend}
	if d.Signer != "" {
		sign := o.opts.Signers[rec.Provider][d.Signer]
		if sign == nil {
			att.Error = fmt.Sprintf("no signer %q registered by %s", d.Signer, rec.Provider)
		} else if err := sign(ctx, rec.Tenant, &d, o.opts.Clock.Now()); err != nil {
			att.Error = "signing: " + err.Error()
		}
	}
	if att.Error == "" {
		o.send(ctx, &d, &att)
	}
	att.RequestHeader = flatten(d.Header)
	att.RequestBody = string(d.Body)
	if att.Refused {
		if o.logLimit.allow(time.Now()) {
			o.opts.Log.Warn("outbox: delivery refused", "id", id, "tenant", rec.Tenant, "provider", rec.Provider, "url", d.URL, "reason", att.Error)
		}
	}

	ok := att.Status >= 200 && att.Status < 300
	err = o.opts.Store.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		found, err := getRecord(tx, id)
		if err != nil {
			return err // ErrNotFound: reset while in flight
		}
		cur := *found
		cur.Attempts = append(cur.Attempts, att)
		wasPending := cur.Status == StatusPending
		cur.trimResends()
		switch {
		case cur.Status == StatusDelivered:
			// A 2xx answer is final: a later failure (an automatic attempt
			// that overlapped a resend) is recorded, nothing more.
		case ok:
			cur.Status, cur.NextAt = StatusDelivered, nil
		case att.Refused:
			cur.Status, cur.NextAt = StatusRefused, nil
		case resend, cur.Status != StatusPending:
			// A manual resend does not change the retry schedule, and an
			// attempt of a delivery settled meanwhile changes nothing.
		default:
			failures := 0
			for _, a := range cur.Attempts {
				if !a.Resend {
					failures++
				}
			}
			if failures-1 < len(cur.Delivery.Retry) {
				wait := time.Duration(float64(cur.Delivery.Retry[failures-1]) * o.opts.RetryScale)
				next := att.ScenarioTime.Add(wait)
				cur.NextAt = &next
			} else {
				cur.Status, cur.NextAt = StatusFailed, nil
			}
		}
		if err := tx.Indexed(cur.Tenant, bucketDeliveries).PutJSON(cur.ID, &cur); err != nil {
			return err
		}
		if wasPending && cur.Status != StatusPending && o.opts.Outcome != nil {
			if err := o.opts.Outcome(tx, &cur, cur.Status == StatusDelivered); err != nil {
				return err
			}
		}
		settled := cur.Status != StatusPending || cur.NextAt == nil
		var next schedule.Entry
		if !settled {
			next = entryOf(&cur)
		}
		tx.OnCommit(func() {
			if settled {
				o.forget(id)
			} else {
				o.opts.Schedule.ScheduleFrom(ctx, next)
			}
		})
		return nil
	})
	switch {
	case err == nil || resend:
		return err
	case errors.Is(err, ErrNotFound):
		o.forget(id) // reset while in flight
	default:
		// The attempt could not be recorded (a full disk): the delivery stays
		// pending in the store, so try it again later rather than drop it
		// from the schedule until a restart.
		if o.storeLog.allow(time.Now()) {
			o.opts.Log.Error("outbox: recording attempt failed, the delivery is tried again in 30 s", "id", id, "err", err)
		}
		o.opts.Schedule.ScheduleFrom(ctx, schedule.Entry{Kind: Kind, ID: id, Tenant: rec.Tenant, Tag: hostKey(rec.Delivery.URL),
			Due: o.opts.Clock.ScenarioNow(rec.Tenant).Add(30 * time.Second)})
	}
	return err
}

// trimResends drops the oldest resends while there are more than
// MaxAttempts attempts.
func (r *Record) trimResends() {
	for i := 0; len(r.Attempts) > MaxAttempts && i < len(r.Attempts)-1; {
		if r.Attempts[i].Resend {
			r.Attempts = append(r.Attempts[:i], r.Attempts[i+1:]...)
			r.AttemptsDropped++
			continue
		}
		i++
	}
}

// forget drops a settled or deleted delivery from the schedule.
func (o *Outbox) forget(id string) { o.opts.Schedule.Remove(Kind, id) }

// target is the URL an attempt is sent to: the delivery's URL, parsed, with
// numeric IPv4 spellings made canonical. Every rewrite of the target belongs
// here, before the self-delivery checks (at send and at dial time).
func (o *Outbox) target(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("unsupported URL scheme %q", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("the URL has no host")
	}
	if h := canonicalHost(u.Hostname()); h != u.Hostname() {
		if p := u.Port(); p != "" {
			u.Host = net.JoinHostPort(h, p)
		} else {
			u.Host = h
		}
	}
	return u, nil
}

// send performs the HTTP request of an attempt.
func (o *Outbox) send(ctx context.Context, d *platform.Delivery, att *Attempt) {
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	u, err := o.target(d.URL)
	if err != nil {
		att.Error = "invalid URL: " + err.Error()
		return
	}
	var refused *RefusedError
	if err := o.guard.checkURL(u); errors.As(err, &refused) {
		att.Error, att.Refused = refused.Error(), true
		return
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, d.Method, u.String(), bytes.NewReader(d.Body))
	if err != nil {
		att.Error = err.Error()
		return
	}
	req.Header = d.Header.Clone()
	o.redirect.apply(req)
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "fakeprovider-webhooks")
	}
	start := time.Now()
	resp, err := o.opts.Client.Do(req)
	att.LatencyMS = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		if errors.As(err, &refused) {
			att.Error, att.Refused = refused.Error(), true
			return
		}
		att.Error = err.Error()
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	att.Status = resp.StatusCode
	att.ResponseBody = string(body)
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		att.Error = "receiver answered " + strconv.Itoa(resp.StatusCode) + " (redirects are not followed)"
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		att.Error = "receiver answered " + strconv.Itoa(resp.StatusCode)
	}
}

// logLimiter lets through one line per interval, so that a flood of the
// same failure does not flood the log.
type logLimiter struct {
	mu   sync.Mutex
	next time.Time
}

func (l *logLimiter) allow(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.next) {
		return false
	}
	l.next = now.Add(10 * time.Second)
	return true
}

func flatten(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		out[k] = joinValues(vs)
	}
	return out
}

func joinValues(vs []string) string {
	if len(vs) == 1 {
		return vs[0]
	}
	var b bytes.Buffer
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v)
	}
	return b.String()
}

// Reset follows, in tx, a reset of tenant ("" = every tenant): the
// tenant's deliveries and webhook policies went with its bucket
// (store.Tx.ResetTenant) and the scheduler drops its entries
// (schedule.Scheduler.Reset); the deliveries that waited for a slot are
// dropped on commit.
func (o *Outbox) Reset(tx *store.Tx, tenant string) error {
	tx.OnCommit(func() {
		o.mu.Lock()
		var dropped []string
		for id, it := range o.ready {
			if tenant == "" || it.tenant == tenant {
				delete(o.ready, id)
				dropped = append(dropped, id)
			}
		}
		o.mu.Unlock()
		for _, id := range dropped {
			o.opts.Schedule.Done(Kind, id)
		}
	})
	return nil
}
