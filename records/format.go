package records

import (
	"strconv"
	"time"
)

// FormatMoney writes integer cents as dollars with thousands separators:
// $1,234.56, -$89.00, $0.00. Transcripts show amounts in full.
func FormatMoney(cents int64) string {
	var buf [32]byte
	b := buf[:0]
	u := uint64(cents)
	if cents < 0 {
		b = append(b, '-')
		u = -u // two's complement: right for the smallest int64 too
	}
	b = append(b, '$')
	b = appendThousands(b, u/100)
	b = append(b, '.', byte('0'+u%100/10), byte('0'+u%10))
	return string(b)
}

// FormatDollars writes whole dollars, as the refund lookup asks for them:
// $1,431.
func FormatDollars(dollars int64) string {
	var buf [32]byte
	b := buf[:0]
	u := uint64(dollars)
	if dollars < 0 {
		b = append(b, '-')
		u = -u
	}
	return string(appendThousands(append(b, '$'), u))
}

func appendThousands(b []byte, n uint64) []byte {
	var buf [20]byte
	digits := strconv.AppendUint(buf[:0], n, 10)
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	return b
}

// apMonths are the month names in the Associated Press style that public
// service writing uses: short months abbreviated, the rest in full.
var apMonths = [...]string{"Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."}

// FormatDate writes a calendar date as "Dec. 31, 2025", reading the date in
// t's own location. The zero time gives "".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	y, m, d := t.Date()
	var buf [24]byte
	b := append(buf[:0], apMonths[m-1]...)
	b = strconv.AppendInt(append(b, ' '), int64(d), 10)
	b = strconv.AppendInt(append(b, ", "...), int64(y), 10)
	return string(b)
}

// TaxPeriod is how a transcript names a calendar tax year: the day it ends.
func TaxPeriod(year int) string {
	return FormatDate(time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC))
}

// day is the calendar date of a stored timestamp. Dates are written as UTC
// midnight; a driver may hand them back in another zone, so they are read
// in UTC.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// today is now's calendar date where now is (the taxpayer's zone, when the
// caller passes it in that zone), as a UTC midnight comparable with day.
func today(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween counts calendar days from a to b (negative when b is earlier).
func daysBetween(a, b time.Time) int {
	return int(b.Sub(a).Hours() / 24)
}

// weekday moves a weekend date to the Monday after, since nothing is sent
// or posted on a weekend.
func weekday(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, 2)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	}
	return d
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
