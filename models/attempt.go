package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// AttemptStats summarises the failures recorded under one key since a time.
type AttemptStats struct {
	Count  int
	Oldest time.Time
	Newest time.Time
}

// RecordAttempt notes one failure under each key.
func RecordAttempt(ctx context.Context, db *gorm.DB, at time.Time, keys ...string) error {
	rows := make([]Attempt, len(keys))
	for i, k := range keys {
		rows[i] = Attempt{Key: k, At: at.UTC()}
	}
	return db.WithContext(ctx).Create(&rows).Error
}

// CountAttempts counts the failures under key since a time. Refused tries
// are never recorded, so a window holds few rows and reading their times is
// cheaper than asking each database for MIN and MAX of a timestamp.
func CountAttempts(ctx context.Context, db *gorm.DB, key string, since time.Time) (AttemptStats, error) {
	var times []time.Time
	err := db.WithContext(ctx).Model(&Attempt{}).Where("key = ? AND at > ?", key, since.UTC()).
		Order("at").Limit(1000).Pluck("at", &times).Error
	st := AttemptStats{Count: len(times)}
	if len(times) > 0 {
		st.Oldest, st.Newest = times[0].UTC(), times[len(times)-1].UTC()
	}
	return st, err
}

// ClearAttempts forgets the failures under keys, after a success.
func ClearAttempts(ctx context.Context, db *gorm.DB, keys ...string) error {
	return db.WithContext(ctx).Where("key IN ?", keys).Delete(&Attempt{}).Error
}

// DeleteAttemptsBefore removes failures too old to count under any limit.
func DeleteAttemptsBefore(ctx context.Context, db *gorm.DB, before time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("at < ?", before.UTC()).Delete(&Attempt{})
	return res.RowsAffected, res.Error
}
