package pii

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// SSN is a Social Security or Individual Taxpayer Identification Number held as
// its nine digits. It has no String method on purpose: formatting one for
// display goes through Masked, and a stray %v in a log prints only the mask.
type SSN struct{ digits string }

// Errors returned by ParseSSN; handlers map them to messages in the catalogue.
var (
	ErrSSNFormat = errors.New("an SSN has nine digits, like 123-45-6789")
)

// ParseSSN accepts nine digits with optional dashes or spaces.
func ParseSSN(s string) (SSN, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ':
		default:
			return SSN{}, ErrSSNFormat
		}
	}
	if b.Len() != 9 {
		return SSN{}, ErrSSNFormat
	}
	return SSN{digits: b.String()}, nil
}

// MustSSN is ParseSSN for literals in demo data and tests.
func MustSSN(s string) SSN {
	n, err := ParseSSN(s)
	if err != nil {
		panic(err)
	}
	return n
}

// Digits is the bare nine-digit form, for sealing and indexing only.
func (n SSN) Digits() string { return n.digits }

// Last4 is what may be shown or searched on.
func (n SSN) Last4() string {
	if len(n.digits) != 9 {
		return ""
	}
	return n.digits[5:]
}

// Masked shows only the last four digits, as transcripts do: XXX-XX-6789.
func (n SSN) Masked() string { return "XXX-XX-" + n.Last4() }

// Format makes every fmt verb (%v, %+v, %#v, %s) print the mask, so an SSN
// that slips into a log line or an error message leaks nothing.
func (n SSN) Format(f fmt.State, _ rune) {
	_, _ = f.Write([]byte(n.Masked()))
}

// LogValue keeps structured logs masked too.
func (n SSN) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// Dashed is the full number with dashes, for the owner's own eyes only.
func (n SSN) Dashed() string {
	if len(n.digits) != 9 {
		return ""
	}
	return n.digits[:3] + "-" + n.digits[3:5] + "-" + n.digits[5:]
}

// IsITIN reports whether the number is an Individual Taxpayer Identification
// Number: area 9xx with a group of 50-65, 70-88, 90-92 or 94-99.
func (n SSN) IsITIN() bool {
	if len(n.digits) != 9 || n.digits[0] != '9' {
		return false
	}
	g := int(n.digits[3]-'0')*10 + int(n.digits[4]-'0')
	return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94
}

// NeverIssued reports whether the number lies in a range the Social Security
// Administration never assigns to a person: area 000, 666 or 900-999 (outside
// ITIN groups), group 00, serial 0000. Demo data uses only such numbers.
func (n SSN) NeverIssued() bool {
	if len(n.digits) != 9 {
		return true
	}
	area, group, serial := n.digits[:3], n.digits[3:5], n.digits[5:]
	return area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000"
}
