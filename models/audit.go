package models

import (
	"time"

	"gorm.io/gorm"
)

// RoleSystem is the actor role of audit entries the portal writes on its
// own, in a job or an automatic decision. No account has it.
const RoleSystem Role = "system"

// AuditEntry is one line of the audit trail: who did what, to whose data,
// when, why, and how it went. Package audit writes the rows and is the only
// writer: it chains each row to the one before by a SHA-256 hash, so a row
// changed, removed or slipped in afterwards is detected. Rows are never
// updated or deleted.
//
// Detail, Reason and Subject are read by many people for many years and can
// never be corrected: they must never hold an SSN, a date of birth, an IP
// PIN, a password, a one-time code or any part of an image. Name the record
// instead ("verification:42") and leave the values where they are sealed.
type AuditEntry struct {
	// ID is assigned by package audit, one more than the entry before, so
	// the ids have no gaps and the hash covers them. It ends each index a
	// listing filters by, so pages come out newest first without sorting.
	ID uint64    `gorm:"primaryKey;autoIncrement:false;index:idx_audit_entries_actor,priority:2;index:idx_audit_entries_taxpayer,priority:2;index:idx_audit_entries_account,priority:2;index:idx_audit_entries_action,priority:2"`
	At time.Time `gorm:"not null;index"` // UTC, whole microseconds

	// ActorAccountID is the account that acted, nil for the portal itself.
	ActorAccountID *uint64 `gorm:"index:idx_audit_entries_actor,priority:1"`
	ActorRole      Role    `gorm:"size:16;not null"` // RoleSystem when ActorAccountID is nil
	ActorNumber    string  `gorm:"size:16;not null"` // an agent's number, such as "A-0042"

	Action     string  `gorm:"size:64;not null;index:idx_audit_entries_action,priority:1"` // a stable id, such as "agent.taxpayer_opened"
	TaxpayerID *uint64 `gorm:"index:idx_audit_entries_taxpayer,priority:1"`                // whose tax data it concerns
	AccountID  *uint64 `gorm:"index:idx_audit_entries_account,priority:1"`                 // whose sign-in it concerns
	Subject    string  `gorm:"size:80;not null"`                                           // the record acted on, such as "verification:42"
	Outcome    string  `gorm:"size:16;not null"`                                           // "ok", "failed", "refused"
	Reason     string  `gorm:"size:200;not null"`                                          // why an agent looked: a case or call reference
	Detail     string  `gorm:"size:400;not null"`                                          // free text; see the rule above

	PrevHash string `gorm:"size:64;not null;uniqueIndex"` // the entry before's Hash; 64 zeros for the first
	Hash     string `gorm:"size:64;not null;uniqueIndex"` // hex SHA-256 of PrevHash and every field above
}

func migrateV6(tx *gorm.DB) error { return tx.AutoMigrate(&AuditEntry{}) }
