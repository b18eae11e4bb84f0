package ippin

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/models"
)

// Rollover issues year's PINs to everyone enrolled for it, batchSize
// enrollees per transaction (Settings.RolloverBatch when 0), in the order
// of their taxpayer ids. Each batch commits together with the progress it
// records, so a run that is stopped (its context cancelled, the process
// ended) loses nothing, and the next run carries on after the last
// taxpayer done. A PIN already there is kept (INSERT ... ON CONFLICT DO
// NOTHING), so running again issues nothing new. Several instances may run
// it at once: they take turns on the progress row.
//
// Assigned enrollees also get a CP01A-style letter for each PIN written.
// It returns the progress as recorded, finished or not.
func (s *Service) Rollover(ctx context.Context, year, batchSize int) (models.IPPINRollover, error) {
	if batchSize <= 0 {
		batchSize = s.Settings.RolloverBatch
	}
	if batchSize <= 0 {
		batchSize = DefaultSettings().RolloverBatch
	}
	db := s.DB.WithContext(ctx)
	if err := db.Transaction(func(tx *gorm.DB) error {
		if err := holdRolloverStart(tx, true); err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&models.IPPINRollover{Year: year, StartedAt: s.now()}).Error
	}); err != nil {
		return models.IPPINRollover{}, err
	}
	for {
		var (
			p   models.IPPINRollover
			ran bool
		)
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("year = ?", year).Take(&p).Error; err != nil {
				return err
			}
			if p.FinishedAt != nil {
				return nil // by an earlier run, or another instance
			}
			now := s.now()
			n, err := s.rolloverBatch(tx, &p, batchSize, now)
			if err != nil {
				return err
			}
			if n < batchSize {
				p.FinishedAt = &now
			}
			ran = true
			return tx.Save(&p).Error
		})
		if err != nil {
			return p, err
		}
		if ran && s.Progress != nil {
			s.Progress(p)
		}
		if p.FinishedAt != nil {
			return p, nil
		}
	}
}

// rolloverBatch issues PINs to the next enrollees after p.LastTaxpayerID,
// moves p on, and returns how many enrollees it looked at.
func (s *Service) rolloverBatch(tx *gorm.DB, p *models.IPPINRollover, size int, now time.Time) (int, error) {
	var due []struct {
		TaxpayerID uint64
		Kind       models.IPPINEnrollmentKind
	}
	if err := tx.Model(&models.IPPINEnrollment{}).Select("taxpayer_id, kind").
		Where("taxpayer_id > ? AND (opt_out_year IS NULL OR opt_out_year > ?)", p.LastTaxpayerID, p.Year).
		Order("taxpayer_id").Limit(size).Scan(&due).Error; err != nil {
		return 0, err
	}
	if len(due) == 0 {
		return 0, nil
	}
	pins := make(map[uint64]string, len(due))
	assigned := make(map[uint64]bool)
	args := make([]any, 0, pinColumns*len(due))
	for _, d := range due {
		pin := NewPIN()
		sealed, err := s.seal(d.TaxpayerID, p.Year, pin)
		if err != nil {
			return 0, err
		}
		pins[d.TaxpayerID] = pin
		if d.Kind == models.IPPINAssigned {
			assigned[d.TaxpayerID] = true
		}
		args = append(args, d.TaxpayerID, p.Year, sealed, now, deliveryFor(d.Kind))
	}
	inserted, err := insertPINs(tx, args)
	if err != nil {
		return 0, err
	}
	var fresh []freshPIN
	for _, id := range inserted {
		if assigned[id] {
			fresh = append(fresh, freshPIN{id, p.Year, pins[id]})
		}
	}
	written, owed, err := s.writeNotices(tx, fresh, now)
	if err != nil {
		return 0, err
	}
	p.LastTaxpayerID = due[len(due)-1].TaxpayerID
	p.Issued += int64(len(inserted))
	p.Letters += int64(written)
	p.LettersOwed += int64(owed)
	return len(due), nil
}

// pinColumns is how many values insertPINs takes per row.
const pinColumns = 5

// insertPINs writes PIN rows, pinColumns values each (taxpayer id, year,
// sealed PIN, issued at, delivery), keeping any row already there, and
// returns the taxpayer ids of the rows it wrote.
func insertPINs(tx *gorm.DB, args []any) ([]uint64, error) {
	var inserted []uint64
	for _, rows := range statementSizes(len(args) / pinColumns) {
		q := valuesSQL("INSERT INTO ip_pins (taxpayer_id, year, pin_sealed, issued_at, delivery) VALUES", pinColumns, rows,
			"ON CONFLICT (taxpayer_id, year) DO NOTHING RETURNING taxpayer_id")
		// Rows and Scan by hand: GORM's Scan reflects on every row.
		res, err := tx.Raw(q, args[:rows*pinColumns]...).Rows()
		if err != nil {
			return nil, err
		}
		for res.Next() {
			var id uint64
			if err := res.Scan(&id); err != nil {
				res.Close()
				return nil, err
			}
			inserted = append(inserted, id)
		}
		if err := errors.Join(res.Err(), res.Close()); err != nil {
			return nil, err
		}
		args = args[rows*pinColumns:]
	}
	return inserted, nil
}
