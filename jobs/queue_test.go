package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/jobs"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
)

// syncBuffer collects log output from the queue's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fastSettings is production's retry schedule compressed 500 times (10 s
// becomes 20 ms, 15 minutes 1.8 s), with the same number of tries.
func fastSettings() jobs.Settings {
	s := jobs.DefaultSettings()
	s.RetryFirst, s.RetryMax = s.RetryFirst/500, s.RetryMax/500
	s.PollEvery, s.Fast = 20*time.Millisecond, true
	return s
}

type fixture struct {
	db    *gorm.DB
	vault *pii.Vault
	logs  *syncBuffer
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	vault, err := pii.NewVault(portaltest.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{db: portaltest.DB(t), vault: vault, logs: &syncBuffer{}}
}

func (f fixture) queue(t *testing.T, d jobs.Deps) *jobs.Queue {
	t.Helper()
	d.DB, d.Vault = f.db, f.vault
	d.Log = slog.New(slog.NewTextHandler(f.logs, nil))
	if d.Settings.Attempts == 0 {
		d.Settings = fastSettings()
	}
	q, err := jobs.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func start(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
}

func message(i int) notify.Message {
	return notify.Message{
		To:      fmt.Sprintf("person%d@example.com", i),
		Subject: fmt.Sprintf("Reset your password (%d)", i),
		Text:    fmt.Sprintf("Open https://portal.test/password/reset?token=secret-token-%d within 30 minutes.\nCode: 12345%d\n", i, i),
		HTML:    fmt.Sprintf("<p>Open <a href=\"https://portal.test/password/reset?token=secret-token-%d\">the link</a>. Ünïcode = fine.</p>", i),
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A mail server that is down for a while (connections refused, then "451
// try again later") and comes back loses nothing: every message queued
// while it was away arrives once, exactly as built. The outage and the
// retry schedule are production's, compressed 500 times (fastSettings): a
// minute-long outage becomes 120 ms of refused connections plus as long
// again of 451 answers, against a first retry after 20 ms instead of 10 s.
func TestMessagesSurviveAnSMTPOutage(t *testing.T) {
	f := newFixture(t)
	srv := notifytest.StartSMTPServer(t)
	srv.Down()
	mailer, err := notify.NewSMTPMailer("smtp://"+srv.Addr, "Demonstration Tax Agency <no-reply@example.gov>",
		notify.SMTPOptions{DialTimeout: time.Second, SendTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	q := f.queue(t, jobs.Deps{Mailer: mailer})
	const n = 6
	// Queued in the transactions of the changes that cause them; the last
	// transaction rolls back, and its message must never go out.
	for i := range n {
		err := f.db.Transaction(func(tx *gorm.DB) error { return q.Mail(t.Context(), tx, message(i)) })
		if err != nil {
			t.Fatal(err)
		}
	}
	rollback := errors.New("the change failed")
	if err := f.db.Transaction(func(tx *gorm.DB) error {
		if err := q.Mail(t.Context(), tx, message(99)); err != nil {
			return err
		}
		return rollback
	}); !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	start(t, q)

	tries := func(min int) func() bool {
		return func() bool {
			var tried int64
			f.db.Table("river_job").Where("kind = 'email' AND attempt >= ?", min).Count(&tried)
			return tried == n
		}
	}
	waitFor(t, 10*time.Second, "every message to be refused twice", tries(2))
	time.Sleep(120 * time.Millisecond) // down for the compressed minute
	srv.TempFail(true)
	srv.Up()
	waitFor(t, 10*time.Second, "451 answers", func() bool { return srv.TempFailed() >= n })
	time.Sleep(120 * time.Millisecond)
	srv.TempFail(false)

	waitFor(t, 30*time.Second, "every message to arrive", func() bool { return len(srv.Messages()) >= n })
	if err := q.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := map[string]notify.Message{}
	for _, raw := range srv.Messages() {
		m, err := raw.Decode()
		if err != nil {
			t.Fatal(err)
		}
		if _, twice := got[m.To]; twice {
			t.Errorf("%s got its message twice", m.To)
		}
		got[m.To] = m
	}
	for i := range n {
		want := message(i)
		if got[want.To] != want {
			t.Errorf("message %d arrived as %+v, want %+v", i, got[want.To], want)
		}
	}
	if _, ok := got[message(99).To]; ok || len(got) != n {
		t.Errorf("%d messages arrived, want %d (the rolled-back one must not)", len(got), n)
	}
	var sent int64
	f.db.Table("river_job").Where("kind = 'email' AND state = 'completed'").Count(&sent)
	if sent != n {
		t.Errorf("%d jobs recorded as sent, want %d", sent, n)
	}
}

// Production's retries outlast an hour-long outage before giving up.
func TestDefaultRetriesOutlastAnHourLongOutage(t *testing.T) {
	s := jobs.DefaultSettings()
	if got := s.GivesUpAfter(); got < 4*time.Hour {
		t.Errorf("messages are given up after %s of failures; an outage of an hour must not lose one", got)
	}
}

// The queue table holds messages sealed: whoever reads the database finds
// neither the reset link, nor the code, nor the address.
func TestQueuedMessagesAreSealed(t *testing.T) {
	f := newFixture(t)
	q := f.queue(t, jobs.Deps{Mailer: &notifytest.Capture{}, Phone: &notifytest.Capture{}})
	m := message(1)
	if err := q.Mail(t.Context(), f.db, m); err != nil {
		t.Fatal(err)
	}
	if err := q.Text(t.Context(), f.db, "5550100123", "Your code is 654321"); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Kind string
		Args string
	}
	if err := f.db.Raw("SELECT kind, CAST(args AS TEXT) AS args FROM river_job").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		for _, secret := range []string{"secret-token-1", "123451", m.To, "person1", "Reset your password", "654321", "5550100123", "0100"} {
			if strings.Contains(r.Args, secret) {
				t.Errorf("%s job's args show %q: %s", r.Kind, secret, r.Args)
			}
		}
	}
}

// A message that cannot go out is refused when queued, with the reason,
// rather than retried for hours; so are texts without a phone provider.
func TestInvalidMessagesAreRefusedWhenQueued(t *testing.T) {
	f := newFixture(t)
	q := f.queue(t, jobs.Deps{Mailer: &notifytest.Capture{}})
	bad := message(1)
	bad.To = "victim@example.com\r\nBcc: everyone@example.com"
	if err := q.Mail(t.Context(), f.db, bad); !errors.Is(err, notify.ErrInvalidMessage) {
		t.Errorf("header injection queued: %v", err)
	}
	if err := q.Text(t.Context(), f.db, "5550100123", "code"); !errors.Is(err, jobs.ErrNoPhone) {
		t.Errorf("a text without a phone provider: %v", err)
	}
	var n int64
	f.db.Table("river_job").Count(&n)
	if n != 0 {
		t.Errorf("%d jobs queued", n)
	}
}

// failingMailer refuses every message the way a mail server does, quoting
// the address.
type failingMailer struct{}

func (failingMailer) Send(_ context.Context, m notify.Message) error {
	return fmt.Errorf("450 4.2.1 <%s>: mailbox busy", m.To)
}

// A message that finally fails is logged (kind, job, tries), and neither
// the log nor the job's stored errors name the recipient.
func TestGivenUpMessagesAreLoggedWithoutTheRecipient(t *testing.T) {
	f := newFixture(t)
	s := fastSettings()
	s.Attempts = 3
	q := f.queue(t, jobs.Deps{Mailer: failingMailer{}, Settings: s})
	m := message(7)
	if err := q.Mail(t.Context(), f.db, m); err != nil {
		t.Fatal(err)
	}
	start(t, q)
	waitFor(t, 10*time.Second, "the message to be given up", func() bool {
		var n int64
		f.db.Table("river_job").Where("state = 'discarded'").Count(&n)
		return n == 1
	})
	var errs string
	f.db.Raw("SELECT CAST(errors AS TEXT) FROM river_job").Scan(&errs)
	logs := f.logs.String()
	if !strings.Contains(logs, "message given up") || !strings.Contains(logs, "attempts=3") {
		t.Errorf("no log of the given-up message:\n%s", logs)
	}
	for where, text := range map[string]string{"log": logs, "stored errors": errs} {
		if strings.Contains(text, m.To) || strings.Contains(text, "secret-token") {
			t.Errorf("the %s names the recipient or the body:\n%s", where, text)
		}
		if !strings.Contains(text, "mailbox busy") {
			t.Errorf("the %s lost the reason:\n%s", where, text)
		}
	}
}
