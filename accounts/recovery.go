package accounts

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
)

// resetRequests bounds reset e-mails to one address, so the form cannot be
// used to flood someone's inbox.
var resetRequests = credential.Limit{Max: 3, Window: time.Hour}

// RequestPasswordReset has a reset link e-mailed to the address if it has
// a confirmed account. The answer, and the work the request does, are the
// same either way: the queue looks the address up (see requests.go).
func (s *Service) RequestPasswordReset(ctx context.Context, emailRaw string, c Client) error {
	if fe := ValidateEmail("email", emailRaw); fe != nil {
		return InputErrors{*fe}
	}
	email := models.NormalizeEmail(emailRaw)
	key := "reset:email:" + s.Vault.Index("email", email)
	d, err := s.take(ctx, key, resetRequests)
	if err != nil || !d.Allowed {
		return err // quietly: saying "too many" would reveal the address is in use
	}
	return s.deferRequest(ctx, s.DB, request{Op: opResetPassword, Email: email}, c)
}

// ResetTokenValid tells whether a reset link can still be used, so the page
// can say so before the person types a new password.
func (s *Service) ResetTokenValid(ctx context.Context, token string) bool {
	_, err := s.findLiveCode(ctx, s.DB, "token_hash = ? AND purpose = ?", credential.HashToken(token), models.PurposeResetPassword)
	return err == nil
}

// ResetPassword sets a new password through an e-mailed link. It unlocks
// the account and ends every session, but signs nobody in: the second
// factor is still needed, so a reset e-mail alone never opens the account.
func (s *Service) ResetPassword(ctx context.Context, token, password string, c Client) error {
	row, err := s.findLiveCode(ctx, s.DB, "token_hash = ? AND purpose = ?", credential.HashToken(token), models.PurposeResetPassword)
	if err != nil {
		return err
	}
	acct, err := models.FindAccount(ctx, s.DB, row.AccountID)
	if err != nil {
		return err
	}
	if errs := s.CheckNewPassword("password", password, acct.Email); len(errs) > 0 {
		return errs
	}
	return s.setPassword(ctx, acct, password, row, "", c)
}

// ChangePassword sets a new password for a signed-in holder who has
// recently proven who they are, and ends their other sessions. keep is the
// session handle (session.Handle) to leave signed in.
func (s *Service) ChangePassword(ctx context.Context, acct *models.Account, password, keep string, c Client) error {
	if errs := s.CheckNewPassword("password", password, acct.Email); len(errs) > 0 {
		return errs
	}
	return s.setPassword(ctx, acct, password, nil, keep, c)
}

// setPassword stores a new password, spends the reset code if there is one,
// clears any lock and ends every session but keep.
func (s *Service) setPassword(ctx context.Context, acct *models.Account, password string, row *models.OneTimeCode, keep string, c Client) error {
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if row != nil {
			if err := useCode(ctx, tx, row, now); err != nil {
				return err
			}
		}
		err := tx.Model(acct).Updates(map[string]any{
			"password_hash": hash, "password_changed_at": now, "locked_at": nil, "consecutive_failures": 0,
		}).Error
		if err != nil {
			return err
		}
		if err := tx.Where("account_id = ? AND id_hash <> ?", acct.ID, keep).Delete(&models.Session{}).Error; err != nil {
			return err
		}
		return s.Messages.Mail(ctx, tx, s.Brand.PasswordChanged(acct.Email, s.wasntMe(ctx, tx, acct), now, s.Location))
	})
	if errors.Is(err, errCodeSpent) {
		return ErrCodeInvalid
	}
	if err != nil {
		return err
	}
	s.Record(ctx, acct.ID, EventPasswordChanged, "", c)
	return nil
}

// WasntMe locks the account behind a "This wasn't me" link and ends all its
// sessions. The holder then resets the password to get back in.
func (s *Service) WasntMe(ctx context.Context, token string, c Client) (*models.Account, error) {
	row, err := s.findLiveCode(ctx, s.DB, "token_hash = ? AND purpose = ?", credential.HashToken(token), models.PurposeLockAccount)
	if err != nil {
		return nil, err
	}
	acct, err := models.FindAccount(ctx, s.DB, row.AccountID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := useCode(ctx, tx, row, now); err != nil {
			return err
		}
		if err := tx.Model(acct).Update("locked_at", now).Error; err != nil {
			return err
		}
		if err := tx.Where("account_id = ?", acct.ID).Delete(&models.Session{}).Error; err != nil {
			return err
		}
		return s.Messages.Mail(ctx, tx, s.Brand.AccountLocked(acct.Email, notify.LockWasntMe, s.Links.ResetPassword(""), now, s.Location))
	})
	if errors.Is(err, errCodeSpent) {
		return nil, ErrCodeInvalid
	}
	if err != nil {
		return nil, err
	}
	s.Record(ctx, acct.ID, EventAccountLocked, "locked by the holder from an e-mail", c)
	return acct, nil
}
