package proofing

import (
	"strings"
	"unicode"

	"github.com/taxportal/portal/pii"
)

// ParseSSN reads an SSN or ITIN as typed ("123-45-6789", "123 45 6789",
// "123456789", any kind of dash) and refuses numbers never issued to a
// person (see CheckSSN). Errors are ErrSSNFormat or ErrSSNNeverIssued.
func (s Settings) ParseSSN(raw string) (pii.SSN, error) {
	raw = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Pd, r) {
			return '-'
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, strings.TrimSpace(raw))
	n, err := pii.ParseSSN(raw)
	if err != nil {
		return pii.SSN{}, ErrSSNFormat
	}
	if err := s.CheckSSN(n); err != nil {
		return pii.SSN{}, err
	}
	return n, nil
}

// CheckSSN refuses the numbers the Social Security Administration never
// issues (area 000, 666 or 900-999, group 00, serial 0000) unless they are
// ITINs, which the IRS issues in area 9xx to people without an SSN. The
// demo ranges (IsTestSSN) pass only when AllowTestSSNs is on, even the
// examples that have the shape of an ITIN.
func (s Settings) CheckSSN(n pii.SSN) error {
	switch d := n.Digits(); {
	case len(d) != 9:
		return ErrSSNFormat
	case IsTestSSN(n):
		if s.AllowTestSSNs {
			return nil
		}
		return ErrSSNNeverIssued
	case n.IsITIN() && d[5:] != "0000":
		return nil
	case n.NeverIssued():
		return ErrSSNNeverIssued
	}
	return nil
}

// IsTestSSN reports whether a number lies in a range the demo data uses: the
// ten numbers reserved for examples, 987-65-4320 to 987-65-4329, or area
// 900-999 with group 01-49 (never issued, and clear of the ITIN groups).
func IsTestSSN(n pii.SSN) bool {
	d := n.Digits()
	if len(d) != 9 || d[0] != '9' {
		return false
	}
	if d[:8] == "98765432" {
		return true
	}
	group := int(d[3]-'0')*10 + int(d[4]-'0')
	return group >= 1 && group <= 49 && d[5:] != "0000"
}
