package ippin

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/taxportal/portal/limits"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// RejectCode is an e-file business rule a return broke.
type RejectCode string

// The IP PIN reject codes.
const (
	PrimaryPINMismatch RejectCode = "IND-180-01"
	PrimaryPINMissing  RejectCode = "IND-181-01"
	SpousePINMissing   RejectCode = "IND-182-01"
	SpousePINMismatch  RejectCode = "IND-183-01"
)

// Missing reports whether the code is for a PIN left out rather than wrong.
func (c RejectCode) Missing() bool { return c == PrimaryPINMissing || c == SpousePINMissing }

func (c RejectCode) words() string {
	if c.Missing() {
		return "IP PIN missing"
	}
	return "wrong IP PIN"
}

// Outcome is the e-file check's verdict on a return.
type Outcome string

const (
	Accepted Outcome = "accepted" // every PIN needed was there and right
	Rejected Outcome = "rejected" // see Result.Rejects
	// Locked: too many wrong PINs for a filer's SSN lately; nothing was
	// checked, and the return may be sent again after Result.RetryAt.
	Locked Outcome = "locked"
)

// Filer is one person on a return, as the tax software sends them.
type Filer struct {
	SSN pii.SSN
	PIN string // as typed; "" when none was sent
}

// Return is what the e-file check looks at.
type Return struct {
	TaxYear int
	Primary Filer
	Spouse  *Filer // nil on a return without a spouse
}

// Result is the check's answer.
type Result struct {
	Outcome Outcome
	Rejects []RejectCode // when Rejected: the primary filer's first
	RetryAt time.Time    // when Locked
	// Alerts are the taxpayers to tell that a return in their name was
	// stopped; they are recorded already, the caller sends the e-mail.
	Alerts []Alert
}

// ErrTaxYear means a tax year later than the year the return is filed in.
var ErrTaxYear = errors.New("ippin: tax year not valid")

// filer is a filer of the return being checked, with what is on record.
type filer struct {
	Filer
	missing, mismatch RejectCode
	taxpayer          *models.Taxpayer
	pin               *models.IPPIN // nil: no PIN issued for the year, none needed
	lockKey           string
	try               *limits.Try // the PIN's check, counted against lockKey
}

// Check is the e-file check: does every filer who holds a PIN for the
// calendar year the return is filed in (now) give it? key is the tax
// software's, from Authenticate. Wrong PINs count towards the guessing
// limit of their SSN; missing and wrong ones stop the return, and their
// taxpayers are alerted.
func (s *Service) Check(ctx context.Context, key *models.IPPINAPIKey, r Return) (Result, error) {
	now := s.now()
	if r.TaxYear < 1 || r.TaxYear > yearOf(now) {
		return Result{}, ErrTaxYear
	}
	filers := []*filer{{Filer: r.Primary, missing: PrimaryPINMissing, mismatch: PrimaryPINMismatch}}
	if r.Spouse != nil {
		filers = append(filers, &filer{Filer: *r.Spouse, missing: SpousePINMissing, mismatch: SpousePINMismatch})
	}
	for _, f := range filers {
		if err := s.lookUp(ctx, f, yearOf(now)); err != nil {
			return Result{}, err
		}
	}
	// Each PIN is counted against its SSN's guessing limit before it is
	// compared, so checks sent at once never compare more than the limit
	// allows. A locked SSN stops the return before any PIN is compared, so
	// that even the right PIN tells a guesser nothing.
	var res Result
	for _, f := range filers {
		if f.pin == nil {
			continue
		}
		try, d, err := limits.Begin(ctx, s.DB, now, limits.Gate{Key: f.lockKey, Limit: s.Settings.Guessing})
		if err != nil {
			forgetAll(ctx, filers)
			return Result{}, err
		}
		f.try = try
		if try == nil {
			res.Outcome = Locked
			if d.RetryAt.After(res.RetryAt) {
				res.RetryAt = d.RetryAt
			}
		}
	}
	if res.Outcome == Locked {
		return res, forgetAll(ctx, filers)
	}
	for _, f := range filers {
		code, err := s.compare(ctx, f, now)
		if err != nil {
			forgetAll(ctx, filers)
			return Result{}, err
		}
		if code == "" {
			continue
		}
		res.Rejects = append(res.Rejects, code)
		a, err := s.alert(ctx, f.taxpayer.ID, code, r.TaxYear, key.ID, now)
		if err != nil {
			return Result{}, err
		}
		res.Alerts = append(res.Alerts, a)
	}
	res.Outcome = Accepted
	if len(res.Rejects) > 0 {
		res.Outcome = Rejected
	}
	return res, nil
}

// lookUp finds the filer's taxpayer and PIN for the year, if any. An SSN
// not in the master file needs no PIN here: other checks deal with it.
func (s *Service) lookUp(ctx context.Context, f *filer, year int) error {
	tp, err := models.FindTaxpayerBySSN(ctx, s.DB, s.Vault, f.SSN)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	f.taxpayer = tp
	pin, err := s.pinRow(s.DB.WithContext(ctx), tp.ID, year)
	if errors.Is(err, ErrNoPIN) {
		return nil
	}
	f.pin, f.lockKey = pin, s.lockKey(f.SSN)
	return err
}

// compare returns the reject code the filer's PIN earns, "" for none. A
// wrong PIN stays counted; a right or missing one is no guess and is taken
// back.
func (s *Service) compare(ctx context.Context, f *filer, now time.Time) (RejectCode, error) {
	if f.pin == nil {
		return "", nil // a PIN sent for someone without one is ignored
	}
	typed := strings.Join(strings.Fields(f.PIN), "")
	if typed == "" {
		return f.missing, f.try.Forget(ctx)
	}
	held, err := s.open(f.pin)
	if err != nil {
		return "", err
	}
	if subtle.ConstantTimeCompare([]byte(typed), []byte(held.PIN.digits)) == 1 {
		return "", f.try.Forget(ctx)
	}
	if err := s.wrongPIN(ctx, f.taxpayer.ID, f.try, now); err != nil {
		return "", err
	}
	return f.mismatch, nil
}

// forgetAll takes back the PIN checks of a return that was not checked
// after all.
func forgetAll(ctx context.Context, filers []*filer) error {
	var errs []error
	for _, f := range filers {
		errs = append(errs, f.try.Forget(context.WithoutCancel(ctx)))
	}
	return errors.Join(errs...)
}
