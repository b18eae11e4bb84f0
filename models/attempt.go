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
	_, err := AddAttempts(ctx, db, at, keys...)
	return err
}

// AddAttempts writes one row under each key and returns their ids, in the
// order of keys, so a try counted before it is checked can be taken back.
func AddAttempts(ctx context.Context, db *gorm.DB, at time.Time, keys ...string) ([]uint64, error) {
	rows := make([]Attempt, len(keys))
	for i, k := range keys {
		rows[i] = Attempt{Key: k, At: at.UTC()}
	}
	if err := db.WithContext(ctx).Create(&rows).Error; err != nil {
		return nil, err
	}
	ids := make([]uint64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, nil
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

// DeleteAttempts removes rows by id: tries counted before their check that
// turned out not to be failures.
func DeleteAttempts(ctx context.Context, db *gorm.DB, ids ...uint64) error {
	if len(ids) == 0 {
		return nil
	}
	return db.WithContext(ctx).Where("id IN ?", ids).Delete(&Attempt{}).Error
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
