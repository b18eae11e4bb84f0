package credential

import (
	"testing"
	"time"
)

// fakeClock is a failure log and a clock for one key: the caller's side of a
// Limit, done the way DOMAIN.md's handlers are meant to do it.
type fakeClock struct {
	now      time.Time
	failures []time.Time
}

func (c *fakeClock) advance(d time.Duration) { c.now = c.now.Add(d) }
func (c *fakeClock) fail()                   { c.failures = append(c.failures, c.now) }

// decide counts the failures after l.WindowStart(now), as callers must.
func (c *fakeClock) decide(l Limit) Decision {
	var n int
	var oldest, last time.Time
	for _, f := range c.failures {
		if f.After(l.WindowStart(c.now)) {
			if n == 0 {
				oldest = f
			}
			n++
			last = f
		}
	}
	return l.Decide(n, oldest, last, c.now)
}

var t0 = time.Date(2026, 4, 15, 15, 40, 0, 0, time.UTC)

func TestSlidingWindow(t *testing.T) {
	l := DefaultLimits().PasswordPerAccount // 5 a minute
	c := &fakeClock{now: t0}
	for i := range 5 {
		d := c.decide(l)
		if !d.Allowed || d.Remaining != 5-i {
			t.Fatalf("try %d: %+v, want allowed with %d left", i+1, d, 5-i)
		}
		c.fail()
		c.advance(10 * time.Second)
	}
	// Five failures at :00 :10 :20 :30 :40; now :50.
	d := c.decide(l)
	if d.Allowed || d.Remaining != 0 || !d.RetryAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("sixth try: %+v, want refused until 15:41:00", d)
	}
	c.now = t0.Add(time.Minute - time.Nanosecond) // one instant before
	if d := c.decide(l); d.Allowed {
		t.Errorf("a nanosecond before the oldest failure leaves: %+v", d)
	}
	c.now = t0.Add(time.Minute) // exactly at the boundary the oldest has left
	if d := c.decide(l); !d.Allowed || d.Remaining != 1 {
		t.Errorf("at the boundary: %+v, want 1 try", d)
	}
	c.fail() // fails again at 15:41:00: blocked until the :10 failure leaves
	if d := c.decide(l); d.Allowed || !d.RetryAt.Equal(t0.Add(70*time.Second)) {
		t.Errorf("after failing at the boundary: %+v, want refused until 15:41:10", d)
	}
	c.advance(2 * time.Minute)
	if d := c.decide(l); !d.Allowed || d.Remaining != 5 {
		t.Errorf("after the window: %+v", d)
	}
}

func TestDecideCountedInclusively(t *testing.T) {
	// A caller that counted the failure that left the window just now gets
	// one try, not a refusal with a RetryAt in the past.
	l := Limit{Max: 5, Window: time.Minute}
	d := l.Decide(5, t0, t0.Add(40*time.Second), t0.Add(time.Minute))
	if !d.Allowed || d.Remaining != 1 {
		t.Errorf("%+v", d)
	}
}

func TestLockout(t *testing.T) {
	l := DefaultLimits().SecondFactor // 10 wrong codes in an hour, then 10 minutes
	c := &fakeClock{now: t0}
	for i := range 10 {
		if d := c.decide(l); !d.Allowed || d.Remaining != 10-i {
			t.Fatalf("code %d: %+v", i+1, d)
		}
		c.fail()
		c.advance(20 * time.Second)
	}
	// Last failure at 15:43:00, now 15:43:20.
	last := t0.Add(3 * time.Minute)
	d := c.decide(l)
	if d.Allowed || !d.RetryAt.Equal(last.Add(10*time.Minute)) {
		t.Fatalf("eleventh code: %+v, want refused until 15:53:00", d)
	}
	// The lockout runs from the last failure, not the first: at 15:50:01 the
	// first failure is 10 minutes old but the door stays shut.
	c.now = t0.Add(10*time.Minute + time.Second)
	if d := c.decide(l); d.Allowed || !d.RetryAt.Equal(last.Add(10*time.Minute)) {
		t.Errorf("during lockout: %+v", d)
	}
	c.now = last.Add(10*time.Minute - time.Nanosecond)
	if d := c.decide(l); d.Allowed {
		t.Errorf("just before the lockout ends: %+v", d)
	}
	c.now = last.Add(10 * time.Minute) // 15:53:00
	if d := c.decide(l); !d.Allowed || d.Remaining != 1 {
		t.Errorf("when the lockout ends: %+v, want 1 try", d)
	}
	c.fail() // wrong again at 15:53:00: locked again until 16:03:00
	if d := c.decide(l); d.Allowed || !d.RetryAt.Equal(c.now.Add(10*time.Minute)) {
		t.Errorf("wrong code after a lockout: %+v", d)
	}
	c.now = time.Date(2026, 4, 15, 16, 53, 0, 0, time.UTC) // an hour after the last failure
	if d := c.decide(l); !d.Allowed || d.Remaining != 10 {
		t.Errorf("once the hour has passed: %+v, want all 10 tries", d)
	}
}

func TestLockoutLongerWindow(t *testing.T) {
	// With a window longer than the lockout, each failure after a lockout
	// locks again straight away.
	l := Limit{Max: 3, Window: time.Hour, Lockout: 5 * time.Minute}
	c := &fakeClock{now: t0}
	c.fail()
	c.fail()
	c.fail()
	c.advance(5 * time.Minute)
	if d := c.decide(l); !d.Allowed || d.Remaining != 1 {
		t.Fatalf("after lockout: %+v, want exactly 1 try", d)
	}
	c.fail()
	if d := c.decide(l); d.Allowed || !d.RetryAt.Equal(c.now.Add(5*time.Minute)) {
		t.Errorf("failing after lockout: %+v", d)
	}
}

func TestCombine(t *testing.T) {
	a := Decision{Allowed: true, Remaining: 4}
	b := Decision{Allowed: true, Remaining: 2}
	x := Decision{RetryAt: t0.Add(time.Minute)}
	y := Decision{RetryAt: t0.Add(10 * time.Minute)}
	if d := Combine(a, b); d != (Decision{Allowed: true, Remaining: 2}) {
		t.Errorf("two allowed: %+v", d)
	}
	if d := Combine(a, x, b, y); d.Allowed || d.Remaining != 0 || !d.RetryAt.Equal(y.RetryAt) {
		t.Errorf("mixed: %+v", d)
	}
	if d := Combine(); !d.Allowed {
		t.Errorf("no limits: %+v", d)
	}
}

func TestDefaultLimits(t *testing.T) {
	l := DefaultLimits()
	want := Limits{
		PasswordPerAccount:     Limit{5, time.Minute, 0},
		PasswordPerSession:     Limit{5, time.Minute, 0},
		PasswordPerIP:          Limit{20, time.Minute, 0},
		SecondFactor:           Limit{10, time.Hour, 10 * time.Minute},
		MaxConsecutiveFailures: 100,
	}
	if l != want {
		t.Errorf("DefaultLimits() = %+v", l)
	}
}

func TestExplain(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	at := time.Date(2026, 4, 15, 19, 41, 0, 0, time.UTC) // 3:41 PM in New York (EDT)
	now := at.Add(-5 * time.Minute)
	tests := []struct {
		d    Decision
		loc  *time.Location
		want string
	}{
		{Decision{Allowed: true, Remaining: 2}, ny, "You have 2 tries left."},
		{Decision{Allowed: true, Remaining: 1}, ny, "You have 1 try left."},
		{Decision{RetryAt: at, At: now}, ny, "Too many tries. You can try again at 3:41 PM EDT."},
		{Decision{RetryAt: at.Add(time.Second), At: now}, ny, "Too many tries. You can try again at 3:42 PM EDT."}, // rounded up
		{Decision{RetryAt: at, At: now}, nil, "Too many tries. You can try again at 7:41 PM UTC."},
		{Decision{RetryAt: time.Date(2026, 4, 15, 4, 5, 0, 0, time.UTC), At: time.Date(2026, 4, 15, 3, 0, 0, 0, time.UTC)}, ny,
			"Too many tries. You can try again at 12:05 AM EDT tomorrow, Wednesday, April 15."},
		{Decision{RetryAt: at.Add(48 * time.Hour), At: now}, ny, "Too many tries. You can try again at 3:41 PM EDT on Friday, April 17."},
		{Decision{RetryAt: time.Date(2027, 1, 1, 15, 0, 0, 0, time.UTC), At: time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC)}, ny,
			"Too many tries. You can try again at 10:00 AM EST tomorrow, Friday, January 1, 2027."},
		{Decision{RetryAt: at}, ny, "Too many tries. You can try again at 3:41 PM EDT on Wednesday, April 15, 2026."},
		{Decision{}, ny, "Too many tries."},
	}
	for _, tt := range tests {
		if got := Explain(tt.d, tt.loc); got != tt.want {
			t.Errorf("Explain(%+v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
