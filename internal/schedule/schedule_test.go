package schedule_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/clock"
	"github.com/fakeprovider/fakeprovider/internal/schedule"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

var ctx = context.Background()

// recorder is a handler that notes what ran, and when in scenario time.
type recorder struct {
	t     *testing.T
	s     *schedule.Scheduler
	clk   *clock.Clock
	async bool // finish in a goroutine of its own, a little later
	// then, when set, says what to schedule after an entry ran (a retry).
	then func(e schedule.Entry) (schedule.Entry, bool)

	mu      sync.Mutex
	ran     []string
	pending []schedule.Entry // returned by Pending
}

func (r *recorder) Pending(_ *store.Tx, add func(schedule.Entry)) error {
	for _, e := range r.pending {
		add(e)
	}
	return nil
}

func (r *recorder) Run(_ context.Context, due []schedule.Entry) {
	for _, e := range due {
		finish := func(e schedule.Entry) {
			r.mu.Lock()
			r.ran = append(r.ran, fmt.Sprintf("%s %s@%s", e.Tenant, e.ID, r.clk.Offset(e.Tenant)))
			r.mu.Unlock()
			if r.then != nil {
				if next, ok := r.then(e); ok {
					r.s.Schedule(next)
				}
			}
			r.s.Done(e.Kind, e.ID)
		}
		if r.async {
			go func() { time.Sleep(5 * time.Millisecond); finish(e) }()
		} else {
			finish(e)
		}
	}
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ran...)
}

// fixed is a wall clock that does not move, so that only fast-forwards
// make entries due.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func setup(t *testing.T) (*schedule.Scheduler, *clock.Clock, *store.Store) {
	t.Helper()
	st, err := store.Open(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.New(func() time.Time { return epoch })
	return schedule.New(st, clk, nil), clk, st
}

func at(d time.Duration) time.Time { return epoch.Add(d) }

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAdvanceRunsDueEntriesInOrder(t *testing.T) {
	cases := []struct {
		name    string
		tenant  string
		by      time.Duration
		entries []schedule.Entry
		retry   time.Duration // a "webhook" entry is tried again after this, twice
		want    []string
		counts  map[string]int
	}{
		{
			name:   "steps and deliveries of one tenant, by due time, steps first at a tie",
			tenant: "a", by: time.Hour,
			entries: []schedule.Entry{
				{Kind: "webhook", ID: "w1", Tenant: "a", Due: at(10 * time.Minute)},
				{Kind: "step", ID: "s1", Tenant: "a", Due: at(10 * time.Minute)},
				{Kind: "step", ID: "s0", Tenant: "a", Due: at(time.Minute)},
				{Kind: "step", ID: "late", Tenant: "a", Due: at(2 * time.Hour)},
			},
			want:   []string{"a s0@1m0s", "a s1@10m0s", "a w1@10m0s"},
			counts: map[string]int{"step": 2, "webhook": 1},
		},
		{
			name:   "retries inside the window run at their own time",
			tenant: "a", by: time.Hour, retry: 5 * time.Minute,
			entries: []schedule.Entry{{Kind: "webhook", ID: "w1", Tenant: "a", Due: at(time.Minute)}},
			want:    []string{"a w1@1m0s", "a w1@6m0s", "a w1@11m0s"},
			counts:  map[string]int{"webhook": 3},
		},
		{
			name:   "a tenant's fast-forward leaves another's entries alone",
			tenant: "a", by: time.Hour,
			entries: []schedule.Entry{
				{Kind: "step", ID: "mine", Tenant: "a", Due: at(time.Minute)},
				{Kind: "step", ID: "theirs", Tenant: "b", Due: at(time.Minute)},
			},
			want:   []string{"a mine@1m0s"},
			counts: map[string]int{"step": 1},
		},
		{
			name:   "a fast-forward of every tenant runs every tenant's",
			tenant: "", by: time.Hour,
			entries: []schedule.Entry{
				{Kind: "step", ID: "2", Tenant: "b", Due: at(2 * time.Minute)},
				{Kind: "step", ID: "1", Tenant: "a", Due: at(time.Minute)},
			},
			want:   []string{"a 1@1m0s", "b 2@2m0s"},
			counts: map[string]int{"step": 2},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, clk, _ := setup(t)
			rec := &recorder{t: t, s: s, clk: clk}
			tries := map[string]int{}
			if c.retry > 0 {
				rec.then = func(e schedule.Entry) (schedule.Entry, bool) {
					tries[e.ID]++
					e.Due = clk.ScenarioNow(e.Tenant).Add(c.retry)
					return e, tries[e.ID] < 3
				}
			}
			s.Handle("step", rec)
			s.Handle("webhook", rec)
			for _, e := range c.entries {
				s.Schedule(e)
			}
			counts, err := s.Advance(ctx, c.tenant, c.by)
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.got(); !equal(got, c.want) {
				t.Errorf("ran %q, want %q", got, c.want)
			}
			for k, n := range c.counts {
				if counts[k] != n {
					t.Errorf("counts %v, want %v", counts, c.counts)
				}
			}
			if off := clk.Offset(c.tenant); off != c.by {
				t.Errorf("offset %s after advancing by %s", off, c.by)
			}
		})
	}
}

// A fast-forward waits, by signal, for entries whose handler finishes
// later (webhook attempts in flight).
func TestAdvanceWaitsForAsyncHandlers(t *testing.T) {
	s, clk, _ := setup(t)
	rec := &recorder{t: t, s: s, clk: clk, async: true}
	s.Handle("webhook", rec)
	for i := 0; i < 5; i++ {
		s.Schedule(schedule.Entry{Kind: "webhook", ID: fmt.Sprint(i), Tenant: "a", Due: at(time.Minute)})
	}
	if _, err := s.Advance(ctx, "a", time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := rec.got(); len(got) != 5 {
		t.Errorf("advance returned with %d of 5 finished", len(got))
	}
}

// What is scheduled for an entry while its handler has it waits for Done,
// so that one entry never runs twice at once.
func TestScheduleWhileTakenWaitsForDone(t *testing.T) {
	s, _, _ := setup(t)
	release := make(chan struct{})
	started := make(chan struct{}, 2)
	var mu sync.Mutex
	running, maxRunning, runs := 0, 0, 0
	h := handlerFunc(func(due []schedule.Entry) {
		for _, e := range due {
			mu.Lock()
			running++
			runs++
			maxRunning = max(maxRunning, running)
			mu.Unlock()
			started <- struct{}{}
			go func() {
				<-release
				mu.Lock()
				running--
				mu.Unlock()
				s.Done(e.Kind, e.ID)
			}()
		}
	})
	s.Handle("webhook", h)
	e := schedule.Entry{Kind: "webhook", ID: "w", Tenant: "a", Due: at(0)}
	s.Schedule(e)
	done := make(chan struct{})
	go func() {
		s.Advance(ctx, "a", 0)
		close(done)
	}()
	<-started     // taken by the advance
	s.Schedule(e) // a resend's commit, say: due now as well
	if s.Len() != 0 {
		t.Error("an entry scheduled while taken was queued at once")
	}
	close(release)
	<-done
	mu.Lock()
	defer mu.Unlock()
	if maxRunning != 1 || runs != 2 {
		t.Errorf("max %d at once, %d runs; want 1 at once, 2 runs", maxRunning, runs)
	}
}

type handlerFunc func(due []schedule.Entry)

func (f handlerFunc) Pending(*store.Tx, func(schedule.Entry)) error { return nil }
func (f handlerFunc) Run(_ context.Context, due []schedule.Entry)   { f(due) }

func TestResetDropsTheTenantsEntries(t *testing.T) {
	s, clk, st := setup(t)
	rec := &recorder{t: t, s: s, clk: clk}
	s.Handle("step", rec)
	s.Schedule(schedule.Entry{Kind: "step", ID: "1", Tenant: "a", Due: at(time.Minute)})
	s.Schedule(schedule.Entry{Kind: "step", ID: "2", Tenant: "b", Due: at(time.Minute)})
	if err := st.Update(ctx, func(tx *store.Tx) error { return s.Reset(tx, "a") }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Advance(ctx, "", time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := rec.got(); !equal(got, []string{"b 2@1m0s"}) {
		t.Errorf("ran %q after a reset of a", got)
	}
}

// Load restores the clock offsets saved by a fast-forward and the
// handlers' pending entries.
func TestLoadRestoresOffsetsAndPending(t *testing.T) {
	s, clk, st := setup(t)
	s.Handle("step", &recorder{t: t, s: s, clk: clk})
	if _, err := s.Advance(ctx, "a", 90*time.Minute); err != nil {
		t.Fatal(err)
	}
	clk2 := clock.New(func() time.Time { return epoch })
	s2 := schedule.New(st, clk2, nil)
	rec := &recorder{t: t, s: s2, clk: clk2, pending: []schedule.Entry{{ID: "1", Tenant: "a", Due: at(100 * time.Minute)}}}
	s2.Handle("step", rec)
	if err := s2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if off := clk2.Offset("a"); off != 90*time.Minute {
		t.Errorf("offset after load %s", off)
	}
	if _, err := s2.Advance(ctx, "a", 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := rec.got(); !equal(got, []string{"a 1@1h40m0s"}) {
		t.Errorf("ran %q", got)
	}
}

// The background loop runs an entry when it falls due in wall time,
// woken by its timer, and an entry scheduled due now at once.
func TestRunWakesForDueEntries(t *testing.T) {
	st, err := store.Open(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clk := clock.New(nil)
	s := schedule.New(st, clk, nil)
	ran := make(chan string, 2)
	s.Handle("step", handlerFunc(func(due []schedule.Entry) {
		for _, e := range due {
			ran <- e.ID
			s.Done(e.Kind, e.ID)
		}
	}))
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.Run(rctx)
	s.Schedule(schedule.Entry{Kind: "step", ID: "soon", Tenant: "a", Due: clk.ScenarioNow("a").Add(20 * time.Millisecond)})
	s.Schedule(schedule.Entry{Kind: "step", ID: "now", Tenant: "a", Due: clk.ScenarioNow("a")})
	for _, want := range []string{"now", "soon"} {
		select {
		case got := <-ran:
			if got != want {
				t.Errorf("ran %s, want %s", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s did not run", want)
		}
	}
}

// limited is a recorder that is a schedule.Limiter and notes how many
// entries it held at once.
type limited struct {
	*recorder
	limit int

	mu      sync.Mutex
	held    int
	maxHeld int
}

func (l *limited) Limit() int { return l.limit }

func (l *limited) Run(ctx context.Context, due []schedule.Entry) {
	l.mu.Lock()
	l.held += len(due)
	l.maxHeld = max(l.maxHeld, l.held)
	l.mu.Unlock()
	for _, e := range due {
		go func() {
			time.Sleep(time.Millisecond)
			l.recorder.mu.Lock()
			l.recorder.ran = append(l.recorder.ran, e.Tag+" "+e.ID)
			l.recorder.mu.Unlock()
			l.mu.Lock()
			l.held--
			l.mu.Unlock()
			l.s.Done(e.Kind, e.ID)
		}()
	}
}

// A Limiter is handed at most Limit entries of one tenant and tag at a
// time, every due entry still runs, and a tag (or a kind) at its limit
// holds back no other.
func TestLimiterBoundsWhatAHandlerHolds(t *testing.T) {
	s, clk, _ := setup(t)
	lim := &limited{recorder: &recorder{t: t, s: s, clk: clk}, limit: 3}
	other := &recorder{t: t, s: s, clk: clk}
	lim.recorder.s = s
	s.Handle("delivery", lim)
	s.Handle("step", other)
	for i := range 40 {
		s.Schedule(schedule.Entry{Kind: "delivery", ID: fmt.Sprintf("slow-%02d", i), Tenant: "a", Tag: "slow:1", Due: at(0)})
	}
	s.Schedule(schedule.Entry{Kind: "delivery", ID: "fast-1", Tenant: "a", Tag: "fast:1", Due: at(0)})
	s.Schedule(schedule.Entry{Kind: "step", ID: "run-1", Tenant: "a", Due: at(0)})
	counts, err := s.Advance(ctx, "a", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if counts["delivery"] != 41 || counts["step"] != 1 {
		t.Fatalf("counts %v, want 41 deliveries and 1 step", counts)
	}
	if n := len(lim.got()); n != 41 {
		t.Fatalf("%d deliveries ran, want 41", n)
	}
	if lim.maxHeld > 2*lim.limit { // two tags, each at most limit
		t.Errorf("the handler held %d entries at once, want at most %d", lim.maxHeld, 2*lim.limit)
	}
	// The background loop too: entries due while others are held wait in
	// the queue, and a Done lets the next ones through without a timer.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.Run(runCtx)
	for i := range 20 {
		s.Schedule(schedule.Entry{Kind: "delivery", ID: fmt.Sprintf("bg-%02d", i), Tenant: "a", Tag: "slow:1", Due: at(time.Second)})
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(lim.got()) < 61 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := len(lim.got()); n != 61 {
		t.Fatalf("%d deliveries ran in the background, want 61", n)
	}
	if lim.maxHeld > 2*lim.limit {
		t.Errorf("the handler held %d entries at once, want at most %d", lim.maxHeld, 2*lim.limit)
	}
}

// chainer runs "chain-N" at once, scheduling "chain-N+1" due at the same
// time with the context it was handed, up to chain-5; other entries end
// 10 ms later.
type chainer struct {
	s *schedule.Scheduler

	mu  sync.Mutex
	ran []string
}

func (c *chainer) Pending(*store.Tx, func(schedule.Entry)) error { return nil }

func (c *chainer) Run(ctx context.Context, due []schedule.Entry) {
	for _, e := range due {
		c.mu.Lock()
		c.ran = append(c.ran, e.ID)
		c.mu.Unlock()
		var n int
		if _, err := fmt.Sscanf(e.ID, "chain-%d", &n); err != nil {
			// Other work takes a while, in a goroutine: some of it is
			// always running.
			go func() { time.Sleep(10 * time.Millisecond); c.s.Done(e.Kind, e.ID) }()
			continue
		}
		if n < 5 {
			next := e
			next.ID = fmt.Sprintf("chain-%d", n+1)
			c.s.ScheduleFrom(ctx, next)
		}
		c.s.Done(e.Kind, e.ID)
	}
}

func (c *chainer) has(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.ran {
		if r == id {
			return true
		}
	}
	return false
}

// A fast-forward runs what was due when it began and what running that
// schedules (chain-1 … chain-5), and returns although other work for the
// same tenant keeps falling due meanwhile (a steady stream of requests).
func TestAdvanceReturnsUnderAStreamOfNewWork(t *testing.T) {
	s, _, _ := setup(t)
	c := &chainer{s: s}
	s.Handle("step", c)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.Run(runCtx)
	stop := make(chan struct{})
	streamed := make(chan int)
	go func() {
		i := 0
		for {
			select {
			case <-stop:
				streamed <- i
				return
			default:
			}
			i++
			s.Schedule(schedule.Entry{Kind: "step", ID: fmt.Sprintf("load-%06d", i), Tenant: "a", Due: at(0)})
			time.Sleep(100 * time.Microsecond)
		}
	}()
	time.Sleep(20 * time.Millisecond) // the stream is running
	s.Schedule(schedule.Entry{Kind: "step", ID: "chain-1", Tenant: "a", Due: at(time.Minute)})
	done := make(chan error, 1)
	go func() {
		_, err := s.Advance(ctx, "a", time.Hour)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the fast-forward did not return while new work kept falling due")
	}
	close(stop)
	if n := <-streamed; n == 0 {
		t.Fatal("no stream")
	}
	for i := 1; i <= 5; i++ {
		if !c.has(fmt.Sprintf("chain-%d", i)) {
			t.Errorf("chain-%d had not run when the fast-forward returned", i)
		}
	}
}
