package ippin

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// Errors the service returns; handlers map them to messages in the catalogue.
var (
	ErrNotEnrolled = errors.New("ippin: not enrolled")
	ErrAssigned    = errors.New("ippin: an IP PIN assigned after identity theft cannot be given up")
	ErrNoPIN       = errors.New("ippin: no IP PIN for that year")
	// ErrJustMailed: a letter with the PIN was queued moments ago and is not
	// printed yet (a second tab, or a button pressed twice).
	ErrJustMailed = errors.New("ippin: a letter with the PIN was just queued")
)

// Service runs the program on the portal's database.
type Service struct {
	DB       *gorm.DB
	Vault    *pii.Vault
	Settings Settings
	// Now is the clock of the calls that act for the system rather than for
	// a person at a given moment: Rollover, the API keys and Check.
	Now func() time.Time
	// Progress, when set, is called after each batch a rollover commits,
	// with the progress recorded so far: for logging.
	Progress func(models.IPPINRollover)
}

// New returns a service on the real clock.
func New(db *gorm.DB, vault *pii.Vault, settings Settings) *Service {
	return &Service{DB: db, Vault: vault, Settings: settings, Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC() }

// yearOf is the calendar year a moment falls in: PINs are for UTC years.
func yearOf(t time.Time) int { return t.UTC().Year() }

// Current returns the taxpayer's PIN for a year, in the clear: for the
// screen that shows it after a fresh sign-in (the caller records the view
// and tells the taxpayer by e-mail). ErrNoPIN when there is none.
func (s *Service) Current(ctx context.Context, taxpayerID uint64, year int) (Issued, error) {
	row, err := s.pinRow(s.DB.WithContext(ctx), taxpayerID, year)
	if err != nil {
		return Issued{}, err
	}
	return s.open(row)
}

// Issued says whether the taxpayer has a PIN for a year, without opening
// it: for pages that say so but must not show it.
func (s *Service) Issued(ctx context.Context, taxpayerID uint64, year int) (bool, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&models.IPPIN{}).Where("taxpayer_id = ? AND year = ?", taxpayerID, year).Count(&n).Error
	return n > 0, err
}

// pinRow reads a year's PIN row, or ErrNoPIN.
func (s *Service) pinRow(db *gorm.DB, taxpayerID uint64, year int) (*models.IPPIN, error) {
	var row models.IPPIN
	err := db.Where("taxpayer_id = ? AND year = ?", taxpayerID, year).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNoPIN
	}
	return &row, err
}

func (s *Service) open(row *models.IPPIN) (Issued, error) {
	digits, err := s.Vault.OpenString(models.IPPINSealColumn(row.TaxpayerID, row.Year), row.PINSealed)
	if err != nil {
		return Issued{}, err
	}
	return Issued{PIN: PIN{digits}, Year: row.Year, IssuedAt: row.IssuedAt.UTC(), Delivery: row.Delivery}, nil
}

// Status is what a dashboard card says about a taxpayer and the program.
type Status struct {
	Year int // the calendar year it describes
	// Enrolled: returns filed this year need a PIN, or will once it is
	// issued. Kind is how, "" when never enrolled.
	Enrolled bool
	Kind     models.IPPINEnrollmentKind
	HasPIN   bool // a PIN is issued for Year
	// OptOutPending: still enrolled this year, but no PIN from OptOutYear.
	OptOutPending bool
	OptOutYear    int
	CanOptOut     bool // a voluntary enrollee with no opt-out pending
	CanOptIn      bool // not enrolled, or an opt-out pending to cancel
	Flagged       bool // guessing was detected; an agent will look
}
