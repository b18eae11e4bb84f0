package handlers

import (
	"testing"

	"github.com/taxportal/portal/models"
)

// An entry is reused only for the same account version, taxpayer and
// year, and the cache never holds more than its bound.
func TestLiveCacheReusesOnlyWhatStillStands(t *testing.T) {
	c := newLiveCache(2)
	acct := &models.Account{ID: 1, ActivityVersion: 7}
	c.put(acct.ID, &dashboardLive{version: 7, taxpayer: 10, year: 2026})
	if _, ok := c.get(acct, 10, 2026); !ok {
		t.Error("no hit for the same version, taxpayer and year")
	}
	for name, miss := range map[string]func() bool{
		"a moved version":  func() bool { _, ok := c.get(&models.Account{ID: 1, ActivityVersion: 8}, 10, 2026); return !ok },
		"another taxpayer": func() bool { _, ok := c.get(acct, 11, 2026); return !ok },
		"a new year":       func() bool { _, ok := c.get(acct, 10, 2027); return !ok },
		"another account":  func() bool { _, ok := c.get(&models.Account{ID: 2, ActivityVersion: 7}, 10, 2026); return !ok },
	} {
		if !miss() {
			t.Errorf("a hit for %s", name)
		}
	}
	for id := uint64(2); id <= 5; id++ {
		c.put(id, &dashboardLive{})
	}
	if n := len(c.entries); n != 2 {
		t.Errorf("%d entries, bound 2", n)
	}
}
