package records

import (
	"strings"
	"unicode"
)

// Masking on transcripts follows DOMAIN.md: numbers show their last four
// digits, the last name its first four letters, the street address its
// first six characters; amounts are never masked.

// MaskSSN shows a Social Security number or ITIN by its last four digits:
// XXX-XX-1234.
func MaskSSN(last4 string) string { return "XXX-XX-" + digitsOnly(last4) }

// MaskEIN shows an employer identification number by its last four digits:
// XX-XXX1234.
func MaskEIN(last4 string) string { return "XX-XXX" + digitsOnly(last4) }

// MaskAccount shows a bank account number by its last four digits:
// XXXX1234.
func MaskAccount(last4 string) string { return "XXXX" + digitsOnly(last4) }

// MaskLastName keeps the first four letters of a last name, in capitals, the
// way the agency's name control reads: "Sampleton" is SAMP, "O'Brien" OBRI,
// "De La Cruz" DELA, "Ng" NG. Only letters count (spaces, apostrophes,
// hyphens and periods are skipped, so punctuation never takes the place of
// a letter); a name shorter than four letters is shown whole, without
// padding, since padding would suggest letters that are not there.
func MaskLastName(name string) string {
	var b strings.Builder
	n := 0
	for _, r := range name {
		if !unicode.IsLetter(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
		if n++; n == 4 {
			break
		}
	}
	return b.String()
}

// MaskStreet keeps the first six characters of the street address, in
// capitals, with a trailing space dropped: "2417 Desert Willow Dr" is
// "2417 D". Characters are counted as letters and digits a reader sees
// (runes), not bytes.
func MaskStreet(street string) string {
	r := []rune(strings.TrimSpace(street))
	if len(r) > 6 {
		r = r[:6]
	}
	return strings.ToUpper(strings.TrimRight(string(r), " "))
}

// digitsOnly guards the masks against anything but the four digits they
// expect: a longer value is cut to its last four digits.
func digitsOnly(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	if len(b) > 4 {
		b = b[len(b)-4:]
	}
	return string(b)
}
