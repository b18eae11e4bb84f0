// Package accounts is the business of online accounts: creating and
// confirming them, signing in with a password and a second factor under the
// limits of NIST SP 800-63B, enrolling and removing second factors, and
// recovering a forgotten password. It has no HTTP: handlers call it with
// what the person typed and show what it answers.
package accounts

import (
	"context"
	"database/sql"
	"log/slog"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/pii"
)

// Links builds the absolute URLs that e-mails carry.
type Links interface {
	ConfirmEmail(token string) string
	ResetPassword(token string) string
	WasntMe(token string) string
	ConfirmEmailChange(token string) string
	SignIn() string
}

// Settings are the numbers of the sign-in policy; DefaultSettings gives the
// values of DOMAIN.md.
type Settings struct {
	ConfirmEmailValid  time.Duration // 24 h
	ResetPasswordValid time.Duration // 30 min
	WasntMeValid       time.Duration // 30 days
	PhoneCodeValid     time.Duration // 10 min
	CodeAttempts       int           // wrong tries on one e-mailed or texted code before it dies
	SignUpsPerIP       credential.Limit
	Limits             credential.Limits
}

// DefaultSettings are DOMAIN.md's numbers.
func DefaultSettings() Settings {
	return Settings{
		ConfirmEmailValid:  24 * time.Hour,
		ResetPasswordValid: 30 * time.Minute,
		WasntMeValid:       30 * 24 * time.Hour,
		PhoneCodeValid:     10 * time.Minute,
		CodeAttempts:       5,
		SignUpsPerIP:       credential.Limit{Max: 10, Window: time.Hour},
		Limits:             credential.DefaultLimits(),
	}
}

// Queue is what accounts needs of the job queue (package jobs): messages
// queued in the caller's transaction, and requests carried out later by a
// worker (see requests.go).
type Queue interface {
	notify.Queue
	Defer(ctx context.Context, tx *gorm.DB, payload []byte) error
}

// Deps is what a Service is built from.
type Deps struct {
	DB       *gorm.DB
	Vault    *pii.Vault
	Messages Queue
	Brand    notify.Brand
	Links    Links
	Policy   credential.PasswordPolicy
	Settings Settings
	Location *time.Location
	Log      *slog.Logger
	Now      func() time.Time
}

// Service carries out account operations.
type Service struct {
	Deps
	hashing chan struct{} // argon2id holds 19 MiB while it runs: bound how many run at once
}

// New builds a Service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	return &Service{Deps: d, hashing: make(chan struct{}, 4)}
}

// Client describes who is asking, for limits and the security history.
type Client struct {
	IP         string
	UserAgent  string
	SessionKey string // a stable id of the browser session, for per-session limits
}

func (s *Service) now() time.Time { return s.Now().UTC() }

// withHashSlot runs fn while holding one of the password-hashing slots.
func (s *Service) withHashSlot(ctx context.Context, fn func()) error {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hashing }()
	fn()
	return nil
}

// hashPassword hashes a new password in one of the hashing slots.
func (s *Service) hashPassword(ctx context.Context, password string) (string, error) {
	var hash string
	var herr error
	if err := s.withHashSlot(ctx, func() { hash, herr = credential.HashPassword(password) }); err != nil {
		return "", err
	}
	return hash, herr
}

// send queues a notice in tx. Where tx is the database itself, the change
// the notice reports is already committed, and a notice that cannot be
// queued is logged rather than undoing it; inside a transaction, use
// s.Messages.Mail and let its error roll the change back.
func (s *Service) send(ctx context.Context, tx *gorm.DB, m notify.Message) {
	if err := s.Messages.Mail(ctx, tx, m); err != nil {
		s.Log.Error("queueing e-mail failed", slog.String("subject", m.Subject), slog.String("error", err.Error()))
	}
}

// Security event kinds shown in an account's history.
const (
	EventAccountCreated   models.SecurityEventKind = "account_created"
	EventEmailConfirmed   models.SecurityEventKind = "email_confirmed"
	EventSignedIn         models.SecurityEventKind = "signed_in"
	EventSignInFailed     models.SecurityEventKind = "sign_in_failed"
	EventSecondFactorFail models.SecurityEventKind = "second_factor_failed"
	EventFactorAdded      models.SecurityEventKind = "second_factor_added"
	EventFactorRemoved    models.SecurityEventKind = "second_factor_removed"
	EventFactorRenamed    models.SecurityEventKind = "second_factor_renamed"
	EventBackupCodesNew   models.SecurityEventKind = "backup_codes_created"
	EventBackupCodeUsed   models.SecurityEventKind = "backup_code_used"
	EventPasswordChanged  models.SecurityEventKind = "password_changed"
	EventPasswordReset    models.SecurityEventKind = "password_reset_requested"
	EventEmailChanged     models.SecurityEventKind = "email_changed"
	EventSignedOut        models.SecurityEventKind = "signed_out"
	EventSessionsEnded    models.SecurityEventKind = "sessions_ended"
	EventAccountLocked    models.SecurityEventKind = "account_locked"
)

// Record adds a line to an account's security history.
func (s *Service) Record(ctx context.Context, accountID uint64, kind models.SecurityEventKind, detail string, c Client) {
	ev := models.SecurityEvent{AccountID: accountID, Kind: kind, Detail: detail, IP: c.IP, UserAgent: truncate(c.UserAgent, 200), At: s.now()}
	if err := s.DB.WithContext(ctx).Create(&ev).Error; err != nil {
		s.Log.Error("recording security event", slog.String("kind", string(kind)), slog.String("error", err.Error()))
	}
}

// History lists an account's security events, newest first. The dashboard
// asks on every visit, so the rows are scanned by hand: GORM's reflection
// cost more than the query.
func (s *Service) History(ctx context.Context, accountID uint64, limit int) ([]models.SecurityEvent, error) {
	// The limit is written into the statement: SQLite recompiles a
	// statement whose LIMIT is a parameter each time it is bound.
	rows, err := s.DB.WithContext(ctx).Raw(queryHistory+strconv.Itoa(limit), accountID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	evs := make([]models.SecurityEvent, 0, min(limit, 32))
	for rows.Next() {
		ev := models.SecurityEvent{AccountID: accountID}
		var detail, ip, agent sql.NullString
		if err := rows.Scan(&ev.ID, &ev.Kind, &detail, &ip, &agent, &ev.At); err != nil {
			return nil, err
		}
		ev.Detail, ev.IP, ev.UserAgent = detail.String, ip.String, agent.String
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}

const queryHistory = "SELECT id, kind, detail, ip, user_agent, at FROM security_events " +
	"WHERE account_id = ? ORDER BY at DESC, id DESC LIMIT "

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// wasntMe issues, in tx, the "This wasn't me" link a security notice
// carries. It stays valid for weeks: people read mail late.
func (s *Service) wasntMe(ctx context.Context, tx *gorm.DB, acct *models.Account) string {
	token, _, err := s.issueCode(ctx, tx, acct.ID, models.PurposeLockAccount, "", s.Settings.WasntMeValid)
	if err != nil {
		s.Log.Error("issuing a this-wasn't-me link", slog.String("error", err.Error()))
		return s.Links.SignIn()
	}
	return s.Links.WasntMe(token)
}
