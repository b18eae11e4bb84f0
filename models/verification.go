package models

import "time"

// VerificationMethod is how a person proves who they are.
type VerificationMethod string

const (
	MethodOnline   VerificationMethod = "online"    // photos of an ID and a selfie, checked here
	MethodVideo    VerificationMethod = "video"     // a video call with an agent (trusted referee)
	MethodInPerson VerificationMethod = "in_person" // at an office, with a printed reference code
)

// IDType is the kind of identity document photographed.
type IDType string

const (
	IDDriversLicense IDType = "drivers_license"
	IDStateID        IDType = "state_id"
	IDPassport       IDType = "passport"
	IDPassportCard   IDType = "passport_card"
)

// IdentityVerification is one attempt to prove who someone is (NIST SP
// 800-63A IAL2): a stored state machine. The state is derived from what the
// row holds (see package proofing): each step's answer is a column, and
// editing an earlier answer clears the later ones. Sensitive answers are
// sealed. Attempt limits are counted in the attempts table.
type IdentityVerification struct {
	ID        uint64   `gorm:"primaryKey"`
	AccountID uint64   `gorm:"not null;index"`
	Account   *Account `gorm:"constraint:OnDelete:CASCADE"`

	ConsentedAt *time.Time
	Method      VerificationMethod `gorm:"size:16"`
	IDType      IDType             `gorm:"size:20"`
	// DocumentsAt is when the ID photos and selfie passed the image checks;
	// DocumentsQueuedAt when the set went to the document check (once the
	// person's information matched, so a reviewer can compare the two);
	// DocumentsApprovedAt when the document check (or an agent) accepted it.
	DocumentsAt         *time.Time
	DocumentsQueuedAt   *time.Time `gorm:"index"`
	DocumentsApprovedAt *time.Time
	DocumentsRejected   string `gorm:"size:400"` // why, per document, in plain words
	// DocumentsDecidedAt is when the last decision on the set was made,
	// approval or rejection: recent decisions give the queue's throughput,
	// from which the wait shown to the people in it is estimated.
	DocumentsDecidedAt *time.Time `gorm:"index"`

	SSNSealed []byte
	// Personal information as the person reviewed it.
	FirstName  string `gorm:"size:80"`
	MiddleName string `gorm:"size:80"`
	LastName   string `gorm:"size:80"`
	DOBSealed  []byte
	Street1    string     `gorm:"size:120"`
	Street2    string     `gorm:"size:120"`
	City       string     `gorm:"size:80"`
	State      string     `gorm:"size:2"`
	ZIP        string     `gorm:"column:zip;size:10"`
	InfoAt     *time.Time // the person confirmed the information above

	// TaxpayerID is the master-file record the answers matched.
	TaxpayerID *uint64
	MatchedAt  *time.Time

	// Address confirmation: a code by phone, or a letter with a code.
	PhoneConfirmedAt  *time.Time
	LetterRequestedAt *time.Time
	LetterConfirmedAt *time.Time

	ReferenceCode string `gorm:"size:16;index"` // for the in-person route
	CompletedAt   *time.Time
	ExpiresAt     time.Time `gorm:"not null;index"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Column names bound into sealed verification answers.
const (
	ColumnVerificationSSN = "identity_verifications.ssn"
	ColumnVerificationDOB = "identity_verifications.dob"
)

// DocumentSide names one image of a document set.
type DocumentSide string

const (
	SideFront  DocumentSide = "front"
	SideBack   DocumentSide = "back"
	SideSelfie DocumentSide = "selfie"
)

// DocumentImage is one uploaded image, re-encoded (which strips metadata)
// and sealed at rest. It belongs to one verification attempt and is deleted
// with it, or when the attempt is abandoned.
type DocumentImage struct {
	ID             uint64                `gorm:"primaryKey"`
	VerificationID uint64                `gorm:"not null;uniqueIndex:idx_document_images_side,priority:1"`
	Verification   *IdentityVerification `gorm:"constraint:OnDelete:CASCADE"`
	Side           DocumentSide          `gorm:"size:8;not null;uniqueIndex:idx_document_images_side,priority:2"`
	ContentType    string                `gorm:"size:20;not null"`
	Width          int                   `gorm:"not null"`
	Height         int                   `gorm:"not null"`
	Fingerprint    string                `gorm:"size:32;not null"` // perceptual hash, to spot the same picture twice
	Sealed         []byte                `gorm:"not null"`
	CreatedAt      time.Time
}

// ColumnDocumentImage is bound into each sealed image.
const ColumnDocumentImage = "document_images.image"
