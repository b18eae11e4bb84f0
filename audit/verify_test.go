package audit_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
)

func TestVerifyAnIntactChain(t *testing.T) {
	log, _ := newLog(t)
	if r := verify(t, log); !r.Intact() || r.Checked != 0 || r.LastHash != audit.Genesis {
		t.Errorf("empty trail: %+v", r)
	}
	rows := appendN(t, log, 10)
	r := verify(t, log)
	if !r.Intact() || r.Checked != 10 || r.Problem != "" {
		t.Errorf("report %+v", r)
	}
	if r.LastID != 10 || r.LastHash != rows[9].Hash {
		t.Errorf("head %d %s, want 10 %s", r.LastID, r.LastHash, rows[9].Hash)
	}
}

func TestVerifyFindsAnEditedEntry(t *testing.T) {
	log, db := newLog(t)
	appendN(t, log, 10)
	exec(t, db, "UPDATE audit_entries SET detail = ? WHERE id = ?", "nothing to see here", 4)
	r := verify(t, log)
	if r.BrokenID != 4 || !strings.Contains(r.Problem, "entry 4 was changed after it was written") {
		t.Errorf("report %+v", r)
	}
	if r.Checked != 10 {
		t.Errorf("checked %d, want all 10 after the problem", r.Checked)
	}
}

func TestVerifyFindsARemovedEntry(t *testing.T) {
	log, db := newLog(t)
	appendN(t, log, 10)
	exec(t, db, "DELETE FROM audit_entries WHERE id = ?", 6)
	r := verify(t, log)
	if r.BrokenID != 7 || !strings.Contains(r.Problem, "entry 7 does not follow entry 5: an entry was removed or inserted") {
		t.Errorf("report %+v", r)
	}
}

func TestVerifyFindsTheFirstEntryRemoved(t *testing.T) {
	log, db := newLog(t)
	appendN(t, log, 3)
	exec(t, db, "DELETE FROM audit_entries WHERE id = ?", 1)
	if r := verify(t, log); r.BrokenID != 2 || !strings.Contains(r.Problem, "does not start the trail") {
		t.Errorf("report %+v", r)
	}
}

func TestVerifyFindsAForgedEntry(t *testing.T) {
	t.Run("in place of a removed one", func(t *testing.T) {
		log, db := newLog(t)
		rows := appendN(t, log, 10)
		exec(t, db, "DELETE FROM audit_entries WHERE id = ?", 5)
		forged := *rows[4]
		forged.Detail = "a quieter version"
		forged.Hash = strings.Repeat("f", 64)
		create(t, db, &forged)
		if r := verify(t, log); r.BrokenID != 5 || !strings.Contains(r.Problem, "entry 5 was changed after it was written, or forged") {
			t.Errorf("report %+v", r)
		}
	})
	t.Run("at the end", func(t *testing.T) {
		log, db := newLog(t)
		rows := appendN(t, log, 3)
		forged := *rows[2]
		forged.ID, forged.PrevHash = 4, rows[2].Hash
		forged.Hash = strings.Repeat("e", 64)
		create(t, db, &forged)
		if r := verify(t, log); r.BrokenID != 4 || r.Checked != 4 {
			t.Errorf("report %+v", r)
		}
	})
	t.Run("with a correct hash but a gap before it", func(t *testing.T) {
		log, db := newLog(t)
		rows := appendN(t, log, 3)
		forged := *rows[2]
		forged.ID, forged.PrevHash = 5, rows[2].Hash
		forged.Hash = audit.HashOf(&forged)
		create(t, db, &forged)
		if r := verify(t, log); r.BrokenID != 5 || !strings.Contains(r.Problem, "entry 5 does not follow entry 3") {
			t.Errorf("report %+v", r)
		}
	})
}

// Two entries can never follow the same one: the database refuses the
// second, whatever wrote it.
func TestTheDatabaseRefusesAFork(t *testing.T) {
	log, db := newLog(t)
	rows := appendN(t, log, 3)
	fork := *rows[2]
	fork.ID, fork.PrevHash = 4, rows[0].Hash // a second entry after entry 1
	fork.Hash = audit.HashOf(&fork)
	if err := db.Create(&fork).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Errorf("fork written: %v", err)
	}
}

// Verify reads in batches: a break far past the first batch is still found,
// and the count covers every entry.
func TestVerifyWalksPastOneBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 12,001 entries")
	}
	log, db := newLog(t)
	const n = 12_001
	rows := make([]models.AuditEntry, n)
	prev := audit.Genesis
	for i := range rows {
		rows[i] = models.AuditEntry{
			ID: uint64(i + 1), At: start.Add(time.Duration(i) * time.Second),
			ActorRole: models.RoleSystem, Action: "system.test", Outcome: audit.OutcomeOK,
			Subject: fmt.Sprintf("row:%d", i+1), PrevHash: prev,
		}
		rows[i].Hash = audit.HashOf(&rows[i])
		prev = rows[i].Hash
	}
	if err := db.CreateInBatches(rows, 500).Error; err != nil {
		t.Fatal(err)
	}
	if r := verify(t, log); !r.Intact() || r.Checked != n || r.LastHash != prev {
		t.Fatalf("report %+v", r)
	}
	exec(t, db, "UPDATE audit_entries SET subject = ? WHERE id = ?", "row:0", 10_500)
	if r := verify(t, log); r.BrokenID != 10_500 || r.Checked != n {
		t.Errorf("report %+v", r)
	}
}

func exec(t *testing.T, db *gorm.DB, sql string, args ...any) {
	t.Helper()
	if err := db.Exec(sql, args...).Error; err != nil {
		t.Fatal(err)
	}
}

func create(t *testing.T, db *gorm.DB, row *models.AuditEntry) {
	t.Helper()
	if err := db.Create(row).Error; err != nil {
		t.Fatal(err)
	}
}
