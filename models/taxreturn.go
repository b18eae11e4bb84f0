package models

import "time"

// FilingStatus is the status claimed on a return.
type FilingStatus string

const (
	Single                    FilingStatus = "single"
	MarriedFilingJointly      FilingStatus = "married_joint"
	MarriedFilingSeparately   FilingStatus = "married_separate"
	HeadOfHousehold           FilingStatus = "head_of_household"
	QualifyingSurvivingSpouse FilingStatus = "qualifying_surviving_spouse"
)

// FilingStatuses in the order forms list them.
var FilingStatuses = []FilingStatus{Single, MarriedFilingJointly, MarriedFilingSeparately, HeadOfHousehold, QualifyingSurvivingSpouse}

// Label is the status as the form words it.
func (s FilingStatus) Label() string {
	switch s {
	case Single:
		return "Single"
	case MarriedFilingJointly:
		return "Married filing jointly"
	case MarriedFilingSeparately:
		return "Married filing separately"
	case HeadOfHousehold:
		return "Head of household"
	case QualifyingSurvivingSpouse:
		return "Qualifying surviving spouse"
	}
	return string(s)
}

// TaxReturn is the return a taxpayer filed for one tax year, as processed.
// Amounts are integer cents. The refund's progress is never stored: it is
// derived from the account's transactions.
type TaxReturn struct {
	ID                 uint64       `gorm:"primaryKey"`
	TaxpayerID         uint64       `gorm:"not null;uniqueIndex:idx_returns_taxpayer_year,priority:1"`
	Taxpayer           *Taxpayer    `gorm:"constraint:OnDelete:CASCADE"`
	TaxYear            int          `gorm:"not null;uniqueIndex:idx_returns_taxpayer_year,priority:2"`
	Form               string       `gorm:"size:10;not null"`
	FilingStatus       FilingStatus `gorm:"size:32;not null"`
	EFiled             bool         `gorm:"not null"`
	ReceivedOn         time.Time    `gorm:"not null"`
	AGICents           int64        `gorm:"not null"`
	TaxableIncomeCents int64        `gorm:"not null"`
	TaxCents           int64        `gorm:"not null"` // tax per return
	WithholdingCents   int64        `gorm:"not null"`
	// RefundCents is the refund claimed on the return (0 when tax is owed);
	// the public lookup asks for it in whole dollars.
	RefundCents   int64  `gorm:"not null"`
	DirectDeposit bool   `gorm:"not null"`
	BankLast4     string `gorm:"size:4"`
	CreatedAt     time.Time
}

// AccountTransaction is one row of a tax account: an assessment, payment,
// credit, hold, notice or refund, by its transaction code. Positive amounts
// increase what the taxpayer owes; credits and payments are negative.
type AccountTransaction struct {
	ID          uint64    `gorm:"primaryKey"`
	TaxpayerID  uint64    `gorm:"not null;index:idx_transactions_taxpayer_year,priority:1"`
	Taxpayer    *Taxpayer `gorm:"constraint:OnDelete:CASCADE"`
	TaxYear     int       `gorm:"not null;index:idx_transactions_taxpayer_year,priority:2"`
	Code        int       `gorm:"not null"`
	AmountCents int64     `gorm:"not null"`
	PostedOn    time.Time `gorm:"not null"` // the transaction date
	Cycle       string    `gorm:"size:8"`   // processing cycle, YYYYWWDD
	Note        string    `gorm:"size:80"`  // e.g. the notice number on a 971
	CreatedAt   time.Time
}

// InformationReturn is what an employer, bank or payer reported about a
// taxpayer (W-2, 1099): the source of the Wage & Income transcript.
type InformationReturn struct {
	ID            uint64    `gorm:"primaryKey"`
	TaxpayerID    uint64    `gorm:"not null;index:idx_info_returns_taxpayer_year,priority:1"`
	Taxpayer      *Taxpayer `gorm:"constraint:OnDelete:CASCADE"`
	TaxYear       int       `gorm:"not null;index:idx_info_returns_taxpayer_year,priority:2"`
	Form          string    `gorm:"size:12;not null"` // W-2, 1099-INT, 1099-NEC, 1099-G
	PayerName     string    `gorm:"size:120;not null"`
	PayerEINLast4 string    `gorm:"size:4;not null"`
	AmountCents   int64     `gorm:"not null"`
	WithheldCents int64     `gorm:"not null"`
	CreatedAt     time.Time
}

// SeedRun remembers how far the demo data generator got, so seeding is
// idempotent and resumes where an interrupted run stopped.
type SeedRun struct {
	Name       string `gorm:"primaryKey;size:40"`
	Taxpayers  int    `gorm:"not null"`
	FinishedAt *time.Time
	UpdatedAt  time.Time
}
