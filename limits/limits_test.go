package limits_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/limits"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

var t0 = time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC)

// atOnce runs fn n times, all released at the same moment.
func atOnce(n int, fn func(i int)) {
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			fn(i)
		}()
	}
	start.Done()
	done.Wait()
}

func TestFiftyTriesAtOnceGetExactlyTheLimit(t *testing.T) {
	db := portaltest.DB(t)
	lim := credential.Limit{Max: 5, Window: time.Minute}
	var allowed, refused atomic.Int32
	atOnce(50, func(int) {
		try, d, err := limits.Begin(t.Context(), db, t0, limits.Gate{Key: "k", Limit: lim})
		switch {
		case err != nil:
			t.Error(err)
		case try == nil:
			if d.Allowed || !d.RetryAt.Equal(t0.Add(time.Minute)) {
				t.Errorf("refused with %+v", d)
			}
			refused.Add(1)
		default:
			allowed.Add(1)
			try.Fail()
		}
	})
	if allowed.Load() != 5 || refused.Load() != 45 {
		t.Errorf("%d allowed and %d refused of 50 at once; the limit is 5", allowed.Load(), refused.Load())
	}
	if st, _ := models.CountAttempts(t.Context(), db, "k", t0.Add(-time.Hour)); st.Count != 5 {
		t.Errorf("%d tries kept; refused tries must not be", st.Count)
	}
}

func TestTheStrictestGateDecidesAndEveryGateCounts(t *testing.T) {
	db := portaltest.DB(t)
	ctx := t.Context()
	account := limits.Gate{Key: "account", Limit: credential.Limit{Max: 3, Window: time.Minute}}
	var allowed atomic.Int32
	atOnce(50, func(i int) {
		ip := limits.Gate{Key: "ip", Limit: credential.Limit{Max: 20, Window: time.Minute}}
		try, _, err := limits.Begin(ctx, db, t0, account, ip)
		if err != nil {
			t.Error(err)
		}
		if try != nil {
			allowed.Add(1)
			try.Fail()
		}
	})
	if allowed.Load() != 3 {
		t.Errorf("%d allowed; the stricter gate allows 3", allowed.Load())
	}
	if st, _ := models.CountAttempts(ctx, db, "ip", t0.Add(-time.Hour)); st.Count != 3 {
		t.Errorf("the other gate counted %d", st.Count)
	}
}

func TestForgottenTriesLeaveRoomAndFailuresSayWhatIsLeft(t *testing.T) {
	db := portaltest.DB(t)
	ctx := t.Context()
	g := limits.Gate{Key: "k", Limit: credential.Limit{Max: 2, Window: time.Minute}}
	for range 5 {
		try, d, err := limits.Begin(ctx, db, t0, g)
		if err != nil || try == nil || d.Remaining != 2 {
			t.Fatalf("a success taken back still counts: %+v %v", d, err)
		}
		if err := try.Forget(ctx); err != nil {
			t.Fatal(err)
		}
	}
	try, _, _ := limits.Begin(ctx, db, t0, g)
	if d := try.Fail(); !d.Allowed || d.Remaining != 1 {
		t.Errorf("after one failure: %+v", d)
	}
	try, _, _ = limits.Begin(ctx, db, t0.Add(10*time.Second), g)
	if d := try.Fail(); d.Allowed || !d.RetryAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("after the second failure: %+v", d)
	}
	if err := try.Forget(ctx); err != nil {
		t.Fatal(err)
	}
	if try, _, _ := limits.Begin(ctx, db, t0.Add(20*time.Second), g); try != nil {
		t.Error("Forget after Fail took a failure back")
	}
	if d, err := limits.Take(ctx, db, t0.Add(time.Minute), g); err != nil || !d.Allowed || d.Remaining != 1 {
		t.Errorf("once the first failure left the window: %+v %v", d, err)
	}
}

func TestDropTakesATryBackUnderOneGateOnly(t *testing.T) {
	db := portaltest.DB(t)
	ctx := t.Context()
	lim := credential.Limit{Max: 5, Window: time.Minute}
	try, _, err := limits.Begin(ctx, db, t0, limits.Gate{Key: "a", Limit: lim}, limits.Gate{Key: "b", Limit: lim})
	if err != nil || try == nil {
		t.Fatal(err)
	}
	if err := try.Drop(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if d := try.Fail(); d.Remaining != 4 {
		t.Errorf("after a failure counted on one gate: %+v", d)
	}
	a, _ := models.CountAttempts(ctx, db, "a", t0.Add(-time.Hour))
	b, _ := models.CountAttempts(ctx, db, "b", t0.Add(-time.Hour))
	if a.Count != 1 || b.Count != 0 {
		t.Errorf("kept %d under a and %d under b", a.Count, b.Count)
	}
}
