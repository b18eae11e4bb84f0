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

// RequestEmailChange has a link and code sent to the new address; the
// change happens only once they come back, so a typo never locks anyone
// out. When the new address already has an account, nothing changes and its
// holder is told instead, so this form reveals nobody's address: the
// request does the same work either way, and the queue looks the address
// up (see requests.go).
func (s *Service) RequestEmailChange(ctx context.Context, acct *models.Account, newRaw string, c Client) error {
	if fe := ValidateEmail("email", newRaw); fe != nil {
		return InputErrors{*fe}
	}
	email := models.NormalizeEmail(newRaw)
	if email == acct.Email {
		return InputErrors{{Field: "email", Message: messages.EmailUnchanged}}
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.deferRequest(ctx, tx, request{Op: opChangeEmail, Email: email, AccountID: acct.ID}, c)
	})
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
	// The code, the new address and the notice to the old one are one change.
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := useCode(ctx, tx, row, now); err != nil {
			return err
		}
		if err := tx.Model(acct).Update("email", row.Target).Error; err != nil {
			return err
		}
		return s.Messages.Mail(ctx, tx, s.Brand.EmailChangedNoticeToOld(old, notify.MaskEmail(row.Target), s.wasntMe(ctx, tx, acct), now, s.Location))
	})
	// A spent code, or an address taken meanwhile by a new sign-up.
	if errors.Is(err, errCodeSpent) || errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, ErrCodeInvalid
	}
	if err != nil {
		return nil, err
	}
	acct.Email = row.Target
	s.Record(ctx, acct.ID, EventEmailChanged, notify.MaskEmail(old)+" to "+notify.MaskEmail(acct.Email), c)
	return acct, nil
}
