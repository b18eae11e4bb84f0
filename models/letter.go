package models

import (
	"time"

	"gorm.io/gorm"
)

// LetterKind names what a mailed letter is for.
type LetterKind string

// LetterVerificationCode confirms an address during identity verification.
const LetterVerificationCode LetterKind = "verification_code"

// Letter is one letter to mail to the address of record. A print vendor
// reads this table: the code is sealed for printing and hashed for
// checking; the address is copied so later changes to the record do not
// redirect a letter already on its way.
type Letter struct {
	ID uint64 `gorm:"primaryKey"`
	// AccountID is the online account the letter was asked for; nil for a
	// letter to a taxpayer who has none, such as an IP PIN notice.
	AccountID      *uint64    `gorm:"index:idx_letters_account_sent,priority:1"`
	Account        *Account   `gorm:"constraint:OnDelete:CASCADE"`
	VerificationID *uint64    `gorm:"index"`
	TaxpayerID     uint64     `gorm:"not null"`
	Kind           LetterKind `gorm:"size:24;not null"`
	Name           string     `gorm:"size:200;not null"`
	Street1        string     `gorm:"size:120;not null"`
	Street2        string     `gorm:"size:120"`
	City           string     `gorm:"size:80;not null"`
	State          string     `gorm:"size:2;not null"`
	ZIP            string     `gorm:"column:zip;size:10;not null"`
	CodeSealed     []byte
	CodeHash       string    `gorm:"size:64;index"`
	LastDay        time.Time // the last day the code works, printed on the letter
	ExpiresAt      time.Time `gorm:"not null"`
	SentAt         time.Time `gorm:"not null;index:idx_letters_account_sent,priority:2"`
	PrintedAt      *time.Time
	UsedAt         *time.Time
	VoidedAt       *time.Time
}

// ColumnLetterCode is bound into each sealed letter code.
const ColumnLetterCode = "letters.code"

// letterV10 is the letters table as migration 10 leaves it: account_id
// may be NULL. A frozen copy, so later edits to Letter do not change what
// the migration does.
type letterV10 struct {
	ID             uint64   `gorm:"primaryKey"`
	AccountID      *uint64  `gorm:"index:idx_letters_account_sent,priority:1"`
	Account        *Account `gorm:"constraint:OnDelete:CASCADE"`
	VerificationID *uint64  `gorm:"index"`
	TaxpayerID     uint64   `gorm:"not null"`
	Kind           string   `gorm:"size:24;not null"`
	Name           string   `gorm:"size:200;not null"`
	Street1        string   `gorm:"size:120;not null"`
	Street2        string   `gorm:"size:120"`
	City           string   `gorm:"size:80;not null"`
	State          string   `gorm:"size:2;not null"`
	ZIP            string   `gorm:"column:zip;size:10;not null"`
	CodeSealed     []byte
	CodeHash       string `gorm:"size:64;index"`
	LastDay        time.Time
	ExpiresAt      time.Time `gorm:"not null"`
	SentAt         time.Time `gorm:"not null;index:idx_letters_account_sent,priority:2"`
	PrintedAt      *time.Time
	UsedAt         *time.Time
	VoidedAt       *time.Time
}

func (letterV10) TableName() string { return "letters" }

// migrateV10 lets a letter go to a taxpayer without an online account (IP
// PIN notices for assigned holders, a PIN mailed at an agent's request).
// SQLite cannot drop NOT NULL in place: the driver copies the table into a
// new one, and AutoMigrate puts back the indexes the copy lost.
// migrateV12 indexes letters by taxpayer: the notices page lists every
// letter mailed to the taxpayer, including those sent before they had an
// online account (an IP PIN notice, say).
func migrateV12(tx *gorm.DB) error {
	return tx.Exec("CREATE INDEX IF NOT EXISTS idx_letters_taxpayer_sent ON letters (taxpayer_id, sent_at)").Error
}

func migrateV10(tx *gorm.DB) error {
	if tx.Dialector.Name() == "postgres" {
		return tx.Exec("ALTER TABLE letters ALTER COLUMN account_id DROP NOT NULL").Error
	}
	if err := tx.Migrator().AlterColumn(&letterV10{}, "AccountID"); err != nil {
		return err
	}
	return tx.AutoMigrate(&letterV10{})
}
