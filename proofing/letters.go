package proofing

import (
	"crypto/rand"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/taxportal/portal/credential"
)

// Codes people copy from paper use an alphabet without look-alikes (no 0/O,
// 1/I/L): 31 letters and digits.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// A letter's code: 10 characters, about 2^49 values, shown in two groups of
// five (XXXXX-XXXXX). With 5 wrong tries per 10 minutes and a life of at
// most 30 days, guessing one is hopeless.
const (
	letterCodeLen   = 10
	letterCodeGroup = 5
)

// NewLetterCode returns a fresh code as printed, such as "7KD3M-QPX9T".
// Store LetterCodeHash(code), never the code.
func NewLetterCode() string { return randomCode(letterCodeLen, letterCodeGroup) }

// NormalizeLetterCode turns what a person typed (" 7kd3m qpx9t ") into the
// form hashed and compared ("7KD3MQPX9T"), or "" when it cannot be a code.
// Such input is refused without a look-up but still counts as a wrong try.
func NormalizeLetterCode(input string) string { return normalizeCode(input, letterCodeLen) }

// LetterCodeHash is what is stored for a code and compared with what was
// typed: credential.HashToken of the normalised code; "" when the input
// cannot be a code.
func LetterCodeHash(input string) string {
	n := NormalizeLetterCode(input)
	if n == "" {
		return ""
	}
	return credential.HashToken(n)
}

// randomCode draws n characters of codeAlphabet, with a dash every group.
func randomCode(n, group int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 && i%group == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[randomIndex(len(codeAlphabet))])
	}
	return b.String()
}

// randomIndex is uniform in [0, n), n < 256, by rejection sampling.
func randomIndex(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		rand.Read(b[:]) // never fails since Go 1.24
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// normalizeCode reads back a typed letter or reference code.
func normalizeCode(input string, n int) string {
	return credential.NormalizeCode(input, n, codeAlphabet)
}

// LetterValidity is how long a code mailed to an address in state lasts:
// LetterValid in the contiguous states and DC, LetterValidFar elsewhere
// (Alaska, Hawaii, the territories, military mail) and for a state not
// recognised, where the longer wait is the safe guess.
func (s Settings) LetterValidity(state string) time.Duration {
	if st, ok := stateIndex[NormalizeState(state)]; ok && !st.Far {
		return s.LetterValid
	}
	return s.LetterValidFar
}

// LetterLastDay is the last day a code works, the date to print on the
// letter: the validity after the day it was sent (a date at midnight UTC).
func (s Settings) LetterLastDay(state string, sent time.Time) time.Time {
	y, m, d := sent.UTC().Add(s.LetterValidity(state)).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// LetterExpiresAt is when a code stops working: once its last day has ended
// in every US time zone (noon UTC the next day is midnight in UTC-12), so a
// code used on the date printed always works.
func (s Settings) LetterExpiresAt(state string, sent time.Time) time.Time {
	return s.LetterLastDay(state, sent).Add(36 * time.Hour)
}

// LetterAllowed decides whether another letter may be sent at now, given
// when the earlier ones were (for the account, across attempts): at most
// Letters in LettersWindow, LetterSpacing apart. Remaining is how many may
// be sent in the window from now, this one included; RetryAt, when refused,
// when the next may.
func (s Settings) LetterAllowed(sent []time.Time, now time.Time) credential.Decision {
	start := now.Add(-s.LettersWindow)
	var in []time.Time
	for _, t := range sent {
		if t.After(start) && !t.After(now) {
			in = append(in, t)
		}
	}
	slices.SortFunc(in, func(a, b time.Time) int { return a.Compare(b) })
	var retry time.Time
	if len(in) >= s.Letters {
		// Enough of them must leave the window to make room for one more.
		retry = in[len(in)-s.Letters].Add(s.LettersWindow)
	}
	if len(in) > 0 {
		if next := in[len(in)-1].Add(s.LetterSpacing); next.After(retry) {
			retry = next
		}
	}
	if retry.After(now) {
		return credential.Decision{RetryAt: retry, At: now}
	}
	return credential.Decision{Allowed: true, Remaining: s.Letters - len(in), At: now}
}

// ExplainLetters puts a LetterAllowed decision into words, like Explain.
func (s Settings) ExplainLetters(d credential.Decision, now time.Time, loc *time.Location) string {
	if d.Allowed {
		if d.Remaining == 1 {
			return "You can ask for 1 more letter in the next " + duration(s.LettersWindow) + "."
		}
		return "You can ask for up to " + strconv.Itoa(d.Remaining) + " letters in the next " + duration(s.LettersWindow) +
			", at least " + duration(s.LetterSpacing) + " apart."
	}
	return "You can ask for another letter at " + clock(d.RetryAt, now, loc) + ". " +
		alternativesSentence([]Alternative{AlternativeVideo, AlternativeInPerson})
}
