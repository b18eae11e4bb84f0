package ippin

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/models"
)

// freshPIN is a PIN just written, kept in the clear for its letter.
type freshPIN struct {
	taxpayerID uint64
	year       int
	pin        string
}

// issue writes a year's PIN for a taxpayer unless one is there already;
// inserted says whether this call wrote it.
func (s *Service) issue(tx *gorm.DB, taxpayerID uint64, year int, d models.IPPINDelivery, now time.Time) (pin string, inserted bool, err error) {
	pin = NewPIN()
	sealed, err := s.seal(taxpayerID, year, pin)
	if err != nil {
		return "", false, err
	}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&models.IPPIN{
		TaxpayerID: taxpayerID, Year: year, PINSealed: sealed, IssuedAt: now, Delivery: d,
	})
	return pin, res.RowsAffected == 1, res.Error
}

func (s *Service) seal(taxpayerID uint64, year int, pin string) ([]byte, error) {
	return s.Vault.SealString(models.IPPINSealColumn(taxpayerID, year), pin)
}

// rolloverBegun reports whether the rollover of a year has started, after
// which enrolling must issue that year's PIN itself.
func rolloverBegun(tx *gorm.DB, year int) (bool, error) {
	var n int64
	err := tx.Model(&models.IPPINRollover{}).Where("year = ?", year).Count(&n).Error
	return n > 0, err
}
