package audit_test

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

func TestAppendChainsEachEntryToTheOneBefore(t *testing.T) {
	log, _ := newLog(t)
	rows := appendN(t, log, 3)
	if rows[0].ID != 1 || rows[0].PrevHash != audit.Genesis {
		t.Errorf("first entry: id %d, prev %s", rows[0].ID, rows[0].PrevHash)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].ID != rows[i-1].ID+1 || rows[i].PrevHash != rows[i-1].Hash {
			t.Errorf("entry %d does not follow entry %d", rows[i].ID, rows[i-1].ID)
		}
	}
	if rows[0].Outcome != audit.OutcomeOK {
		t.Errorf("outcome %q, want the default %q", rows[0].Outcome, audit.OutcomeOK)
	}
	if got := rows[0].At; got.Location() != time.UTC || got.Nanosecond()%1000 != 0 {
		t.Errorf("time %v is not UTC in whole microseconds", got)
	}
}

// Every field, at its longest and in several scripts, reads back exactly as
// it was hashed, on either database.
func TestWhatIsHashedIsWhatIsReadBack(t *testing.T) {
	log, db := newLog(t)
	ctx := t.Context()
	e := audit.Entry{
		Actor:      audit.By(12, models.RoleSupervisor, strings.Repeat("Ñ", 16)),
		Action:     "agent." + strings.Repeat("x", 58),
		TaxpayerID: ptr(0), // zero, not nil: the hash tells them apart
		AccountID:  ptr(1<<63 - 1),
		Subject:    strings.Repeat("é", 80),
		Outcome:    "refused",
		Reason:     strings.Repeat("日", audit.MaxReason),
		Detail:     strings.Repeat("a\"'\\%_\n", 56) + "🙂🙂🙂🙂" + "\t\r  ", // 7 × 56 + 8 = 400
	}
	if _, err := log.Append(ctx, e); err != nil {
		t.Fatal(err)
	}
	if _, err := log.Append(ctx, audit.Entry{Actor: audit.System, Action: "system.nightly_check"}); err != nil {
		t.Fatal(err)
	}
	if r := verify(t, log); !r.Intact() || r.Checked != 2 {
		t.Fatalf("report %+v", r)
	}
	var back models.AuditEntry
	if err := db.Take(&back, 1).Error; err != nil {
		t.Fatal(err)
	}
	if back.Detail != e.Detail || back.Reason != e.Reason || back.TaxpayerID == nil || *back.TaxpayerID != 0 {
		t.Errorf("read back %+v", back)
	}
}

func TestAppendRefusesWhatCannotBeStoredAsHashed(t *testing.T) {
	log, _ := newLog(t)
	ok := audit.Entry{Actor: agent, Action: audit.ActionTaxpayerOpened}
	for name, change := range map[string]func(e *audit.Entry){
		"no action":            func(e *audit.Entry) { e.Action = "" },
		"capitals in action":   func(e *audit.Entry) { e.Action = "Agent.Opened" },
		"empty word in action": func(e *audit.Entry) { e.Action = "agent..opened" },
		"no role":              func(e *audit.Entry) { e.Actor.Role = "" },
		"person without account": func(e *audit.Entry) {
			e.Actor.AccountID = nil
		},
		"system with account": func(e *audit.Entry) { e.Actor.Role = models.RoleSystem },
		"reason too long":     func(e *audit.Entry) { e.Reason = strings.Repeat("r", audit.MaxReason+1) },
		"detail too long":     func(e *audit.Entry) { e.Detail = strings.Repeat("d", audit.MaxDetail+1) },
		"not UTF-8":           func(e *audit.Entry) { e.Subject = "\xff" },
		"NUL":                 func(e *audit.Entry) { e.Detail = "a\x00b" },
	} {
		e := ok
		change(&e)
		if _, err := log.Append(t.Context(), e); !errors.Is(err, audit.ErrInvalidEntry) {
			t.Errorf("%s: error %v, want ErrInvalidEntry", name, err)
		}
	}
	if r := verify(t, log); r.Checked != 0 {
		t.Errorf("%d entries written by refused appends", r.Checked)
	}
}

// An entry written with AppendTx stands or falls with the change it records.
func TestAppendTxSharesTheCallersTransaction(t *testing.T) {
	log, db := newLog(t)
	ctx := t.Context()
	boom := errors.New("the change failed")
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := log.AppendTx(ctx, tx, audit.Entry{Actor: agent, Action: audit.ActionAccountUnlocked}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if r := verify(t, log); r.Checked != 0 {
		t.Errorf("rolled-back entry kept: %+v", r)
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Conditions left on the caller's handle must not reach the log.
		tx = tx.Where("1 = 0")
		_, err := log.AppendTx(ctx, tx, audit.Entry{Actor: agent, Action: audit.ActionAccountUnlocked})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := verify(t, log); r.Checked != 1 || !r.Intact() {
		t.Errorf("committed entry: %+v", r)
	}
	if _, err := log.AppendTx(ctx, db, audit.Entry{Actor: agent, Action: audit.ActionAccountUnlocked}); !errors.Is(err, audit.ErrNoTransaction) {
		t.Errorf("outside a transaction: %v", err)
	}
}

// Appends from many goroutines queue on the chain's lock: none chains onto
// an entry another has already followed.
func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	log, _ := newLog(t)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				if _, err := log.Append(t.Context(), audit.Entry{Actor: agent, Action: audit.ActionTaxpayerOpened}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if r := verify(t, log); !r.Intact() || r.Checked != workers*each || r.LastID != workers*each {
		t.Errorf("report %+v", r)
	}
}

// On a SQLite handle whose transactions begin deferred, the last entry must
// still be read under the write lock. (models.Open begins them immediate.)
func TestConcurrentAppendsOnDeferredSQLite(t *testing.T) {
	if portaltest.OnPostgres() {
		t.Skip("SQLite only")
	}
	dsn := "file:" + filepath.Join(t.TempDir(), "deferred.db") +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=deferred"
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{Logger: logger.Discard, TranslateError: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { models.Close(db) })
	if _, err := models.Migrate(db); err != nil {
		t.Fatal(err)
	}
	log := &audit.Log{DB: db, Now: (&clock{t: start}).Now}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				if _, err := log.Append(t.Context(), audit.Entry{Actor: agent, Action: audit.ActionTaxpayerOpened}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if r := verify(t, log); !r.Intact() || r.Checked != 200 {
		t.Errorf("report %+v", r)
	}
}
