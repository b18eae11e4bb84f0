package portaltest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/taxportal/portal/config"
	"github.com/taxportal/portal/jobs"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/server"
	"gorm.io/gorm"
)

// SecretKey is the fixed master key of test portals.
var SecretKey = []byte("test-secret-key-0123456789abcdef-not-for-production")

// Clock is a settable clock for tests of expiry and lockouts. The portal
// reads it from request goroutines while the test moves it, so T is read
// through Now once a portal runs.
type Clock struct {
	mu sync.Mutex
	T  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.T
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.T = c.T.Add(d)
}

// Portal is a running test portal.
type Portal struct {
	*server.Portal
	Config config.Config
	DB     *gorm.DB
	Vault  *pii.Vault
	Clock  *Clock
	Server *httptest.Server
	Logs   *Logs // everything the portal logged
}

// Logs collects log output safely from concurrent requests.
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Logs) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

// String returns everything logged so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Option adjusts a test portal's settings before it is built.
type Option func(*config.Config)

// IdleTimeout shortens the inactivity limit, to see the warning quickly.
func IdleTimeout(d time.Duration) Option {
	return func(c *config.Config) { c.SessionIdleTimeout = d }
}

// SMTP sends the portal's e-mail to an SMTP server at addr (host:port)
// instead of the development outbox.
func SMTP(addr string) Option {
	return func(c *config.Config) { c.SMTPURL = "smtp://" + addr }
}

// QueueSettings are the job queue's settings in test portals: production's
// retries, with River's start-up pauses off and a short poll, so a queued
// message goes out within milliseconds; and one worker, so messages reach
// the outbox in the order they were queued and "the newest message" means
// what a test expects.
func QueueSettings(cfg config.Config) jobs.Settings {
	s := server.QueueSettings(cfg)
	s.Fast, s.PollEvery, s.Workers = true, 20*time.Millisecond, 1
	return s
}

// Production builds the portal as production would run it.
func Production() Option {
	return func(c *config.Config) { c.Env = config.Production }
}

// Config returns the settings test portals start from, as the environment
// would give them with only a secret key set.
func Config(t testing.TB, dbURL string, opts ...Option) config.Config {
	t.Helper()
	cfg, err := config.Load(func(name string) string {
		switch name {
		case "PORTAL_DATABASE_URL":
			return dbURL
		case "PORTAL_DATA_DIR":
			return t.TempDir()
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.SecretKey = SecretKey
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// Start builds a portal on a fresh database and serves it on a loopback port.
func Start(t testing.TB, opts ...Option) *Portal {
	t.Helper()
	url := DatabaseURL(t)
	return StartOn(t, OpenURL(t, url), Config(t, url, opts...))
}

// StartOn builds a portal on an existing database, as a second instance
// behind a load balancer would be.
func StartOn(t testing.TB, db *gorm.DB, cfg config.Config) *Portal {
	t.Helper()
	vault, err := pii.NewVault(cfg.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	clock := &Clock{T: time.Date(2026, 3, 2, 15, 4, 5, 0, time.UTC)}
	logs := &Logs{}
	var w io.Writer = logs
	if testing.Verbose() {
		w = io.MultiWriter(logs, testWriter{t})
	}
	log := slog.New(slog.NewJSONHandler(w, nil))
	// The server's address is known before the portal is built, so links
	// in e-mails point back at this test portal.
	srv := httptest.NewUnstartedServer(nil)
	cfg.BaseURL = &url.URL{Scheme: "http", Host: srv.Listener.Addr().String()}
	p, err := server.Build(cfg, db, log, vault, clock.Now, QueueSettings(cfg))
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = p.Echo
	srv.Start()
	t.Cleanup(srv.Close)
	// The queue runs as in production: messages go out a moment after the
	// request that queued them. Tests read them after Drain.
	if err := p.Queue.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.Queue.Stop(ctx); err != nil {
			t.Errorf("stopping the job queue: %v", err)
		}
	})
	return &Portal{Portal: p, Config: cfg, DB: db, Vault: vault, Clock: clock, Server: srv, Logs: logs}
}

// Drain waits until every message queued so far has been sent (or is
// waiting for a retry), as a person waits for an e-mail before reading it.
func (p *Portal) Drain(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Queue.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

// Outbox drains the queue and returns the development outbox, to read
// what the portal sent.
func (p *Portal) Outbox(t testing.TB) *notify.Outbox {
	t.Helper()
	p.Drain(t)
	return notify.NewOutbox(p.DB)
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(b))
	return len(b), nil
}
