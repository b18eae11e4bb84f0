package proofing_test

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
	"github.com/taxportal/portal/proofing"
)

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

func TestFiftyTriesAtOnceOfEachKindCheckNoMoreThanItsLimit(t *testing.T) {
	db := portaltest.DB(t)
	l := proofing.Limiter{DB: db, Settings: proofing.DefaultSettings()}
	for i, k := range []proofing.Kind{proofing.KindPhone, proofing.KindLetterCode, proofing.KindDocuments} {
		var checked atomic.Int32
		atOnce(50, func(int) {
			try, _, err := l.Begin(t.Context(), k, uint64(i+1), t0)
			if err != nil {
				t.Error(err)
			}
			if try != nil {
				checked.Add(1)
				try.Fail()
			}
		})
		if max := l.Settings.Limit(k).Max; int(checked.Load()) != max {
			t.Errorf("%s: %d of 50 tries at once went ahead; the limit is %d", k, checked.Load(), max)
		}
	}
}

func TestFiftyMatchesAtOnceCheckNoMoreThanTheLimits(t *testing.T) {
	db := portaltest.DB(t)
	vault, _ := pii.NewVault(portaltest.SecretKey)
	l := proofing.Limiter{DB: db, Settings: proofing.DefaultSettings()}
	number := proofing.SSNAttemptKey(vault, pii.MustSSN("987-65-4320"))
	wrongDOB := proofing.Result{Fields: []proofing.Field{proofing.FieldDOB}}
	var checked atomic.Int32
	// One account: its five matches in six hours.
	atOnce(50, func(int) {
		try, _, err := l.BeginMatch(t.Context(), 1, number, t0)
		if err != nil {
			t.Error(err)
		}
		if try != nil {
			checked.Add(1)
			if _, err := try.FailMatch(t.Context(), wrongDOB); err != nil {
				t.Error(err)
			}
		}
	})
	if checked.Load() != 5 {
		t.Errorf("one account: %d of 50 matches at once were tried; the limit is 5", checked.Load())
	}
	// Fifty accounts on one number: its ten an hour, five of them used.
	checked.Store(0)
	atOnce(50, func(i int) {
		try, _, err := l.BeginMatch(t.Context(), uint64(100+i), number, t0)
		if err != nil {
			t.Error(err)
		}
		if try != nil {
			checked.Add(1)
			try.FailMatch(t.Context(), wrongDOB)
		}
	})
	if checked.Load() != 5 {
		t.Errorf("one number from fifty accounts: %d more matches were tried; it had 5 of its 10 left", checked.Load())
	}
}

func TestFiftyTextsAtOnceStayWithinBothLimits(t *testing.T) {
	db := portaltest.DB(t)
	h := proofing.Handoffs{DB: db, Settings: proofing.DefaultSettings()}
	var sent atomic.Int32
	atOnce(50, func(i int) {
		d, err := h.TakeText(t.Context(), 7, "number-"+strconv.Itoa(i), t0)
		if err != nil {
			t.Error(err)
		}
		if d.Allowed {
			sent.Add(1)
		}
	})
	if sent.Load() != 5 {
		t.Errorf("one account texted %d links at once; the limit is 5 an hour", sent.Load())
	}
	sent.Store(0)
	atOnce(50, func(i int) {
		if d, _ := h.TakeText(t.Context(), uint64(100+i), "target", t0); d.Allowed {
			sent.Add(1)
		}
	})
	if sent.Load() != 3 {
		t.Errorf("one number got %d links at once from fifty accounts; the limit is 3 a day", sent.Load())
	}
}
