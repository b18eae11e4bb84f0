package models

import (
	"time"

	"gorm.io/gorm"
)

// VideoSlot is a time an agent offered for a video call (the trusted-referee
// route of identity verification) and, once a person books it, their
// appointment. Booking fills AccountID with a conditional update, so one slot
// never holds two people; cancelling empties it again.
type VideoSlot struct {
	ID       uint64    `gorm:"primaryKey"`
	AgentID  uint64    `gorm:"not null;uniqueIndex:idx_video_slots_agent_start,priority:1"`
	Agent    *Account  `gorm:"constraint:OnDelete:CASCADE"`
	StartsAt time.Time `gorm:"not null;index;uniqueIndex:idx_video_slots_agent_start,priority:2"` // UTC
	EndsAt   time.Time `gorm:"not null"`

	// The booking. AccountID is nil while the slot is open.
	AccountID      *uint64 `gorm:"index"`
	VerificationID *uint64 `gorm:"index"`
	BookedAt       *time.Time
	// MeetingURL is the join link of the external video tool: random for
	// each booking, so it cannot be guessed and dies with a cancellation.
	MeetingURL string `gorm:"size:300;not null;default:''"`
	// TimeZone is the IANA zone the person chose to see times in, for the
	// messages about this appointment.
	TimeZone string `gorm:"size:64;not null;default:''"`

	// What the agent recorded on the call.
	Notes         string `gorm:"size:2000;not null;default:''"`
	Outcome       string `gorm:"size:16;not null;default:''"` // "", "verified", "failed", "no_show"
	OutcomeReason string `gorm:"size:400;not null;default:''"`
	DecidedAt     *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// PhoneCall is one call an agent took on an assistance line: who called
// (once found), whether they proved who they are, and what was done.
type PhoneCall struct {
	ID         uint64    `gorm:"primaryKey"`
	AgentID    uint64    `gorm:"not null;index"`
	Agent      *Account  `gorm:"constraint:OnDelete:CASCADE"`
	Line       string    `gorm:"size:16;not null"` // "ippin" or "general"
	TaxpayerID *uint64   `gorm:"index"`
	Taxpayer   *Taxpayer `gorm:"constraint:OnDelete:SET NULL"`
	// Checks holds the caller-verification answers as "question=result"
	// pairs (match or no_match); never what the caller said.
	Checks     string `gorm:"size:200;not null;default:''"`
	Mismatches int    `gorm:"not null;default:0"`
	VerifiedAt *time.Time
	StartedAt  time.Time `gorm:"not null;index"`
	EndedAt    *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// CallNote is what an agent wrote down during a call.
type CallNote struct {
	ID        uint64     `gorm:"primaryKey"`
	CallID    uint64     `gorm:"not null;index"`
	Call      *PhoneCall `gorm:"constraint:OnDelete:CASCADE"`
	AgentID   uint64     `gorm:"not null"`
	Text      string     `gorm:"size:2000;not null"`
	CreatedAt time.Time  `gorm:"not null"`
}

// FactorReset is a request to remove every second factor of an account,
// made by an agent for a caller who lost them. It takes effect only once a
// supervisor other than the requester approves it (the two-person rule).
type FactorReset struct {
	ID          uint64    `gorm:"primaryKey"`
	AccountID   uint64    `gorm:"not null;index"`
	Account     *Account  `gorm:"constraint:OnDelete:CASCADE"`
	TaxpayerID  uint64    `gorm:"not null"`
	CallID      uint64    `gorm:"not null;index"`
	RequestedBy uint64    `gorm:"not null"`
	Reason      string    `gorm:"size:200;not null"`
	RequestedAt time.Time `gorm:"not null;index"`
	Status      string    `gorm:"size:16;not null;index"` // "pending", "approved", "declined"
	DecidedBy   *uint64
	DecidedAt   *time.Time
	Decision    string `gorm:"size:200;not null;default:''"` // the supervisor's reason
}

func migrateV9(tx *gorm.DB) error {
	return tx.AutoMigrate(&VideoSlot{}, &PhoneCall{}, &CallNote{}, &FactorReset{})
}
