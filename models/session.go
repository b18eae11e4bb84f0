package models

import "time"

// Session is the server side of a browser session. The cookie carries a
// random id; the row is keyed by that id's SHA-256, so a copy of this table
// cannot be replayed as cookies.
type Session struct {
	IDHash string `gorm:"primaryKey;size:64"`
	Data   []byte // gob-encoded gorilla session values
	// AccountID is set while someone is signed in, so an account's sessions
	// can be listed and ended.
	AccountID *uint64 `gorm:"index"`
	// Account is filled in when the session store reads the row with its
	// account in one statement; it is not a column.
	Account    *Account  `gorm:"-"`
	IP         string    `gorm:"size:45"`
	UserAgent  string    `gorm:"size:200"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index"` // absolute end; idle end is LastSeenAt + idle timeout
}
