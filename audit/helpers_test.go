package audit_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// clock moves on by an uneven step at every reading, nanoseconds included,
// so entries have distinct times that the Log must cut to microseconds.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(1500*time.Millisecond + 789)
	return c.t
}

var start = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// newLog is a Log on a fresh database with a clock starting at start.
func newLog(t testing.TB) (*audit.Log, *gorm.DB) {
	t.Helper()
	db := portaltest.DB(t)
	return &audit.Log{DB: db, Now: (&clock{t: start}).Now}, db
}

func ptr(v uint64) *uint64 { return &v }

var (
	agent      = audit.By(900, models.RoleAgent, "A-0042")
	supervisor = audit.By(901, models.RoleSupervisor, "S-0007")
	taxpayer   = audit.By(1, models.RoleTaxpayer, "")
)

// appendN records n plain entries, failing the test on any error.
func appendN(t testing.TB, log *audit.Log, n int) []*models.AuditEntry {
	t.Helper()
	rows := make([]*models.AuditEntry, n)
	for i := range n {
		row, err := log.Append(t.Context(), audit.Entry{
			Actor:      agent,
			Action:     audit.ActionTaxpayerOpened,
			TaxpayerID: ptr(7),
			Subject:    fmt.Sprintf("taxpayer:%d", 7),
			Reason:     fmt.Sprintf("call %d", i),
		})
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		rows[i] = row
	}
	return rows
}

// verify runs Verify, failing the test on an error.
func verify(t *testing.T, log *audit.Log) audit.Report {
	t.Helper()
	r, err := log.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return r
}
