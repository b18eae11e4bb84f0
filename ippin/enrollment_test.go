package ippin_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

func TestEnrolIssuesThisYearsPINOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tp := f.taxpayer("900-01-0001", "Ada", "Lovelace")

	first, err := f.svc.Enrol(ctx, tp.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	if first.Year != 2026 || len(first.PIN.Digits()) != 6 || first.Delivery != models.IPPINOnline {
		t.Errorf("Enrol gave %+v (%s)", first, first.PIN.Digits())
	}
	again, err := f.svc.Enrol(ctx, tp.ID, start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if again.PIN != first.PIN || !again.IssuedAt.Equal(first.IssuedAt) {
		t.Errorf("enrolling twice gave another PIN")
	}
	cur, err := f.svc.Current(ctx, tp.ID, 2026)
	if err != nil || cur.PIN != first.PIN {
		t.Errorf("Current = %v, %v", cur, err)
	}
	if _, err := f.svc.Current(ctx, tp.ID, 2027); !errors.Is(err, ippin.ErrNoPIN) {
		t.Errorf("Current for next year: %v, want ErrNoPIN", err)
	}
	if n := f.count(&models.IPPIN{}, ""); n != 1 {
		t.Errorf("%d PIN rows, want 1", n)
	}
	st, err := f.status(t, tp.ID, start)
	want := ippin.Status{Year: 2026, Enrolled: true, Kind: models.IPPINVoluntary, HasPIN: true, CanOptOut: true}
	if err != nil || st != want {
		t.Errorf("Status = %+v, %v; want %+v", st, err, want)
	}
}

func TestStatusOfSomeoneNotEnrolled(t *testing.T) {
	f := newFixture(t)
	tp := f.taxpayer("900-01-0001", "Ada", "Lovelace")
	st, err := f.status(t, tp.ID, start)
	if want := (ippin.Status{Year: 2026, CanOptIn: true}); err != nil || st != want {
		t.Errorf("Status = %+v, %v; want %+v", st, err, want)
	}
}

// The PIN is sealed and bound to its row: the table holds no digits, and a
// sealed PIN copied onto another taxpayer's row does not open.
func TestPINsAreSealedAndBoundToTheirRow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.taxpayer("900-01-0001", "Ada", "Lovelace")
	b := f.taxpayer("900-01-0002", "Bob", "Babbage")
	pa, err := f.svc.Enrol(ctx, a.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Enrol(ctx, b.ID, start); err != nil {
		t.Fatal(err)
	}
	var rows []models.IPPIN
	f.db.Order("taxpayer_id").Find(&rows)
	if strings.Contains(string(rows[0].PINSealed), pa.PIN.Digits()) {
		t.Error("the PIN is stored in the clear")
	}
	if err := f.db.Model(&rows[1]).Update("pin_sealed", rows[0].PINSealed).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Current(ctx, b.ID, 2026); !errors.Is(err, pii.ErrCannotOpen) {
		t.Errorf("a PIN copied from another row opened: %v", err)
	}
	if s := fmt.Sprintf("%v %+v %s", pa, pa.PIN, pa.PIN); strings.Contains(s, pa.PIN.Digits()) {
		t.Errorf("a PIN printed in the clear: %s", s)
	}
}

func TestOptOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tp := f.taxpayer("900-01-0001", "Ada", "Lovelace")
	issued, err := f.svc.Enrol(ctx, tp.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	year, err := f.svc.OptOut(ctx, tp.ID, start.AddDate(0, 1, 0))
	if err != nil || year != 2027 {
		t.Fatalf("OptOut = %d, %v; want 2027", year, err)
	}
	if again, err := f.svc.OptOut(ctx, tp.ID, start.AddDate(0, 2, 0)); err != nil || again != 2027 {
		t.Errorf("opting out again = %d, %v", again, err)
	}
	// This year's PIN stays, and stays required.
	if cur, err := f.svc.Current(ctx, tp.ID, 2026); err != nil || cur.PIN != issued.PIN {
		t.Errorf("this year's PIN after opting out: %v", err)
	}
	st, _ := f.status(t, tp.ID, start.AddDate(0, 2, 0))
	want := ippin.Status{Year: 2026, Enrolled: true, Kind: models.IPPINVoluntary, HasPIN: true, OptOutPending: true, OptOutYear: 2027, CanOptIn: true}
	if st != want {
		t.Errorf("Status = %+v, want %+v", st, want)
	}
	// Next year's rollover passes them by; the year after, they are out.
	f.clock.T = start.AddDate(0, 9, 0)
	if _, err := f.svc.Rollover(ctx, 2027, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Current(ctx, tp.ID, 2027); !errors.Is(err, ippin.ErrNoPIN) {
		t.Errorf("opted out, yet a 2027 PIN: %v", err)
	}
	later := start.AddDate(1, 0, 0)
	st, _ = f.status(t, tp.ID, later)
	if want := (ippin.Status{Year: 2027, Kind: models.IPPINVoluntary, CanOptIn: true}); st != want {
		t.Errorf("Status a year on = %+v, want %+v", st, want)
	}
	if _, err := f.svc.OptOut(ctx, tp.ID, later); !errors.Is(err, ippin.ErrNotEnrolled) {
		t.Errorf("opting out when out: %v", err)
	}
	// Back in: a new PIN for the new year.
	back, err := f.svc.Enrol(ctx, tp.ID, later)
	if err != nil || back.Year != 2027 {
		t.Fatalf("opting back in: %+v, %v", back, err)
	}
	if st, _ = f.status(t, tp.ID, later); !st.Enrolled || st.OptOutPending || !st.CanOptOut {
		t.Errorf("Status after opting back in = %+v", st)
	}
}

// Opting out after next year's PIN was issued keeps that PIN: the opt-out
// starts the year after.
func TestOptOutAfterTheRolloverKeepsNextYearsPIN(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tp := f.taxpayer("900-01-0001", "Ada", "Lovelace")
	if _, err := f.svc.Enrol(ctx, tp.ID, start); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Rollover(ctx, 2027, 0); err != nil {
		t.Fatal(err)
	}
	year, err := f.svc.OptOut(ctx, tp.ID, start.AddDate(0, 9, 0))
	if err != nil || year != 2028 {
		t.Errorf("OptOut = %d, %v; want 2028", year, err)
	}
}

func TestOptingBackInCancelsAPendingOptOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tp := f.taxpayer("900-01-0001", "Ada", "Lovelace")
	first, _ := f.svc.Enrol(ctx, tp.ID, start)
	if _, err := f.svc.OptOut(ctx, tp.ID, start); err != nil {
		t.Fatal(err)
	}
	back, err := f.svc.Enrol(ctx, tp.ID, start.Add(time.Hour))
	if err != nil || back.PIN != first.PIN {
		t.Errorf("opting back in the same year changed the PIN: %v", err)
	}
	var e models.IPPINEnrollment
	f.db.Take(&e, "taxpayer_id = ?", tp.ID)
	if e.OptOutYear != nil || e.OptOutRequestedAt != nil || !e.EnrolledAt.Equal(start) {
		t.Errorf("enrollment after opting back in: %+v", e)
	}
}

func TestAssignedPINsCannotBeGivenUpAndAreMailed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	withAccount := f.taxpayer("900-01-0001", "Ada", "Lovelace")
	acct := f.account(withAccount, "ada@example.com")
	noAccount := f.taxpayer("900-01-0002", "Bob", "Babbage")

	issued, mailed, err := f.svc.Assign(ctx, withAccount.ID, start)
	if err != nil || !mailed || issued.Delivery != models.IPPINLetter {
		t.Fatalf("Assign = %+v, %v, %v", issued, mailed, err)
	}
	if _, err := f.svc.OptOut(ctx, withAccount.ID, start); !errors.Is(err, ippin.ErrAssigned) {
		t.Errorf("opting out of an assigned PIN: %v, want ErrAssigned", err)
	}
	if st, _ := f.status(t, withAccount.ID, start); st.CanOptOut || st.Kind != models.IPPINAssigned {
		t.Errorf("Status = %+v", st)
	}
	var l models.Letter
	if err := f.db.Take(&l, "taxpayer_id = ?", withAccount.ID).Error; err != nil {
		t.Fatal(err)
	}
	printed, err := f.vault.OpenString(models.ColumnLetterCode, l.CodeSealed)
	if err != nil || printed != issued.PIN.Digits() {
		t.Errorf("the letter's sealed PIN does not open to the PIN: %v", err)
	}
	if l.Kind != models.LetterIPPINNotice || l.AccountID == nil || *l.AccountID != acct.ID || l.Name != "Ada Lovelace" || l.Street1 != "1 Main St" ||
		l.ZIP != "62701" || l.CodeHash != "" || !l.LastDay.Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("letter %+v", l)
	}

	// Holders without an online account are mailed theirs too.
	if _, mailed, err := f.svc.Assign(ctx, noAccount.ID, start); err != nil || !mailed {
		t.Errorf("Assign without an account: mailed %v, %v", mailed, err)
	}
	var nl models.Letter
	if err := f.db.Take(&nl, "taxpayer_id = ?", noAccount.ID).Error; err != nil || nl.AccountID != nil || nl.Name != "Bob Babbage" {
		t.Errorf("letter without an account %+v, %v", nl, err)
	}

	// A voluntary enrollee who is then assigned one keeps this year's PIN
	// and can no longer opt out.
	vol := f.taxpayer("900-01-0003", "Cy", "Hopper")
	f.account(vol, "cy@example.com")
	first, _ := f.svc.Enrol(ctx, vol.ID, start)
	again, mailed, err := f.svc.Assign(ctx, vol.ID, start)
	if err != nil || mailed || again.PIN != first.PIN {
		t.Errorf("assigning a voluntary enrollee: mailed %v, %v", mailed, err)
	}
	if _, err := f.svc.OptOut(ctx, vol.ID, start); !errors.Is(err, ippin.ErrAssigned) {
		t.Errorf("opting out after assignment: %v", err)
	}
	if n := f.count(&models.Letter{}, ""); n != 2 {
		t.Errorf("%d letters, want 2", n)
	}
}

// Enrolling once next year's rollover has begun issues next year's PIN
// too, so a late-December enrollee is not missed.
func TestEnrollingDuringTheRolloverIssuesNextYearsPIN(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.taxpayer("900-01-0001", "Ada", "Lovelace")
	if _, err := f.svc.Rollover(ctx, 2027, 0); err != nil {
		t.Fatal(err)
	}
	late := f.taxpayer("900-01-0002", "Bob", "Babbage")
	if _, err := f.svc.Enrol(ctx, late.ID, time.Date(2026, 12, 28, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for _, y := range []int{2026, 2027} {
		if _, err := f.svc.Current(ctx, late.ID, y); err != nil {
			t.Errorf("PIN for %d: %v", y, err)
		}
	}
}

func TestFlaggedAndClearFlag(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tp := f.taxpayer("900-01-0001", "Ada", "Lovelace")
	f.svc.Enrol(ctx, tp.ID, start)
	f.db.Model(&models.IPPINEnrollment{}).Where("taxpayer_id = ?", tp.ID).Update("flagged_at", start)
	list, err := f.svc.Flagged(ctx, 10)
	if err != nil || len(list) != 1 || list[0].TaxpayerID != tp.ID {
		t.Fatalf("Flagged = %v, %v", list, err)
	}
	if st, err := f.status(t, tp.ID, start); err != nil || !st.Flagged || !st.Enrolled {
		t.Errorf("Status of a flagged enrollee = %+v, %v", st, err)
	}
	if err := f.svc.ClearFlag(ctx, tp.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.svc.Flagged(ctx, 10); len(list) != 0 {
		t.Errorf("still flagged: %v", list)
	}
	if st, err := f.status(t, tp.ID, start); err != nil || st.Flagged {
		t.Errorf("Status after clearing = %+v, %v", st, err)
	}
}

// MailCurrent mails this year's PIN again to the address of record, for
// taxpayers with and without an online account, and refuses when there is
// no PIN.
func TestMailCurrent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	online := f.taxpayer("900-01-0001", "Ada", "Lovelace")
	acct := f.account(online, "ada@example.com")
	offline := f.taxpayer("900-01-0002", "Bob", "Babbage")
	none := f.taxpayer("900-01-0003", "Cy", "Hopper")

	issued, err := f.svc.Enrol(ctx, online.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	assigned, _, err := f.svc.Assign(ctx, offline.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	later := start.Add(48 * time.Hour)
	for _, c := range []struct {
		tp      *models.Taxpayer
		pin     string
		account *uint64
	}{{online, issued.PIN.Digits(), &acct.ID}, {offline, assigned.PIN.Digits(), nil}} {
		if err := f.svc.MailCurrent(ctx, c.tp.ID, later, nil); err != nil {
			t.Fatalf("MailCurrent(%s): %v", c.tp.FirstName, err)
		}
		var l models.Letter
		if err := f.db.Where("taxpayer_id = ? AND sent_at = ?", c.tp.ID, later).Take(&l).Error; err != nil {
			t.Fatalf("no reissued letter for %s: %v", c.tp.FirstName, err)
		}
		printed, err := f.vault.OpenString(models.ColumnLetterCode, l.CodeSealed)
		if err != nil || printed != c.pin {
			t.Errorf("%s: the letter does not carry the PIN: %v", c.tp.FirstName, err)
		}
		if l.Kind != models.LetterIPPINNotice || l.Street1 != "1 Main St" || l.CodeHash != "" ||
			(c.account == nil) != (l.AccountID == nil) || (c.account != nil && *l.AccountID != *c.account) {
			t.Errorf("%s: letter %+v", c.tp.FirstName, l)
		}
	}
	// Asked again moments later (a second tab): no second letter.
	if err := f.svc.MailCurrent(ctx, online.ID, later.Add(time.Minute), nil); !errors.Is(err, ippin.ErrJustMailed) {
		t.Errorf("mailing again a minute later: %v, want ErrJustMailed", err)
	}
	if err := f.svc.MailCurrent(ctx, none.ID, later, nil); !errors.Is(err, ippin.ErrNoPIN) {
		t.Errorf("MailCurrent without a PIN: %v, want ErrNoPIN", err)
	}
	// Next year, before the rollover reaches them, there is no PIN to mail.
	if err := f.svc.MailCurrent(ctx, online.ID, time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), nil); !errors.Is(err, ippin.ErrNoPIN) {
		t.Errorf("MailCurrent for a year without a PIN: %v, want ErrNoPIN", err)
	}
}

func TestIssuedSaysWhetherAYearHasAPIN(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tp := f.taxpayer("900-01-0002", "Grace", "Hopper")
	if has, err := f.svc.Issued(ctx, tp.ID, 2026); err != nil || has {
		t.Fatalf("before enrolling: %v %v", has, err)
	}
	if _, err := f.svc.Enrol(ctx, tp.ID, start); err != nil {
		t.Fatal(err)
	}
	if has, err := f.svc.Issued(ctx, tp.ID, 2026); err != nil || !has {
		t.Errorf("the year enrolled: %v %v", has, err)
	}
	if has, _ := f.svc.Issued(ctx, tp.ID, 2027); has {
		t.Error("next year before the rollover")
	}
}
