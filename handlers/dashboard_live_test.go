package handlers_test

import (
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
)

// The dashboard's live part (IP PIN card, stopped returns, recent activity)
// is reused between visits, yet shows at once what another instance, a
// command or the e-file check changed in the database.
func TestDashboardLivePartIsReusedButNeverStale(t *testing.T) {
	p := recordsPortal(t)
	c := signInAs(t, p, "emily@example.com", emilyID)
	var acct models.Account
	if err := p.DB.Where("email = ?", "emily@example.com").Take(&acct).Error; err != nil {
		t.Fatal(err)
	}
	// Count the statements that read rows, as the dashboard's reads do.
	var reads atomic.Int64
	count := func(*gorm.DB) { reads.Add(1) }
	if err := p.DB.Callback().Row().After("gorm:row").Register("test:count_rows", count); err != nil {
		t.Fatal(err)
	}
	if err := p.DB.Callback().Query().After("gorm:query").Register("test:count_queries", count); err != nil {
		t.Fatal(err)
	}
	visit := func() (card, activity string, statements int64) {
		t.Helper()
		before := reads.Load()
		page := c.Get("/dashboard")
		expectStatus(t, page, 200)
		return page.Text(`[data-testid="ippin-card"]`), page.Text(`[data-testid="dashboard-activity"]`), reads.Load() - before
	}

	card, _, _ := visit()
	if !strings.Contains(card, "Get an IP PIN") {
		t.Fatalf("IP PIN card before enrolling:\n%s", card)
	}
	_, _, warm := visit()

	// Enrolled by another instance: the next visit says so.
	if _, err := ippin.New(p.DB, p.Vault, ippin.DefaultSettings()).Enrol(t.Context(), emilyID, p.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if card, _, _ := visit(); !strings.Contains(card, "You are enrolled") {
		t.Errorf("IP PIN card after enrolling elsewhere:\n%s", card)
	}
	// A security event written elsewhere shows on the next visit.
	if err := p.DB.Create(&models.SecurityEvent{AccountID: acct.ID, Kind: "password_changed", At: p.Clock.Now(),
		Detail: "from the other instance"}).Error; err != nil {
		t.Fatal(err)
	}
	_, activity, changed := visit()
	if !strings.Contains(activity, "from the other instance") {
		t.Errorf("recent activity misses an event written elsewhere:\n%s", activity)
	}
	// Reading again after a change costs statements a returning visit
	// does not.
	if _, _, again := visit(); changed <= warm || again != warm {
		t.Errorf("statements read: %d on a return visit, %d after a change, %d on the next visit", warm, changed, again)
	}
}
