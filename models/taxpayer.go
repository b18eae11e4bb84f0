package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/pii"
)

// Taxpayer is one person in the agency's master file: the record that an
// online account is matched against during identity verification. The SSN and
// date of birth are sealed; the SSN is found through SSNIndex.
type Taxpayer struct {
	ID         uint64 `gorm:"primaryKey"`
	SSNIndex   string `gorm:"size:64;not null;uniqueIndex"`
	SSNSealed  []byte `gorm:"not null"`
	SSNLast4   string `gorm:"size:4;not null;index:idx_taxpayers_name_last4,priority:2"`
	FirstName  string `gorm:"size:80;not null"`
	MiddleName string `gorm:"size:80"`
	LastName   string `gorm:"size:80;not null;index:idx_taxpayers_name_last4,priority:1"`
	Suffix     string `gorm:"size:10"`
	DOBSealed  []byte `gorm:"not null"`
	Street1    string `gorm:"size:120;not null"`
	Street2    string `gorm:"size:120"`
	City       string `gorm:"size:80;not null"`
	State      string `gorm:"size:2;not null"`
	ZIP        string `gorm:"column:zip;size:10;not null"`
	// PhoneSealed is the number on record, used for one-time codes; PhoneLast4
	// is what a screen may show.
	PhoneSealed []byte
	PhoneLast4  string `gorm:"size:4"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Sealed column names, bound into each ciphertext.
const (
	ColumnSSN   = "taxpayers.ssn"
	ColumnDOB   = "taxpayers.dob"
	ColumnPhone = "taxpayers.phone"
)

// dateLayout is how dates of birth are sealed.
const dateLayout = "2006-01-02"

// PersonalData is a taxpayer's sensitive values in the clear, for sealing into
// a row or for a screen that has a reason to show them.
type PersonalData struct {
	SSN   pii.SSN
	DOB   time.Time
	Phone string // digits only
}

// Seal encrypts the sensitive values into t and sets the lookup index.
func (t *Taxpayer) Seal(v *pii.Vault, p PersonalData) error {
	var err error
	t.SSNIndex = v.Index("ssn", p.SSN.Digits())
	t.SSNLast4 = p.SSN.Last4()
	if t.SSNSealed, err = v.SealString(ColumnSSN, p.SSN.Digits()); err != nil {
		return err
	}
	if t.DOBSealed, err = v.SealString(ColumnDOB, p.DOB.Format(dateLayout)); err != nil {
		return err
	}
	if p.Phone != "" {
		if t.PhoneSealed, err = v.SealString(ColumnPhone, p.Phone); err != nil {
			return err
		}
		t.PhoneLast4 = p.Phone[max(0, len(p.Phone)-4):]
	}
	return nil
}

// Unseal decrypts the sensitive values. Call it only where a screen or a
// match needs them.
func (t *Taxpayer) Unseal(v *pii.Vault) (PersonalData, error) {
	ssn, err := v.OpenString(ColumnSSN, t.SSNSealed)
	if err != nil {
		return PersonalData{}, err
	}
	dob, err := v.OpenString(ColumnDOB, t.DOBSealed)
	if err != nil {
		return PersonalData{}, err
	}
	p := PersonalData{SSN: pii.MustSSN(ssn)}
	if p.DOB, err = time.Parse(dateLayout, dob); err != nil {
		return PersonalData{}, err
	}
	if len(t.PhoneSealed) > 0 {
		if p.Phone, err = v.OpenString(ColumnPhone, t.PhoneSealed); err != nil {
			return PersonalData{}, err
		}
	}
	return p, nil
}

// FullName joins the name parts for display.
func (t *Taxpayer) FullName() string {
	name := t.FirstName
	if t.MiddleName != "" {
		name += " " + t.MiddleName
	}
	name += " " + t.LastName
	if t.Suffix != "" {
		name += " " + t.Suffix
	}
	return name
}

// ErrNotFound is returned by lookups that find no row.
var ErrNotFound = errors.New("not found")

// FindTaxpayerBySSN finds a taxpayer through the keyed SSN index.
func FindTaxpayerBySSN(ctx context.Context, db *gorm.DB, v *pii.Vault, ssn pii.SSN) (*Taxpayer, error) {
	var t Taxpayer
	err := db.WithContext(ctx).Where("ssn_index = ?", v.Index("ssn", ssn.Digits())).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &t, err
}

// FindTaxpayer finds a taxpayer by id.
func FindTaxpayer(ctx context.Context, db *gorm.DB, id uint64) (*Taxpayer, error) {
	var t Taxpayer
	err := db.WithContext(ctx).Take(&t, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &t, err
}
