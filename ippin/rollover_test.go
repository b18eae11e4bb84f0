package ippin_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
)

// population enrols a mix of taxpayers and returns who should get a PIN
// for 2027: voluntary enrollees, assigned ones with and without an online
// account, one who opted out, and taxpayers never enrolled.
type population struct {
	due               []uint64 // enrolled for 2027
	optedOut          uint64
	mailed, noAccount int // assigned (all get letters), and those without an account
}

func (f *fixture) population() population {
	f.t.Helper()
	ctx := context.Background()
	var p population
	ssn := func(i int) string { return fmt.Sprintf("900-02-%04d", i) }
	for i := 1; i <= 23; i++ {
		tp := f.taxpayer(ssn(i), "Tax", "Payer")
		switch {
		case i%5 == 0: // never enrolled
		case i == 7:
			if _, err := f.svc.Enrol(ctx, tp.ID, start); err != nil {
				f.t.Fatal(err)
			}
			if _, err := f.svc.OptOut(ctx, tp.ID, start); err != nil {
				f.t.Fatal(err)
			}
			p.optedOut = tp.ID
		case i%6 == 0:
			if i%12 == 0 {
				f.account(tp, "p"+ssn(i)+"@example.com")
			} else {
				p.noAccount++
			}
			p.mailed++
			if _, _, err := f.svc.Assign(ctx, tp.ID, start); err != nil {
				f.t.Fatal(err)
			}
			p.due = append(p.due, tp.ID)
		default:
			if _, err := f.svc.Enrol(ctx, tp.ID, start); err != nil {
				f.t.Fatal(err)
			}
			p.due = append(p.due, tp.ID)
		}
	}
	return p
}

// pinsFor maps taxpayer ids to their number of PIN rows for a year.
func (f *fixture) pinsFor(year int) map[uint64]int {
	f.t.Helper()
	var ids []uint64
	if err := f.db.Model(&models.IPPIN{}).Where("year = ?", year).Pluck("taxpayer_id", &ids).Error; err != nil {
		f.t.Fatal(err)
	}
	m := map[uint64]int{}
	for _, id := range ids {
		m[id]++
	}
	return m
}

func (f *fixture) checkEveryoneDueHasOnePIN(p population, year int) {
	f.t.Helper()
	pins := f.pinsFor(year)
	for _, id := range p.due {
		if pins[id] != 1 {
			f.t.Errorf("taxpayer %d has %d PINs for %d", id, pins[id], year)
		}
	}
	if len(pins) != len(p.due) {
		f.t.Errorf("%d taxpayers have a %d PIN, want %d", len(pins), year, len(p.due))
	}
	if pins[p.optedOut] != 0 {
		f.t.Errorf("the taxpayer who opted out got a %d PIN", year)
	}
}

func TestRolloverIssuesNextYearsPINsAndLetters(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.population()
	lettersBefore := f.count(&models.Letter{}, "")
	f.clock.T = time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	batches := 0
	f.svc.Progress = func(models.IPPINRollover) { batches++ }

	got, err := f.svc.Rollover(ctx, 2027, 4)
	if err != nil {
		t.Fatal(err)
	}
	f.checkEveryoneDueHasOnePIN(p, 2027)
	if got.FinishedAt == nil || got.Issued != int64(len(p.due)) || got.Letters != int64(p.mailed) || got.LettersOwed != 0 {
		t.Errorf("progress %+v; want %d issued, %d letters, none owed", got, len(p.due), p.mailed)
	}
	if want := (len(p.due) + 4) / 4; batches != want {
		t.Errorf("%d batches, want %d", batches, want)
	}
	if n := f.count(&models.Letter{}, "kind = ? AND last_day > ?", models.LetterIPPINNotice, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); n != int64(p.mailed) {
		t.Errorf("%d letters for 2027, want %d", n, p.mailed)
	}
	if n := f.count(&models.Letter{}, "kind = ? AND account_id IS NULL AND last_day > ?", models.LetterIPPINNotice, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); n != int64(p.noAccount) {
		t.Errorf("%d letters for 2027 to holders without an account, want %d", n, p.noAccount)
	}
	if n := f.count(&models.IPPIN{}, "year = 2027 AND delivery = ?", models.IPPINLetter); n != int64(p.mailed) {
		t.Errorf("%d PINs to mail, want %d", n, p.mailed)
	}

	// Running again, even with the progress forgotten, issues nothing new
	// and changes no PIN.
	before, _ := f.svc.Current(ctx, p.due[0], 2027)
	again, err := f.svc.Rollover(ctx, 2027, 4)
	if err != nil || again.Issued != got.Issued {
		t.Errorf("second run: %+v, %v", again, err)
	}
	f.db.Where("year = 2027").Delete(&models.IPPINRollover{})
	fresh, err := f.svc.Rollover(ctx, 2027, 4)
	if err != nil || fresh.Issued != 0 || fresh.Letters != 0 || fresh.FinishedAt == nil {
		t.Errorf("run after the progress was lost: %+v, %v", fresh, err)
	}
	f.checkEveryoneDueHasOnePIN(p, 2027)
	if after, _ := f.svc.Current(ctx, p.due[0], 2027); after.PIN != before.PIN {
		t.Error("running again changed a PIN")
	}
	if n := f.count(&models.Letter{}, ""); n != lettersBefore+int64(p.mailed) {
		t.Errorf("%d letters, want %d", n, lettersBefore+int64(p.mailed))
	}
}

func TestRolloverResumesAfterAnInterruption(t *testing.T) {
	f := newFixture(t)
	p := f.population()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var first models.IPPINRollover
	f.svc.Progress = func(r models.IPPINRollover) {
		if first.Year == 0 {
			first = r
		}
		cancel()
	}
	_, err := f.svc.Rollover(ctx, 2027, 5)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want context.Canceled", err)
	}
	if first.FinishedAt != nil || first.Issued != 5 || first.LastTaxpayerID != p.due[4] {
		t.Errorf("progress after one batch: %+v, want 5 issued up to taxpayer %d", first, p.due[4])
	}
	if n := len(f.pinsFor(2027)); n != 5 {
		t.Errorf("%d PINs after the first batch, want 5", n)
	}

	f.svc.Progress = nil
	done, err := f.svc.Rollover(context.Background(), 2027, 5)
	if err != nil {
		t.Fatal(err)
	}
	f.checkEveryoneDueHasOnePIN(p, 2027)
	if done.FinishedAt == nil || done.Issued != int64(len(p.due)) || done.Letters != int64(p.mailed) {
		t.Errorf("progress after resuming: %+v", done)
	}
	if !done.StartedAt.Equal(start) {
		t.Errorf("started at %v, want the first run's start %v", done.StartedAt, start)
	}
}
