// Package session keeps browser sessions on the server, in the database,
// behind the gorilla/sessions Store interface.
//
// The cookie holds only an opaque 256-bit random id. Rows are found by the
// id's SHA-256, expire after a period of inactivity and at an absolute limit,
// and are shared by every portal instance on the same database.
package session

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// Options configure a Store.
type Options struct {
	CookieName string // "__Host-session" in production, "session" in development
	Secure     bool
	Idle       time.Duration
	Absolute   time.Duration
	Now        func() time.Time // injected for tests; time.Now when nil
	// IPOf tells the client's address (behind a proxy, from its header);
	// the host of RemoteAddr when nil.
	IPOf func(*http.Request) string
}

// Values the store keeps in its own columns, and reads back on load.
const (
	// KeyAccountID (uint64) marks a session as belonging to an account, so
	// the account's sessions can be listed and ended.
	KeyAccountID = "account_id"
	keyCreated   = "_created"   // unix seconds, set on load
	keyLastSeen  = "_last_seen" // unix seconds, set on load
)

// loadedAccount keys the account read with the session; it lives only for
// the request and is never saved.
type loadedAccount struct{}

// Store is a gorilla/sessions Store backed by the sessions table.
type Store struct {
	db   *gorm.DB
	opts Options
}

// NewStore builds a Store.
func NewStore(db *gorm.DB, opts Options) *Store {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IPOf == nil {
		opts.IPOf = func(r *http.Request) string {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				return r.RemoteAddr
			}
			return host
		}
	}
	return &Store{db: db, opts: opts}
}

// CookieName is the name of the session cookie.
func (s *Store) CookieName() string { return s.opts.CookieName }

// Get returns the request's session, cached for the rest of the request.
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or starts an empty one
// when there is no cookie or its session has ended.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	sess.Options = s.cookieOptions()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
		return sess, nil
	}
	row, err := s.load(r.Context(), c.Value)
	if errors.Is(err, models.ErrNotFound) {
		return sess, nil
	}
	if err != nil {
		return sess, err
	}
	if err := decodeValues(row.Data, sess.Values); err != nil {
		return sess, err
	}
	sess.ID = c.Value
	sess.IsNew = false
	sess.Values[keyCreated] = row.CreatedAt.Unix()
	sess.Values[keyLastSeen] = row.LastSeenAt.Unix()
	if row.Account != nil && row.Account.ID == AccountOf(sess) {
		sess.Values[loadedAccount{}] = row.Account
	}
	return sess, nil
}

// Account is the account the session belonged to when it was loaded at
// the start of the request, read in the same statement; nil when it
// belonged to none, or the account is gone. Changes later in the request
// (signing in or out) are not reflected: read AccountOf for those.
func Account(sess *sessions.Session) *models.Account {
	a, _ := sess.Values[loadedAccount{}].(*models.Account)
	return a
}

// Started and LastSeen tell when a loaded session began and was last used.
func Started(sess *sessions.Session) time.Time  { return unixValue(sess, keyCreated) }
func LastSeen(sess *sessions.Session) time.Time { return unixValue(sess, keyLastSeen) }

func unixValue(sess *sessions.Session, key string) time.Time {
	if v, ok := sess.Values[key].(int64); ok {
		return time.Unix(v, 0).UTC()
	}
	return time.Time{}
}

// AccountOf returns the account a session belongs to, or 0.
func AccountOf(sess *sessions.Session) uint64 {
	id, _ := sess.Values[KeyAccountID].(uint64)
	return id
}

// Save writes the session and sets its cookie. A negative MaxAge deletes it on
// the server and in the browser.
func (s *Store) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	if sess.Options != nil && sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.delete(r.Context(), sess.ID); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		sess.ID = ""
		return nil
	}
	values := make(map[any]any, len(sess.Values))
	for k, v := range sess.Values {
		if _, loaded := k.(loadedAccount); !loaded && k != keyCreated && k != keyLastSeen {
			values[k] = v
		}
	}
	data, err := encodeValues(values)
	if err != nil {
		return err
	}
	var account *uint64
	if id := AccountOf(sess); id != 0 {
		account = &id
	}
	ip := truncate(s.opts.IPOf(r), 45)
	now := s.opts.Now().UTC()
	if sess.ID == "" {
		if sess.ID, err = newID(); err != nil {
			return err
		}
		row := models.Session{
			IDHash: hashID(sess.ID), Data: data, AccountID: account, IP: ip, UserAgent: truncate(r.UserAgent(), 200),
			CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.opts.Absolute),
		}
		if err := s.db.WithContext(r.Context()).Create(&row).Error; err != nil {
			return err
		}
	} else {
		err := s.db.WithContext(r.Context()).Model(&models.Session{}).Where("id_hash = ?", hashID(sess.ID)).
			Updates(map[string]any{"data": data, "last_seen_at": now, "account_id": account, "ip": ip}).Error
		if err != nil {
			return err
		}
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	return nil
}

// Renew gives the session a new id and a fresh absolute lifetime, keeping its
// values, and deletes the old row. Call it at sign-in and re-authentication so
// an id planted before sign-in is worthless after it.
func (s *Store) Renew(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	if sess.ID != "" {
		if err := s.delete(r.Context(), sess.ID); err != nil {
			return err
		}
	}
	sess.ID = ""
	return s.Save(r, w, sess)
}

// ForAccount lists an account's live sessions, most recently used first.
func (s *Store) ForAccount(ctx context.Context, accountID uint64) ([]models.Session, error) {
	now := s.opts.Now().UTC()
	var rows []models.Session
	err := s.db.WithContext(ctx).Select("id_hash", "user_agent", "ip", "created_at", "last_seen_at", "expires_at").
		Where("account_id = ? AND expires_at > ? AND last_seen_at > ?", accountID, now, now.Add(-s.opts.Idle)).
		Order("last_seen_at DESC").Find(&rows).Error
	return rows, err
}

// Handle is how a page refers to one of an account's sessions without
// revealing the session id itself.
func Handle(sess *sessions.Session) string {
	if sess.ID == "" {
		return ""
	}
	return hashID(sess.ID)
}

// EndForAccount ends one of an account's sessions by handle and reports
// whether there was one. The account check keeps one person from ending
// another's session by guessing handles.
func (s *Store) EndForAccount(ctx context.Context, accountID uint64, handle string) (bool, error) {
	res := s.db.WithContext(ctx).Where("account_id = ? AND id_hash = ?", accountID, handle).Delete(&models.Session{})
	return res.RowsAffected > 0, res.Error
}

// EndAllForAccount ends every session of an account except keep (a handle,
// or "" to end them all) and reports how many ended.
func (s *Store) EndAllForAccount(ctx context.Context, accountID uint64, keep string) (int64, error) {
	res := s.db.WithContext(ctx).Where("account_id = ? AND id_hash <> ?", accountID, keep).Delete(&models.Session{})
	return res.RowsAffected, res.Error
}

// DeleteExpired removes sessions past their absolute or idle end and reports
// how many it removed. The server runs it periodically.
func (s *Store) DeleteExpired(ctx context.Context) (int64, error) {
	now := s.opts.Now().UTC()
	res := s.db.WithContext(ctx).Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-s.opts.Idle)).
		Delete(&models.Session{})
	return res.RowsAffected, res.Error
}

func (s *Store) load(ctx context.Context, id string) (*models.Session, error) {
	if !validID(id) {
		return nil, models.ErrNotFound
	}
	now := s.opts.Now().UTC()
	rows, err := s.db.WithContext(ctx).Raw(queryLoad, hashID(id), now, now.Add(-s.opts.Idle)).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, models.ErrNotFound
	}
	return scanLoad(rows)
}

// queryLoad reads a live session and the account it belongs to in one
// statement: every signed-in request starts with it. The account's columns
// are NULL when the session has none.
const queryLoad = "SELECT s.data, s.created_at, s.last_seen_at, " +
	"a.id, a.email, a.email_confirmed_at, a.password_hash, a.password_changed_at, a.role, a.taxpayer_id, " +
	"a.verified_at, a.consecutive_failures, a.locked_at, a.disabled_at, a.created_at, a.updated_at, a.activity_version " +
	"FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id " +
	"WHERE s.id_hash = ? AND s.expires_at > ? AND s.last_seen_at > ?"

// scanLoad scans a queryLoad row by hand: GORM's reflection, for seventeen
// columns, cost more than the query.
func scanLoad(rows *sql.Rows) (*models.Session, error) {
	var (
		row                                       models.Session
		id, failures, taxpayer, activity          sql.NullInt64
		email, hash, role                         sql.NullString
		confirmed, changed, verified, locked, off sql.NullTime
		created, updated                          sql.NullTime
	)
	if err := rows.Scan(&row.Data, &row.CreatedAt, &row.LastSeenAt, &id, &email, &confirmed, &hash, &changed, &role,
		&taxpayer, &verified, &failures, &locked, &off, &created, &updated, &activity); err != nil {
		return nil, err
	}
	if !id.Valid {
		return &row, nil
	}
	acct := &models.Account{
		ID: uint64(id.Int64), Email: email.String, EmailConfirmedAt: timeOrNil(confirmed), PasswordHash: hash.String,
		PasswordChangedAt: changed.Time, Role: models.Role(role.String), VerifiedAt: timeOrNil(verified),
		ConsecutiveFailures: int(failures.Int64), LockedAt: timeOrNil(locked), DisabledAt: timeOrNil(off),
		CreatedAt: created.Time, UpdatedAt: updated.Time, ActivityVersion: activity.Int64,
	}
	if taxpayer.Valid {
		t := uint64(taxpayer.Int64)
		acct.TaxpayerID = &t
	}
	row.AccountID, row.Account = &acct.ID, acct
	return &row, nil
}

func timeOrNil(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

func (s *Store) delete(ctx context.Context, id string) error {
	return s.db.WithContext(ctx).Where("id_hash = ?", hashID(id)).Delete(&models.Session{}).Error
}

func (s *Store) cookieOptions() *sessions.Options {
	return &sessions.Options{Path: "/", HttpOnly: true, Secure: s.opts.Secure, SameSite: http.SameSiteLaxMode}
}

const idBytes = 32

func newID() (string, error) {
	b := make([]byte, idBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func validID(id string) bool {
	b, err := base64.RawURLEncoding.DecodeString(id)
	return err == nil && len(b) == idBytes
}

func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
