package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/portaltest"
)

// statementLog records the SQL of every statement GORM runs while on: the
// text with placeholders, so two requests that differ only in the values
// they bind read the same.
type statementLog struct {
	mu   sync.Mutex
	on   bool
	seen []string
}

func recordStatements(t *testing.T, db *gorm.DB) *statementLog {
	t.Helper()
	l := &statementLog{}
	record := func(tx *gorm.DB) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.on {
			l.seen = append(l.seen, tx.Statement.SQL.String())
		}
	}
	cb := db.Callback()
	for name, err := range map[string]error{
		"create": cb.Create().After("gorm:create").Register("test:log_create", record),
		"query":  cb.Query().After("gorm:query").Register("test:log_query", record),
		"update": cb.Update().After("gorm:update").Register("test:log_update", record),
		"delete": cb.Delete().After("gorm:delete").Register("test:log_delete", record),
		"row":    cb.Row().After("gorm:row").Register("test:log_row", record),
		"raw":    cb.Raw().After("gorm:raw").Register("test:log_raw", record),
	} {
		if err != nil {
			t.Fatalf("registering the %s callback: %v", name, err)
		}
	}
	return l
}

// during returns the statements run by fn.
func (l *statementLog) during(fn func()) []string {
	l.mu.Lock()
	l.on, l.seen = true, nil
	l.mu.Unlock()
	fn()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.seen
}

// queued counts the jobs in the queue, by kind.
func queued(t *testing.T, p *portaltest.Portal) map[string]int64 {
	t.Helper()
	var rows []struct {
		Kind string
		N    int64
	}
	if err := p.DB.Raw("SELECT kind, COUNT(*) AS n FROM river_job GROUP BY kind").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Kind] = r.N
	}
	return out
}

func stopQueue(t *testing.T, p *portaltest.Portal) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Queue.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

// The forms that take an address someone may or may not hold an account
// for (sign-up, forgot password, e-mail change) do the same work for
// either kind of address: the same statements, in the same order, and one
// job queued in one transaction; what differs is done by the queue
// afterwards, where nobody can time it. (The password's hash, the slow
// part of a sign-up, is made before the one path splits.) The queue is
// stopped while measuring so that only the request's own statements count.
func TestAddressFormsDoTheSameWorkForAnyAddress(t *testing.T) {
	p := portaltest.Start(t)
	signUp(t, p, p.Client(t), "known@example.com")
	other := p.Client(t)
	signUp(t, p, other, "other@example.com")
	stopQueue(t, p)
	log := recordStatements(t, p.DB)

	type work struct {
		statements []string
		jobs       map[string]int64
	}
	measure := func(post func() *portaltest.Page) work {
		before := queued(t, p)
		var page *portaltest.Page
		statements := log.during(func() { page = post() })
		if page.StatusCode >= 400 {
			t.Fatalf("answered %d:\n%s", page.StatusCode, page.Text("main"))
		}
		after := queued(t, p)
		added := map[string]int64{}
		for k, n := range after {
			if n != before[k] {
				added[k] = n - before[k]
			}
		}
		return work{statements, added}
	}
	compare := func(what string, known, unknown work) {
		t.Helper()
		if !slices.Equal(known.statements, unknown.statements) {
			t.Errorf("%s: a known address ran\n  %s\nan unknown one\n  %s", what,
				strings.Join(known.statements, "\n  "), strings.Join(unknown.statements, "\n  "))
		}
		for _, w := range []work{known, unknown} {
			if len(w.jobs) != 1 || w.jobs["account_request"] != 1 {
				t.Errorf("%s queued %v, want exactly one account request", what, w.jobs)
			}
		}
	}

	signUpWith := func(email string) work {
		c := p.Client(t)
		form := c.Get("/sign-up")
		return measure(func() *portaltest.Page {
			return c.Submit(form, `[data-testid="sign-up-form"]`, url.Values{"email": {email}, "password": {"a different long passphrase"}})
		})
	}
	compare("sign-up", signUpWith("known@example.com"), signUpWith("stranger@example.com"))

	forgot := func(email string) work {
		c := p.Client(t)
		form := c.Get("/password/forgot")
		return measure(func() *portaltest.Page {
			return c.Submit(form, "form.usa-form", url.Values{"email": {email}})
		})
	}
	compare("forgot password", forgot("known@example.com"), forgot("stranger@example.com"))

	change := func(email string) work {
		form := other.Get("/account/email")
		return measure(func() *portaltest.Page {
			return other.Submit(form, "form.usa-form", url.Values{"email": {email}})
		})
	}
	compare("e-mail change", change("known@example.com"), change("free@example.com"))
}

// With a mail server that accepts the connection and never answers,
// sign-up, forgot password and e-mail change still answer at once: the
// request never talks to SMTP (the server sees no connection while the
// queue's worker is stopped); the messages wait in the queue, and the
// worker takes them to that server once it runs. (Sent synchronously,
// each request would have waited out the mailer's 30-second timeout.)
func TestAHangingMailServerDoesNotHoldUpRequests(t *testing.T) {
	addr, accepted := notifytest.BlackHoleSMTP(t)
	// The accounts are made through the development outbox; the portal
	// under test is a second instance on the same database whose mail
	// goes to the hanging server.
	setup := portaltest.Start(t)
	secret := signUp(t, setup, setup.Client(t), "known@example.com")
	stopQueue(t, setup)
	p := portaltest.StartOn(t, setup.DB, portaltest.Config(t, setup.Config.DatabaseURL, portaltest.SMTP(addr)))
	stopQueue(t, p)
	holder := p.Client(t)
	expectRedirect(t, signIn(t, p, holder, "known@example.com", secret), "/account")

	before := queued(t, p)["account_request"]
	for _, r := range []struct {
		what string
		post func() *portaltest.Page
	}{
		{"sign-up", func() *portaltest.Page {
			c := p.Client(t)
			return c.Submit(c.Get("/sign-up"), `[data-testid="sign-up-form"]`, url.Values{"email": {"known@example.com"}, "password": {"a different long passphrase"}})
		}},
		{"forgot password", func() *portaltest.Page {
			c := p.Client(t)
			return c.Submit(c.Get("/password/forgot"), "form.usa-form", url.Values{"email": {"known@example.com"}})
		}},
		{"e-mail change", func() *portaltest.Page {
			return holder.Submit(holder.Get("/account/email"), "form.usa-form", url.Values{"email": {"new@example.com"}})
		}},
	} {
		began := time.Now()
		page := r.post()
		took := time.Since(began)
		if page.StatusCode != http.StatusOK && page.StatusCode != http.StatusSeeOther {
			t.Errorf("%s answered %d", r.what, page.StatusCode)
		}
		if took > 5*time.Second {
			t.Errorf("%s took %s", r.what, took)
		}
	}
	if n := accepted(); n != 0 {
		t.Errorf("the requests opened %d SMTP connections", n)
	}
	if n := queued(t, p)["account_request"] - before; n != 3 {
		t.Errorf("%d requests queued, want 3", n)
	}
}
