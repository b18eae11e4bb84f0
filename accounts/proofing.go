package accounts

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// Identity verification asks the accounts service for what belongs to an
// account: a code texted to the phone on the taxpayer's record, and, at the
// end, linking the account to that taxpayer. The flow's rules and limits
// are package proofing's.

// Security events of identity verification.
const (
	EventIdentityVerified models.SecurityEventKind = "identity_verified"
)

// ErrTaxpayerTaken means another account is already linked to the taxpayer.
var ErrTaxpayerTaken = errors.New("accounts: the taxpayer is linked to another account")

// SendProofingCode texts a six-digit code to the phone of record (digits
// only), replacing any earlier one. The caller counts it against the
// verification's phone limit.
func (s *Service) SendProofingCode(ctx context.Context, acct *models.Account, digits string) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, code, err := s.issueCode(ctx, tx, acct.ID, models.PurposeProofingPhone, "", s.Settings.PhoneCodeValid)
		if err != nil {
			return err
		}
		return s.Messages.Text(ctx, tx, digits, s.Brand.PhoneCodeText(code, s.Settings.PhoneCodeValid))
	})
}

// CheckProofingCode spends the code texted by SendProofingCode, or returns
// ErrCodeInvalid (wrong, used, expired or tried too often).
func (s *Service) CheckProofingCode(ctx context.Context, acct *models.Account, code string) error {
	row, err := s.checkCode(ctx, acct.ID, models.PurposeProofingPhone, code)
	if err != nil {
		return err
	}
	if err := useCode(ctx, s.DB, row, s.now()); errors.Is(err, errCodeSpent) {
		return ErrCodeInvalid
	} else if err != nil {
		return err
	}
	return nil
}

// TaxpayerLinked reports whether an account other than acct is linked to
// the taxpayer: one taxpayer, one online account.
func (s *Service) TaxpayerLinked(ctx context.Context, acct *models.Account, taxpayerID uint64) (bool, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&models.Account{}).
		Where("taxpayer_id = ? AND id <> ?", taxpayerID, acct.ID).Count(&n).Error
	return n > 0, err
}

// LinkTaxpayer links the account to the taxpayer it verified as, in tx (the
// transaction that completes the verification), or returns
// ErrTaxpayerTaken.
func (s *Service) LinkTaxpayer(ctx context.Context, tx *gorm.DB, acct *models.Account, taxpayerID uint64, now time.Time) error {
	err := tx.WithContext(ctx).Model(&models.Account{}).Where("id = ?", acct.ID).
		Updates(map[string]any{"taxpayer_id": taxpayerID, "verified_at": now}).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrTaxpayerTaken
	}
	if err != nil {
		return err
	}
	acct.TaxpayerID, acct.VerifiedAt = &taxpayerID, &now
	return nil
}

// IdentityVerified records the verification in the account's history and
// tells the holder by e-mail, in tx, LinkTaxpayer's transaction.
func (s *Service) IdentityVerified(ctx context.Context, tx *gorm.DB, acct *models.Account, c Client) error {
	if err := s.recordIn(ctx, tx, acct.ID, EventIdentityVerified, "", c); err != nil {
		return err
	}
	return s.Messages.Mail(ctx, tx, s.Brand.IdentityVerified(acct.Email, s.wasntMe(ctx, tx, acct), s.now(), s.Location))
}
