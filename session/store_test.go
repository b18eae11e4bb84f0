package session_test

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/gorilla/sessions"
	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
	"github.com/taxportal/portal/session"
)

const name = "session"

type fixture struct {
	store *session.Store
	clock *portaltest.Clock
	db    *gorm.DB
}

func newFixture(t *testing.T) fixture {
	clock := &portaltest.Clock{T: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)}
	db := portaltest.DB(t)
	return fixture{session.NewStore(db, options(clock)), clock, db}
}

func options(clock *portaltest.Clock) session.Options {
	return session.Options{CookieName: name, Idle: 15 * time.Minute, Absolute: 12 * time.Hour, Now: clock.Now}
}

// save stores values in a new session and returns its cookie.
func save(t *testing.T, s *session.Store, values map[any]any) *http.Cookie {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	sess, err := s.New(req, name)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range values {
		sess.Values[k] = v
	}
	rec := httptest.NewRecorder()
	if err := s.Save(req, rec, sess); err != nil {
		t.Fatal(err)
	}
	return rec.Result().Cookies()[0]
}

func load(t *testing.T, s *session.Store, c *http.Cookie) (values map[any]any, found bool) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(c)
	sess, err := s.New(req, name)
	if err != nil {
		t.Fatal(err)
	}
	return sess.Values, !sess.IsNew
}

func TestCookieHoldsOnlyAnOpaqueIDAndStateStaysOnTheServer(t *testing.T) {
	f := newFixture(t)
	c := save(t, f.store, map[any]any{"greeting": "hello", "count": 3})
	if len(c.Value) != 43 { // 32 random bytes, base64url
		t.Errorf("cookie value %q is not a 256-bit id", c.Value)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Errorf("cookie flags %+v", c)
	}
	values, ok := load(t, f.store, c)
	if !ok || values["greeting"] != "hello" || values["count"] != 3 {
		t.Errorf("loaded %v %v", values, ok)
	}
	if _, ok := load(t, f.store, &http.Cookie{Name: name, Value: "forged"}); ok {
		t.Error("a forged id loaded a session")
	}
}

func TestInactivityAndAbsoluteLimitsEndSessions(t *testing.T) {
	f := newFixture(t)
	c := save(t, f.store, map[any]any{"k": "v"})
	f.clock.Advance(14 * time.Minute)
	if _, ok := load(t, f.store, c); !ok {
		t.Fatal("ended before the idle timeout")
	}
	f.clock.Advance(2 * time.Minute)
	if _, ok := load(t, f.store, c); ok {
		t.Fatal("alive after 16 idle minutes")
	}

	// Activity keeps a session going, but never past the absolute limit.
	c = save(t, f.store, map[any]any{"k": "v"})
	for i := 0; i < 12*6; i++ {
		f.clock.Advance(10 * time.Minute)
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(c)
		sess, _ := f.store.New(req, name)
		if sess.IsNew {
			if i < 12*6-1 {
				t.Fatalf("active session ended after %d minutes", (i+1)*10)
			}
			break
		}
		if err := f.store.Save(req, httptest.NewRecorder(), sess); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := load(t, f.store, c); ok {
		t.Error("alive after 12 hours")
	}
}

func TestRenewIssuesANewIDAndKillsTheOld(t *testing.T) {
	f := newFixture(t)
	old := save(t, f.store, map[any]any{"k": "v"})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(old)
	sess, _ := f.store.New(req, name)
	rec := httptest.NewRecorder()
	if err := f.store.Renew(req, rec, sess); err != nil {
		t.Fatal(err)
	}
	fresh := rec.Result().Cookies()[0]
	if fresh.Value == old.Value {
		t.Fatal("renew kept the id")
	}
	if _, ok := load(t, f.store, old); ok {
		t.Error("the old id still works")
	}
	if v, ok := load(t, f.store, fresh); !ok || v["k"] != "v" {
		t.Error("renew lost the values")
	}
}

func TestSignOutDeletesOnTheServerAndExpiredRowsAreCleaned(t *testing.T) {
	f := newFixture(t)
	c := save(t, f.store, nil)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(c)
	sess, _ := f.store.New(req, name)
	sess.Options.MaxAge = -1
	rec := httptest.NewRecorder()
	if err := f.store.Save(req, rec, sess); err != nil {
		t.Fatal(err)
	}
	if got := rec.Result().Cookies()[0]; got.MaxAge >= 0 {
		t.Errorf("cookie not cleared: %+v", got)
	}
	if _, ok := load(t, f.store, c); ok {
		t.Error("a deleted session still loads, so a stolen copy of the cookie would too")
	}

	save(t, f.store, nil)
	save(t, f.store, nil)
	f.clock.Advance(20 * time.Minute)
	n, err := f.store.DeleteExpired(t.Context())
	if err != nil || n != 2 {
		t.Errorf("cleaned %d rows, %v; want 2", n, err)
	}
}

// Two portal instances behind a load balancer share one database: a
// session started on one is recognised by the other.
func TestTwoInstancesShareSessions(t *testing.T) {
	clock := &portaltest.Clock{T: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)}
	url := portaltest.DatabaseURL(t)
	a := session.NewStore(portaltest.OpenURL(t, url), options(clock))
	b := session.NewStore(portaltest.OpenURL(t, url), options(clock))
	c := save(t, a, map[any]any{"signed_in_as": "taxpayer-1"})
	if v, ok := load(t, b, c); !ok || v["signed_in_as"] != "taxpayer-1" {
		t.Fatalf("instance B did not see instance A's session: %v %v", v, ok)
	}
	var n int64
	portaltest.OpenURL(t, url).Model(&models.Session{}).Count(&n)
	if n != 1 {
		t.Errorf("%d session rows", n)
	}
}

func TestAnAccountsSessionsCanBeListedAndEnded(t *testing.T) {
	f := newFixture(t)
	var id uint64 = 42
	mine := save(t, f.store, map[any]any{session.KeyAccountID: id})
	other := save(t, f.store, map[any]any{session.KeyAccountID: id})
	stranger := save(t, f.store, map[any]any{session.KeyAccountID: uint64(7)})
	rows, err := f.store.ForAccount(t.Context(), id)
	if err != nil || len(rows) != 2 {
		t.Fatalf("%d sessions, %v", len(rows), err)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(mine)
	sess, _ := f.store.New(req, name)
	if ok, _ := f.store.EndForAccount(t.Context(), 7, session.Handle(sess)); ok {
		t.Error("another account ended this session")
	}
	n, err := f.store.EndAllForAccount(t.Context(), id, session.Handle(sess))
	if err != nil || n != 1 {
		t.Errorf("ended %d, %v", n, err)
	}
	if _, ok := load(t, f.store, other); ok {
		t.Error("the other session survived 'sign out everywhere else'")
	}
	if _, ok := load(t, f.store, mine); !ok {
		t.Error("the current session was ended")
	}
	if _, ok := load(t, f.store, stranger); !ok {
		t.Error("a stranger's session was ended")
	}
}

// A signed-in session's account is read with it, field for field as the
// accounts table holds it; saving the session does not store it.
func TestTheAccountComesWithTheSession(t *testing.T) {
	f := newFixture(t)
	db := f.db
	at := f.clock.Now().Add(-time.Hour).UTC()
	taxpayer := uint64(77)
	acct := models.Account{Email: "with-session@example.com", EmailConfirmedAt: &at, PasswordHash: "hash", PasswordChangedAt: at,
		Role: models.RoleAgent, TaxpayerID: &taxpayer, VerifiedAt: &at, ConsecutiveFailures: 3, LockedAt: &at, DisabledAt: &at}
	if err := db.Create(&acct).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE accounts SET activity_version = 5 WHERE id = ?", acct.ID).Error; err != nil {
		t.Fatal(err)
	}
	want, err := models.FindAccount(t.Context(), db, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	open := func(c *http.Cookie) *sessions.Session {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(c)
		sess, err := f.store.New(req, name)
		if err != nil || sess.IsNew {
			t.Fatalf("session not found: %v", err)
		}
		return sess
	}

	sess := open(save(t, f.store, map[any]any{session.KeyAccountID: acct.ID}))
	if got := session.Account(sess); !reflect.DeepEqual(got, want) {
		t.Errorf("account with the session:\n%+v\nwant\n%+v", got, want)
	}
	rec := httptest.NewRecorder()
	if err := f.store.Save(httptest.NewRequest(http.MethodGet, "/", nil), rec, sess); err != nil {
		t.Fatalf("saving a session read with its account: %v", err)
	}
	if got := session.Account(open(rec.Result().Cookies()[0])); got == nil || got.ID != acct.ID {
		t.Errorf("after a save: %+v", got)
	}

	if got := session.Account(open(save(t, f.store, map[any]any{"k": "v"}))); got != nil {
		t.Errorf("a signed-out session has account %+v", got)
	}
	if got := session.Account(open(save(t, f.store, map[any]any{session.KeyAccountID: uint64(999_999)}))); got != nil {
		t.Errorf("a session of a deleted account has account %+v", got)
	}
}
