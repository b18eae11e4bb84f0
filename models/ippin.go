package models

import (
	"strconv"
	"time"

	"gorm.io/gorm"
)

// IPPINEnrollmentKind says how a taxpayer came to have an Identity
// Protection PIN.
type IPPINEnrollmentKind string

const (
	// IPPINVoluntary: the taxpayer opted in online and may opt out.
	IPPINVoluntary IPPINEnrollmentKind = "voluntary"
	// IPPINAssigned: the agency gave one after identity theft; it may not
	// be given up.
	IPPINAssigned IPPINEnrollmentKind = "assigned"
)

// IPPINEnrollment says that a taxpayer gets a new IP PIN every year. Opting
// out keeps the row: OptOutYear is the first calendar year without a PIN,
// and the years before it still need theirs.
type IPPINEnrollment struct {
	ID         uint64              `gorm:"primaryKey"`
	TaxpayerID uint64              `gorm:"not null;uniqueIndex"`
	Taxpayer   *Taxpayer           `gorm:"constraint:OnDelete:CASCADE"`
	Kind       IPPINEnrollmentKind `gorm:"size:10;not null"`
	EnrolledAt time.Time           `gorm:"not null"`
	// OptOutRequestedAt and OptOutYear are set together, when a voluntary
	// enrollee opts out, and cleared when they opt back in.
	OptOutRequestedAt *time.Time
	OptOutYear        *int
	// FlaggedAt is when wrong PINs tried with this taxpayer's SSN reached the
	// guessing limit: agents look at flagged taxpayers, and clear the flag.
	FlaggedAt *time.Time `gorm:"index"`
	UpdatedAt time.Time
}

// TableName keeps the IP PIN tables together under one prefix.
func (IPPINEnrollment) TableName() string { return "ip_pin_enrollments" }

// ActiveIn reports whether the enrollment asks for a PIN for year.
func (e *IPPINEnrollment) ActiveIn(year int) bool {
	return e.OptOutYear == nil || year < *e.OptOutYear
}

// IPPINDelivery says how a year's PIN reaches its holder.
type IPPINDelivery string

const (
	// IPPINOnline: the holder reads it after signing in.
	IPPINOnline IPPINDelivery = "online"
	// IPPINLetter: it is mailed to the address of record (a CP01A notice).
	IPPINLetter IPPINDelivery = "letter"
)

// IPPIN is one taxpayer's PIN for one calendar year: every return filed in
// that year must carry it. The PIN is sealed and bound to its row (see
// IPPINSealColumn).
type IPPIN struct {
	ID         uint64        `gorm:"primaryKey"`
	TaxpayerID uint64        `gorm:"not null;uniqueIndex:idx_ip_pins_taxpayer_year,priority:1"`
	Taxpayer   *Taxpayer     `gorm:"constraint:OnDelete:CASCADE"`
	Year       int           `gorm:"not null;uniqueIndex:idx_ip_pins_taxpayer_year,priority:2"`
	PINSealed  []byte        `gorm:"column:pin_sealed;not null"`
	IssuedAt   time.Time     `gorm:"not null"`
	Delivery   IPPINDelivery `gorm:"size:8;not null"`
}

// TableName keeps the IP PIN tables together under one prefix.
func (IPPIN) TableName() string { return "ip_pins" }

// ColumnIPPIN is the sealed column of ip_pins.
const ColumnIPPIN = "ip_pins.pin"

// IPPINSealColumn is what a PIN is sealed for: the column, the taxpayer
// and the year. Binding the row as well as the column means that someone
// who can write to the table cannot copy a PIN they know (their own) over
// another taxpayer's and then file in that taxpayer's name.
func IPPINSealColumn(taxpayerID uint64, year int) string {
	return ColumnIPPIN + "/" + strconv.FormatUint(taxpayerID, 10) + "/" + strconv.Itoa(year)
}

// LetterIPPINNotice mails a year's IP PIN to the address of record, as the
// CP01A notice does for people the agency assigned one. Its code is the
// PIN, sealed for printing; it has no code hash, as nobody types it back.
const LetterIPPINNotice LetterKind = "ip_pin_notice"

// IPPINAPIKey lets one piece of authorised tax software call the e-file
// check. Only the SHA-256 of the secret is kept; Prefix identifies the key
// to people and finds it in the table.
type IPPINAPIKey struct {
	ID         uint64    `gorm:"primaryKey"`
	Name       string    `gorm:"size:100;not null"`
	Prefix     string    `gorm:"size:16;not null;uniqueIndex"`
	SecretHash string    `gorm:"size:64;not null"`
	CreatedAt  time.Time `gorm:"not null"`
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// TableName keeps the IP PIN tables together under one prefix.
func (IPPINAPIKey) TableName() string { return "ip_pin_api_keys" }

// IPPINRollover records how far the issue of a year's PINs has got, so an
// interrupted run carries on after the last taxpayer it finished.
type IPPINRollover struct {
	Year           int    `gorm:"primaryKey;autoIncrement:false"`
	LastTaxpayerID uint64 `gorm:"not null;default:0"`
	Issued         int64  `gorm:"not null;default:0"` // PINs written
	Letters        int64  `gorm:"not null;default:0"` // notices written
	// LettersOwed counts assigned holders whose notice could not be written
	// because their taxpayer record was gone.
	LettersOwed int64     `gorm:"not null;default:0"`
	StartedAt   time.Time `gorm:"not null"`
	FinishedAt  *time.Time
	UpdatedAt   time.Time
}

// TableName keeps the IP PIN tables together under one prefix.
func (IPPINRollover) TableName() string { return "ip_pin_rollovers" }

// IPPINAlert records a return stopped by the e-file check because it came
// without its filer's IP PIN or with a wrong one. Code is the reject code;
// Notified says whether the taxpayer was told by e-mail this time (a burst
// of stopped returns sends one message).
type IPPINAlert struct {
	ID         uint64    `gorm:"primaryKey"`
	TaxpayerID uint64    `gorm:"not null;index:idx_ip_pin_alerts_taxpayer_at,priority:1"`
	Taxpayer   *Taxpayer `gorm:"constraint:OnDelete:CASCADE"`
	TaxYear    int       `gorm:"not null"`
	Code       string    `gorm:"size:12;not null"`
	APIKeyID   uint64    `gorm:"column:api_key_id;not null"`
	Notified   bool      `gorm:"not null;default:false"`
	At         time.Time `gorm:"not null;index:idx_ip_pin_alerts_taxpayer_at,priority:2"`
}

// TableName keeps the IP PIN tables together under one prefix.
func (IPPINAlert) TableName() string { return "ip_pin_alerts" }

func migrateV7(tx *gorm.DB) error {
	return tx.AutoMigrate(&IPPINEnrollment{}, &IPPIN{}, &IPPINAPIKey{}, &IPPINRollover{}, &IPPINAlert{})
}
