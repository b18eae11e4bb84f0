package accounts

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
)

// Errors of second-factor management.
var (
	ErrLastFactor    = errors.New("the last second factor cannot be removed")
	ErrFactorUnknown = errors.New("no such second factor on this account")
)

// KindName is a second factor's kind in words.
func KindName(k models.FactorKind) string {
	switch k {
	case models.FactorTOTP:
		return "authentication app"
	case models.FactorWebAuthn:
		return "security key or passkey"
	case models.FactorPhone:
		return "text or voice message"
	case models.FactorBackupCodes:
		return "backup codes"
	}
	return string(k)
}

// Factors lists an account's second factors, oldest first, with their
// backup codes loaded (to count the unused ones).
func (s *Service) Factors(ctx context.Context, accountID uint64) ([]models.SecondFactor, error) {
	var fs []models.SecondFactor
	err := s.DB.WithContext(ctx).Preload("BackupCodes").Where("account_id = ?", accountID).Order("id").Find(&fs).Error
	return fs, err
}

// UnusedBackupCodes counts a backup-code factor's remaining codes.
func UnusedBackupCodes(f models.SecondFactor) int {
	n := 0
	for _, c := range f.BackupCodes {
		if c.UsedAt == nil {
			n++
		}
	}
	return n
}

// findFactor loads one of the account's factors; another account's id is
// "unknown", never "forbidden".
func (s *Service) findFactor(ctx context.Context, accountID, factorID uint64) (*models.SecondFactor, error) {
	var f models.SecondFactor
	err := s.DB.WithContext(ctx).Where("id = ? AND account_id = ?", factorID, accountID).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrFactorUnknown
	}
	return &f, err
}

// NewTOTPSecret starts an authentication-app enrolment. The secret goes back
// sealed, to be kept in the session until the first code confirms it.
func (s *Service) NewTOTPSecret() (secret, sealed []byte, err error) {
	secret, err = credential.NewTOTPSecret()
	if err != nil {
		return nil, nil, err
	}
	sealed, err = s.Vault.Seal(models.ColumnTOTPSecret, secret)
	return secret, sealed, err
}

// OpenTOTPSecret opens a sealed enrolment secret, to show it again.
func (s *Service) OpenTOTPSecret(sealed []byte) ([]byte, error) {
	return s.Vault.Open(models.ColumnTOTPSecret, sealed)
}

// ConfirmTOTP saves an authentication app once the person proves it works
// by typing its current code. The code's time step is remembered, so the
// same code cannot also be used to sign in.
func (s *Service) ConfirmTOTP(ctx context.Context, acct *models.Account, sealed []byte, code, name string, c Client) (*models.SecondFactor, error) {
	secret, err := s.OpenTOTPSecret(sealed)
	if err != nil {
		return nil, err
	}
	step, ok := credential.VerifyTOTP(secret, code, s.now(), 0)
	if !ok {
		return nil, ErrWrongCode
	}
	f := &models.SecondFactor{AccountID: acct.ID, Kind: models.FactorTOTP, Name: factorName(name, "Authentication app"), SecretSealed: sealed, LastTOTPStep: step}
	return f, s.addFactor(ctx, acct, f, c)
}

// VerifyTOTP checks an authentication-app code at sign-in. Each code works
// once: the step is claimed with a conditional update, so two requests
// racing with one code cannot both win.
func (s *Service) VerifyTOTP(ctx context.Context, acct *models.Account, code string, c Client) (credential.Decision, error) {
	return s.verifyFactor(ctx, acct, c, func() (bool, error) {
		var fs []models.SecondFactor
		if err := s.DB.WithContext(ctx).Where("account_id = ? AND kind = ?", acct.ID, models.FactorTOTP).Find(&fs).Error; err != nil {
			return false, err
		}
		for _, f := range fs {
			secret, err := s.Vault.Open(models.ColumnTOTPSecret, f.SecretSealed)
			if err != nil {
				return false, err
			}
			step, ok := credential.VerifyTOTP(secret, code, s.now(), f.LastTOTPStep)
			if !ok {
				continue
			}
			res := s.DB.WithContext(ctx).Model(&models.SecondFactor{}).Where("id = ? AND last_totp_step < ?", f.ID, step).
				Updates(map[string]any{"last_totp_step": step, "last_used_at": s.now()})
			return res.RowsAffected == 1, res.Error
		}
		return false, nil
	})
}

// NewBackupCodes replaces the account's backup codes with a fresh set of
// ten, returned in the clear this once and stored hashed.
func (s *Service) NewBackupCodes(ctx context.Context, acct *models.Account, c Client) ([]string, error) {
	codes := credential.NewBackupCodes(credential.BackupCodeCount)
	var f models.SecondFactor
	created := false
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("account_id = ? AND kind = ?", acct.ID, models.FactorBackupCodes).Take(&f).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			f = models.SecondFactor{AccountID: acct.ID, Kind: models.FactorBackupCodes, Name: "Backup codes"}
			if err := tx.Create(&f).Error; err != nil {
				return err
			}
			created = true
		case err != nil:
			return err
		default:
			if err := tx.Where("factor_id = ?", f.ID).Delete(&models.BackupCode{}).Error; err != nil {
				return err
			}
		}
		rows := make([]models.BackupCode, len(codes))
		for i, code := range codes {
			rows[i] = models.BackupCode{FactorID: f.ID, CodeHash: credential.HashToken(credential.NormalizeBackupCode(code))}
		}
		return tx.Create(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	if created {
		s.factorAdded(ctx, acct, &f, c)
	} else {
		s.Record(ctx, acct.ID, EventBackupCodesNew, "", c)
	}
	return codes, nil
}

// VerifyBackupCode checks and spends one backup code at sign-in.
func (s *Service) VerifyBackupCode(ctx context.Context, acct *models.Account, code string, c Client) (credential.Decision, error) {
	return s.verifyFactor(ctx, acct, c, func() (bool, error) {
		norm := credential.NormalizeBackupCode(code)
		if norm == "" {
			return false, nil
		}
		var f models.SecondFactor
		err := s.DB.WithContext(ctx).Where("account_id = ? AND kind = ?", acct.ID, models.FactorBackupCodes).Take(&f).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		res := s.DB.WithContext(ctx).Model(&models.BackupCode{}).
			Where("factor_id = ? AND code_hash = ? AND used_at IS NULL", f.ID, credential.HashToken(norm)).
			Update("used_at", s.now())
		if res.Error != nil || res.RowsAffected != 1 {
			return false, res.Error
		}
		s.DB.WithContext(ctx).Model(&f).Update("last_used_at", s.now())
		s.Record(ctx, acct.ID, EventBackupCodeUsed, "", c)
		return true, nil
	})
}

func (s *Service) addFactor(ctx context.Context, acct *models.Account, f *models.SecondFactor, c Client) error {
	if err := s.DB.WithContext(ctx).Create(f).Error; err != nil {
		return err
	}
	s.factorAdded(ctx, acct, f, c)
	return nil
}

func (s *Service) factorAdded(ctx context.Context, acct *models.Account, f *models.SecondFactor, c Client) {
	s.Record(ctx, acct.ID, EventFactorAdded, KindName(f.Kind), c)
	s.send(ctx, s.DB, s.Brand.SecondFactorAdded(acct.Email, KindName(f.Kind), s.wasntMe(ctx, s.DB, acct), s.now(), s.Location))
}

// RenameFactor gives a second factor a name its holder will recognise.
func (s *Service) RenameFactor(ctx context.Context, acct *models.Account, factorID uint64, name string, c Client) error {
	f, err := s.findFactor(ctx, acct.ID, factorID)
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return InputErrors{{Field: "name", Message: messages.NameMissing}}
	}
	if err := s.DB.WithContext(ctx).Model(f).Update("name", factorName(name, f.Name)).Error; err != nil {
		return err
	}
	s.Record(ctx, acct.ID, EventFactorRenamed, KindName(f.Kind), c)
	return nil
}

// RemoveFactor removes a second factor, never the last one: an account
// without one could be entered with a password alone.
func (s *Service) RemoveFactor(ctx context.Context, acct *models.Account, factorID uint64, c Client) error {
	f, err := s.findFactor(ctx, acct.ID, factorID)
	if err != nil {
		return err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.SecondFactor{}).Where("account_id = ?", acct.ID).Count(&n).Error; err != nil {
			return err
		}
		if n <= 1 {
			return ErrLastFactor
		}
		if err := tx.Where("factor_id = ?", f.ID).Delete(&models.BackupCode{}).Error; err != nil {
			return err
		}
		return tx.Delete(f).Error
	})
	if err != nil {
		return err
	}
	s.Record(ctx, acct.ID, EventFactorRemoved, KindName(f.Kind), c)
	s.send(ctx, s.DB, s.Brand.SecondFactorRemoved(acct.Email, KindName(f.Kind), s.wasntMe(ctx, s.DB, acct), s.now(), s.Location))
	return nil
}

// factorName trims a chosen name to the column's size, or uses a default.
func factorName(name, fallback string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return fallback
	}
	if r := []rune(name); len(r) > 60 {
		name = string(r[:60])
	}
	return name
}
