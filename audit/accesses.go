package audit

import (
	"context"
	"time"

	"github.com/taxportal/portal/models"
)

// Access is one time staff worked on a taxpayer's records, shaped for the
// "who looked at my records" page.
type Access struct {
	When        time.Time // UTC; shown in the taxpayer's time zone
	Role        string    // "Agent" or "Supervisor"
	ActorNumber string    // such as "A-0042"
	Action      string    // in plain words, such as "Opened your records"
	Reason      string    // the case or call reference the agent gave
}

// AccessesTo lists, newest first, what agents and supervisors did with a
// taxpayer's records (taxpayerID, nil before the account is verified) or
// their account. Only what was done is listed: an attempt that was refused
// or failed did not reach the records.
func (l *Log) AccessesTo(ctx context.Context, taxpayerID *uint64, accountID uint64, limit int) ([]Access, error) {
	q := l.DB.WithContext(ctx).
		Where("actor_role IN ?", []models.Role{models.RoleAgent, models.RoleSupervisor}).
		Where("outcome = ?", OutcomeOK)
	if taxpayerID != nil {
		q = q.Where("(taxpayer_id = ? OR account_id = ?)", *taxpayerID, accountID)
	} else {
		q = q.Where("account_id = ?", accountID)
	}
	var entries []models.AuditEntry
	if err := q.Order("id DESC").Limit(pageSize(limit)).Find(&entries).Error; err != nil {
		return nil, err
	}
	accesses := make([]Access, len(entries))
	for i, e := range entries {
		accesses[i] = Access{
			When:        e.At.UTC(),
			Role:        roleWord(e.ActorRole),
			ActorNumber: e.ActorNumber,
			Action:      Describe(e.Action),
			Reason:      e.Reason,
		}
	}
	return accesses, nil
}

// roleWord names a staff role the way a taxpayer would.
func roleWord(r models.Role) string {
	if r == models.RoleSupervisor {
		return "Supervisor"
	}
	return "Agent"
}
