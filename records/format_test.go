package records

import (
	"math"
	"testing"
	"time"
)

func TestFormatMoney(t *testing.T) {
	for cents, want := range map[int64]string{
		0: "$0.00", 5: "$0.05", 99: "$0.99", 100: "$1.00", 143100: "$1,431.00", -8900: "-$89.00",
		123456789: "$1,234,567.89", -100000000: "-$1,000,000.00", math.MinInt64: "-$92,233,720,368,547,758.08",
	} {
		if got := FormatMoney(cents); got != want {
			t.Errorf("FormatMoney(%d) = %q, want %q", cents, got, want)
		}
	}
	if got := FormatDollars(1431); got != "$1,431" {
		t.Errorf("FormatDollars(1431) = %q", got)
	}
}

func TestFormatDate(t *testing.T) {
	for d, want := range map[time.Time]string{
		date("2025-12-31"): "Dec. 31, 2025",
		date("2026-03-02"): "March 2, 2026",
		date("2026-09-29"): "Sept. 29, 2026",
		date("2026-06-01"): "June 1, 2026",
		{}:                 "",
	} {
		if got := FormatDate(d); got != want {
			t.Errorf("FormatDate(%v) = %q, want %q", d, got, want)
		}
	}
	if got := TaxPeriod(2025); got != "Dec. 31, 2025" {
		t.Errorf("TaxPeriod(2025) = %q", got)
	}
}

// A date stored as UTC midnight and read back in another zone is the same
// calendar day.
func TestDayReadsStoredDatesInUTC(t *testing.T) {
	ny := time.FixedZone("EST", -5*3600)
	stored := date("2026-04-15").In(ny) // April 14, 7 p.m. in New York
	if got := day(stored); !got.Equal(date("2026-04-15")) {
		t.Errorf("day(%v) = %v", stored, got)
	}
}
