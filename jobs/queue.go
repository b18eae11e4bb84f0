// Package jobs is the portal's work done outside a request: the e-mails and
// text messages its flows send, and the periodic upkeep (clean-up, the IP PIN
// rollover). It runs on River, a job queue in the portal's own database.
//
// A message is a row in river_job written in the same transaction as the
// change that causes it, so it goes out if and only if that change commits.
// A worker then sends it, at least once, and retries with a growing wait
// while the mail server or phone provider is down; the row records that it
// went out (River's completed state). Rows hold the message sealed with the
// vault, so nobody who reads the database can lift a reset link or a code
// from the queue.
//
// Periodic jobs are enqueued by the one instance River elects leader among
// all those sharing the database, and are unique per period, so a change of
// leader cannot run one twice.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/pii"
)

// Settings are the queue's numbers; DefaultSettings gives production's.
type Settings struct {
	// RetryFirst is the wait after a message's first failed try; each
	// later wait doubles, up to RetryMax.
	RetryFirst time.Duration
	RetryMax   time.Duration
	// Attempts is how many tries a message gets before it is given up.
	Attempts int
	// Workers is how many jobs one instance works at once.
	Workers int
	// KeepSent and KeepFailed are how long the rows of sent and of given-up
	// messages stay (sealed) in the table, for the console's numbers.
	KeepSent, KeepFailed time.Duration
	// PollEvery is how often an instance looks for new jobs when nothing
	// told it of one (on PostgreSQL, always: River's database/sql driver
	// has no LISTEN).
	PollEvery time.Duration
	// Fast shortens River's start-up and maintenance pauses, for tests.
	Fast bool
}

// DefaultSettings wait 10 s after a first failure, doubling to at most 15
// minutes between tries, and give up after 25 tries: a message survives a
// mail server that is down for about four and a half hours.
func DefaultSettings() Settings {
	return Settings{
		RetryFirst: 10 * time.Second,
		RetryMax:   15 * time.Minute,
		Attempts:   25,
		Workers:    10,
		KeepSent:   24 * time.Hour,
		KeepFailed: 7 * 24 * time.Hour,
		PollEvery:  time.Second,
	}
}

// GivesUpAfter is how long a message is retried, from its first try to its
// last, if every try fails at once.
func (s Settings) GivesUpAfter() time.Duration {
	var total time.Duration
	for attempt := 1; attempt < s.Attempts; attempt++ {
		total += backoff(s, attempt)
	}
	return total
}

// Deps is what a Queue is built from.
type Deps struct {
	DB       *gorm.DB
	Vault    *pii.Vault
	Mailer   notify.Mailer
	Phone    notify.Phone // nil: texts and calls are refused when queued
	Log      *slog.Logger
	Settings Settings
	Periodic []Periodic
}

// Queue puts messages on the queue and, once started, works it. It
// implements notify.Queue.
type Queue struct {
	db       *gorm.DB
	vault    *pii.Vault
	mailer   notify.Mailer
	phone    notify.Phone
	log      *slog.Logger
	settings Settings
	client   *river.Client[*sql.Tx]
	carryOut func(ctx context.Context, payload []byte) error
}

var _ notify.Queue = (*Queue)(nil)

// New builds the queue's River client on the database's own pool. It
// neither fetches nor runs periodic jobs until Start.
func New(d Deps) (*Queue, error) {
	if d.Settings.Attempts < 1 || d.Settings.RetryFirst <= 0 || d.Settings.RetryMax < d.Settings.RetryFirst {
		return nil, errors.New("jobs: settings need at least one attempt and a retry maximum not below the first wait")
	}
	driver, err := models.QueueDriver(d.DB)
	if err != nil {
		return nil, err
	}
	q := &Queue{db: d.DB, vault: d.Vault, mailer: d.Mailer, phone: d.Phone, log: d.Log, settings: d.Settings}
	workers := river.NewWorkers()
	river.AddWorker(workers, &emailWorker{q: q})
	river.AddWorker(workers, &textWorker{q: q})
	river.AddWorker(workers, &callWorker{q: q})
	river.AddWorker(workers, &accountRequestWorker{q: q})
	var periodic []*river.PeriodicJob
	for _, p := range d.Periodic {
		p.register(workers)
		periodic = append(periodic, p.job())
	}
	cfg := &river.Config{
		Workers:                     workers,
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: max(d.Settings.Workers, 1)}},
		PeriodicJobs:                periodic,
		MaxAttempts:                 d.Settings.Attempts,
		RetryPolicy:                 retryPolicy{d.Settings},
		CompletedJobRetentionPeriod: d.Settings.KeepSent,
		CancelledJobRetentionPeriod: d.Settings.KeepFailed,
		DiscardedJobRetentionPeriod: d.Settings.KeepFailed,
		FetchPollInterval:           d.Settings.PollEvery,
		Logger:                      d.Log.With(slog.String("component", "jobs")),
		TestOnly:                    d.Settings.Fast,
	}
	if d.Settings.Fast {
		cfg.FetchCooldown = min(cfg.FetchPollInterval, 10*time.Millisecond)
	}
	q.client, err = river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return q, nil
}

// Start begins fetching and working jobs, and takes part in the election
// of the instance that enqueues periodic jobs. It returns at once.
func (q *Queue) Start(ctx context.Context) error {
	// The client outlives ctx's cancellation: Stop decides how it ends.
	return q.client.Start(context.WithoutCancel(ctx))
}

// Stop stops fetching and waits for the jobs in hand to finish until ctx
// ends; then it cancels them (they are tried again later, by this instance
// or another).
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil {
		return nil
	}
	cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := q.client.StopAndCancel(cancelCtx); err != nil {
		return fmt.Errorf("jobs: stopping: %w", err)
	}
	return err
}

// insert writes a job in tx's transaction when tx is one, or on its own
// when tx is the database itself (for a message that follows no write).
func (q *Queue) insert(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	if tx == nil {
		return nil, errors.New("jobs: no transaction given")
	}
	sqlTx, err := models.SQLTx(tx)
	switch {
	case err == nil:
		return q.client.InsertTx(ctx, sqlTx, args, opts)
	case errors.Is(err, models.ErrNotInTransaction):
		return q.client.Insert(ctx, args, opts)
	}
	return nil, err
}

// messageKinds are the job kinds that carry messages, or lead to one.
var messageKinds = []string{kindEmail, kindText, kindCall, kindAccountRequest}

// Drain waits until no message is waiting to be worked now or being
// worked, or ctx ends: tests call it before reading what was sent, as a
// person would wait for the e-mail. Messages waiting for a later retry do
// not count. The queue must be started.
func (q *Queue) Drain(ctx context.Context) error {
	for {
		var n int64
		err := q.db.WithContext(ctx).Table("river_job").
			Where("kind IN ? AND state IN ?", messageKinds, []string{"available", "running", "pending"}).Count(&n).Error
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("jobs: %d messages still to send: %w", n, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}
