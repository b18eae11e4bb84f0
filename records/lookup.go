package records

import (
	"context"
	"errors"
	"time"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// LookupRequest is what the public refund lookup asks for, copied from the
// return.
type LookupRequest struct {
	SSN           pii.SSN // the first number on the return: SSN or ITIN
	TaxYear       int
	FilingStatus  models.FilingStatus
	RefundDollars int64 // the refund claimed, in whole dollars
}

// ErrNoMatch is the lookup's only failure: it never says which detail did
// not match, nor whether the number belongs to anyone.
var ErrNoMatch = errors.New("records: no refund matches those details")

// PublicRefund is what the signed-out lookup shows: the stage and its
// dates. Reasons, notices and amounts are for the signed-in taxpayer only.
type PublicRefund struct {
	TaxYear  int
	Stage    Stage
	Steps    [3]Step
	Headline string
	Message  string
	HelpSlug string
}

// LookupYears are the tax years the lookup answers for, newest first.
func (p Policy) LookupYears(now time.Time) []int {
	last := CurrentTaxYear(now)
	out := make([]int, 0, p.LookupPriorYears+1)
	for y := last; y >= last-p.LookupPriorYears; y-- {
		out = append(out, y)
	}
	return out
}

// MatchesRefund is the lookup's check, free of any database: the return is
// on file for a year the lookup covers, has been visible long enough (a day
// after an e-filed return arrives; a paper return as soon as it is on
// file, which already takes weeks from the mailbox), and its filing status
// and whole-dollar refund equal what was typed.
//
// The caller limits how often it is tried (see DOMAIN.md's attempt limits):
// nothing here counts attempts.
func (p Policy) MatchesRefund(ret *models.TaxReturn, req LookupRequest, now time.Time) bool {
	if ret == nil || req.RefundDollars <= 0 {
		return false
	}
	last := CurrentTaxYear(now)
	visibleFrom := day(ret.ReceivedOn)
	if ret.EFiled {
		visibleFrom = visibleFrom.AddDate(0, 0, 1)
	}
	return ret.TaxYear == req.TaxYear &&
		req.TaxYear <= last && req.TaxYear >= last-p.LookupPriorYears &&
		!today(now).Before(visibleFrom) &&
		ret.FilingStatus == req.FilingStatus &&
		wholeDollars(ret.RefundCents) == req.RefundDollars
}

// wholeDollars rounds a refund to the dollar, as returns are filed.
func wholeDollars(cents int64) int64 { return (cents + 50) / 100 }

// LookupRefund finds a refund by the details on the return and tells its
// stage, or ErrNoMatch. The taxpayer is found through the keyed SSN index.
// A number that matches nobody still runs the return query, against a
// taxpayer id no row has, so that a wrong SSN and a wrong amount take the
// same two queries and cannot be told apart by timing.
//
// Rate limiting is the caller's job: call this only after the attempt
// limiter has allowed the try.
func (s *Service) LookupRefund(ctx context.Context, req LookupRequest, now time.Time) (PublicRefund, error) {
	var id uint64 // 0 is never a taxpayer id
	tp, err := models.FindTaxpayerBySSN(ctx, s.db, s.vault, req.SSN)
	switch {
	case err == nil:
		id = tp.ID
	case !errors.Is(err, models.ErrNotFound):
		return PublicRefund{}, err
	}
	ret, err := loadReturn(ctx, s.db, id, req.TaxYear)
	if err != nil {
		return PublicRefund{}, err
	}
	if id == 0 || !s.policy.MatchesRefund(ret, req, now) {
		return PublicRefund{}, ErrNoMatch
	}
	txs, err := LoadTransactions(ctx, s.db, id, req.TaxYear)
	if err != nil {
		return PublicRefund{}, err
	}
	return Public(s.policy.Refund.Derive(req.TaxYear, ret, txs, now)), nil
}

// Public trims a refund status to what a signed-out visitor may see.
func Public(s RefundStatus) PublicRefund {
	p := PublicRefund{TaxYear: s.TaxYear, Stage: s.Stage, Steps: s.Steps, HelpSlug: helpLookup}
	const signIn = " Sign in to see more, such as the reason when a refund needs more time."
	switch s.Stage {
	case StageReceived:
		p.Headline = "Return Received"
		p.Message = "We have your return and are processing it." + signIn
	case StageApproved:
		p.Headline = "Refund Approved"
		p.Message = "Your refund is approved."
		if !s.ExpectedBy.IsZero() {
			p.Message = "Your refund is approved. We expect to send it by " + FormatDate(s.ExpectedBy) + "."
		}
		p.Message += signIn
	case StageSent:
		p.Headline = "Refund Sent"
		p.Message = "We sent your refund on " + s.Steps[2].Date + ". If it is less than you expected, sign in to see why."
	default:
		p.Headline = s.Stage.Label()
		p.Message = "Sign in to see the details of this year."
	}
	return p
}
