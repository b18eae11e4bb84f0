package models

import "time"

// LetterKind names what a mailed letter is for.
type LetterKind string

// LetterVerificationCode confirms an address during identity verification.
const LetterVerificationCode LetterKind = "verification_code"

// Letter is one letter to mail to the address of record. A print vendor
// reads this table: the code is sealed for printing and hashed for
// checking; the address is copied so later changes to the record do not
// redirect a letter already on its way.
type Letter struct {
	ID             uint64     `gorm:"primaryKey"`
	AccountID      uint64     `gorm:"not null;index:idx_letters_account_sent,priority:1"`
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
