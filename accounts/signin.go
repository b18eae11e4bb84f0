package accounts

import (
	"context"
	"errors"
	"strconv"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
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

// passwordDecision is the strictest of the per-address, per-session and
// per-IP limits.
func (s *Service) passwordDecision(ctx context.Context, email string, c Client) (credential.Decision, error) {
	l := s.Settings.Limits
	var ds []credential.Decision
	for _, k := range []struct {
		key   string
		limit credential.Limit
	}{{s.emailKey(email), l.PasswordPerAccount}, {sessionKey(c), l.PasswordPerSession}, {ipKey(c), l.PasswordPerIP}} {
		d, err := s.decide(ctx, k.key, k.limit)
		if err != nil {
			return credential.Decision{}, err
		}
		ds = append(ds, d)
	}
	return credential.Combine(ds...), nil
}

// CheckPassword is the first sign-in step. It returns the account when the
// password is right; otherwise ErrWrongPassword (with the decision, for
// "2 tries left"), a *LimitedError, or ErrAccountLocked once the right
// password reaches an account locked after too many failures.
func (s *Service) CheckPassword(ctx context.Context, emailRaw, password string, c Client) (*models.Account, credential.Decision, error) {
	email := models.NormalizeEmail(emailRaw)
	d, err := s.passwordDecision(ctx, email, c)
	if err != nil {
		return nil, d, err
	}
	if !d.Allowed {
		return nil, d, &LimitedError{d}
	}
	acct, err := models.FindAccountByEmail(ctx, s.DB, email)
	switch {
	case errors.Is(err, models.ErrNotFound):
		acct, err = nil, nil
	case err != nil:
		return nil, d, err
	}
	var ok, rehash bool
	herr := s.withHashSlot(ctx, func() {
		if acct == nil {
			credential.DummyVerify(password) // as slow as a real check: timing tells nothing
			return
		}
		ok, rehash, err = credential.VerifyPassword(acct.PasswordHash, password)
	})
	if herr != nil {
		return nil, d, herr
	}
	if err != nil {
		return nil, d, err
	}
	if !ok {
		if err := models.RecordAttempt(ctx, s.DB, s.now(), s.emailKey(email), sessionKey(c), ipKey(c)); err != nil {
			return nil, d, err
		}
		if acct != nil {
			s.Record(ctx, acct.ID, EventSignInFailed, "wrong password", c)
			if err := s.countFailure(ctx, acct, c); err != nil {
				return nil, d, err
			}
		}
		d, err = s.passwordDecision(ctx, email, c)
		if err != nil {
			return nil, d, err
		}
		return nil, d, ErrWrongPassword
	}
	if acct.DisabledAt != nil {
		return nil, d, ErrAccountDisabled
	}
	if acct.LockedAt != nil {
		return nil, d, ErrAccountLocked
	}
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

// countFailure adds one to the account's consecutive failures and locks it
// at the hard limit (NIST SP 800-63B 5.2.2), telling the holder by e-mail.
func (s *Service) countFailure(ctx context.Context, acct *models.Account, c Client) error {
	err := s.DB.WithContext(ctx).Model(&models.Account{}).Where("id = ?", acct.ID).
		Update("consecutive_failures", gorm.Expr("consecutive_failures + 1")).Error
	if err != nil {
		return err
	}
	if err := s.DB.WithContext(ctx).Take(acct, acct.ID).Error; err != nil {
		return err
	}
	if acct.LockedAt != nil || acct.ConsecutiveFailures < s.Settings.Limits.MaxConsecutiveFailures {
		return nil
	}
	now := s.now()
	if err := s.DB.WithContext(ctx).Model(acct).Update("locked_at", now).Error; err != nil {
		return err
	}
	s.Record(ctx, acct.ID, EventAccountLocked, "too many failed tries", c)
	s.send(ctx, s.DB, s.Brand.AccountLocked(acct.Email, notify.LockTooManyAttempts, s.Links.ResetPassword(""), now, s.Location))
	return nil
}

// FactorDecision tells whether the account may try a second-factor code now.
func (s *Service) FactorDecision(ctx context.Context, accountID uint64) (credential.Decision, error) {
	return s.decide(ctx, factorKey(accountID), s.Settings.Limits.SecondFactor)
}

// factorFailed records a wrong code and returns the updated decision.
func (s *Service) factorFailed(ctx context.Context, acct *models.Account, c Client) (credential.Decision, error) {
	if err := models.RecordAttempt(ctx, s.DB, s.now(), factorKey(acct.ID)); err != nil {
		return credential.Decision{}, err
	}
	s.Record(ctx, acct.ID, EventSecondFactorFail, "", c)
	if err := s.countFailure(ctx, acct, c); err != nil {
		return credential.Decision{}, err
	}
	return s.FactorDecision(ctx, acct.ID)
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
