package records

import (
	"time"

	"github.com/taxportal/portal/models"
)

// Accruals are the rates behind the interest and penalty an account
// transcript shows as accrued: growing on an unpaid balance but not yet
// posted as transactions. Rates are in basis points (1/100 of a percent).
type Accruals struct {
	InterestPerYear  int64 // simple interest on the balance, per 365 days
	PenaltyPerMonth  int64 // failure-to-pay penalty, per month or part of one
	PenaltyCapBasis  int64 // the penalty never exceeds this share of the balance
	DueMonth, DueDay int   // the return's due date in the year after the tax year
}

// DefaultAccruals: 8% a year of interest and 0.5% a month of penalty, up
// to 25%, from April 15. The demo data charges the same rates when it
// posts interest (196) and penalty (276), so accruals continue them.
func DefaultAccruals() Accruals {
	return Accruals{InterestPerYear: 800, PenaltyPerMonth: 50, PenaltyCapBasis: 2500, DueMonth: 4, DueDay: 15}
}

// AccountBalance is the balance box of an account transcript.
type AccountBalance struct {
	AsOf          time.Time
	BalanceCents  int64 // sum of the transactions; negative is a credit
	InterestCents int64 // accrued, not yet posted
	PenaltyCents  int64 // accrued, not yet posted
	TotalCents    int64 // balance plus accruals
}

// Compute works out a year's balance and its accruals as of a day.
//
// The balance is the sum of the transactions. When it is positive (owed),
// interest and penalty run from the later of the return's due date and the
// last transaction's date, since posted charges already cover the time
// before it: interest = balance × rate × days / 365; penalty = balance ×
// monthly rate × months begun, capped. Amounts round half up to the cent.
func (ac Accruals) Compute(year int, txs []models.AccountTransaction, asOf time.Time) AccountBalance {
	b := AccountBalance{AsOf: today(asOf)}
	since := time.Date(year+1, time.Month(ac.DueMonth), ac.DueDay, 0, 0, 0, 0, time.UTC)
	for _, tx := range txs {
		b.BalanceCents += tx.AmountCents
		since = later(since, day(tx.PostedOn))
	}
	if days := int64(daysBetween(since, b.AsOf)); b.BalanceCents > 0 && days > 0 {
		b.InterestCents = roundDiv(b.BalanceCents*ac.InterestPerYear*days, 10_000*365)
		months := (days + 29) / 30
		b.PenaltyCents = min(roundDiv(b.BalanceCents*ac.PenaltyPerMonth*months, 10_000), roundDiv(b.BalanceCents*ac.PenaltyCapBasis, 10_000))
	}
	b.TotalCents = b.BalanceCents + b.InterestCents + b.PenaltyCents
	return b
}

// roundDiv divides non-negative n by d, rounding half up.
func roundDiv(n, d int64) int64 { return (n + d/2) / d }

// Fields are the balance box's lines, formatted.
func (b AccountBalance) Fields() []Field {
	asOf := " as of " + FormatDate(b.AsOf)
	return []Field{
		{"Account balance", FormatMoney(b.BalanceCents)},
		{"Accrued interest" + asOf, FormatMoney(b.InterestCents)},
		{"Accrued penalty" + asOf, FormatMoney(b.PenaltyCents)},
		{"Account balance plus accruals", FormatMoney(b.TotalCents)},
	}
}
