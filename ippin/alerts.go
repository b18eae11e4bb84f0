package ippin

import (
	"context"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// EventReturnStopped is the security event written to a taxpayer's linked
// account when the e-file check stops a return in their name.
const EventReturnStopped models.SecurityEventKind = "ip_pin_return_stopped"

// Alert is a taxpayer to tell that a return in their name was stopped.
type Alert struct {
	TaxpayerID uint64
	Code       RejectCode
	TaxYear    int
	// AccountID and Email are the taxpayer's linked online account and its
	// confirmed address; 0 and "" when there is none to write to.
	AccountID uint64
	Email     string
	// Notify is false when the taxpayer was e-mailed about another stopped
	// return within Settings.AlertQuiet: the alert is recorded, and one
	// message covers the burst.
	Notify bool
}

// Message is the alert in one sentence, for the e-mail.
func (a Alert) Message() string {
	if a.Code.Missing() {
		return "A return was just submitted with your SSN and without your IP PIN; it was stopped."
	}
	return "A return was just submitted with your SSN and the wrong IP PIN; it was stopped."
}

// StoppedDetail says which return was stopped and why, for a screen.
func StoppedDetail(row models.IPPINAlert) string {
	code := RejectCode(row.Code)
	return "A tax year " + strconv.Itoa(row.TaxYear) + " return was stopped: " + code.words() + " (" + string(code) + ")"
}

// alert records a stopped return: a row for agents and, when the taxpayer
// has a linked account, a line in its security history.
func (s *Service) alert(ctx context.Context, taxpayerID uint64, code RejectCode, taxYear int, keyID uint64, now time.Time) (Alert, error) {
	a := Alert{TaxpayerID: taxpayerID, Code: code, TaxYear: taxYear}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var recent int64
		if err := tx.Model(&models.IPPINAlert{}).
			Where("taxpayer_id = ? AND notified AND at > ?", taxpayerID, now.Add(-s.Settings.AlertQuiet)).
			Count(&recent).Error; err != nil {
			return err
		}
		var acct models.Account
		err := tx.Where("taxpayer_id = ?", taxpayerID).Take(&acct).Error
		switch {
		case err == nil:
			a.AccountID = acct.ID
			if acct.EmailConfirmedAt != nil {
				a.Email = acct.Email
			}
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		a.Notify = recent == 0 && a.Email != ""
		if err := tx.Create(&models.IPPINAlert{
			TaxpayerID: taxpayerID, TaxYear: taxYear, Code: string(code), APIKeyID: keyID, Notified: a.Notify, At: now,
		}).Error; err != nil {
			return err
		}
		if a.AccountID == 0 {
			return nil
		}
		return tx.Create(&models.SecurityEvent{
			AccountID: a.AccountID, Kind: EventReturnStopped, At: now,
			Detail: StoppedDetail(models.IPPINAlert{TaxYear: taxYear, Code: string(code)}),
		}).Error
	})
	return a, err
}
