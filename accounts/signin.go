package accounts

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/limits"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
)

// Errors of the sign-in steps. Wrong e-mail and wrong password are one
// error, so the answer never tells whether an address has an account.
var (
	ErrWrongPassword = errors.New("wrong e-mail or password")
	ErrWrongCode     = errors.New("wrong second-factor code")
	ErrAccountLocked = errors.New("account locked")
	// ErrAccountDisabled: a supervisor took the staff account out of
	// service. A new password does not bring it back.
	ErrAccountDisabled = errors.New("account disabled")
)

// LimitedError refuses a try because of too many recent failures; Decision
// says when the next try is allowed.
type LimitedError struct{ Decision credential.Decision }

func (e *LimitedError) Error() string { return "too many tries" }

// Attempt keys. The e-mail key is a keyed hash, so addresses never sit in
// the attempts table, and an unknown address is limited like a known one.
func (s *Service) emailKey(email string) string { return "pw:email:" + s.Vault.Index("email", email) }
func sessionKey(c Client) string                { return "pw:session:" + c.SessionKey }
func ipKey(c Client) string                     { return "pw:ip:" + c.IP }
func factorKey(accountID uint64) string         { return "mfa:account:" + strconv.FormatUint(accountID, 10) }

// decide counts recent failures under key against a limit.
func (s *Service) decide(ctx context.Context, key string, l credential.Limit) (credential.Decision, error) {
	now := s.now()
	st, err := models.CountAttempts(ctx, s.DB, key, l.WindowStart(now))
	if err != nil {
		return credential.Decision{}, err
	}
	return l.Decide(st.Count, st.Oldest, st.Newest, now), nil
}

// take counts one use under key's limit; refused uses are not counted.
func (s *Service) take(ctx context.Context, key string, l credential.Limit) (credential.Decision, error) {
	return limits.Take(ctx, s.DB, s.now(), limits.Gate{Key: key, Limit: l})
}

// passwordGates are the per-address, per-session and per-IP limits on
// passwords. An address with no account also carries the failure streak
// that locks an account, so a lock tells nothing about who has one.
func (s *Service) passwordGates(email string, known bool, c Client) []limits.Gate {
	l := s.Settings.Limits
	gates := []limits.Gate{
		{Key: s.emailKey(email), Limit: l.PasswordPerAccount},
		{Key: sessionKey(c), Limit: l.PasswordPerSession},
		{Key: ipKey(c), Limit: l.PasswordPerIP},
	}
	if !known {
		gates = append(gates, limits.Gate{Key: s.streakKey(email), Limit: s.unknownStreak()})
	}
	return gates
}

// streakKey counts wrong passwords for an address without an account, the
// way Account.ConsecutiveFailures counts them for one with.
func (s *Service) streakKey(email string) string { return "pw:streak:" + s.Vault.Index("email", email) }

// unknownStreak is the lock of MaxConsecutiveFailures for an address with
// no account. Its window is as long as failed tries are kept.
func (s *Service) unknownStreak() credential.Limit {
	return credential.Limit{Max: s.Settings.Limits.MaxConsecutiveFailures, Window: AttemptsKept}
}

// AttemptsKept is how long failed tries are kept: longer than any window
// a limit counts over.
const AttemptsKept = 31 * 24 * time.Hour

// CheckPassword is the first sign-in step. It returns the account when the
// password is right; otherwise ErrWrongPassword (with the decision, for
// "2 tries left"), a *LimitedError, or ErrAccountLocked.
//
// Every try is counted before the password is checked (package limits), so
// tries sent at the same moment never check more passwords than the limits
// allow. A locked or disabled account gives the same answer whatever the
// password, so the lock cannot confirm a guess.
func (s *Service) CheckPassword(ctx context.Context, emailRaw, password string, c Client) (*models.Account, credential.Decision, error) {
	email := models.NormalizeEmail(emailRaw)
	acct, err := models.FindAccountByEmail(ctx, s.DB, email)
	switch {
	case errors.Is(err, models.ErrNotFound):
		acct, err = nil, nil
	case err != nil:
		return nil, credential.Decision{}, err
	}
	if err := s.shut(ctx, acct, email); err != nil {
		return nil, credential.Decision{}, err
	}
	try, d, err := limits.Begin(ctx, s.DB, s.now(), s.passwordGates(email, acct != nil, c)...)
	if err != nil {
		return nil, d, err
	}
	if try == nil {
		return nil, d, &LimitedError{d}
	}
	if acct != nil {
		if d, err := s.stepStreak(ctx, acct, try); err != nil {
			return nil, d, err
		}
	}
	var ok, rehash bool
	herr := s.withHashSlot(ctx, func() {
		if acct == nil {
			credential.DummyVerify(password) // as slow as a real check: timing tells nothing
			return
		}
		ok, rehash, err = credential.VerifyPassword(acct.PasswordHash, password)
	})
	if herr != nil || err != nil {
		s.takeBack(ctx, acct, try)
		return nil, d, cmp.Or(herr, err)
	}
	if !ok {
		d = try.Fail()
		if acct != nil {
			s.Record(ctx, acct.ID, EventSignInFailed, "wrong password", c)
			if err := s.countFailure(ctx, acct, c); err != nil {
				return nil, d, err
			}
		}
		return nil, d, ErrWrongPassword
	}
	s.takeBack(ctx, acct, try)
	if err := models.ClearAttempts(ctx, s.DB, s.emailKey(email), sessionKey(c)); err != nil {
		return nil, d, err
	}
	if rehash {
		if h, err := credential.HashPassword(password); err == nil {
			s.DB.WithContext(ctx).Model(acct).Update("password_hash", h)
		}
	}
	return acct, d, nil
}

// shut refuses, before anything is checked, an account that is locked
// or disabled, and an address without an account whose failure streak
// would have locked one: the same answer whatever the password.
func (s *Service) shut(ctx context.Context, acct *models.Account, email string) error {
	switch {
	case acct == nil:
		l := s.unknownStreak()
		st, err := models.CountAttempts(ctx, s.DB, s.streakKey(email), l.WindowStart(s.now()))
		if err != nil {
			return err
		}
		if st.Count >= l.Max {
			return ErrAccountLocked
		}
	case acct.DisabledAt != nil:
		return ErrAccountDisabled
	case acct.LockedAt != nil:
		return ErrAccountLocked
	}
	return nil
}

// stepStreak takes one step of the account's failure streak for a try, in
// one conditional statement, so tries at once cannot all pass the last
// step; takeBack returns it when the try is not a failure.
func (s *Service) stepStreak(ctx context.Context, acct *models.Account, try *limits.Try) (credential.Decision, error) {
	res := s.DB.WithContext(ctx).Model(&models.Account{}).
		Where("id = ? AND locked_at IS NULL AND consecutive_failures < ?", acct.ID, s.Settings.Limits.MaxConsecutiveFailures).
		Update("consecutive_failures", gorm.Expr("consecutive_failures + 1"))
	if res.Error == nil && res.RowsAffected == 1 {
		return credential.Decision{}, nil
	}
	if err := try.Forget(ctx); err != nil || res.Error != nil {
		return credential.Decision{}, cmp.Or(res.Error, err)
	}
	var now models.Account
	if err := s.DB.WithContext(ctx).Select("locked_at").Take(&now, acct.ID).Error; err != nil {
		return credential.Decision{}, err
	}
	if now.LockedAt != nil {
		return credential.Decision{}, ErrAccountLocked
	}
	// Another try holds the streak's last step and is being checked.
	d := credential.Decision{RetryAt: s.now().Add(time.Minute), At: s.now()}
	return d, &LimitedError{d}
}

// takeBack forgets a try that was not a failure, and its step of the
// account's failure streak.
func (s *Service) takeBack(ctx context.Context, acct *models.Account, try *limits.Try) {
	ctx = context.WithoutCancel(ctx)
	if err := try.Forget(ctx); err != nil {
		s.Log.Error("taking back a sign-in try", slog.String("error", err.Error()))
	}
	if acct == nil {
		return
	}
	err := s.DB.WithContext(ctx).Model(&models.Account{}).Where("id = ? AND consecutive_failures > 0", acct.ID).
		Update("consecutive_failures", gorm.Expr("consecutive_failures - 1")).Error
	if err != nil {
		s.Log.Error("taking back a sign-in try", slog.String("error", err.Error()))
	}
}

// countFailure locks the account once its failure streak, already counted
// when the try began, reaches the hard limit (NIST SP 800-63B 5.2.2),
// telling the holder by e-mail. Only the try that reaches it locks.
func (s *Service) countFailure(ctx context.Context, acct *models.Account, c Client) error {
	now := s.now()
	res := s.DB.WithContext(ctx).Model(&models.Account{}).
		Where("id = ? AND locked_at IS NULL AND consecutive_failures >= ?", acct.ID, s.Settings.Limits.MaxConsecutiveFailures).
		Update("locked_at", now)
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	acct.LockedAt = &now
	s.Record(ctx, acct.ID, EventAccountLocked, "too many failed tries", c)
	s.send(ctx, s.DB, s.Brand.AccountLocked(acct.Email, notify.LockTooManyAttempts, s.Links.ResetPassword(""), now, s.Location))
	return nil
}

// FactorDecision tells whether the account may try a second-factor code now.
func (s *Service) FactorDecision(ctx context.Context, accountID uint64) (credential.Decision, error) {
	return s.decide(ctx, factorKey(accountID), s.Settings.Limits.SecondFactor)
}

// verifyFactor wraps a code check in the second-factor limit and the
// account's failure streak: the try is counted before check runs, so codes
// sent at once never check more than the limit allows; a wrong code stays
// counted, a right one is taken back.
func (s *Service) verifyFactor(ctx context.Context, acct *models.Account, c Client, check func() (bool, error)) (credential.Decision, error) {
	if acct.LockedAt != nil || acct.DisabledAt != nil {
		return credential.Decision{}, ErrAccountLocked
	}
	gate := limits.Gate{Key: factorKey(acct.ID), Limit: s.Settings.Limits.SecondFactor}
	try, d, err := limits.Begin(ctx, s.DB, s.now(), gate)
	if err != nil {
		return d, err
	}
	if try == nil {
		return d, &LimitedError{d}
	}
	if d, err := s.stepStreak(ctx, acct, try); err != nil {
		return d, err
	}
	ok, err := check()
	if err != nil || ok {
		s.takeBack(ctx, acct, try)
		return d, err
	}
	d = try.Fail()
	s.Record(ctx, acct.ID, EventSecondFactorFail, "", c)
	if err := s.countFailure(ctx, acct, c); err != nil {
		return d, err
	}
	return d, ErrWrongCode
}

// CompleteSignIn records a full sign-in (password and second factor) and
// resets the failure counters.
func (s *Service) CompleteSignIn(ctx context.Context, acct *models.Account, how string, c Client) error {
	if err := models.ClearAttempts(ctx, s.DB, factorKey(acct.ID)); err != nil {
		return err
	}
	if err := s.DB.WithContext(ctx).Model(acct).Update("consecutive_failures", 0).Error; err != nil {
		return err
	}
	s.Record(ctx, acct.ID, EventSignedIn, how, c)
	return nil
}
