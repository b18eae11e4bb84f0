package records

import (
	"errors"
	"slices"
	"strconv"
	"time"
)

// Kind is one of the five transcript types. Its value is the slug a URL
// may carry.
type Kind string

const (
	TaxReturnTranscript  Kind = "return"
	TaxAccountTranscript Kind = "account"
	RecordOfAccount      Kind = "record"
	WageAndIncome        Kind = "wage-income"
	NonFiling            Kind = "non-filing"
)

// Kinds in the order the transcript picker lists them.
var Kinds = []Kind{TaxReturnTranscript, TaxAccountTranscript, RecordOfAccount, WageAndIncome, NonFiling}

// ParseKind reads a kind from its slug.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Title is the transcript's name, as printed at its top.
func (k Kind) Title() string {
	switch k {
	case TaxReturnTranscript:
		return "Tax Return Transcript"
	case TaxAccountTranscript:
		return "Tax Account Transcript"
	case RecordOfAccount:
		return "Record of Account"
	case WageAndIncome:
		return "Wage & Income Transcript"
	case NonFiling:
		return "Verification of Non-filing Letter"
	}
	return string(k)
}

// Purpose says in one line what the transcript is for.
func (k Kind) Purpose() string {
	switch k {
	case TaxReturnTranscript:
		return "Most lines of your return as you filed it. Lenders and schools usually ask for this one."
	case TaxAccountTranscript:
		return "Payments, credits, changes, refunds and the balance for one year."
	case RecordOfAccount:
		return "The Tax Return and Tax Account transcripts together."
	case WageAndIncome:
		return "Income others reported about you on W-2 and 1099 forms."
	case NonFiling:
		return "Proof that we have no return from you for a year."
	}
	return ""
}

// account reports whether the transcript shows the account's transactions.
func (k Kind) account() bool { return k == TaxAccountTranscript || k == RecordOfAccount }

// needsReturn reports whether the transcript exists only for a filed year.
// Wage & Income shows what others reported, filed or not; Verification of
// Non-filing exists only for a year without a return.
func (k Kind) needsReturn() bool { return k != WageAndIncome && k != NonFiling }

// Windows says how many tax years before the current one each transcript
// covers. DefaultWindows gives DOMAIN.md's numbers.
type Windows struct {
	TaxReturn, TaxAccount, RecordOfAccount, WageAndIncome, NonFiling int
}

// DefaultWindows: Tax Return current + 3, Tax Account current + 9, Record
// of Account current + 3, Wage & Income about ten years (current + 9), and
// Verification of Non-filing current + 3 (DOMAIN.md gives no number for it;
// this matches the Tax Return transcript, which is what it stands in for).
func DefaultWindows() Windows {
	return Windows{TaxReturn: 3, TaxAccount: 9, RecordOfAccount: 3, WageAndIncome: 9, NonFiling: 3}
}

func (w Windows) prior(k Kind) int {
	switch k {
	case TaxReturnTranscript:
		return w.TaxReturn
	case TaxAccountTranscript:
		return w.TaxAccount
	case RecordOfAccount:
		return w.RecordOfAccount
	case WageAndIncome:
		return w.WageAndIncome
	case NonFiling:
		return w.NonFiling
	}
	return -1
}

// CurrentTaxYear is the tax year of the current processing year: in 2026,
// returns for 2025 are being processed, so 2025 is current.
func CurrentTaxYear(now time.Time) int { return now.Year() - 1 }

// Years is the range of tax years a transcript kind covers as of now.
func (w Windows) Years(k Kind, now time.Time) (first, last int) {
	last = CurrentTaxYear(now)
	return last - w.prior(k), last
}

// ErrNotAvailable is what every UnavailableError matches with errors.Is.
var ErrNotAvailable = errors.New("records: transcript not available")

// UnavailableError says, in words for the screen, why a transcript cannot be
// had for a year.
type UnavailableError struct {
	Kind   Kind
	Year   int
	Reason string
}

func (e *UnavailableError) Error() string { return "records: " + e.Reason }

// Is makes errors.Is(err, ErrNotAvailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrNotAvailable }

// Check says whether a transcript kind can be had for a year, given whether
// a return for that year is on file, and if not, why.
func (w Windows) Check(k Kind, year int, now time.Time, filed bool) error {
	if w.available(k, year, now, filed) {
		return nil
	}
	first, last := w.Years(k, now)
	y := strconv.Itoa(year)
	switch {
	case w.prior(k) < 0:
		return &UnavailableError{k, year, "There is no transcript of that type."}
	case year < first || year > last:
		return &UnavailableError{k, year, "The " + k.Title() + " covers tax years " + strconv.Itoa(first) + " to " + strconv.Itoa(last) + "."}
	case filed:
		return &UnavailableError{k, year, "We have a " + y + " return on file, so we cannot verify non-filing. A Tax Return Transcript shows what you filed."}
	}
	return &UnavailableError{k, year, "We have no " + y + " return on file. A Verification of Non-filing Letter can show that."}
}

// available is Check without the words, for listing many years cheaply.
func (w Windows) available(k Kind, year int, now time.Time, filed bool) bool {
	if w.prior(k) < 0 {
		return false
	}
	first, last := w.Years(k, now)
	switch {
	case year < first || year > last:
		return false
	case k == NonFiling:
		return !filed
	case k.needsReturn():
		return filed
	}
	return true
}

// Choice is one transcript kind with the years a taxpayer may ask it for.
type Choice struct {
	Kind    Kind
	Title   string
	Purpose string
	Years   []int // newest first
}

// Choices lists, for the transcript picker, the years each kind can be had
// for, given the years with a return on file.
func (w Windows) Choices(filed []int, now time.Time) []Choice {
	out := make([]Choice, 0, len(Kinds))
	for _, k := range Kinds {
		c := Choice{Kind: k, Title: k.Title(), Purpose: k.Purpose()}
		first, last := w.Years(k, now)
		for y := last; y >= first; y-- {
			if w.available(k, y, now, slices.Contains(filed, y)) {
				c.Years = append(c.Years, y)
			}
		}
		out = append(out, c)
	}
	return out
}
