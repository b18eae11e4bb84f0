package credential

import (
	"fmt"
	"time"
)

// Limit is how many failed tries of one kind (passwords for one account, codes,
// ...) are allowed. The caller keeps the failures (models.Attempt) and passes
// counts in; Limit only decides, so it is tested with a fake clock.
//
// Count the failures with At after l.WindowStart(now), i.e. in the half-open
// window (now-Window, now]: a failure leaves the window exactly Window after
// it happened. A success does not erase failures; for the second factor the
// caller should count only failures after the last success. A refused try
// is not a failure: nothing was checked, so do not record it.
type Limit struct {
	Max    int           // failures allowed in Window; the next try is refused
	Window time.Duration // how far back failures count
	// Lockout, when not 0, makes Max failures in the window lock the door for
	// Lockout after the last of them, instead of until the oldest leaves the
	// window. Window must be longer than the time the failures take plus
	// Lockout, or failures leave the window and open the door early. After a
	// lockout the failures are still in the window, so each further failure
	// locks again at once, until enough of them have left the window.
	Lockout time.Duration
}

// Decision is what a Limit says about trying once more.
type Decision struct {
	Allowed bool
	// Remaining is how many more failures are allowed before tries are
	// refused, when Allowed; 0 when not.
	Remaining int
	// RetryAt is when a try will be allowed again, when not Allowed.
	RetryAt time.Time
	// At is when the decision was made, so its words can say "today" or
	// name the day.
	At time.Time
}

// WindowStart is the instant after which failures count at now.
func (l Limit) WindowStart(now time.Time) time.Time { return now.Add(-l.Window) }

// Decide says whether one more try is allowed at now, given the failures in
// the window: how many, the oldest and the latest. Both times are ignored
// when failuresInWindow is 0.
//
// Without Lockout (a sliding window), tries are refused while Max failures
// are in the window; RetryAt is when the oldest leaves it. With Lockout, Max
// failures refuse tries until lastFailure + Lockout.
func (l Limit) Decide(failuresInWindow int, oldestInWindow, lastFailure, now time.Time) Decision {
	if failuresInWindow < l.Max {
		return Decision{Allowed: true, Remaining: l.Max - failuresInWindow, At: now}
	}
	retry := oldestInWindow.Add(l.Window)
	if l.Lockout > 0 {
		retry = lastFailure.Add(l.Lockout)
	}
	if now.Before(retry) {
		return Decision{RetryAt: retry, At: now}
	}
	// The caller counted a failure that has just left the window, or a
	// lockout has ended while its failures are still in a longer window:
	// either way, exactly one more try.
	return Decision{Allowed: true, Remaining: 1, At: now}
}

// Combine merges the decisions of several limits on the same try (per
// account, per session, per IP address) into the strictest: refused if any
// refuses, until the latest RetryAt, with the fewest tries remaining.
func Combine(ds ...Decision) Decision {
	out := Decision{Allowed: true, Remaining: -1}
	for _, d := range ds {
		if out.At.IsZero() {
			out.At = d.At
		}
		if !d.Allowed {
			out.Allowed = false
			out.Remaining = 0
			if d.RetryAt.After(out.RetryAt) {
				out.RetryAt = d.RetryAt
			}
		} else if out.Allowed && (out.Remaining < 0 || d.Remaining < out.Remaining) {
			out.Remaining = d.Remaining
		}
	}
	if out.Remaining < 0 {
		out.Remaining = 0
	}
	return out
}

// Limits are the attempt limits of DOMAIN.md (Login.gov's defaults).
type Limits struct {
	PasswordPerAccount Limit // 5 wrong passwords a minute per account
	PasswordPerSession Limit // 5 a minute per browser session
	PasswordPerIP      Limit // 20 a minute per IP address
	SecondFactor       Limit // 10 wrong codes in an hour, then 10 minutes locked out
	// MaxConsecutiveFailures caps failed passwords and codes on one account
	// since its last successful sign-in (NIST SP 800-63B 5.2.2: at most 100).
	// Reaching it locks the account until it is recovered, so the other
	// limits are what people normally meet; this one stops slow guessing
	// that stays under them.
	MaxConsecutiveFailures int
}

// DefaultLimits returns the limits of DOMAIN.md.
func DefaultLimits() Limits {
	return Limits{
		PasswordPerAccount: Limit{Max: 5, Window: time.Minute},
		PasswordPerSession: Limit{Max: 5, Window: time.Minute},
		PasswordPerIP:      Limit{Max: 20, Window: time.Minute},
		// Login.gov gives 10 fresh tries after a lockout; counting alone cannot
		// tell when a lockout ended, so here the hour's failures still count
		// and each further wrong code in that hour locks again: stricter.
		SecondFactor:           Limit{Max: 10, Window: time.Hour, Lockout: 10 * time.Minute},
		MaxConsecutiveFailures: 100,
	}
}

// Explain puts a decision into words for the person trying: "You have 2 tries
// left." or "Too many tries. You can try again at 3:41 PM EDT." The time is
// shown in loc (UTC if nil) as When words it.
func Explain(d Decision, loc *time.Location) string {
	if d.Allowed {
		if d.Remaining == 1 {
			return "You have 1 try left."
		}
		return fmt.Sprintf("You have %d tries left.", d.Remaining)
	}
	if d.RetryAt.IsZero() {
		return "Too many tries."
	}
	return "Too many tries. You can try again at " + When(d.RetryAt, d.At, loc) + "."
}

// When words a time to come for someone at now, in loc (UTC if nil): the
// time with its zone, rounded up to the minute so that trying at the
// minute shown always works, and the day when it is not today: "3:41 PM
// EDT", "9:05 AM EST tomorrow, Tuesday, December 8", "3:41 PM EDT on
// Friday, April 17". A zero now always names the day.
func When(t, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	at := t.In(loc)
	if m := at.Truncate(time.Minute); !m.Equal(at) {
		at = m.Add(time.Minute)
	}
	clock := at.Format("3:04 PM MST")
	if now.IsZero() {
		return clock + " on " + at.Format("Monday, January 2, 2006")
	}
	y, m, d := now.In(loc).Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	day := at.Format("Monday, January 2")
	if at.Year() != y {
		day = at.Format("Monday, January 2, 2006")
	}
	switch {
	case at.Before(midnight.AddDate(0, 0, 1)):
		return clock
	case at.Before(midnight.AddDate(0, 0, 2)):
		return clock + " tomorrow, " + day
	}
	return clock + " on " + day
}
