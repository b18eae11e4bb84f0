package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role says which part of the portal an account may use.
type Role string

const (
	RoleTaxpayer   Role = "taxpayer"
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
)

// Account is an online sign-in: an e-mail address, a password and at least
// one second factor. Once its holder proves who they are, it is linked to
// their record in the taxpayer master file.
type Account struct {
	ID                uint64 `gorm:"primaryKey"`
	Email             string `gorm:"size:254;not null;uniqueIndex"` // normalised: trimmed, lower case
	EmailConfirmedAt  *time.Time
	PasswordHash      string    `gorm:"size:200;not null"`
	PasswordChangedAt time.Time `gorm:"not null"`
	Role              Role      `gorm:"size:16;not null;default:taxpayer"`
	// TaxpayerID and VerifiedAt are set when identity verification succeeds.
	TaxpayerID *uint64 `gorm:"uniqueIndex"`
	VerifiedAt *time.Time
	// ConsecutiveFailures counts failed passwords and codes since the last
	// success; at the hard limit the account locks until recovery.
	ConsecutiveFailures int `gorm:"not null;default:0"`
	LockedAt            *time.Time
	// DisabledAt is when a supervisor took a staff account out of service.
	DisabledAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// ActivityVersion counts changes to what the holder's dashboard reads
	// live (see migrateV13). Only the database's triggers write it: GORM
	// only reads it, so saving an account read earlier cannot set it back.
	ActivityVersion int64 `gorm:"->;not null;default:0"`
}

// IsVerifiedTaxpayer reports whether the holder proved who they are and the
// account is linked to their taxpayer record: what the record pages need.
func (a *Account) IsVerifiedTaxpayer() bool { return a.VerifiedAt != nil && a.TaxpayerID != nil }

// IsStaff reports whether the account belongs to an agent or a supervisor.
func (a *Account) IsStaff() bool { return a.Role == RoleAgent || a.Role == RoleSupervisor }

// NormalizeEmail is the form addresses are stored and compared in.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// FindAccountByEmail finds an account by its (normalised) address.
func FindAccountByEmail(ctx context.Context, db *gorm.DB, email string) (*Account, error) {
	var a Account
	err := db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &a, err
}

// FindAccount finds an account by id.
func FindAccount(ctx context.Context, db *gorm.DB, id uint64) (*Account, error) {
	var a Account
	err := db.WithContext(ctx).Take(&a, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &a, err
}

// FactorKind names a kind of second factor.
type FactorKind string

const (
	FactorTOTP        FactorKind = "totp"
	FactorWebAuthn    FactorKind = "webauthn"
	FactorPhone       FactorKind = "phone"
	FactorBackupCodes FactorKind = "backup_codes"
)

// SecondFactor is one enrolled authenticator. Secrets are sealed.
type SecondFactor struct {
	ID        uint64     `gorm:"primaryKey"`
	AccountID uint64     `gorm:"not null;index"`
	Account   *Account   `gorm:"constraint:OnDelete:CASCADE"`
	Kind      FactorKind `gorm:"size:16;not null"`
	Name      string     `gorm:"size:60;not null"`
	// SecretSealed holds the TOTP secret, or the phone number for text and
	// voice codes.
	SecretSealed []byte
	PhoneLast4   string `gorm:"size:4"`
	PhoneByVoice bool   `gorm:"not null;default:false"`
	LastTOTPStep int64  `gorm:"not null;default:0"` // a TOTP code is accepted once only
	CredentialID []byte `gorm:"index"`              // WebAuthn credential id
	Credential   []byte // WebAuthn credential, JSON
	CreatedAt    time.Time
	LastUsedAt   *time.Time
	BackupCodes  []BackupCode `gorm:"foreignKey:FactorID"`
}

// Column names bound into sealed second-factor secrets.
const (
	ColumnTOTPSecret  = "second_factors.totp_secret"
	ColumnFactorPhone = "second_factors.phone"
)

// BackupCode is one single-use backup code, stored hashed.
type BackupCode struct {
	ID       uint64 `gorm:"primaryKey"`
	FactorID uint64 `gorm:"not null;index"`
	CodeHash string `gorm:"size:64;not null"`
	UsedAt   *time.Time
}

// CodePurpose says what a one-time code or link is for.
type CodePurpose string

const (
	PurposeConfirmEmail  CodePurpose = "confirm_email"
	PurposeResetPassword CodePurpose = "reset_password"
	PurposeChangeEmail   CodePurpose = "change_email"
	PurposePhoneCode     CodePurpose = "phone_code"
	PurposeLockAccount   CodePurpose = "lock_account" // "This wasn't me" links
	// PurposeProofingPhone confirms, during identity verification, that the
	// person holds the phone on the taxpayer's record.
	PurposeProofingPhone CodePurpose = "proofing_phone"
)

// OneTimeCode is an e-mailed link (by TokenHash) and a short code typed by
// hand (by CodeHash), both stored hashed, single use, with an expiry.
type OneTimeCode struct {
	ID        uint64      `gorm:"primaryKey"`
	AccountID uint64      `gorm:"not null;index"`
	Account   *Account    `gorm:"constraint:OnDelete:CASCADE"`
	Purpose   CodePurpose `gorm:"size:20;not null"`
	TokenHash string      `gorm:"size:64;uniqueIndex"`
	CodeHash  string      `gorm:"size:64"`
	Target    string      `gorm:"size:254"` // the new address for an e-mail change, the factor id for a phone code
	Attempts  int         `gorm:"not null;default:0"`
	ExpiresAt time.Time   `gorm:"not null"`
	UsedAt    *time.Time
	CreatedAt time.Time
}

// SecurityEventKind names something that happened to an account's security.
type SecurityEventKind string

// SecurityEvent is one line of an account's security history, shown to its
// holder. Details never include secrets, codes or full numbers.
type SecurityEvent struct {
	ID        uint64            `gorm:"primaryKey"`
	AccountID uint64            `gorm:"not null;index:idx_security_events_account_at,priority:1"`
	Account   *Account          `gorm:"constraint:OnDelete:CASCADE"`
	Kind      SecurityEventKind `gorm:"size:40;not null"`
	Detail    string            `gorm:"size:200"`
	IP        string            `gorm:"size:45"`
	UserAgent string            `gorm:"size:200"`
	At        time.Time         `gorm:"not null;index:idx_security_events_account_at,priority:2"`
}

// Attempt is one failed try at something guessable (a password, a code),
// counted per key ("password:account:42", "password:ip:203.0.113.9") over a
// sliding window. Kept in the database so every instance sees the same count.
type Attempt struct {
	ID  uint64    `gorm:"primaryKey"`
	Key string    `gorm:"size:120;not null;index:idx_attempts_key_at,priority:1"`
	At  time.Time `gorm:"not null;index:idx_attempts_key_at,priority:2"`
}

// OutboxMessage is a message as sent by e-mail, text or voice. In
// development, without SMTP or a phone provider, it is the only copy, shown
// on the development outbox page.
type OutboxMessage struct {
	ID        uint64 `gorm:"primaryKey"`
	Channel   string `gorm:"size:8;not null;default:email"` // email, sms, voice
	To        string `gorm:"size:254;not null;index"`
	Subject   string `gorm:"size:200;not null"`
	Text      string `gorm:"not null"`
	HTML      string `gorm:"not null"`
	CreatedAt time.Time
}
