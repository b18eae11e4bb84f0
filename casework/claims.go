// Package casework keeps the agent console's rules that are not pages:
// who is working which case, and how staff accounts come to be.
package casework

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/models"
)

// ClaimTimeout is how long a claim lasts without the agent doing anything
// on the case: long enough to compare an ID with care, short enough that a
// case left open at the end of a shift goes back to the queue.
const ClaimTimeout = 30 * time.Minute

// ErrTaken means another agent holds the case.
var ErrTaken = errors.New("casework: another agent is working this case")

// ErrNotHeld means the agent does not (or no longer) hold the case.
var ErrNotHeld = errors.New("casework: the case is not claimed by this agent")

// Claims records who works which case.
type Claims struct{ DB *gorm.DB }

// Claim gives the case to the agent, or tells who holds it. Both steps are
// conditional writes, so of two agents racing for one case exactly one
// wins on either database: the update takes a claim that is the agent's own
// or has lapsed; the insert, for a case nobody claimed yet, relies on the
// unique subject and does nothing when another insert came first.
func (cl Claims) Claim(ctx context.Context, subject string, agentID uint64, now time.Time) error {
	now = now.UTC()
	db := cl.DB.WithContext(ctx)
	res := db.Model(&models.CaseClaim{}).
		Where("subject = ? AND (agent_id = ? OR touched_at < ?)", subject, agentID, now.Add(-ClaimTimeout)).
		Updates(map[string]any{"agent_id": agentID, "claimed_at": now, "touched_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 1 {
		return nil
	}
	res = db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "subject"}}, DoNothing: true}).
		Create(&models.CaseClaim{Subject: subject, AgentID: agentID, ClaimedAt: now, TouchedAt: now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 1 {
		return nil
	}
	return ErrTaken
}

// Touch keeps the agent's claim alive, or reports ErrNotHeld when it lapsed
// or was never theirs.
func (cl Claims) Touch(ctx context.Context, subject string, agentID uint64, now time.Time) error {
	now = now.UTC()
	res := cl.DB.WithContext(ctx).Model(&models.CaseClaim{}).
		Where("subject = ? AND agent_id = ? AND touched_at >= ?", subject, agentID, now.Add(-ClaimTimeout)).
		Update("touched_at", now)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotHeld
	}
	return nil
}

// Release gives the case back to the queue, if the agent holds it.
func (cl Claims) Release(ctx context.Context, subject string, agentID uint64) error {
	return cl.DB.WithContext(ctx).Where("subject = ? AND agent_id = ?", subject, agentID).
		Delete(&models.CaseClaim{}).Error
}

// Close forgets the claim on a decided case, whoever held it.
func (cl Claims) Close(ctx context.Context, tx *gorm.DB, subject string) error {
	return tx.WithContext(ctx).Where("subject = ?", subject).Delete(&models.CaseClaim{}).Error
}

// Holders maps each live claim among subjects to its agent's id.
func (cl Claims) Holders(ctx context.Context, subjects []string, now time.Time) (map[string]uint64, error) {
	out := map[string]uint64{}
	if len(subjects) == 0 {
		return out, nil
	}
	var rows []models.CaseClaim
	err := cl.DB.WithContext(ctx).Where("subject IN ? AND touched_at >= ?", subjects, now.UTC().Add(-ClaimTimeout)).Find(&rows).Error
	for _, r := range rows {
		out[r.Subject] = r.AgentID
	}
	return out, err
}
