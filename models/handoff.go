package models

import (
	"time"

	"gorm.io/gorm"
)

// DocumentHandoff is a one-time link that lets a person who started
// verifying on a computer take the photos with their phone's camera. Only a
// hash of the link's token is kept. Opening the link once lets that phone
// add photos to that one attempt, for a short while, and nothing else.
type DocumentHandoff struct {
	ID             uint64                `gorm:"primaryKey"`
	AccountID      uint64                `gorm:"not null;index"`
	Account        *Account              `gorm:"constraint:OnDelete:CASCADE"`
	VerificationID uint64                `gorm:"not null;index"`
	Verification   *IdentityVerification `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash      string                `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt      time.Time             `gorm:"not null"`
	ExpiresAt      time.Time             `gorm:"not null"` // the link must be opened before this
	OpenedAt       *time.Time
	VoidedAt       *time.Time // a newer link, or the person went on without the phone
}

func migrateV11(tx *gorm.DB) error { return tx.AutoMigrate(&DocumentHandoff{}) }
