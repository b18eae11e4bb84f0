package accounts

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"

	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
)

// ErrSameEmail means the new address is the one already on the account.
var ErrSameEmail = errors.New("that is already the account's address")

// RequestEmailChange sends a link and code to the new address; the change
// happens only once they come back, so a typo never locks anyone out. When
// the new address already has an account, nothing changes and its holder is
// told instead, so this form reveals nobody's address.
func (s *Service) RequestEmailChange(ctx context.Context, acct *models.Account, newRaw string, c Client) error {
	if fe := ValidateEmail("email", newRaw); fe != nil {
		return InputErrors{*fe}
	}
	email := models.NormalizeEmail(newRaw)
	if email == acct.Email {
		return InputErrors{{Field: "email", Message: messages.EmailUnchanged}}
	}
	if _, err := models.FindAccountByEmail(ctx, s.DB, email); err == nil {
		s.send(ctx, s.Brand.AccountExists(email, s.Links.SignIn(), s.Links.ResetPassword("")))
		return nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	token, code, err := s.issueCode(ctx, s.DB, acct.ID, models.PurposeChangeEmail, email, s.Settings.ConfirmEmailValid)
	if err != nil {
		return err
	}
	s.send(ctx, s.Brand.EmailChangeRequested(email, s.Links.ConfirmEmailChange(token), code, s.now().Add(s.Settings.ConfirmEmailValid), s.Location))
	return nil
}

// ConfirmEmailChangeByLink makes the change once the new address's link is
// used, and tells the old address, with a "This wasn't me" link.
func (s *Service) ConfirmEmailChangeByLink(ctx context.Context, token string, c Client) (*models.Account, error) {
	row, err := s.findLiveCode(ctx, s.DB, "token_hash = ? AND purpose = ?", credential.HashToken(token), models.PurposeChangeEmail)
	if err != nil {
		return nil, err
	}
	return s.changeEmail(ctx, row, c)
}

// ConfirmEmailChangeByCode makes the change with the code typed by the
// signed-in holder.
func (s *Service) ConfirmEmailChangeByCode(ctx context.Context, acct *models.Account, code string, c Client) (*models.Account, error) {
	row, err := s.checkCode(ctx, acct.ID, models.PurposeChangeEmail, code)
	if err != nil {
		return nil, err
	}
	return s.changeEmail(ctx, row, c)
}

func (s *Service) changeEmail(ctx context.Context, row *models.OneTimeCode, c Client) (*models.Account, error) {
	acct, err := models.FindAccount(ctx, s.DB, row.AccountID)
	if err != nil {
		return nil, err
	}
	old, now := acct.Email, s.now()
	if err := useCode(ctx, s.DB, row, now); err != nil {
		return nil, ErrCodeInvalid
	}
	if err := s.DB.WithContext(ctx).Model(acct).Update("email", row.Target).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, ErrCodeInvalid // taken meanwhile by a new sign-up
		}
		return nil, err
	}
	acct.Email = row.Target
	s.Record(ctx, acct.ID, EventEmailChanged, notify.MaskEmail(old)+" to "+notify.MaskEmail(acct.Email), c)
	s.send(ctx, s.Brand.EmailChangedNoticeToOld(old, notify.MaskEmail(acct.Email), s.wasntMe(ctx, acct), now, s.Location))
	return acct, nil
}
