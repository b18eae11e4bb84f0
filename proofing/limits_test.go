package proofing_test

import (
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
	"github.com/taxportal/portal/proofing"
)

func TestDefaultLimitsAreDomainNumbers(t *testing.T) {
	s := proofing.DefaultSettings()
	for k, want := range map[proofing.Kind]struct {
		max    int
		window time.Duration
	}{
		proofing.KindDocuments:  {5, 6 * time.Hour},
		proofing.KindMatch:      {5, 6 * time.Hour},
		proofing.KindSSN:        {10, time.Hour},
		proofing.KindPhone:      {5, 6 * time.Hour},
		proofing.KindLetterCode: {5, 10 * time.Minute},
	} {
		if l := s.Limit(k); l.Max != want.max || l.Window != want.window || l.Lockout != 0 {
			t.Errorf("%s: %+v", k, l)
		}
	}
	if s.Letters != 4 || s.LettersWindow != 30*24*time.Hour || s.LetterSpacing != 24*time.Hour ||
		s.LetterValid != 21*24*time.Hour || s.LetterValidFar != 30*24*time.Hour || s.Inactivity != 30*24*time.Hour {
		t.Errorf("letters and expiry: %+v", s)
	}
	if s.AllowTestSSNs {
		t.Error("production refuses test SSNs unless told otherwise")
	}
	if got := proofing.AttemptKey(proofing.KindSSN, 42); got != "proofing:ssn:account:42" {
		t.Errorf("AttemptKey = %q", got)
	}
}

// TestEachLimitAtItsEdges fails each kind up to its limit, one minute
// apart, and checks the decision just before and at the moment the oldest
// failure leaves the window.
func TestEachLimitAtItsEdges(t *testing.T) {
	db := portaltest.DB(t)
	l := proofing.Limiter{DB: db, Settings: proofing.DefaultSettings()}
	ctx := t.Context()
	for i, k := range []proofing.Kind{proofing.KindDocuments, proofing.KindMatch, proofing.KindSSN, proofing.KindPhone, proofing.KindLetterCode} {
		acct := uint64(100 + i)
		lim := l.Settings.Limit(k)
		d, err := l.Check(ctx, k, acct, t0)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Allowed || d.Remaining != lim.Max || d.Kind != k {
			t.Fatalf("%s: fresh: %+v", k, d)
		}
		for n := 1; n <= lim.Max; n++ {
			at := t0.Add(time.Duration(n-1) * time.Second)
			try, _, err := l.Begin(ctx, k, acct, at)
			if err != nil || try == nil {
				t.Fatalf("%s: try %d refused: %v", k, n, err)
			}
			d = try.Fail()
			if n < lim.Max && (!d.Allowed || d.Remaining != lim.Max-n || !d.Until.Equal(t0.Add(lim.Window))) {
				t.Fatalf("%s: after %d failures: %+v", k, n, d)
			}
		}
		if d.Allowed || !d.RetryAt.Equal(t0.Add(lim.Window)) {
			t.Fatalf("%s: after %d failures: %+v", k, lim.Max, d)
		}
		if d, _ = l.Check(ctx, k, acct, t0.Add(lim.Window-time.Second)); d.Allowed {
			t.Errorf("%s: allowed a second before the oldest failure left the window", k)
		}
		if d, _ = l.Check(ctx, k, acct, t0.Add(lim.Window)); !d.Allowed || d.Remaining != 1 {
			t.Errorf("%s: when the oldest failure leaves the window, one more try: %+v", k, d)
		}
		// Other accounts are not affected.
		if d, _ = l.Check(ctx, k, acct+50, t0); !d.Allowed || d.Remaining != lim.Max {
			t.Errorf("%s: another account: %+v", k, d)
		}
	}
}

func TestMatchesAreLimitedPerAccountAndPerNumber(t *testing.T) {
	db := portaltest.DB(t)
	vault, _ := pii.NewVault(portaltest.SecretKey)
	l := proofing.Limiter{DB: db, Settings: proofing.DefaultSettings()}
	ctx := t.Context()
	x := proofing.SSNAttemptKey(vault, pii.MustSSN("987-65-4320"))
	y := proofing.SSNAttemptKey(vault, pii.MustSSN("987-65-4321"))
	if x == y || strings.Contains(x, "987654320") || strings.Contains(x, vault.Index("ssn", "987654320")) {
		t.Fatalf("the key must be neither the number nor the master file's index: %q", x)
	}
	wrongDOB := proofing.Result{Fields: []proofing.Field{proofing.FieldDOB}}
	failMatch := func(acct uint64, key string, res proofing.Result, at time.Time) {
		t.Helper()
		try, _, err := l.BeginMatch(ctx, acct, key, at)
		if err != nil || try == nil {
			t.Fatalf("account %d: match refused at %s: %v", acct, at, err)
		}
		if _, err := try.FailMatch(ctx, res); err != nil {
			t.Fatal(err)
		}
	}

	// Two accounts each fail five times with the same number: each runs
	// out of matches, and the number runs out of its ten an hour.
	for acct := uint64(1); acct <= 2; acct++ {
		for n := range 5 {
			failMatch(acct, x, wrongDOB, t0.Add(time.Duration(n)*time.Minute))
		}
		d, _ := l.CheckMatch(ctx, acct, y, t0.Add(10*time.Minute))
		if d.Allowed || d.Kind != proofing.KindMatch || !d.RetryAt.Equal(t0.Add(6*time.Hour)) {
			t.Errorf("account %d after five failed matches: %+v", acct, d)
		}
	}
	d, _ := l.CheckMatch(ctx, 3, x, t0.Add(10*time.Minute))
	if d.Allowed || d.Kind != proofing.KindSSN || !d.RetryAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("a third account trying the same number: %+v", d)
	}
	if d, _ := l.CheckMatch(ctx, 3, y, t0.Add(10*time.Minute)); !d.Allowed || d.Remaining != 5 {
		t.Errorf("a third account with another number: %+v", d)
	}
	if d, _ := l.CheckMatch(ctx, 3, x, t0.Add(time.Hour)); !d.Allowed {
		t.Errorf("the number's hour has passed: %+v", d)
	}

	// An unknown number also counts as an SSN guess by the account.
	unknown := proofing.Result{Fields: []proofing.Field{proofing.FieldSSN}}
	failMatch(4, y, unknown, t0)
	if d, _ := l.Check(ctx, proofing.KindSSN, 4, t0); d.Remaining != 9 {
		t.Errorf("SSN guesses of account 4: %+v", d)
	}
	if d, _ := l.Check(ctx, proofing.KindSSN, 1, t0.Add(10*time.Minute)); d.Remaining != 10 {
		t.Errorf("a wrong date of birth is not an SSN guess: %+v", d)
	}
}

func TestExplainSaysHowManyTriesAndUntilWhen(t *testing.T) {
	db := portaltest.DB(t)
	l := proofing.Limiter{DB: db, Settings: proofing.DefaultSettings()}
	ctx := t.Context()
	first := time.Date(2026, 3, 2, 15, 40, 0, 0, time.UTC)
	now := first.Add(30 * time.Minute)

	d, _ := l.Check(ctx, proofing.KindMatch, 1, now)
	if got := proofing.Explain(d, now, nil); got != "You can try 5 times in 6 hours." {
		t.Errorf("fresh: %q", got)
	}
	for range 3 {
		d, _ = l.Fail(ctx, proofing.KindMatch, 1, first)
	}
	if got := proofing.Explain(d, now, nil); got != "You can try 2 more times, then you must wait until 9:40 PM UTC." {
		t.Errorf("two left: %q", got)
	}
	d, _ = l.Fail(ctx, proofing.KindMatch, 1, now)
	if got := proofing.Explain(d, now, nil); got != "You can try 1 more time, then you must wait until 9:40 PM UTC." {
		t.Errorf("one left: %q", got)
	}
	d, _ = l.Fail(ctx, proofing.KindMatch, 1, now)
	want := "You have tried too many times. You can try again at 9:40 PM UTC. You don't have to wait: you can verify in person at an office now."
	if got := proofing.Explain(d, now, nil); got != want {
		t.Errorf("out:\n got %q\nwant %q", got, want)
	}
	// In the person's time zone, and past midnight there.
	eastern := time.FixedZone("EST", -5*3600)
	if got := proofing.Explain(d, now, eastern); !strings.Contains(got, "try again at 4:40 PM EST.") {
		t.Errorf("eastern: %q", got)
	}
	moscow := time.FixedZone("MSK", 3*3600) // 7:10 PM there now
	if got := proofing.Explain(d, now, moscow); !strings.Contains(got, "try again at 12:40 AM MSK tomorrow, Tuesday, March 3.") {
		t.Errorf("moscow: %q", got)
	}

	for i, k := range []proofing.Kind{proofing.KindDocuments, proofing.KindPhone, proofing.KindLetterCode} {
		acct := uint64(10 + i)
		for range 5 {
			d, _ = l.Fail(ctx, k, acct, first.Add(7*time.Second))
		}
		got := proofing.Explain(d, now, nil)
		if !strings.Contains(got, "video call with an agent or in person") {
			t.Errorf("%s: %q", k, got)
		}
		if (k == proofing.KindPhone) != strings.Contains(got, "code by mail") {
			t.Errorf("%s: only the phone offers a letter: %q", k, got)
		}
	}
	if got := proofing.Explain(d, now, nil); !strings.Contains(got, "try again at 3:51 PM UTC.") {
		t.Errorf("times round up to the minute: %q", got)
	}
	if alts := proofing.Alternatives(proofing.KindMatch); len(alts) != 1 || alts[0] != proofing.AlternativeInPerson {
		t.Errorf("after failed matches: %v", alts)
	}
}
