package records

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// Policy gathers the numbers of the records policy; DefaultPolicy gives
// the values of DOMAIN.md.
type Policy struct {
	Refund   RefundTiming
	Windows  Windows
	Accruals Accruals
	// LookupPriorYears: the public refund lookup answers for the current
	// tax year and this many before it.
	LookupPriorYears int
}

// DefaultPolicy is DOMAIN.md's policy.
func DefaultPolicy() Policy {
	return Policy{
		Refund:           DefaultRefundTiming(),
		Windows:          DefaultWindows(),
		Accruals:         DefaultAccruals(),
		LookupPriorYears: 2,
	}
}

// Service answers the records screens: it loads through the loaders and
// returns view models.
type Service struct {
	db     *gorm.DB
	vault  *pii.Vault
	policy Policy
	cache  *overviewCache
}

// New builds a Service, without a cache. The vault is used only to find a
// taxpayer by SSN in the public refund lookup.
func New(db *gorm.DB, vault *pii.Vault, p Policy) *Service {
	return &Service{db: db, vault: vault, policy: p, cache: newOverviewCache(CacheOptions{})}
}

// WithCache makes the dashboard reuse a taxpayer's rows for a while (see
// CacheOptions).
func (s *Service) WithCache(o CacheOptions) *Service {
	s.cache = newOverviewCache(o)
	return s
}

// Dashboard is the signed-in taxpayer's overview of their records.
type Dashboard struct {
	CurrentTaxYear int
	Refund         RefundStatus  // the newest return's year, or the current tax year when none is on file
	Years          []YearSummary // every return on file, newest first
	Transcripts    []Choice      // which transcript can be had for which year
}

// YearSummary is one filed year in the dashboard's list.
type YearSummary struct {
	TaxYear      int
	Form         string
	FilingStatus string
	Filed        string // "E-filed, received Feb. 16, 2026" or "Mailed, received ..."
	AGI          string
	Refund       string // the refund claimed, or "None"
}

// Dashboard loads and derives the overview of one taxpayer's records.
func (s *Service) Dashboard(ctx context.Context, taxpayerID uint64, now time.Time) (Dashboard, error) {
	d, err := LoadDashboardData(ctx, s.db, taxpayerID)
	if err != nil {
		return Dashboard{}, err
	}
	return BuildDashboard(d, now, s.policy), nil
}

// BuildDashboard makes the dashboard from loaded data.
func BuildDashboard(d DashboardData, now time.Time, p Policy) Dashboard {
	out := Dashboard{CurrentTaxYear: CurrentTaxYear(now), Years: make([]YearSummary, len(d.Returns))}
	filed := make([]int, len(d.Returns))
	for i := range d.Returns {
		r := &d.Returns[i]
		filed[i] = r.TaxYear
		out.Years[i] = summarize(r)
	}
	if len(d.Returns) > 0 {
		out.Refund = p.Refund.Derive(d.Returns[0].TaxYear, &d.Returns[0], d.Transactions, now)
	} else {
		out.Refund = p.Refund.Derive(out.CurrentTaxYear, nil, nil, now)
	}
	out.Transcripts = p.Windows.Choices(filed, now)
	return out
}

func summarize(r *models.TaxReturn) YearSummary {
	how := "Mailed"
	if r.EFiled {
		how = "E-filed"
	}
	refund := "None"
	if r.RefundCents > 0 {
		refund = FormatMoney(r.RefundCents)
	}
	return YearSummary{
		TaxYear:      r.TaxYear,
		Form:         r.Form,
		FilingStatus: r.FilingStatus.Label(),
		Filed:        how + ", received " + FormatDate(day(r.ReceivedOn)),
		AGI:          FormatMoney(r.AGICents),
		Refund:       refund,
	}
}

// Transcript loads and builds one of a taxpayer's transcripts. It returns
// an *UnavailableError (errors.Is ErrNotAvailable) when the kind cannot be
// had for the year, and ErrNoTaxpayer for an unknown taxpayer.
func (s *Service) Transcript(ctx context.Context, taxpayerID uint64, k Kind, year int, now time.Time) (Transcript, error) {
	// A year outside the kind's window needs no query.
	if first, last := s.policy.Windows.Years(k, now); year < first || year > last {
		return BuildTranscript(k, year, TranscriptData{}, now, s.policy)
	}
	d, err := LoadTranscriptData(ctx, s.db, taxpayerID, k, year)
	if err != nil {
		return Transcript{}, err
	}
	return BuildTranscript(k, year, d, now, s.policy)
}

// Policy is the policy the service was built with, for screens that list
// what it allows (transcript windows, lookup years).
func (s *Service) Policy() Policy { return s.policy }
