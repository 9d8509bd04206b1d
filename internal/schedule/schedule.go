// Package schedule is the one queue of timed work. Scenario steps and
// webhook attempts are entries of it, keyed by the scenario time they fall
// due in their tenant's clock. One loop waits, by timer or by signal, for
// the earliest entry and hands what is due to the entry's handler (the
// scenario engine, the outbox); a fast-forward of the clock (Advance) runs
// every entry that falls due on the way, in due order, through the same
// queue. The scheduler owns scenario time: it restores the clock offsets at
// start and saves them after each fast-forward.
//
// Handlers keep their own rules (the outbox its retries and its bounds of
// attempts in flight, the engine its matching and steps) but no timer: an
// entry handed to a handler is "taken" until the handler calls Done, and
// what the handler schedules meanwhile for that entry waits until then, so
// one entry never runs twice at once. A handler that is a Limiter is handed
// at most Limit entries of one tenant and tag at a time: the rest wait in
// the queue, so what a handler holds in memory stays bounded however much
// work falls due (deliveries to a receiver slower than their creation).
package schedule

import (
	"container/heap"
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/clock"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// Entry is one piece of work due at a scenario time of its tenant.
type Entry struct {
	Kind   string    // the handler's kind
	ID     string    // the handler's id (a run, a delivery)
	Tenant string    // whose clock Due is read on
	Due    time.Time // scenario time of Tenant
	// Tag is the handler's own (the outbox keeps the receiver host there).
	Tag string
}

// Handler runs the entries of one kind.
type Handler interface {
	// Pending adds, at start, the entries of the kind stored in tx.
	Pending(tx *store.Tx, add func(Entry)) error
	// Run runs or starts the due entries (in due order) and calls Done for
	// each once it has finished with it, after scheduling what comes next.
	Run(ctx context.Context, due []Entry)
}

// Limiter is a Handler that holds at most Limit() taken entries of one
// tenant and tag (the outbox: of one receiver host) at a time.
type Limiter interface {
	Limit() int
}

type key struct{ kind, id string }

// qkey names one queue: the entries of a tenant, a kind and a tag, so that
// a kind whose handler is at its limit holds back nothing of another kind
// or tag.
type qkey struct{ tenant, kind, tag string }

func qkeyOf(e Entry) qkey { return qkey{e.Tenant, e.Kind, e.Tag} }

// Scheduler is the queue; New, Handle, Load, then Run.
type Scheduler struct {
	store *store.Store
	clock *clock.Clock
	log   *slog.Logger

	handlers map[string]Handler
	order    map[string]int // kind → registration order (runs first among equals)

	mu      sync.Mutex
	queues  map[qkey]*queue // tenant, kind, tag → its entries by due time
	where   map[key]*item
	later   map[key]Entry  // scheduled while taken: queued by Done
	taken   map[key]qkey   // handed to a handler, not done: → its queue
	inQueue map[qkey]int   // taken entries by queue
	running map[string]int // tenant → taken entries
	idle    *sync.Cond     // signalled when a taken entry is done
	wake    chan struct{}

	advanceMu sync.Mutex // one fast-forward at a time
	waiting   *waitSet   // the stop of the fast-forward in progress (s.mu)
}

// New returns an empty scheduler of the clock's time.
func New(st *store.Store, clk *clock.Clock, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.Default()
	}
	s := &Scheduler{
		store: st, clock: clk, log: log,
		handlers: map[string]Handler{},
		order:    map[string]int{},
		queues:   map[qkey]*queue{},
		where:    map[key]*item{},
		later:    map[key]Entry{},
		taken:    map[key]qkey{},
		inQueue:  map[qkey]int{},
		running:  map[string]int{},
		wake:     make(chan struct{}, 1),
	}
	s.idle = sync.NewCond(&s.mu)
	return s
}

// Handle registers the handler of kind. Entries of kinds registered first
// run first among entries due at the same time.
func (s *Scheduler) Handle(kind string, h Handler) {
	s.order[kind] = len(s.order)
	s.handlers[kind] = h
}

// Load restores the clock offsets and the pending entries of every handler
// from the store (at start, before Run).
func (s *Scheduler) Load(ctx context.Context) error {
	return s.store.View(ctx, func(tx *store.Tx) error {
		if err := s.clock.Load(tx); err != nil {
			return err
		}
		for kind, h := range s.handlers {
			err := h.Pending(tx, func(e Entry) {
				e.Kind = kind
				s.mu.Lock()
				s.put(e)
				s.mu.Unlock()
			})
			if err != nil {
				return fmt.Errorf("schedule: loading %s: %w", kind, err)
			}
		}
		return nil
	})
}

// Schedule adds e, or moves it to its new due time. Call it after the
// commit that stored the work (store.Tx.OnCommit), so that the queue
// follows the store in commit order.
func (s *Scheduler) Schedule(e Entry) { s.ScheduleFrom(context.Background(), e) }

// ScheduleFrom is Schedule for work that running an entry causes (its next
// step, a notification its step made, a retry), with the context the entry
// was handed with or the transaction's: a fast-forward waiting for that
// entry waits for this one too. Work that requests cause is scheduled with
// their own context, so a fast-forward does not wait for a stream of it.
func (s *Scheduler) ScheduleFrom(ctx context.Context, e Entry) {
	s.mu.Lock()
	k := key{e.Kind, e.ID}
	if ctx != nil {
		if w, _ := ctx.Value(waitKey{}).(*waitSet); w != nil && w == s.waiting {
			w.keys[k] = true
		}
	}
	if _, busy := s.taken[k]; busy {
		s.later[k] = e
	} else {
		s.put(e)
	}
	s.mu.Unlock()
	s.signal()
}

// waitSet is what one fast-forward stop waits for: the entries of its
// tenant that were due or running when it began, and what running them
// schedules (ScheduleFrom with a context that carries the set).
type waitSet struct {
	keys map[key]bool
}

type waitKey struct{}

// Remove drops the entry kind/id (settled work).
func (s *Scheduler) Remove(kind, id string) {
	s.mu.Lock()
	k := key{kind, id}
	delete(s.later, k)
	s.drop(k)
	s.mu.Unlock()
}

// Done tells that the handler has finished with an entry it was handed:
// what was scheduled for it meanwhile joins the queue.
func (s *Scheduler) Done(kind, id string) {
	s.mu.Lock()
	k := key{kind, id}
	if qk, ok := s.taken[k]; ok {
		delete(s.taken, k)
		if s.running[qk.tenant]--; s.running[qk.tenant] <= 0 {
			delete(s.running, qk.tenant)
		}
		if s.inQueue[qk]--; s.inQueue[qk] <= 0 {
			delete(s.inQueue, qk)
		}
		if e, ok := s.later[k]; ok {
			delete(s.later, k)
			s.put(e)
		}
		s.idle.Broadcast()
	}
	s.mu.Unlock()
	s.signal()
}

// Reset follows, in tx, a reset of tenant ("" = every tenant): its entries
// leave the queue on commit (their records went with the tenant's bucket),
// and its scenario time goes back on the wall clock (the offset is cleared,
// in the store and in memory). Entries already handed to a handler end
// there (their records are gone).
func (s *Scheduler) Reset(tx *store.Tx, tenant string) error {
	if err := s.clock.ClearAfterReset(tx, tenant); err != nil {
		return err
	}
	tx.OnCommit(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for qk, q := range s.queues {
			if tenant != "" && qk.tenant != tenant {
				continue
			}
			for _, it := range q.items {
				delete(s.where, key{it.e.Kind, it.e.ID})
			}
			delete(s.queues, qk)
		}
		for k, e := range s.later {
			if tenant == "" || e.Tenant == tenant {
				delete(s.later, k)
			}
		}
	})
	return nil
}

// put queues e (s.mu held), replacing an earlier schedule of it.
func (s *Scheduler) put(e Entry) {
	k := key{e.Kind, e.ID}
	qk := qkeyOf(e)
	if it, ok := s.where[k]; ok {
		if qkeyOf(it.e) == qk {
			it.e = e
			heap.Fix(s.queues[qk], it.index)
			return
		}
		s.drop(k)
	}
	q := s.queues[qk]
	if q == nil {
		q = &queue{order: s.order}
		s.queues[qk] = q
	}
	it := &item{e: e}
	heap.Push(q, it)
	s.where[k] = it
}

// drop removes k from its queue (s.mu held).
func (s *Scheduler) drop(k key) {
	it, ok := s.where[k]
	if !ok {
		return
	}
	delete(s.where, k)
	qk := qkeyOf(it.e)
	q := s.queues[qk]
	heap.Remove(q, it.index)
	if q.Len() == 0 {
		delete(s.queues, qk)
	}
}

func (s *Scheduler) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// markTaken counts k, of queue qk, as handed to its handler (s.mu held);
// Done undoes it.
func (s *Scheduler) markTaken(k key, qk qkey) {
	s.taken[k] = qk
	s.inQueue[qk]++
	s.running[qk.tenant]++
}

// room is how many more entries of queue qk its handler takes now
// (s.mu held); -1 when its handler sets no limit.
func (s *Scheduler) room(qk qkey) int {
	l, ok := s.handlers[qk.kind].(Limiter)
	if !ok {
		return -1
	}
	return max(l.Limit()-s.inQueue[qk], 0)
}

// take removes the entries of tenant ("" = every tenant) that are due and
// marks them taken, in due order, as far as their handlers' limits allow.
func (s *Scheduler) take(tenant string) []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []Entry
	for qk, q := range s.queues {
		if tenant != "" && qk.tenant != tenant {
			continue
		}
		room := s.room(qk)
		now := s.clock.ScenarioNow(qk.tenant)
		for q.Len() > 0 && room != 0 && !q.items[0].e.Due.After(now) {
			it := heap.Pop(q).(*item)
			k := key{it.e.Kind, it.e.ID}
			delete(s.where, k)
			s.markTaken(k, qk)
			due = append(due, it.e)
			room--
		}
		if q.Len() == 0 {
			delete(s.queues, qk)
		}
	}
	sort.Slice(due, func(i, j int) bool { return s.before(due[i], due[j]) })
	return due
}

func (s *Scheduler) before(a, b Entry) bool {
	if !a.Due.Equal(b.Due) {
		return a.Due.Before(b.Due)
	}
	if a.Kind != b.Kind {
		return s.order[a.Kind] < s.order[b.Kind]
	}
	return a.ID < b.ID
}

// dispatch hands the entries to their handlers, a run of one kind at a
// time, and returns how many of each kind it handed.
func (s *Scheduler) dispatch(ctx context.Context, due []Entry) map[string]int {
	counts := map[string]int{}
	for i := 0; i < len(due); {
		j := i + 1
		for j < len(due) && due[j].Kind == due[i].Kind {
			j++
		}
		if h := s.handlers[due[i].Kind]; h != nil {
			h.Run(ctx, due[i:j])
		} else {
			for _, e := range due[i:j] {
				s.Done(e.Kind, e.ID)
			}
		}
		counts[due[i].Kind] += j - i
		i = j
	}
	return counts
}

// nextWait is how long until the earliest queued entry of tenant ("" =
// any) is due in its tenant's scenario time; a queue whose handler is at
// its limit waits for a Done, not for time.
func (s *Scheduler) nextWait(tenant string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best time.Duration
	found := false
	for qk, q := range s.queues {
		if (tenant != "" && qk.tenant != tenant) || q.Len() == 0 || s.room(qk) == 0 {
			continue
		}
		w := q.items[0].e.Due.Sub(s.clock.ScenarioNow(qk.tenant))
		if !found || w < best {
			best, found = w, true
		}
	}
	return best, found
}

// Run hands due entries to their handlers until ctx ends, sleeping until
// the earliest entry falls due or something is scheduled.
func (s *Scheduler) Run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if err := ctx.Err(); err != nil {
			return
		}
		due := s.take("")
		s.dispatch(s.markIfWaited(ctx, due), due)
		wait, ok := s.nextWait("")
		if !ok || wait > time.Hour {
			wait = time.Hour
		}
		if wait <= 0 {
			continue // fell due while the last ones ran
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-timer.C:
		}
	}
}

// markIfWaited gives ctx the fast-forward's wait set when due holds an
// entry it waits for, so that what running them schedules is waited for
// too, whichever loop runs them.
func (s *Scheduler) markIfWaited(ctx context.Context, due []Entry) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.waiting; w != nil {
		for _, e := range due {
			if w.keys[key{e.Kind, e.ID}] {
				return context.WithValue(ctx, waitKey{}, w)
			}
		}
	}
	return ctx
}

// runDue moves tenant's scenario time ("" = every tenant) forward by move,
// then runs every entry of the tenant that is due or running at that
// moment, and what running them schedules that falls due, to completion
// (entries the background loop runs included). Work that requests schedule
// meanwhile is left to the background loop: a fast-forward returns under a
// steady stream of new work too. The clock moves under the lock the
// background loop takes entries under, so nothing the move makes due is
// taken before it is in the wait set.
func (s *Scheduler) runDue(ctx context.Context, tenant string, move time.Duration, counts map[string]int) {
	w := &waitSet{keys: map[key]bool{}}
	s.mu.Lock()
	if move > 0 {
		s.clock.Advance(tenant, move)
	}
	for qk, q := range s.queues {
		if tenant != "" && qk.tenant != tenant {
			continue
		}
		q.due(s.clock.ScenarioNow(qk.tenant), func(e Entry) { w.keys[key{e.Kind, e.ID}] = true })
	}
	for k, qk := range s.taken {
		if tenant == "" || qk.tenant == tenant {
			w.keys[k] = true
		}
	}
	s.waiting = w
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.waiting = nil
		s.mu.Unlock()
	}()
	ctx = context.WithValue(ctx, waitKey{}, w)
	for {
		due := s.takeWaited(w)
		if len(due) == 0 {
			return
		}
		for k, n := range s.dispatch(ctx, due) {
			counts[k] += n
		}
	}
}

// takeWaited takes, in due order, the entries of w that are due and that
// their handlers' limits let through; it waits while entries of w run
// elsewhere, and returns nothing once none of w is due or running.
func (s *Scheduler) takeWaited(w *waitSet) []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		var due []Entry
		pending := false
		for k := range w.keys {
			if _, running := s.taken[k]; running {
				pending = true
				continue
			}
			it, queued := s.where[k]
			if !queued || it.e.Due.After(s.clock.ScenarioNow(it.e.Tenant)) {
				delete(w.keys, k) // done, or due later (a later stop's)
				continue
			}
			pending = true
			qk := qkeyOf(it.e)
			if s.room(qk) == 0 {
				continue
			}
			s.drop(k)
			s.markTaken(k, qk)
			due = append(due, it.e)
		}
		if len(due) > 0 {
			sort.Slice(due, func(i, j int) bool { return s.before(due[i], due[j]) })
			return due
		}
		if !pending {
			return nil
		}
		s.idle.Wait() // an entry of w runs elsewhere, or its handler is at its limit
	}
}

// maxStops bounds the stops of one fast-forward (a retry schedule that
// never ends would otherwise hold it forever).
const maxStops = 100000

// Advance moves scenario time forward by d for tenant ("" = every tenant),
// stopping at each due entry on the way to run it (so that retries that
// fall inside the window happen, in order), returns when everything due by
// the end has run, and saves the clock offset. The counts are the entries
// run by kind.
func (s *Scheduler) Advance(ctx context.Context, tenant string, d time.Duration) (map[string]int, error) {
	s.advanceMu.Lock()
	defer s.advanceMu.Unlock()
	counts := map[string]int{}
	remaining, move := d, time.Duration(0)
	for i := 0; ; i++ {
		if i > maxStops {
			return counts, fmt.Errorf("fast-forward stopped after %d stops", i)
		}
		s.runDue(ctx, tenant, move, counts)
		wait, ok := s.nextWait(tenant)
		if !ok || wait > remaining {
			break
		}
		move = max(wait, 0)
		remaining -= move
		if err := ctx.Err(); err != nil {
			s.clock.Advance(tenant, move)
			return counts, err
		}
	}
	s.runDue(ctx, tenant, remaining, counts)
	err := s.store.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error { return s.clock.Save(tx, tenant) })
	return counts, err
}

// Len is the number of queued entries (taken ones left out).
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.where)
}

// item is a queued entry and its place in its tenant's heap.
type item struct {
	e     Entry
	index int
}

// queue is one tenant's entries, earliest first (container/heap).
type queue struct {
	items []*item
	order map[string]int
}

// due calls fn with every entry due by now, visiting only them: a heap's
// children are never due before their parent, so a subtree whose root is
// not due is passed over.
func (q *queue) due(now time.Time, fn func(Entry)) {
	var visit func(i int)
	visit = func(i int) {
		if i >= len(q.items) || q.items[i].e.Due.After(now) {
			return
		}
		fn(q.items[i].e)
		visit(2*i + 1)
		visit(2*i + 2)
	}
	visit(0)
}

func (q *queue) Len() int { return len(q.items) }
func (q *queue) Less(i, j int) bool {
	a, b := q.items[i].e, q.items[j].e
	if !a.Due.Equal(b.Due) {
		return a.Due.Before(b.Due)
	}
	if a.Kind != b.Kind {
		return q.order[a.Kind] < q.order[b.Kind]
	}
	return a.ID < b.ID
}
func (q *queue) Swap(i, j int) {
	q.items[i], q.items[j] = q.items[j], q.items[i]
	q.items[i].index, q.items[j].index = i, j
}
func (q *queue) Push(x any) {
	it := x.(*item)
	it.index = len(q.items)
	q.items = append(q.items, it)
}
func (q *queue) Pop() any {
	n := len(q.items)
	it := q.items[n-1]
	q.items[n-1] = nil
	q.items = q.items[:n-1]
	return it
}
