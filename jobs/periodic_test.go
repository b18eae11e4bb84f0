package jobs_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/jobs"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
	"github.com/taxportal/portal/session"
)

func TestRolloverWindow(t *testing.T) {
	w, err := jobs.ParseRolloverWindow("")
	if err != nil || w.Off || w.Month != time.December || w.Day != 1 || w.CheckEvery != time.Hour {
		t.Fatalf("default window %+v, %v", w, err)
	}
	for _, c := range []struct {
		now  time.Time
		year int
		due  bool
	}{
		{time.Date(2026, 11, 30, 23, 59, 0, 0, time.UTC), 0, false},
		{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), 2027, true},
		{time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), 2027, true},
		{time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), 0, false},
	} {
		if y, ok := w.Due(c.now); y != c.year || ok != c.due {
			t.Errorf("Due(%s) = %d, %v", c.now, y, ok)
		}
	}
	if w, err := jobs.ParseRolloverWindow("11-15"); err != nil || w.Month != time.November || w.Day != 15 {
		t.Errorf("11-15: %+v, %v", w, err)
	}
	if w, err := jobs.ParseRolloverWindow("off"); err != nil || !w.Off {
		t.Errorf("off: %+v, %v", w, err)
	}
	if _, err := jobs.ParseRolloverWindow("December"); err == nil || !strings.Contains(err.Error(), "PORTAL_IPPIN_ROLLOVER_FROM") {
		t.Errorf("a bad value: %v", err)
	}
}

// rolloverFixture is a database with three taxpayers, one enrolled in the
// IP PIN program for 2026.
func rolloverFixture(t *testing.T) (fixture, *ippin.Service, func() int64) {
	t.Helper()
	f := newFixture(t)
	if _, err := demodata.Seed(t.Context(), f.db, f.vault, demodata.Options{Taxpayers: 3}); err != nil {
		t.Fatal(err)
	}
	svc := ippin.New(f.db, f.vault, ippin.DefaultSettings())
	if _, err := svc.Enrol(t.Context(), 1, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	issued := func() int64 {
		var n int64
		f.db.Model(&models.IPPIN{}).Where("year = 2027").Count(&n)
		return n
	}
	return f, svc, issued
}

// The queue's periodic job issues next year's PINs once the window opens,
// and only then.
func TestScheduledRollover(t *testing.T) {
	f, svc, issued := rolloverFixture(t)
	clock := &portaltest.Clock{T: time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC)}
	// River's uniqueness periods are whole seconds at least.
	w := jobs.RolloverWindow{Month: time.December, Day: 1, CheckEvery: time.Second}
	q := f.queue(t, jobs.Deps{Periodic: []jobs.Periodic{jobs.Rollover(svc, w, clock.Now, slog.New(slog.DiscardHandler))}})
	start(t, q)
	time.Sleep(1500 * time.Millisecond) // two checks
	if n := issued(); n != 0 {
		t.Fatalf("%d PINs issued before the window", n)
	}
	clock.Advance(3 * time.Hour) // December 1
	waitFor(t, 15*time.Second, "the rollover", func() bool { return issued() > 0 })
	if n := issued(); n != 1 {
		t.Errorf("%d PINs for 2027, want 1", n)
	}
}

// Two instances that both believe they lead, for a moment during a change
// of leader, both enqueue the periodic jobs: each runs once in its period
// all the same. The next period runs again.
func TestPeriodicJobsAreUniquePerPeriod(t *testing.T) {
	f, svc, _ := rolloverFixture(t)
	clock := &portaltest.Clock{T: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	w := jobs.RolloverWindow{Month: time.December, Day: 1, CheckEvery: time.Hour}
	log := slog.New(slog.DiscardHandler)
	rollover := jobs.Rollover(svc, w, clock.Now, log)
	cleanUp := jobs.CleanUp(f.db, session.NewStore(f.db, session.Options{}), log, time.Hour)
	a := f.queue(t, jobs.Deps{Periodic: []jobs.Periodic{rollover, cleanUp}})
	b := f.queue(t, jobs.Deps{Periodic: []jobs.Periodic{rollover, cleanUp}})
	count := func(kind string) int64 {
		var n int64
		f.db.Table("river_job").Where("kind = ?", kind).Count(&n)
		return n
	}
	for _, p := range []jobs.Periodic{rollover, cleanUp} {
		for i, q := range []*jobs.Queue{a, b} {
			inserted, err := jobs.EnqueuePeriodic(t.Context(), q, p)
			if err != nil {
				t.Fatal(err)
			}
			if inserted != (i == 0) {
				t.Errorf("instance %d inserted %v", i, inserted)
			}
		}
	}
	if r, c := count("ippin_rollover"), count("clean_up"); r != 1 || c != 1 {
		t.Errorf("%d rollovers and %d clean-ups queued in one period, want 1 each", r, c)
	}
	// The rollover's uniqueness is by its period in the real clock; the
	// year due comes from the portal's clock. A later year is another job.
	clock.Advance(365 * 24 * time.Hour)
	if inserted, err := jobs.EnqueuePeriodic(t.Context(), b, rollover); err != nil || !inserted {
		t.Errorf("next year's rollover: %v, %v", inserted, err)
	}
}

// With many instances on one database, River elects one leader, and only
// the leader enqueues periodic jobs.
func TestOneInstanceLeads(t *testing.T) {
	f := newFixture(t)
	log := slog.New(slog.DiscardHandler)
	const every = time.Second
	for range 3 {
		start(t, f.queue(t, jobs.Deps{Periodic: []jobs.Periodic{jobs.CleanUp(f.db, session.NewStore(f.db, session.Options{}), log, every)}}))
	}
	began := time.Now()
	waitFor(t, 15*time.Second, "a leader", func() bool {
		var n int64
		f.db.Table("river_leader").Count(&n)
		return n == 1
	})
	time.Sleep(3 * every)
	var n int64
	f.db.Table("river_job").Where("kind = 'clean_up'").Count(&n)
	// About one a period, whichever instance leads.
	if most := int64(time.Since(began)/every) + 1; n == 0 || n > most {
		t.Errorf("%d clean-ups queued in %s at one every %s", n, time.Since(began).Round(time.Millisecond), every)
	}
	var leaders int64
	f.db.Table("river_leader").Count(&leaders)
	if leaders != 1 {
		t.Errorf("%d leaders", leaders)
	}
}

// The clean-up job deletes ended sessions and old failed tries, and keeps
// the rest.
func TestCleanUpDeletesWhatEnded(t *testing.T) {
	f := newFixture(t)
	now := time.Now().UTC()
	sessions := session.NewStore(f.db, session.Options{Idle: 15 * time.Minute, Absolute: 12 * time.Hour})
	for _, s := range []models.Session{
		{IDHash: "ended", CreatedAt: now.Add(-13 * time.Hour), LastSeenAt: now.Add(-time.Hour), ExpiresAt: now.Add(-time.Hour)},
		{IDHash: "live", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)},
	} {
		if err := f.db.Create(&s).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := models.RecordAttempt(t.Context(), f.db, now.Add(-40*24*time.Hour), "old"); err != nil {
		t.Fatal(err)
	}
	if err := models.RecordAttempt(t.Context(), f.db, now, "recent"); err != nil {
		t.Fatal(err)
	}
	cleanUp := jobs.CleanUp(f.db, sessions, slog.New(slog.DiscardHandler), time.Hour)
	q := f.queue(t, jobs.Deps{Periodic: []jobs.Periodic{cleanUp}})
	if _, err := jobs.EnqueuePeriodic(t.Context(), q, cleanUp); err != nil {
		t.Fatal(err)
	}
	start(t, q)
	waitFor(t, 10*time.Second, "the clean-up", func() bool {
		var n int64
		f.db.Table("river_job").Where("kind = 'clean_up' AND state = 'completed'").Count(&n)
		return n == 1
	})
	var ids []string
	f.db.Model(&models.Session{}).Pluck("id_hash", &ids)
	var keys []string
	f.db.Model(&models.Attempt{}).Pluck("key", &keys)
	if len(ids) != 1 || ids[0] != "live" || len(keys) != 1 || keys[0] != "recent" {
		t.Errorf("left sessions %v and attempts %v", ids, keys)
	}
}
