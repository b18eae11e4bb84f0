package proofing

import (
	"context"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/limits"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// ErrLetterCode means a typed letter code is wrong, used, voided or expired.
var ErrLetterCode = errors.New("letter code not valid")

// Letters issues and checks the codes mailed to the address of record.
type Letters struct {
	DB       *gorm.DB
	Vault    *pii.Vault
	Settings Settings
}

// Send writes a letter with a new code for the taxpayer's address of record,
// if the account may have another one now (at most 4 in 30 days, 24 hours
// apart). It returns the letter, with the code in the clear for a
// development outbox; the caller records the step with Flow.LetterSent.
//
// The decision and the letter are made in one transaction locked on the
// account's letters, so requests at once never mail more than allowed.
func (l Letters) Send(ctx context.Context, accountID, verificationID uint64, tp *models.Taxpayer, now time.Time) (*models.Letter, string, credential.Decision, error) {
	code := NewLetterCode()
	sealed, err := l.Vault.SealString(models.ColumnLetterCode, code)
	if err != nil {
		return nil, "", credential.Decision{}, err
	}
	vid := verificationID
	letter := &models.Letter{
		AccountID: &accountID, VerificationID: &vid, TaxpayerID: tp.ID, Kind: models.LetterVerificationCode,
		Name: tp.FullName(), Street1: tp.Street1, Street2: tp.Street2, City: tp.City, State: tp.State, ZIP: tp.ZIP,
		CodeSealed: sealed, CodeHash: LetterCodeHash(code),
		LastDay: l.Settings.LetterLastDay(tp.State, now), ExpiresAt: l.Settings.LetterExpiresAt(tp.State, now), SentAt: now,
	}
	var d credential.Decision
	key := "proofing:letters:account:" + strconv.FormatUint(accountID, 10)
	err = limits.Transaction(ctx, l.DB, []string{key}, func(tx *gorm.DB) error {
		var err error
		if d, err = l.allowed(tx, accountID, now); err != nil || !d.Allowed {
			return err
		}
		// Only the newest letter's code counts: a new one voids the others.
		if err := tx.Model(&models.Letter{}).
			Where("account_id = ? AND kind = ? AND used_at IS NULL AND voided_at IS NULL", accountID, models.LetterVerificationCode).
			Update("voided_at", now).Error; err != nil {
			return err
		}
		return tx.Create(letter).Error
	})
	if err != nil || !d.Allowed {
		return nil, "", d, err
	}
	return letter, code, d, nil
}

// Allowed decides whether the account may have another letter now (see
// Settings.LetterAllowed), from the letters sent to it.
func (l Letters) Allowed(ctx context.Context, accountID uint64, now time.Time) (credential.Decision, error) {
	return l.allowed(l.DB.WithContext(ctx), accountID, now)
}

func (l Letters) allowed(db *gorm.DB, accountID uint64, now time.Time) (credential.Decision, error) {
	var sent []time.Time
	err := db.Model(&models.Letter{}).
		Where("account_id = ? AND kind = ? AND sent_at > ?", accountID, models.LetterVerificationCode, now.Add(-l.Settings.LettersWindow)).
		Order("sent_at").Pluck("sent_at", &sent).Error
	if err != nil {
		return credential.Decision{}, err
	}
	return l.Settings.LetterAllowed(sent, now), nil
}

// Confirm spends a typed code from the account's live letter. The caller
// counts a failure against the letter-code limit.
func (l Letters) Confirm(ctx context.Context, accountID uint64, typed string, now time.Time) error {
	hash := LetterCodeHash(typed)
	if hash == "" {
		return ErrLetterCode
	}
	res := l.DB.WithContext(ctx).Model(&models.Letter{}).
		Where("account_id = ? AND code_hash = ? AND used_at IS NULL AND voided_at IS NULL AND expires_at > ?", accountID, hash, now).
		Update("used_at", now)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrLetterCode
	}
	return nil
}

// VoidFor voids an attempt's unused letters, when a changed answer makes
// the address confirmation start over.
func (l Letters) VoidFor(ctx context.Context, verificationID uint64, now time.Time) error {
	return l.DB.WithContext(ctx).Model(&models.Letter{}).
		Where("verification_id = ? AND used_at IS NULL AND voided_at IS NULL", verificationID).
		Update("voided_at", now).Error
}
