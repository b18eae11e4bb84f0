package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A migration changes the schema from one version to the next. Each one keeps
// frozen copies of the structs it creates (see schema_v1.go), so later edits
// to the live models never change what an old migration does.
type migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

// migrations is the ordered history of the schema. Append only.
var migrations = []migration{
	{1, "sessions, taxpayer master file, returns and transactions", migrateV1},
	{2, "accounts, second factors, one-time codes, security events, attempts, outbox", migrateV2},
	{3, "identity verification attempts and document images", migrateV3},
	{4, "letters to mail", migrateV4},
	{5, "when document sets were queued and decided, for the review queue", migrateV5},
	{6, "the audit trail", migrateV6},
	{7, "IP PINs, their enrolments and the e-file check's API keys", migrateV7},
	{8, "agents' case claims, and disabled staff accounts", migrateV8},
	{9, "video-call slots and appointments, phone calls, second-factor resets", migrateV9},
	{10, "letters to taxpayers without an online account", migrateV10},
	{11, "one-time links to take verification photos on a phone", migrateV11},
	{12, "letters found by taxpayer, for the notices page", migrateV12},
	{13, "a version on each account that moves with its dashboard's live data", migrateV13},
	{14, "the job queue's tables (River): outgoing messages and periodic jobs", migrateV14},
}

// SchemaMigration records an applied migration.
type SchemaMigration struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

// Migrate applies every migration the database has not seen, each in its own
// transaction, and returns how many it applied. It is safe to run again, and
// safe when several instances start at once on PostgreSQL: they queue on an
// advisory lock and the later ones find nothing left to do.
func Migrate(db *gorm.DB) (int, error) {
	applied := 0
	err := withMigrationLock(db, func(db *gorm.DB) error {
		// IF NOT EXISTS: on SQLite several starting processes may race here.
		if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamp NOT NULL)`).Error; err != nil {
			return fmt.Errorf("creating schema_migrations: %w", err)
		}
		for _, m := range migrations {
			// The check sits inside the transaction: on SQLite the
			// transaction holds the write lock from its start, so two
			// processes cannot both decide a migration is still to do.
			ran := false
			err := db.Transaction(func(tx *gorm.DB) error {
				var seen int64
				if err := tx.Model(&SchemaMigration{}).Where("version = ?", m.Version).Count(&seen).Error; err != nil || seen > 0 {
					return err
				}
				if err := m.Up(tx); err != nil {
					return err
				}
				ran = true
				return tx.Create(&SchemaMigration{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error
			})
			if err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
			}
			if ran {
				applied++
			}
		}
		return nil
	})
	return applied, err
}

// SchemaVersion is the newest applied migration, 0 for an empty database.
func SchemaVersion(db *gorm.DB) (int, error) {
	var v *int
	err := db.Model(&SchemaMigration{}).Select("MAX(version)").Scan(&v).Error
	if err != nil || v == nil {
		return 0, err
	}
	return *v, nil
}

// withMigrationLock serialises migrations across instances on PostgreSQL.
// SQLite needs nothing more: its writers already queue on the file lock.
func withMigrationLock(db *gorm.DB, fn func(*gorm.DB) error) error {
	if db.Dialector.Name() != "postgres" {
		return fn(db)
	}
	return db.Connection(func(conn *gorm.DB) error {
		// One lock per schema: instances sharing a schema take turns, while
		// databases in other schemas of the same server (tests) need not.
		const key = 72_616_108 // any constant shared by every instance
		const schema = "hashtext(current_schema())"
		if err := conn.Exec("SELECT pg_advisory_lock(?, "+schema+")", key).Error; err != nil {
			return err
		}
		defer conn.Exec("SELECT pg_advisory_unlock(?, "+schema+")", key)
		// A fresh chain on the locked connection: statements built on conn
		// itself would share its state (a Model set once would stick).
		return fn(conn.Session(&gorm.Session{NewDB: true}))
	})
}

// migrateV1 creates the foundation's tables. Migrations create tables from the
// live models with AutoMigrate, which only ever adds tables, columns and
// indexes; a change that renames or drops is written out as its own step,
// guarded with Migrator().HasColumn so that it, too, can run twice.
func migrateV1(tx *gorm.DB) error {
	return tx.AutoMigrate(&Session{}, &Taxpayer{}, &TaxReturn{}, &AccountTransaction{}, &InformationReturn{}, &SeedRun{})
}

func migrateV2(tx *gorm.DB) error {
	return tx.AutoMigrate(&Session{}, &Account{}, &SecondFactor{}, &BackupCode{}, &OneTimeCode{},
		&SecurityEvent{}, &Attempt{}, &OutboxMessage{})
}

// LatestVersion is the version a fully migrated database is at.
func LatestVersion() int { return migrations[len(migrations)-1].Version }

func migrateV3(tx *gorm.DB) error {
	return tx.AutoMigrate(&IdentityVerification{}, &DocumentImage{})
}

func migrateV4(tx *gorm.DB) error {
	return tx.AutoMigrate(&Letter{})
}

func migrateV5(tx *gorm.DB) error {
	return tx.AutoMigrate(&IdentityVerification{})
}
