// Package server wires the portal's parts into one HTTP handler. main uses
// it to serve and the tests use it to run the very same portal in-process.
package server

import (
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/config"
	"github.com/taxportal/portal/content"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/handlers"
	"github.com/taxportal/portal/helpcenter"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/jobs"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/records"
	"github.com/taxportal/portal/session"
	"github.com/taxportal/portal/static"
)

// Portal is a built portal: its HTTP handler and the parts a caller runs
// beside it: the job queue, which sends the messages and runs the periodic
// upkeep once started.
type Portal struct {
	Echo     *echo.Echo
	Sessions *session.Store
	Queue    *jobs.Queue
}

// QueueSettings are the job queue's settings from the configuration.
func QueueSettings(cfg config.Config) jobs.Settings {
	s := jobs.DefaultSettings()
	s.RetryFirst, s.RetryMax, s.Attempts = cfg.MessageRetryFirst, cfg.MessageRetryMax, cfg.MessageAttempts
	return s
}

// cleanUpEvery is how often the upkeep deletes ended sessions, old tries
// and abandoned photos.
const cleanUpEvery = 5 * time.Minute

// Build assembles the portal from validated settings and an open, migrated
// database. now is the clock (time.Now outside tests); queue is the job
// queue's settings (QueueSettings outside tests).
func Build(cfg config.Config, db *gorm.DB, log *slog.Logger, vault *pii.Vault, now func() time.Time, queue jobs.Settings) (*Portal, error) {
	help, err := helpcenter.Load(content.Help, "help")
	if err != nil {
		return nil, err
	}
	assets, err := static.New()
	if err != nil {
		return nil, err
	}
	sessions := session.NewStore(db, session.Options{
		CookieName: handlers.SessionCookieName(cfg),
		Secure:     cfg.IsProduction(),
		Idle:       cfg.SessionIdleTimeout,
		Absolute:   cfg.SessionAbsoluteTimeout,
		Now:        now,
	})
	brand := notify.Brand{Product: cfg.ProductName, Agency: cfg.AgencyName, BaseURL: cfg.BaseURL.String()}
	outbox := notify.NewOutbox(db)
	var mailer notify.Mailer = outbox
	var devOutbox handlers.Outbox = outbox
	if cfg.SMTPURL != "" {
		from := cfg.MailFrom
		if from == "" {
			from = notify.DefaultFrom(brand)
		}
		smtp, err := notify.NewSMTPMailer(cfg.SMTPURL, from)
		if err != nil {
			return nil, err
		}
		mailer, devOutbox = smtp, nil
	}
	policy, err := credential.DefaultPasswordPolicy()
	if err != nil {
		return nil, err
	}
	links := handlers.NewLinks(cfg.BaseURL)
	settings := accounts.DefaultSettings()
	settings.SignUpsPerIP.Max = cfg.SignUpsPerHour
	window, err := jobs.ParseRolloverWindow(cfg.IPPINRolloverFrom)
	if err != nil {
		return nil, err
	}
	// Texts and calls go to the outbox: it is the only phone sender so far.
	messages, err := jobs.New(jobs.Deps{
		DB: db, Vault: vault, Mailer: mailer, Phone: outbox, Log: log, Settings: queue,
		Periodic: []jobs.Periodic{
			jobs.CleanUp(db, sessions, log, cleanUpEvery),
			jobs.Rollover(ippin.New(db, vault, ippin.DefaultSettings()), window, now, log),
		},
	})
	if err != nil {
		return nil, err
	}
	accts := accounts.New(accounts.Deps{
		DB: db, Vault: vault, Messages: messages, Brand: brand, Links: links, Policy: policy,
		Settings: settings, Location: cfg.TimeZone, Log: log, Now: now,
	})
	messages.HandleAccountRequests(accts.CarryOut)
	// Demo taxpayers have SSNs never issued to anyone; only development
	// accepts them, so they can be verified.
	proofingSettings := proofing.DefaultSettings()
	proofingSettings.AllowTestSSNs = !cfg.IsProduction()
	docs := &documents.Store{DB: db, Vault: vault}
	var letterCopies handlers.LetterCopier
	if !cfg.IsProduction() {
		letterCopies = outbox
	}
	pins := ippin.New(db, vault, ippin.DefaultSettings())
	pins.Now = now
	e, err := handlers.New(handlers.Deps{
		Config: cfg, DB: db, Log: log, Vault: vault, Sessions: sessions, Help: help, Assets: assets,
		Accounts: accts, Links: links, Outbox: devOutbox, Metrics: prometheus.NewRegistry(), Now: now,
		// Only the development outbox delivers texts so far.
		PhoneCodes: !cfg.IsProduction(), HandoffTexts: !cfg.IsProduction(), Messages: messages, Jobs: messages,
		Audit:    &audit.Log{DB: db, Now: now},
		Proofing: proofingSettings, Documents: docs, Checker: documents.NewChecker(documents.DefaultSettings()),
		Verifier: documents.ReviewQueue{Store: docs}, LetterCopies: letterCopies,
		Records: records.New(db, vault, records.DefaultPolicy()).WithCache(records.DefaultCacheOptions()), IPPIN: pins,
	})
	if err != nil {
		return nil, err
	}
	return &Portal{Echo: e, Sessions: sessions, Queue: messages}, nil
}
