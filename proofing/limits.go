package proofing

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/limits"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// Settings are the numbers of identity verification; DefaultSettings gives
// the values of DOMAIN.md (Login.gov's defaults).
type Settings struct {
	// Inactivity is how long an unfinished attempt lives after it starts and
	// after each completed step; then it expires and its images are deleted.
	Inactivity time.Duration

	Documents  credential.Limit // document sets that failed the checks: 5 per 6 h
	Match      credential.Limit // failed matches ("verify info"): 5 per 6 h
	SSN        credential.Limit // failed matches per SSN, and unknown SSNs per account: 10 per hour
	Phone      credential.Limit // wrong or re-sent phone codes: 5 per 6 h
	LetterCode credential.Limit // wrong letter codes: 5 per 10 min

	Letters        int           // at most 4 letters...
	LettersWindow  time.Duration // ...in 30 days,
	LetterSpacing  time.Duration // 24 h apart
	LetterValid    time.Duration // a letter's code lasts 21 days in the contiguous states
	LetterValidFar time.Duration // and 30 days elsewhere (mail takes longer)

	// HandoffValid is how long a link to take the photos on a phone may
	// wait to be opened; HandoffSession how long the phone may add photos
	// once it is open; HandoffTexts how many links an account may text,
	// and HandoffTextsTo how many may go to one number from any accounts,
	// so the portal's texts cannot be used to pester or lure someone.
	HandoffValid   time.Duration
	HandoffSession time.Duration
	HandoffTexts   credential.Limit
	HandoffTextsTo credential.Limit

	// AllowTestSSNs accepts the SSNs of the demo data, which lie in ranges
	// never issued to anyone: 987-65-4320 to 4329 (reserved for examples)
	// and 900-999 with group 01-49. Development turns it on so the demo
	// taxpayers can be verified; production must not, since no real person
	// has such a number and accepting one only helps someone probing.
	AllowTestSSNs bool
}

// DefaultSettings are DOMAIN.md's numbers, with test SSNs refused.
func DefaultSettings() Settings {
	const day = 24 * time.Hour
	return Settings{
		Inactivity:     30 * day,
		Documents:      credential.Limit{Max: 5, Window: 6 * time.Hour},
		Match:          credential.Limit{Max: 5, Window: 6 * time.Hour},
		SSN:            credential.Limit{Max: 10, Window: time.Hour},
		Phone:          credential.Limit{Max: 5, Window: 6 * time.Hour},
		LetterCode:     credential.Limit{Max: 5, Window: 10 * time.Minute},
		Letters:        4,
		LettersWindow:  30 * day,
		LetterSpacing:  day,
		LetterValid:    21 * day,
		LetterValidFar: 30 * day,
		HandoffValid:   15 * time.Minute,
		HandoffSession: 30 * time.Minute,
		HandoffTexts:   credential.Limit{Max: 5, Window: time.Hour},
		HandoffTextsTo: credential.Limit{Max: 3, Window: day},
	}
}

// Kind names a limited kind of try.
type Kind string

const (
	KindDocuments  Kind = "documents"   // a document set that failed the image or document check
	KindMatch      Kind = "match"       // information that did not match the master file
	KindSSN        Kind = "ssn"         // see Settings.SSN
	KindPhone      Kind = "phone"       // a wrong phone code, or one more code sent
	KindLetterCode Kind = "letter-code" // a wrong letter code
)

// Limit is the limit on a kind of try.
func (s Settings) Limit(k Kind) credential.Limit {
	switch k {
	case KindDocuments:
		return s.Documents
	case KindMatch:
		return s.Match
	case KindSSN:
		return s.SSN
	case KindPhone:
		return s.Phone
	case KindLetterCode:
		return s.LetterCode
	}
	panic("proofing: unknown kind " + string(k)) // a programming error
}

// AttemptKey is where failures of a kind are counted for an account, such
// as "proofing:ssn:account:42".
func AttemptKey(k Kind, accountID uint64) string {
	return "proofing:" + string(k) + ":account:" + strconv.FormatUint(accountID, 10)
}

// SSNAttemptKey is where failed matches are counted for one SSN, across
// accounts: someone with many accounts cannot guess one person's details
// more often than one account could. It is a keyed hash of its own kind, so
// it is neither the number nor the master file's index of it.
func SSNAttemptKey(vault *pii.Vault, ssn pii.SSN) string {
	return "proofing:ssn:number:" + vault.Index("proofing-ssn", ssn.Digits())
}

// Decision is a credential.Decision about one kind of try, with what a
// screen needs to put it into words.
type Decision struct {
	credential.Decision
	Kind  Kind
	Limit credential.Limit
	// Until is when tries open again should every remaining one fail now;
	// when refused, RetryAt.
	Until time.Time
}

// Limiter counts failed tries in the attempts table and decides on the next.
// Failures are not erased by a success: they stop guessing, and a person
// who succeeded has no need to try again.
//
// A try is counted before it is checked (Begin, BeginMatch; package
// limits), so tries sent at the same moment never check more than a limit
// allows; Check only reads, for pages that say where a person stands.
type Limiter struct {
	DB       *gorm.DB
	Settings Settings
}

// Check decides whether the account may try a kind once more at now.
func (l Limiter) Check(ctx context.Context, k Kind, accountID uint64, now time.Time) (Decision, error) {
	lim := l.Settings.Limit(k)
	st, err := models.CountAttempts(ctx, l.DB, AttemptKey(k, accountID), lim.WindowStart(now))
	if err != nil {
		return Decision{}, err
	}
	return decision(k, lim, st, now), nil
}

// Fail records a failure found later, not by a try the person made (a
// document set an agent turned down), and returns the decision on the next.
func (l Limiter) Fail(ctx context.Context, k Kind, accountID uint64, now time.Time) (Decision, error) {
	if err := models.RecordAttempt(ctx, l.DB, now, AttemptKey(k, accountID)); err != nil {
		return Decision{}, err
	}
	return l.Check(ctx, k, accountID, now)
}

// Try is one try of identity verification, counted while it is checked.
// It ends with Fail, FailMatch or Forget.
type Try struct {
	try   *limits.Try
	kinds []Kind
	lims  []credential.Limit
	now   time.Time
}

// Begin counts a try of kind k by the account and decides whether it may
// go ahead; a refused try is not counted and comes back nil.
func (l Limiter) Begin(ctx context.Context, k Kind, accountID uint64, now time.Time) (*Try, Decision, error) {
	return l.begin(ctx, now, []Kind{k}, AttemptKey(k, accountID))
}

// BeginMatch counts a match tried with the SSN whose SSNAttemptKey is
// ssnKey against the match and SSN limits of the account and the SSN limit
// of the number, and decides on the strictest.
func (l Limiter) BeginMatch(ctx context.Context, accountID uint64, ssnKey string, now time.Time) (*Try, Decision, error) {
	return l.begin(ctx, now, []Kind{KindMatch, KindSSN, KindSSN},
		AttemptKey(KindMatch, accountID), AttemptKey(KindSSN, accountID), ssnKey)
}

// CheckMatch decides, without counting, whether a match may be tried.
func (l Limiter) CheckMatch(ctx context.Context, accountID uint64, ssnKey string, now time.Time) (Decision, error) {
	keys := []string{AttemptKey(KindMatch, accountID), AttemptKey(KindSSN, accountID), ssnKey}
	ds := make([]Decision, len(keys))
	for i, k := range []Kind{KindMatch, KindSSN, KindSSN} {
		lim := l.Settings.Limit(k)
		st, err := models.CountAttempts(ctx, l.DB, keys[i], lim.WindowStart(now))
		if err != nil {
			return Decision{}, err
		}
		ds[i] = decision(k, lim, st, now)
	}
	return combine(ds...), nil
}

func (l Limiter) begin(ctx context.Context, now time.Time, kinds []Kind, keys ...string) (*Try, Decision, error) {
	t := &Try{kinds: kinds, now: now}
	gates := make([]limits.Gate, len(kinds))
	for i, k := range kinds {
		t.lims = append(t.lims, l.Settings.Limit(k))
		gates[i] = limits.Gate{Key: keys[i], Limit: t.lims[i]}
	}
	try, before, _, err := limits.BeginCounted(ctx, l.DB, now, gates...)
	if err != nil {
		return nil, Decision{}, err
	}
	ds := make([]Decision, len(kinds))
	for i, k := range kinds {
		ds[i] = decision(k, t.lims[i], before[i], now)
	}
	if try == nil {
		return nil, combine(ds...), nil
	}
	t.try = try
	return t, combine(ds...), nil
}

// Fail keeps the try as a failure and returns the decision on the next.
func (t *Try) Fail() Decision {
	t.try.Fail()
	ds := make([]Decision, len(t.kinds))
	for i, k := range t.kinds {
		ds[i] = decision(k, t.lims[i], t.try.Counted(i), t.now)
	}
	return combine(ds...)
}

// Keep leaves a try counted that is not a failure: a code sent.
func (t *Try) Keep() { t.try.Keep() }

// FailMatch keeps a failed match against the account and the number and,
// only when the number was unknown, as an SSN guess by the account.
func (t *Try) FailMatch(ctx context.Context, res Result) (Decision, error) {
	if !res.SSNUnknown() {
		if err := t.try.Drop(ctx, 1); err != nil {
			return Decision{}, err
		}
	}
	return t.Fail(), nil
}

// Forget takes the try back: it succeeded, or nothing was checked.
func (t *Try) Forget(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.try.Forget(ctx)
}

// decision is a Decision about kind k from the failures its limit holds.
func decision(k Kind, lim credential.Limit, st models.AttemptStats, now time.Time) Decision {
	d := Decision{Decision: lim.Decide(st.Count, st.Oldest, st.Newest, now), Kind: k, Limit: lim}
	switch {
	case !d.Allowed:
		d.Until = d.RetryAt
	case st.Count > 0 && st.Oldest.Add(lim.Window).After(now):
		// The remaining failures would join those in the window; the
		// door opens again when the oldest leaves it.
		d.Until = st.Oldest.Add(lim.Window)
	default:
		d.Until = now.Add(lim.Window)
	}
	return d
}

func combine(ds ...Decision) Decision {
	inner := make([]credential.Decision, len(ds))
	var bind Decision
	for i, d := range ds {
		inner[i] = d.Decision
		switch {
		case i == 0:
			bind = d
		case bind.Allowed && !d.Allowed,
			!bind.Allowed && !d.Allowed && d.RetryAt.After(bind.RetryAt),
			bind.Allowed && d.Allowed && (d.Remaining < bind.Remaining || d.Remaining == bind.Remaining && d.Until.After(bind.Until)):
			bind = d
		}
	}
	bind.Decision = credential.Combine(inner...)
	return bind
}

// Alternative is a way forward that needs no wait when a limit is reached,
// so running out never ends in a dead end. The caller links to each.
type Alternative string

const (
	AlternativeLetter   Alternative = "letter"    // confirm the address by mail instead of by phone
	AlternativeVideo    Alternative = "video"     // a video call with an agent
	AlternativeInPerson Alternative = "in_person" // a visit to an office
)

// Alternatives lists what the person can do at once instead of waiting out
// a limit of kind k. After a failed match the video route is not among
// them: it matches the same information, under the same limit, and the
// office checks it face to face.
func Alternatives(k Kind) []Alternative {
	switch k {
	case KindMatch, KindSSN:
		return []Alternative{AlternativeInPerson}
	case KindPhone:
		return []Alternative{AlternativeLetter, AlternativeVideo, AlternativeInPerson}
	}
	return []Alternative{AlternativeVideo, AlternativeInPerson}
}

// Explain puts a decision into words for the person trying: "You can try 2
// more times, then you must wait until 9:40 PM." When tries are refused, it
// says until when, and that the other routes are open now (see
// Alternatives). Times are shown in loc (UTC if nil), rounded up to the
// minute so that trying at the minute shown always works.
func Explain(d Decision, now time.Time, loc *time.Location) string {
	switch {
	case d.Allowed && d.Remaining >= d.Limit.Max:
		return fmt.Sprintf("You can try %d %s in %s.", d.Remaining, timeWord(d.Remaining), duration(d.Limit.Window))
	case d.Allowed:
		return fmt.Sprintf("You can try %d more %s, then you must wait until %s.", d.Remaining, timeWord(d.Remaining), clock(d.Until, now, loc))
	}
	s := "You have tried too many times."
	if !d.RetryAt.IsZero() {
		s += " You can try again at " + clock(d.RetryAt, now, loc) + "."
	}
	return s + " " + alternativesSentence(Alternatives(d.Kind))
}

func alternativesSentence(alts []Alternative) string {
	var letter, video, office bool
	for _, a := range alts {
		switch a {
		case AlternativeLetter:
			letter = true
		case AlternativeVideo:
			video = true
		case AlternativeInPerson:
			office = true
		}
	}
	var ways string
	switch {
	case video && office:
		ways = "verify by video call with an agent or in person"
	case video:
		ways = "verify by video call with an agent"
	case office:
		ways = "verify in person at an office"
	}
	switch {
	case letter && ways != "":
		return "You don't have to wait: you can get a code by mail instead, or " + ways + ", now."
	case letter:
		return "You don't have to wait: you can get a code by mail instead."
	case ways != "":
		return "You don't have to wait: you can " + ways + " now."
	}
	return ""
}

func timeWord(n int) string {
	if n == 1 {
		return "time"
	}
	return "times"
}

// duration says a limit's window in words: "10 minutes", "6 hours", "30 days".
func duration(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + one + "s"
	}
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return unit(int64(d/time.Hour), "hour")
	}
	return unit(int64((d+time.Minute-1)/time.Minute), "minute")
}

// clock shows an instant as a person reads it: "9:40 PM" today, "9:40 PM
// tomorrow", or "9:40 PM on Friday, March 6" further off. It rounds up to
// the minute.
func clock(t, now time.Time, loc *time.Location) string { return credential.When(t, now, loc) }
