package models_test

import (
	"testing"
	"time"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// Every change to what a dashboard shows live moves the account's
// activity version, whoever makes it; other accounts' versions stay.
func TestActivityVersionMoves(t *testing.T) {
	db := portaltest.DB(t)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	taxpayer := func(n string) *models.Taxpayer {
		tp := &models.Taxpayer{SSNIndex: "index-" + n, SSNSealed: []byte{1}, SSNLast4: n, FirstName: "Ada", LastName: "Lovelace",
			DOBSealed: []byte{1}, Street1: "1 Main St", City: "Springfield", State: "IL", ZIP: "62701"}
		if err := db.Create(tp).Error; err != nil {
			t.Fatal(err)
		}
		return tp
	}
	mine, other := taxpayer("0001"), taxpayer("0002")
	account := func(email string, tp *models.Taxpayer) *models.Account {
		a := &models.Account{Email: email, PasswordHash: "x", PasswordChangedAt: now, TaxpayerID: &tp.ID}
		if err := db.Create(a).Error; err != nil {
			t.Fatal(err)
		}
		return a
	}
	acct, bystander := account("mine@example.com", mine), account("other@example.com", other)
	version := func(a *models.Account) int64 {
		t.Helper()
		var v int64
		if err := db.Raw("SELECT activity_version FROM accounts WHERE id = ?", a.ID).Scan(&v).Error; err != nil {
			t.Fatal(err)
		}
		return v
	}
	last := version(acct)
	moves := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if v := version(acct); v <= last {
			t.Errorf("%s: version stayed at %d", what, v)
		} else {
			last = v
		}
	}

	moves("security event", db.Create(&models.SecurityEvent{AccountID: acct.ID, Kind: "signed_in", At: now}).Error)
	enrol := models.IPPINEnrollment{TaxpayerID: mine.ID, Kind: models.IPPINVoluntary, EnrolledAt: now}
	moves("enrolment", db.Create(&enrol).Error)
	moves("opting out", db.Model(&enrol).Update("opt_out_year", 2027).Error)
	pin := models.IPPIN{TaxpayerID: mine.ID, Year: 2026, PINSealed: []byte{1}, IssuedAt: now, Delivery: "online"}
	moves("PIN issued", db.Create(&pin).Error)
	moves("PIN removed", db.Delete(&pin).Error)
	moves("stopped return", db.Create(&models.IPPINAlert{TaxpayerID: mine.ID, TaxYear: 2025, Code: "IND-181-01", At: now}).Error)
	moves("enrolment removed", db.Delete(&enrol).Error)
	if v := version(bystander); v != 0 {
		t.Errorf("another account's version moved to %d", v)
	}

	// GORM never writes the version: saving an account read before a
	// change must not set it back.
	stale, err := models.FindAccount(t.Context(), db, acct.ID)
	if err != nil || stale.ActivityVersion != last {
		t.Fatalf("read version %+v, %v; want %d", stale, err, last)
	}
	moves("another event", db.Create(&models.SecurityEvent{AccountID: acct.ID, Kind: "signed_in", At: now}).Error)
	stale.ConsecutiveFailures = 1
	if err := db.Save(stale).Error; err != nil {
		t.Fatal(err)
	}
	if v := version(acct); v != last {
		t.Errorf("saving a stale account set the version from %d to %d", last, v)
	}
}
