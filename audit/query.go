package audit

import (
	"context"
	"strings"
	"time"

	"github.com/taxportal/portal/models"
)

// Page sizes for Query and AccessesTo.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Filter narrows Query. Zero fields do not filter.
type Filter struct {
	ActorAccountID *uint64
	TaxpayerID     *uint64
	AccountID      *uint64
	// Action is an exact action id, or a prefix when it ends in a dot:
	// "agent." finds every agent action.
	Action string
	From   time.Time // entries at or after
	To     time.Time // entries before
	Limit  int       // DefaultLimit when 0, at most MaxLimit
	// BeforeID continues a listing: pass the smallest id of the page before.
	BeforeID uint64
}

// Query lists entries newest first. Each filter on a person or an action
// has an index that starts with it and ends with the id, so a page is read
// in order without sorting.
func (l *Log) Query(ctx context.Context, f Filter) ([]models.AuditEntry, error) {
	q := l.DB.WithContext(ctx).Model(&models.AuditEntry{})
	if f.ActorAccountID != nil {
		q = q.Where("actor_account_id = ?", *f.ActorAccountID)
	}
	if f.TaxpayerID != nil {
		q = q.Where("taxpayer_id = ?", *f.TaxpayerID)
	}
	if f.AccountID != nil {
		q = q.Where("account_id = ?", *f.AccountID)
	}
	if prefix, ok := strings.CutSuffix(f.Action, "."); ok {
		q = q.Where(`action LIKE ? ESCAPE '\'`, escapeLike(prefix)+".%")
	} else if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if f.BeforeID != 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var entries []models.AuditEntry
	err := q.Order("id DESC").Limit(pageSize(f.Limit)).Find(&entries).Error
	return entries, err
}

// pageSize applies the default and the cap to a requested limit.
func pageSize(limit int) int {
	switch {
	case limit <= 0:
		return DefaultLimit
	case limit > MaxLimit:
		return MaxLimit
	}
	return limit
}

// escapeLike makes LIKE's wildcards (and the underscores action ids are full
// of) match only themselves.
var escapeLike = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace
