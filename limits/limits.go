// Package limits holds the portal's limits on tries (passwords, codes,
// lookups, matches, API calls) when many tries arrive at once.
//
// Counting failures and deciding on the next try in two steps lets N tries
// sent at the same moment all read the same count and all go ahead. Here a
// try is decided and written down in one transaction that holds a lock on
// its keys, so tries on one key are decided one after the other, each
// counting every try written down before it, finished or still being
// checked. A try that turns out not to be a failure (it succeeded, or was
// not checked after all) is taken back.
package limits

import (
	"context"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/models"
)

// Gate is one limit on one key of the attempts table: passwords for one
// address, lookups from one client address, and so on.
type Gate struct {
	Key   string
	Limit credential.Limit
}

// Try is one try written down under its gates while it is checked.
type Try struct {
	db    *gorm.DB
	gates []Gate
	ids   []uint64
	// others are, per gate, the tries in its window before this one.
	others  []models.AttemptStats
	dropped []bool // gates where the try was taken back (Drop)
	now     time.Time
	done    bool
}

// Begin decides whether a try at now may go ahead, on the strictest
// decision of its gates, and if so writes it down under every gate. A
// refused try is not written and Begin returns a nil Try; an allowed one
// must end with Fail, Keep or Forget.
func Begin(ctx context.Context, db *gorm.DB, now time.Time, gates ...Gate) (*Try, credential.Decision, error) {
	t, _, d, err := BeginCounted(ctx, db, now, gates...)
	return t, d, err
}

// BeginCounted is Begin that also returns what each gate held before the
// try, for screens that say which limit was reached and until when.
func BeginCounted(ctx context.Context, db *gorm.DB, now time.Time, gates ...Gate) (*Try, []models.AttemptStats, credential.Decision, error) {
	t := &Try{db: db, gates: gates, now: now, others: make([]models.AttemptStats, len(gates))}
	var d credential.Decision
	keys := make([]string, len(gates))
	for i, g := range gates {
		keys[i] = g.Key
	}
	err := Transaction(ctx, db, keys, func(tx *gorm.DB) error {
		ds := make([]credential.Decision, len(gates))
		for i, g := range gates {
			st, err := models.CountAttempts(ctx, tx, g.Key, g.Limit.WindowStart(now))
			if err != nil {
				return err
			}
			t.others[i] = st
			ds[i] = g.Limit.Decide(st.Count, st.Oldest, st.Newest, now)
		}
		if d = credential.Combine(ds...); !d.Allowed {
			return nil
		}
		var err error
		t.ids, err = models.AddAttempts(ctx, tx, now, keys...)
		return err
	})
	if err != nil || !d.Allowed {
		return nil, t.others, d, err
	}
	return t, t.others, d, nil
}

// sqliteTurn lines up this process's writes of tries on SQLite. SQLite has
// one writer at a time and lets waiting writers poll for the lock, which is
// not fair: under load, one of fifty tries at once could wait out the busy
// timeout while others keep taking the lock. Waiting here is in order.
var sqliteTurn sync.Mutex

// takeTurn waits for this process's turn to write tries on SQLite and
// returns what ends it; PostgreSQL needs no turn.
func takeTurn(db *gorm.DB) func() {
	if db.Dialector.Name() == "postgres" {
		return func() {}
	}
	sqliteTurn.Lock()
	return sqliteTurn.Unlock
}

// Transaction runs fn in a transaction that holds a lock on each key until
// it ends, so that work counted under the same keys (tries, letters sent)
// is decided one after the other. PostgreSQL takes an advisory lock per
// key, in one order so two callers never wait on each other; SQLite's
// writing transactions already run one at a time (models.Open begins them
// IMMEDIATE), and this process's take turns first.
//
// The transaction runs on the plain connection pool, outside GORM's cache
// of prepared statements: while many callers wait here, each holding a
// connection, a statement first prepared elsewhere waits for a free
// connection, and every caller using that statement would wait with it.
func Transaction(ctx context.Context, db *gorm.DB, keys []string, fn func(tx *gorm.DB) error) error {
	pool, err := db.DB()
	if err != nil {
		return err
	}
	plain := db.WithContext(ctx)
	plain.Statement.ConnPool = pool
	defer takeTurn(db)()
	return plain.Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			keys = slices.Compact(slices.Sorted(slices.Values(keys)))
			for _, k := range keys {
				if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", k).Error; err != nil {
					return err
				}
			}
		}
		return fn(tx)
	})
}

// Fail keeps the try as a failure and returns the decision on the next
// try, counting this one. Nothing is written: the try is already there.
func (t *Try) Fail() credential.Decision {
	t.done = true
	ds := make([]credential.Decision, len(t.gates))
	for i, g := range t.gates {
		st := t.Counted(i)
		ds[i] = g.Limit.Decide(st.Count, st.Oldest, st.Newest, t.now)
	}
	return credential.Combine(ds...)
}

// Others is what gate i counted besides this try when it began.
func (t *Try) Others(i int) models.AttemptStats { return t.others[i] }

// Keep leaves a use counted that is not a failure: a message sent, an API
// call answered.
func (t *Try) Keep() { t.done = true }

// Counted is what gate i holds with this try counted, unless it was
// dropped there: for screens that say when tries open again.
func (t *Try) Counted(i int) models.AttemptStats {
	st := t.others[i]
	if t.dropped != nil && t.dropped[i] {
		return st
	}
	if st.Count == 0 {
		st.Oldest = t.now
	}
	st.Count++
	st.Newest = t.now
	return st
}

// Drop takes the try back under gate i only, for a failure that does not
// count there (a match that failed on a known SSN is no SSN guess).
func (t *Try) Drop(ctx context.Context, i int) error {
	if t.dropped == nil {
		t.dropped = make([]bool, len(t.gates))
	}
	if t.dropped[i] {
		return nil
	}
	t.dropped[i] = true
	defer takeTurn(t.db)()
	return models.DeleteAttempts(ctx, t.db, t.ids[i])
}

// Forget takes the try back: it succeeded, or it was not a try after all.
// Forgetting a try twice, or after Fail, does nothing.
func (t *Try) Forget(ctx context.Context) error {
	if t == nil || t.done {
		return nil
	}
	t.done = true
	defer takeTurn(t.db)()
	return models.DeleteAttempts(ctx, t.db, t.ids...)
}

// Take counts one use of something limited that is not checked, such as
// sending a message or calling the API: allowed uses stay counted, refused
// ones are not. It returns the decision on this use.
func Take(ctx context.Context, db *gorm.DB, now time.Time, gates ...Gate) (credential.Decision, error) {
	t, d, err := Begin(ctx, db, now, gates...)
	if t != nil {
		t.Keep()
	}
	return d, err
}
