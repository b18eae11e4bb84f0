// Package handlers is the HTTP side of the portal: the route table, the
// middleware every request passes through, and one file per area.
package handlers

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/config"
	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/helpcenter"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/records"
	"github.com/taxportal/portal/session"
	"github.com/taxportal/portal/static"
	"github.com/taxportal/portal/views"
)

// Deps is everything the handlers need, built in main and passed in.
type Deps struct {
	Config   config.Config
	DB       *gorm.DB
	Log      *slog.Logger
	Vault    *pii.Vault
	Sessions *session.Store
	Help     *helpcenter.Center
	Accounts *accounts.Service
	Links    *Links
	Outbox   Outbox // development outbox page; nil when mail goes out over SMTP
	// PhoneCodes says text and voice codes are delivered (the development
	// outbox, or a provider); without it the phone factor is not offered.
	PhoneCodes bool
	// HandoffTexts says texts that are not sign-in codes (a link to
	// continue verification on a phone) can be delivered.
	HandoffTexts bool
	// Messages is the job queue that sends e-mail and texts; Jobs shows
	// its health to supervisors.
	Messages notify.Queue
	Jobs     JobsHealth
	Assets   *static.Assets
	Audit    *audit.Log
	// Identity verification.
	Proofing  proofing.Settings
	Documents *documents.Store
	Checker   *documents.Checker
	Verifier  documents.DocumentVerifier
	// LetterCopies keeps a readable copy of mailed letters (the development
	// outbox); nil when letters only go to the print vendor.
	LetterCopies LetterCopier
	// Tax records and the IP PIN program.
	Records *records.Service
	IPPIN   *ippin.Service
	Metrics *prometheus.Registry // where HTTP and database metrics are registered
	Now     func() time.Time
}

// App holds the dependencies the handlers share.
type App struct {
	cfg          config.Config
	db           *gorm.DB
	log          *slog.Logger
	vault        *pii.Vault
	sessions     *session.Store
	help         *helpcenter.Center
	accounts     *accounts.Service
	outbox       Outbox
	phoneCodes   bool
	handoffTexts bool
	messages     notify.Queue
	jobs         JobsHealth
	handoffs     proofing.Handoffs
	assets       *static.Assets
	audit        *audit.Log
	flow         proofing.Flow
	limiter      proofing.Limiter
	letters      proofing.Letters
	docs         *documents.Store
	checker      *documents.Checker
	verifier     documents.DocumentVerifier
	letterCopies LetterCopier
	records      *records.Service
	ippin        *ippin.Service
	live         *liveCache // the dashboard's live part, per account
	csrf         csrfGuard
	metrics      *httpMetrics
	registry     *prometheus.Registry
	now          func() time.Time
	echo         *echo.Echo
	urls         map[string][]string // route path templates, see reverse
	brand        views.Brand
}

// New builds the Echo server with every middleware and route.
func New(d Deps) (*echo.Echo, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.IPExtractor = clientIP(d.Config.TrustedProxies)
	a := &App{
		cfg: d.Config, db: d.DB, log: d.Log, vault: d.Vault, sessions: d.Sessions, help: d.Help,
		accounts: d.Accounts, outbox: d.Outbox, phoneCodes: d.PhoneCodes, handoffTexts: d.HandoffTexts,
		messages: d.Messages, jobs: d.Jobs,
		assets: d.Assets, registry: d.Metrics, now: d.Now, echo: e, audit: d.Audit,
		flow:     proofing.Flow{Settings: d.Proofing, Vault: d.Vault},
		limiter:  proofing.Limiter{DB: d.DB, Settings: d.Proofing},
		letters:  proofing.Letters{DB: d.DB, Vault: d.Vault, Settings: d.Proofing},
		handoffs: proofing.Handoffs{DB: d.DB, Settings: d.Proofing},
		docs:     d.Documents, checker: d.Checker, verifier: d.Verifier, letterCopies: d.LetterCopies,
		records: d.Records, ippin: d.IPPIN, live: newLiveCache(liveCacheEntries),
		brand: views.Brand{Agency: d.Config.AgencyName, Product: d.Config.ProductName, Banner: d.Config.BannerText},
	}
	csrfKey, err := pii.DeriveKey(d.Config.SecretKey, "csrf")
	if err != nil {
		return nil, err
	}
	a.csrf = csrfGuard{key: csrfKey, cookie: a.cookieName("csrf"), secure: d.Config.IsProduction()}
	m, err := newHTTPMetrics(d.Metrics, d.DB)
	if err != nil {
		return nil, err
	}
	a.metrics = m
	e.HTTPErrorHandler = a.handleError
	if d.Links != nil {
		d.Links.echo = e
	}

	// Order matters: ids and recovery first so every later failure is
	// logged with an id and answered with a page, never a dropped connection.
	e.Use(
		middleware.RequestIDWithConfig(middleware.RequestIDConfig{TargetHeader: echo.HeaderXRequestID}),
		a.observe,
		middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: a.logPanic}),
		a.securityHeaders,
		a.limitBody,
		a.loadAccount,
		a.csrf.middleware,
	)
	e.Pre(headAsGet)
	a.routes(e)
	a.urls = routeTemplates(e)
	return e, nil
}

// sendMail queues a notice in tx. Where tx is the database itself, the
// action is done and recorded already, and a message that cannot be queued
// is logged (what it was, never to whom) rather than failing the request;
// inside a transaction, call a.messages.Mail and let its error roll back.
func (a *App) sendMail(ctx context.Context, tx *gorm.DB, what string, m notify.Message) {
	if err := a.messages.Mail(ctx, tx, m); err != nil {
		a.log.Error("queueing "+what, slog.String("error", err.Error()))
	}
}

// Outbox lists messages that were "sent" in development.
type Outbox interface {
	Recent(ctx context.Context, limit int) ([]models.OutboxMessage, error)
}

// clientIP is the address limits count by: the connection's, or behind
// trusted load balancers the nearest untrusted hop of X-Forwarded-For.
func clientIP(proxies []*net.IPNet) echo.IPExtractor {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range proxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// cookieName adds the __Host- prefix in production: the browser then refuses
// the cookie unless it is Secure, host-only and path /.
func (a *App) cookieName(base string) string {
	if a.cfg.IsProduction() {
		return "__Host-" + base
	}
	return base
}

// SessionCookieName is the session cookie's name for a configuration.
func SessionCookieName(c config.Config) string {
	if c.IsProduction() {
		return "__Host-session"
	}
	return "session"
}
