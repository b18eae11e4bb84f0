package ippin

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/models"
)

// Enrol opts a taxpayer in and returns this year's PIN, issuing it if
// need be: enrolling twice returns the same PIN, and enrolling with an
// opt-out pending cancels it. The caller makes sure the person has
// verified their identity and is this taxpayer.
func (s *Service) Enrol(ctx context.Context, taxpayerID uint64, now time.Time) (Issued, error) {
	issued, _, err := s.enrol(ctx, taxpayerID, models.IPPINVoluntary, now)
	return issued, err
}

// Assign enrols a victim of identity theft for good, as an agent does: the
// enrollment can no longer be opted out of, and each PIN issued for it is
// mailed in a CP01A-style letter. A PIN the taxpayer already holds for this
// year stays theirs. mailed says whether a letter was written: not when the
// PIN was already held. Taxpayers without an online account get theirs too.
func (s *Service) Assign(ctx context.Context, taxpayerID uint64, now time.Time) (issued Issued, mailed bool, err error) {
	issued, letters, err := s.enrol(ctx, taxpayerID, models.IPPINAssigned, now)
	return issued, letters > 0, err
}

func (s *Service) enrol(ctx context.Context, taxpayerID uint64, kind models.IPPINEnrollmentKind, now time.Time) (Issued, int, error) {
	now = now.UTC()
	year := yearOf(now)
	var (
		out     Issued
		letters int
	)
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := holdRolloverStart(tx, false); err != nil {
			return err
		}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&models.IPPINEnrollment{TaxpayerID: taxpayerID, Kind: kind, EnrolledAt: now}).Error; err != nil {
			return err
		}
		var e models.IPPINEnrollment
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("taxpayer_id = ?", taxpayerID).Take(&e).Error; err != nil {
			return err
		}
		changes := map[string]any{}
		if e.OptOutYear != nil {
			if !e.ActiveIn(year) {
				changes["enrolled_at"] = now // back after a year or more out
			}
			changes["opt_out_requested_at"], changes["opt_out_year"] = nil, nil
		}
		if kind == models.IPPINAssigned && e.Kind != kind {
			changes["kind"], e.Kind = kind, kind // never the other way
		}
		if len(changes) > 0 {
			if err := tx.Model(&e).Updates(changes).Error; err != nil {
				return err
			}
		}
		years := []int{year}
		if begun, err := rolloverBegun(tx, year+1); err != nil {
			return err
		} else if begun {
			years = append(years, year+1)
		}
		var fresh []freshPIN
		for _, y := range years {
			pin, inserted, err := s.issue(tx, taxpayerID, y, deliveryFor(e.Kind), now)
			if err != nil {
				return err
			}
			if inserted && e.Kind == models.IPPINAssigned {
				fresh = append(fresh, freshPIN{taxpayerID, y, pin})
			}
		}
		var err error
		if letters, _, err = s.writeNotices(tx, fresh, now); err != nil {
			return err
		}
		row, err := s.pinRow(tx, taxpayerID, year)
		if err != nil {
			return err
		}
		out, err = s.open(row)
		return err
	})
	return out, letters, err
}

// OptOut ends a voluntary enrollment and returns the first calendar year
// without a PIN: the first one for which none has been issued yet (see the
// package documentation). Opting out again returns the same year.
// Assigned enrollments answer ErrAssigned, and taxpayers not enrolled
// ErrNotEnrolled.
func (s *Service) OptOut(ctx context.Context, taxpayerID uint64, now time.Time) (int, error) {
	now = now.UTC()
	year := yearOf(now)
	var effective int
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var e models.IPPINEnrollment
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("taxpayer_id = ?", taxpayerID).Take(&e).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotEnrolled
		}
		if err != nil {
			return err
		}
		switch {
		case e.Kind == models.IPPINAssigned:
			return ErrAssigned
		case e.OptOutYear != nil && e.ActiveIn(year):
			effective = *e.OptOutYear
			return nil
		case e.OptOutYear != nil:
			// Every PIN issued is older than the opt-out year, so none is
			// required any more.
			return ErrNotEnrolled
		}
		// A rollover batch holds its progress row while it writes: waiting
		// for it here means the PINs it issues are seen below, and a batch
		// that comes later sees the opt-out.
		if err := tx.Clauses(clause.Locking{Strength: "SHARE"}).Where("year > ?", year).
			Find(&[]models.IPPINRollover{}).Error; err != nil {
			return err
		}
		var latest *int
		if err := tx.Model(&models.IPPIN{}).Where("taxpayer_id = ?", taxpayerID).Select("MAX(year)").Scan(&latest).Error; err != nil {
			return err
		}
		effective = year + 1
		if latest != nil && *latest >= year {
			effective = *latest + 1
		}
		return tx.Model(&e).Updates(map[string]any{"opt_out_requested_at": now, "opt_out_year": effective}).Error
	})
	return effective, err
}

// Flagged lists the enrollments flagged for guessing, oldest flag first,
// for the agents' queue.
func (s *Service) Flagged(ctx context.Context, limit int) ([]models.IPPINEnrollment, error) {
	var out []models.IPPINEnrollment
	err := s.DB.WithContext(ctx).Where("flagged_at IS NOT NULL").Order("flagged_at, taxpayer_id").Limit(limit).Find(&out).Error
	return out, err
}

// ClearFlag takes a taxpayer off the agents' queue once an agent has
// looked. The wrong PINs still count until they leave the window.
func (s *Service) ClearFlag(ctx context.Context, taxpayerID uint64) error {
	return s.DB.WithContext(ctx).Model(&models.IPPINEnrollment{}).
		Where("taxpayer_id = ?", taxpayerID).Update("flagged_at", nil).Error
}

// deliveryFor says how an enrollment's PINs reach the holder.
func deliveryFor(k models.IPPINEnrollmentKind) models.IPPINDelivery {
	if k == models.IPPINAssigned {
		return models.IPPINLetter
	}
	return models.IPPINOnline
}
