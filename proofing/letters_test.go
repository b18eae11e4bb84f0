package proofing_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/proofing"
)

func TestLetterCodes(t *testing.T) {
	shape := regexp.MustCompile(`^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}$`)
	seen := map[string]bool{}
	used := map[rune]bool{}
	for range 2000 {
		c := proofing.NewLetterCode()
		if !shape.MatchString(c) {
			t.Fatalf("code %q", c)
		}
		if seen[c] {
			t.Fatalf("code %q twice", c)
		}
		seen[c] = true
		for _, r := range c {
			used[r] = true
		}
	}
	if len(used) != 32 { // 31 characters and the dash
		t.Errorf("only %d characters used in 2000 codes", len(used))
	}
	for _, look := range "0O1IL" {
		if used[look] {
			t.Errorf("look-alike %q in a code", look)
		}
	}

	code := "7KD3M-QPX9T"
	want := credential.HashToken("7KD3MQPX9T")
	for _, typed := range []string{"7KD3M-QPX9T", " 7kd3m qpx9t ", "7kd3mqpx9t", "7KD3M–QPX9T"} {
		if got := proofing.LetterCodeHash(typed); got != want {
			t.Errorf("%q hashes to %q", typed, got)
		}
	}
	for _, bad := range []string{"", "7KD3M-QPX9", "7KD3M-QPX9TT", "7KD3M-QPX0T", "7KD3M-QPXOT", "7KD3M-QPX1T"} {
		if proofing.NormalizeLetterCode(bad) != "" || proofing.LetterCodeHash(bad) != "" {
			t.Errorf("%q must not be a code", bad)
		}
	}
	if proofing.NormalizeLetterCode(code) != "7KD3MQPX9T" {
		t.Error("NormalizeLetterCode")
	}
}

func TestLettersLastLongerOutsideTheContiguousStates(t *testing.T) {
	s := proofing.DefaultSettings()
	sent := time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC)
	for state, days := range map[string]int{
		"OH": 21, "oh": 21, "DC": 21, "TX": 21, "WA": 21,
		"HI": 30, "AK": 30, "PR": 30, "GU": 30, "VI": 30, "AS": 30, "MP": 30, "AA": 30, "AE": 30, "AP": 30, "": 30,
	} {
		if got := s.LetterValidity(state); got != time.Duration(days)*24*time.Hour {
			t.Errorf("%q: %v", state, got)
		}
	}
	oh, hi := s.LetterLastDay("OH", sent), s.LetterLastDay("HI", sent)
	if !oh.Equal(time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC)) || !hi.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("last days: OH %v, HI %v", oh, hi)
	}
	// The printed day is good until it has ended in Hawaii and American Samoa.
	if got := s.LetterExpiresAt("HI", sent); !got.Equal(time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("HI expires at %v", got)
	}
	lastMinuteInHonolulu := time.Date(2026, 4, 1, 23, 59, 0, 0, time.FixedZone("HST", -10*3600))
	if !lastMinuteInHonolulu.Before(s.LetterExpiresAt("HI", sent)) {
		t.Error("a code used on the printed day in Honolulu must work")
	}
	if got := s.LetterExpiresAt("OH", sent); !got.Equal(time.Date(2026, 3, 24, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("OH expires at %v", got)
	}
}

func TestFourLettersIn30DaysADayApart(t *testing.T) {
	s := proofing.DefaultSettings()
	day := 24 * time.Hour
	d := s.LetterAllowed(nil, t0)
	if !d.Allowed || d.Remaining != 4 {
		t.Fatalf("no letters yet: %+v", d)
	}
	sent := []time.Time{t0}
	if d = s.LetterAllowed(sent, t0.Add(day-time.Second)); d.Allowed || !d.RetryAt.Equal(t0.Add(day)) {
		t.Errorf("a second letter within 24 hours: %+v", d)
	}
	if d = s.LetterAllowed(sent, t0.Add(day)); !d.Allowed || d.Remaining != 3 {
		t.Errorf("24 hours later: %+v", d)
	}
	sent = []time.Time{t0.Add(3 * day), t0, t0.Add(2 * day), t0.Add(day)} // any order
	at := t0.Add(5 * day)
	if d = s.LetterAllowed(sent, at); d.Allowed || !d.RetryAt.Equal(t0.Add(30*day)) {
		t.Errorf("a fifth letter in 30 days: %+v", d)
	}
	if d = s.LetterAllowed(sent, t0.Add(30*day-time.Second)); d.Allowed {
		t.Errorf("just before the first leaves the window: %+v", d)
	}
	if d = s.LetterAllowed(sent, t0.Add(30*day)); !d.Allowed || d.Remaining != 1 {
		t.Errorf("when the first leaves the window: %+v", d)
	}
	// When the window and the spacing both bind, the later one counts.
	sent = []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour), t0.Add(29*day + 12*time.Hour)}
	if d = s.LetterAllowed(sent, t0.Add(30*day)); d.Allowed || !d.RetryAt.Equal(t0.Add(30*day+12*time.Hour)) {
		t.Errorf("spacing after the window: %+v", d)
	}

	loc := time.UTC
	if got := s.ExplainLetters(s.LetterAllowed(nil, t0), t0, loc); got != "You can ask for up to 4 letters in the next 30 days, at least 1 day apart." {
		t.Errorf("%q", got)
	}
	if got := s.ExplainLetters(s.LetterAllowed([]time.Time{t0}, t0), t0, loc); !strings.HasPrefix(got, "You can ask for another letter at 3:04 PM UTC tomorrow, Tuesday, March 3.") {
		t.Errorf("%q", got)
	}
	got := s.ExplainLetters(s.LetterAllowed([]time.Time{t0, t0.Add(day), t0.Add(2 * day), t0.Add(3 * day)}, t0.Add(4*day)), t0.Add(4*day), loc)
	if !strings.HasPrefix(got, "You can ask for another letter at 3:04 PM UTC on Wednesday, April 1.") || !strings.Contains(got, "in person") {
		t.Errorf("%q", got)
	}
}

func TestReferenceCodes(t *testing.T) {
	shape := regexp.MustCompile(`^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$`)
	c := proofing.NewReferenceCode()
	if !shape.MatchString(c) || len(c) > 16 {
		t.Fatalf("reference code %q", c)
	}
	if got := proofing.NormalizeReferenceCode(strings.ToLower(strings.ReplaceAll(c, "-", " "))); got != c {
		t.Errorf("NormalizeReferenceCode = %q, want %q", got, c)
	}
	if proofing.NormalizeReferenceCode("ABCD-EFGH-IJKL") != "" {
		t.Error("I and L are not in the alphabet")
	}
}
