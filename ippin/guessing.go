package ippin

import (
	"context"
	"time"

	"github.com/taxportal/portal/limits"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// lockKey is where wrong PINs for an SSN are counted: a keyed hash of its
// own kind, so it is neither the number nor the master file's index of it.
func (s *Service) lockKey(ssn pii.SSN) string {
	return "ippin:ssn:" + s.Vault.Index("ippin-ssn", ssn.Digits())
}

// wrongPIN keeps a wrong PIN counted, and flags the taxpayer for agents
// when it is the one that locks the SSN.
func (s *Service) wrongPIN(ctx context.Context, taxpayerID uint64, try *limits.Try, now time.Time) error {
	if d := try.Fail(); d.Allowed {
		return nil
	}
	return s.DB.WithContext(ctx).Model(&models.IPPINEnrollment{}).
		Where("taxpayer_id = ? AND flagged_at IS NULL", taxpayerID).Update("flagged_at", now).Error
}
