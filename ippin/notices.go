package ippin

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// writeNotices writes a CP01A-style letter for each PIN to its holder's
// address of record, copied so that a later change of address does not
// redirect a letter on its way. The letter names the holder's online
// account when there is one; holders without one get theirs all the same.
// owed counts PINs whose taxpayer row could not be found.
func (s *Service) writeNotices(tx *gorm.DB, pins []freshPIN, now time.Time) (written, owed int, err error) {
	if len(pins) == 0 {
		return 0, 0, nil
	}
	ids := make([]uint64, len(pins))
	for i, p := range pins {
		ids[i] = p.taxpayerID
	}
	var rows []struct {
		models.Taxpayer `gorm:"embedded"`
		AccountID       *uint64
	}
	if err := tx.Table("taxpayers").
		Select("taxpayers.id, first_name, middle_name, last_name, suffix, street1, street2, city, state, zip, accounts.id AS account_id").
		Joins("LEFT JOIN accounts ON accounts.taxpayer_id = taxpayers.id").
		Where("taxpayers.id IN ?", ids).Scan(&rows).Error; err != nil {
		return 0, 0, err
	}
	byID := make(map[uint64]int, len(rows))
	for i := range rows {
		byID[rows[i].ID] = i
	}
	letters := make([]models.Letter, 0, len(pins))
	for _, p := range pins {
		i, ok := byID[p.taxpayerID]
		if !ok {
			owed++
			continue
		}
		t := &rows[i].Taxpayer
		sealed, err := s.Vault.SealString(models.ColumnLetterCode, p.pin)
		if err != nil {
			return 0, 0, err
		}
		// The PIN works on returns filed until the end of its year, in
		// every US time zone (as proofing's letters count their last day).
		lastDay := time.Date(p.year, time.December, 31, 0, 0, 0, 0, time.UTC)
		letters = append(letters, models.Letter{
			AccountID: rows[i].AccountID, TaxpayerID: t.ID, Kind: models.LetterIPPINNotice,
			Name: t.FullName(), Street1: t.Street1, Street2: t.Street2, City: t.City, State: t.State, ZIP: t.ZIP,
			CodeSealed: sealed, LastDay: lastDay, ExpiresAt: lastDay.Add(36 * time.Hour), SentAt: now,
		})
	}
	if len(letters) > 0 {
		if err := tx.CreateInBatches(&letters, 200).Error; err != nil {
			return 0, 0, err
		}
	}
	return len(letters), owed, nil
}

// MailCurrent mails the taxpayer's PIN for the year of now again, in a
// reissue of the CP01A-style letter, to the address of record. It is how a
// support agent helps a caller who lost their PIN: the PIN goes on paper to
// the address on file and never appears on the agent's screen. It works
// whether or not the taxpayer has an online account. also, when not nil,
// runs in the same transaction (the caller's audit entry). ErrNoPIN when the
// taxpayer has no PIN for the year; ErrJustMailed when a letter was queued
// in the last ten minutes and waits to be printed.
func (s *Service) MailCurrent(ctx context.Context, taxpayerID uint64, now time.Time, also func(tx *gorm.DB) error) error {
	now = now.UTC()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var recent int64
		if err := tx.Model(&models.Letter{}).Where("taxpayer_id = ? AND kind = ? AND printed_at IS NULL AND sent_at > ?",
			taxpayerID, models.LetterIPPINNotice, now.Add(-justMailed)).Count(&recent).Error; err != nil {
			return err
		}
		if recent > 0 {
			return ErrJustMailed
		}
		row, err := s.pinRow(tx, taxpayerID, yearOf(now))
		if err != nil {
			return err
		}
		issued, err := s.open(row)
		if err != nil {
			return err
		}
		written, _, err := s.writeNotices(tx, []freshPIN{{taxpayerID, issued.Year, issued.PIN.Digits()}}, now)
		if err != nil {
			return err
		}
		if written == 0 {
			return errors.New("ippin: no taxpayer record to mail the PIN to")
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
}

// justMailed is how long a queued letter makes another request to mail the
// PIN a repeat rather than a new need.
const justMailed = 10 * time.Minute
