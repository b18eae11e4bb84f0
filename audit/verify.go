package audit

import (
	"context"
	"fmt"

	"github.com/taxportal/portal/models"
)

// verifyBatch is how many entries Verify holds in memory at once.
const verifyBatch = 5000

// Report is what Verify found.
type Report struct {
	Checked int64 // entries read
	// BrokenID is the first entry that fails a check, 0 when none does, and
	// Problem says in plain words what is wrong with it.
	BrokenID uint64
	Problem  string
	// LastID and LastHash are the newest entry. Keep a copy of the hash
	// outside the database: entries cut from the end of the trail leave no
	// broken link, and only an older copy of the head shows they are gone.
	LastID   uint64
	LastHash string
}

// Intact reports whether every entry checked out.
func (r Report) Intact() bool { return r.BrokenID == 0 }

// Verify walks the whole trail in id order, a batch at a time, recomputing
// each entry's hash and checking that it follows the entry before. It reads
// on to the end after a problem, so Checked and LastHash cover every entry.
func (l *Log) Verify(ctx context.Context) (Report, error) {
	r := Report{LastHash: Genesis}
	for {
		var batch []models.AuditEntry
		err := l.DB.WithContext(ctx).Where("id > ?", r.LastID).Order("id").Limit(verifyBatch).Find(&batch).Error
		if err != nil {
			return r, fmt.Errorf("audit: reading entries after %d: %w", r.LastID, err)
		}
		for i := range batch {
			e := &batch[i]
			r.Checked++
			if problem := check(e, r.LastID, r.LastHash); problem != "" && r.Intact() {
				r.BrokenID, r.Problem = e.ID, problem
			}
			r.LastID, r.LastHash = e.ID, e.Hash
		}
		if len(batch) < verifyBatch {
			return r, nil
		}
	}
}

// check says what is wrong with an entry, given the one read before it
// (id 0 and Genesis before the first), or "" when nothing is.
func check(e *models.AuditEntry, prevID uint64, prevHash string) string {
	if hashOf(e) != e.Hash {
		return fmt.Sprintf("entry %d was changed after it was written, or forged: its content does not match its hash", e.ID)
	}
	if e.ID == prevID+1 && e.PrevHash == prevHash {
		return ""
	}
	if prevID == 0 {
		return fmt.Sprintf("entry %d does not start the trail: an entry before it was removed", e.ID)
	}
	return fmt.Sprintf("entry %d does not follow entry %d: an entry was removed or inserted between them", e.ID, prevID)
}
