package ippin_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
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

func TestFiftyGuessesAtOnceCompareNoMoreThanTheLimit(t *testing.T) {
	f := newCheckFixture(t)
	var compared, locked atomic.Int32
	atOnce(50, func(int) {
		res, err := f.svc.Check(context.Background(), f.key,
			ippin.Return{TaxYear: 2025, Primary: ippin.Filer{SSN: f.primarySSN, PIN: wrongPIN(f.primaryPIN)}})
		switch {
		case err != nil:
			t.Error(err)
		case res.Outcome == ippin.Rejected:
			compared.Add(1)
		case res.Outcome == ippin.Locked:
			locked.Add(1)
		default:
			t.Errorf("a wrong PIN was %s", res.Outcome)
		}
	})
	if max := ippin.DefaultSettings().Guessing.Max; int(compared.Load()) != max || locked.Load() != 50-int32(max) {
		t.Errorf("%d PINs compared and %d refused of 50 at once; the limit is %d", compared.Load(), locked.Load(), max)
	}
	if n := f.count(&models.IPPINEnrollment{}, "taxpayer_id = ? AND flagged_at IS NOT NULL", f.primary.ID); n != 1 {
		t.Error("the taxpayer was not flagged")
	}
}

func TestFiftyCallsAtOnceStayWithinTheKeysRate(t *testing.T) {
	f := newFixture(t)
	f.svc.Settings.APIRate.Max = 10
	_, key, _ := f.svc.CreateKey(context.Background(), "Busy")
	var allowed atomic.Int32
	atOnce(50, func(int) {
		d, err := f.svc.AllowCall(context.Background(), key)
		if err != nil {
			t.Error(err)
		}
		if d.Allowed {
			allowed.Add(1)
		}
	})
	if allowed.Load() != 10 {
		t.Errorf("%d of 50 calls at once were allowed; the rate is 10 a minute", allowed.Load())
	}
}
