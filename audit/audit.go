// Package audit keeps the portal's audit trail: who did what, to whose data,
// when and why. Every look an agent takes at a taxpayer's records is written
// here, and the taxpayer can see those looks.
//
// The trail is append-only. The package offers no way to change or remove
// an entry, and each entry carries a SHA-256 hash of its content and of the
// entry before it, so Verify finds any row that was edited, removed or
// slipped in by going around the package.
package audit

import (
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// Log writes and reads the audit trail.
type Log struct {
	DB  *gorm.DB
	Now func() time.Time // the clock; time.Now when nil
}

// New returns a Log on db with the real clock.
func New(db *gorm.DB) *Log { return &Log{DB: db, Now: time.Now} }

// now is the time an entry is stamped with: UTC, cut to whole microseconds,
// the precision PostgreSQL keeps, so what is hashed is what is read back.
func (l *Log) now() time.Time {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	return now().UTC().Truncate(time.Microsecond)
}

// Actor is who did something: a person signed in to an account, or the
// portal itself.
type Actor struct {
	AccountID *uint64     // nil for the portal itself
	Role      models.Role // models.RoleSystem for the portal itself
	Number    string      // an agent's number, such as "A-0042"; empty for taxpayers
}

// System is the portal acting on its own, in a job or an automatic decision.
var System = Actor{Role: models.RoleSystem}

// By is a person acting through their account.
func By(accountID uint64, role models.Role, number string) Actor {
	return Actor{AccountID: &accountID, Role: role, Number: number}
}

// Outcomes of an action.
const (
	OutcomeOK      = "ok"
	OutcomeFailed  = "failed"  // tried and did not succeed, such as a wrong code
	OutcomeRefused = "refused" // not allowed, such as a limit reached
)

// Entry is what a caller records. The time, the chain hashes and the id are
// added by the Log.
type Entry struct {
	Actor      Actor
	Action     string  // a stable id of lower-case words and dots, such as "agent.taxpayer_opened"
	TaxpayerID *uint64 // whose tax data it concerns
	AccountID  *uint64 // whose sign-in it concerns
	Subject    string  // the record acted on, such as "verification:42"
	Outcome    string  // OutcomeOK when empty
	Reason     string  // why an agent looked: a case or call reference
	// Detail is free text for the people who read the trail. It must never
	// hold an SSN, a date of birth, an IP PIN, a password, a code or any
	// part of an image: the trail is kept for years and cannot be corrected.
	Detail string
}
