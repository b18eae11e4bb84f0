package ippin

import (
	"context"
	"time"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// lockKey is where wrong PINs for an SSN are counted: a keyed hash of its
// own kind, so it is neither the number nor the master file's index of it.
func (s *Service) lockKey(ssn pii.SSN) string {
	return "ippin:ssn:" + s.Vault.Index("ippin-ssn", ssn.Digits())
}

// guessing decides whether a PIN may be checked for the SSN behind key.
func (s *Service) guessing(ctx context.Context, key string, now time.Time) (credential.Decision, error) {
	lim := s.Settings.Guessing
	st, err := models.CountAttempts(ctx, s.DB, key, lim.WindowStart(now))
	if err != nil {
		return credential.Decision{}, err
	}
	return lim.Decide(st.Count, st.Oldest, st.Newest, now), nil
}

// wrongPIN counts a wrong PIN, and flags the taxpayer for agents when it
// is the one that locks the SSN.
func (s *Service) wrongPIN(ctx context.Context, taxpayerID uint64, key string, now time.Time) error {
	if err := models.RecordAttempt(ctx, s.DB, now, key); err != nil {
		return err
	}
	d, err := s.guessing(ctx, key, now)
	if err != nil || d.Allowed {
		return err
	}
	return s.DB.WithContext(ctx).Model(&models.IPPINEnrollment{}).
		Where("taxpayer_id = ? AND flagged_at IS NULL", taxpayerID).Update("flagged_at", now).Error
}
