package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/session"
)

// Periodic is upkeep the queue runs on a schedule. River's elected leader,
// one instance among all those sharing the database, enqueues it; any
// instance may work it. Each run is unique within its period, so two
// instances that both believe they lead, for a moment during a change of
// leader, still enqueue it once.
type Periodic interface {
	register(*river.Workers)
	job() *river.PeriodicJob
}

// Job kinds of the upkeep.
const (
	kindCleanUp  = "clean_up"
	kindRollover = "ippin_rollover"
)

// Upkeep gets a few tries: the next period runs it again anyway.
const upkeepAttempts = 3

// attemptsKept is how long failed tries are kept: longer than any window
// a limit counts over.
const attemptsKept = 31 * 24 * time.Hour

type cleanUpArgs struct{}

func (cleanUpArgs) Kind() string { return kindCleanUp }

// CleanUp deletes ended sessions, failed tries too old to count and the
// photos of abandoned identity verifications, every period (5 minutes in
// production). The deletes are idempotent.
func CleanUp(db *gorm.DB, sessions *session.Store, log *slog.Logger, every time.Duration) Periodic {
	return &cleanUp{db: db, sessions: sessions, log: log, every: every}
}

type cleanUp struct {
	river.WorkerDefaults[cleanUpArgs]
	db       *gorm.DB
	sessions *session.Store
	log      *slog.Logger
	every    time.Duration
}

func (c *cleanUp) register(w *river.Workers) { river.AddWorker(w, c) }

func (c *cleanUp) job() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(c.every), func() (river.JobArgs, *river.InsertOpts) {
		return cleanUpArgs{}, c.insertOpts()
	}, &river.PeriodicJobOpts{ID: kindCleanUp})
}

// insertOpts make a clean-up unique within its period.
func (c *cleanUp) insertOpts() *river.InsertOpts {
	return &river.InsertOpts{MaxAttempts: upkeepAttempts, UniqueOpts: river.UniqueOpts{ByPeriod: c.every}}
}

func (c *cleanUp) Work(ctx context.Context, _ *river.Job[cleanUpArgs]) error {
	var errs []error
	if n, err := c.sessions.DeleteExpired(ctx); err != nil {
		errs = append(errs, fmt.Errorf("expired sessions: %w", err))
	} else if n > 0 {
		c.log.Info("expired sessions removed", slog.Int64("count", n))
	}
	if _, err := models.DeleteAttemptsBefore(ctx, c.db, time.Now().Add(-attemptsKept)); err != nil {
		errs = append(errs, fmt.Errorf("old attempts: %w", err))
	}
	docs := documents.Store{DB: c.db}
	if n, err := docs.DeleteAbandoned(ctx, time.Now()); err != nil {
		errs = append(errs, fmt.Errorf("photos of abandoned verifications: %w", err))
	} else if n > 0 {
		c.log.Info("photos of abandoned verifications deleted", slog.Int64("count", n))
	}
	return errors.Join(errs...)
}

// RolloverWindow is when the server issues next year's IP PINs by itself:
// from a day of the year (PORTAL_IPPIN_ROLLOVER_FROM, "12-01" by default)
// to December 31, UTC, checking every CheckEvery. Off disables the job, to
// leave it to the ip-pin rollover command.
type RolloverWindow struct {
	Off        bool
	Month      time.Month
	Day        int
	CheckEvery time.Duration
}

// ParseRolloverWindow reads PORTAL_IPPIN_ROLLOVER_FROM (config checked it
// already): MM-DD or "off".
func ParseRolloverWindow(raw string) (RolloverWindow, error) {
	raw = strings.TrimSpace(raw)
	w := RolloverWindow{Month: time.December, Day: 1, CheckEvery: time.Hour}
	switch strings.ToLower(raw) {
	case "":
		return w, nil
	case "off":
		w.Off = true
		return w, nil
	}
	t, err := time.Parse("01-02", raw)
	if err != nil {
		return w, fmt.Errorf("PORTAL_IPPIN_ROLLOVER_FROM: %q is not a day like 12-01 (month-day), or off", raw)
	}
	w.Month, w.Day = t.Month(), t.Day()
	return w, nil
}

// Due says which year's PINs to issue at now, if any: next year's, from
// the window's first day to the end of this one.
func (w RolloverWindow) Due(now time.Time) (int, bool) {
	now = now.UTC()
	if w.Off || now.Before(time.Date(now.Year(), w.Month, w.Day, 0, 0, 0, 0, time.UTC)) {
		return 0, false
	}
	return now.Year() + 1, true
}

type rolloverArgs struct {
	Year int `json:"year" river:"unique"`
}

func (rolloverArgs) Kind() string { return kindRollover }

// Rollover issues next year's IP PINs while the window is open: each check
// enqueues a run for the year due, unique for that year within the check's
// period. A finished year costs one query; an unfinished one (interrupted,
// or new enrollees since) carries on. The rollover itself takes turns on
// its progress row, so even two runs at once would share the work, not
// repeat it. now is the clock (time.Now outside tests). With the window
// off, it never runs.
func Rollover(svc *ippin.Service, w RolloverWindow, now func() time.Time, log *slog.Logger) Periodic {
	return &rollover{svc: svc, window: w, now: now, log: log}
}

type rollover struct {
	river.WorkerDefaults[rolloverArgs]
	svc    *ippin.Service
	window RolloverWindow
	now    func() time.Time
	log    *slog.Logger
}

func (r *rollover) register(w *river.Workers) { river.AddWorker(w, r) }

func (r *rollover) job() *river.PeriodicJob {
	schedule := river.PeriodicInterval(r.window.CheckEvery)
	if r.window.Off {
		schedule = river.NeverSchedule()
	}
	return river.NewPeriodicJob(schedule, func() (river.JobArgs, *river.InsertOpts) {
		args, opts := r.next()
		if args == nil {
			return nil, nil // River's way to skip a period
		}
		return args, opts
	}, &river.PeriodicJobOpts{ID: kindRollover, RunOnStart: !r.window.Off})
}

// next is the run due now, if any, with the options that make it unique
// for its year within the period.
func (r *rollover) next() (river.JobArgs, *river.InsertOpts) {
	year, ok := r.window.Due(r.now())
	if !ok {
		return nil, nil
	}
	return rolloverArgs{Year: year}, &river.InsertOpts{
		MaxAttempts: upkeepAttempts,
		UniqueOpts:  river.UniqueOpts{ByArgs: true, ByPeriod: r.window.CheckEvery},
	}
}

// Timeout leaves a long rollover time for its batches; one cut short
// carries on at the next check.
func (r *rollover) Timeout(*river.Job[rolloverArgs]) time.Duration { return 30 * time.Minute }

func (r *rollover) Work(ctx context.Context, job *river.Job[rolloverArgs]) error {
	p, err := r.svc.Rollover(ctx, job.Args.Year, 0)
	if err != nil {
		return fmt.Errorf("ip pin rollover for %d: %w", job.Args.Year, err)
	}
	if p.FinishedAt != nil && p.FinishedAt.After(r.now().Add(-r.window.CheckEvery)) {
		r.log.Info("ip pin rollover finished", slog.Int("year", job.Args.Year), slog.Int64("issued", p.Issued), slog.Int64("letters", p.Letters))
	}
	return nil
}
