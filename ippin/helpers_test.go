package ippin_test

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
)

func testVault(t testing.TB) *pii.Vault {
	t.Helper()
	v, err := pii.NewVault(portaltest.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// start is when tests begin: in the middle of a filing season.
var start = time.Date(2026, time.March, 10, 14, 0, 0, 0, time.UTC)

// fixture is a service on a fresh database with a settable clock.
type fixture struct {
	t     testing.TB
	db    *gorm.DB
	vault *pii.Vault
	clock *portaltest.Clock
	svc   *ippin.Service
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, db: portaltest.DB(t), vault: testVault(t), clock: &portaltest.Clock{T: start}}
	f.svc = ippin.New(f.db, f.vault, ippin.DefaultSettings())
	f.svc.Now = f.clock.Now
	return f
}

// taxpayer adds a taxpayer with an SSN that is never issued.
func (f *fixture) taxpayer(ssn, first, last string) *models.Taxpayer {
	f.t.Helper()
	tp := &models.Taxpayer{FirstName: first, LastName: last, Street1: "1 Main St", City: "Springfield", State: "IL", ZIP: "62701"}
	if err := tp.Seal(f.vault, models.PersonalData{SSN: pii.MustSSN(ssn), DOB: time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
		f.t.Fatal(err)
	}
	if err := f.db.Create(tp).Error; err != nil {
		f.t.Fatal(err)
	}
	return tp
}

// account links a confirmed online account to a taxpayer.
func (f *fixture) account(tp *models.Taxpayer, email string) *models.Account {
	f.t.Helper()
	now := f.clock.Now()
	a := &models.Account{Email: email, PasswordHash: "x", PasswordChangedAt: now, TaxpayerID: &tp.ID, VerifiedAt: &now, EmailConfirmedAt: &now}
	if err := f.db.Create(a).Error; err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) count(model any, where string, args ...any) int64 {
	f.t.Helper()
	var n int64
	q := f.db.Model(model)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

// status reads a taxpayer's Status both ways the portal does, alone and
// with the dashboard's alert, and fails the test if they disagree.
func (f *fixture) status(t *testing.T, taxpayerID uint64, now time.Time) (ippin.Status, error) {
	t.Helper()
	st, err := f.svc.Status(t.Context(), taxpayerID, now)
	withAlert, _, err2 := f.svc.StatusAndAlert(t.Context(), taxpayerID, now, now)
	if err == nil && err2 == nil && withAlert != st {
		t.Errorf("StatusAndAlert gives %+v, Status %+v", withAlert, st)
	}
	return st, errors.Join(err, err2)
}
