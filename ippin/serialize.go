package ippin

import "gorm.io/gorm"

// rolloverStartLock is a PostgreSQL advisory lock between enrolling and
// the start of a rollover. Enrolling holds it shared while it decides
// whether next year's rollover has begun and writes the enrollment; a
// rollover takes it alone to record its start. Without it, a rollover
// could begin, and pass the taxpayer, between an enrollment's look at the
// rollovers and its commit: the enrollee would get neither PIN for next
// year. SQLite needs nothing: it runs one writing transaction at a time.
const rolloverStartLock = 47_108_616

func holdRolloverStart(tx *gorm.DB, alone bool) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	fn := "pg_advisory_xact_lock_shared"
	if alone {
		fn = "pg_advisory_xact_lock"
	}
	return tx.Exec("SELECT "+fn+"(?)", rolloverStartLock).Error
}
