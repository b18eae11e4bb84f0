package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// CaseClaim says which agent is working a case (a document set in review,
// named like an audit subject, "verification:42"). The unique subject makes
// two agents holding one case impossible; a claim untouched for longer
// than the claim timeout may be taken over (see package casework).
type CaseClaim struct {
	ID        uint64    `gorm:"primaryKey"`
	Subject   string    `gorm:"size:40;not null;uniqueIndex"`
	AgentID   uint64    `gorm:"not null;index"`
	Agent     *Account  `gorm:"constraint:OnDelete:CASCADE"`
	ClaimedAt time.Time `gorm:"not null"`
	TouchedAt time.Time `gorm:"not null"` // the agent's last action on the case
}

// AgentNumber is how staff are named to taxpayers and in the audit trail:
// the account id, so it never changes and needs no column of its own.
func AgentNumber(accountID uint64) string { return fmt.Sprintf("A-%04d", accountID) }

// migrateV8 adds case claims and the date staff accounts were disabled.
func migrateV8(tx *gorm.DB) error {
	return tx.AutoMigrate(&Account{}, &CaseClaim{})
}
