package handlers

import (
	"context"
	"sync"
	"time"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
)

// dashboardLive is what the dashboard reads about an account besides its
// records: the IP PIN status, the newest stopped return (of any age; the
// page shows it only while it is recent) and the latest security events.
type dashboardLive struct {
	version  int64  // the account's activity version it was read at
	taxpayer uint64 // the taxpayer the account was linked to
	year     int    // the calendar year the IP PIN status is for
	pin      ippin.Status
	stopped  *models.IPPINAlert
	events   []models.SecurityEvent
}

// liveCache keeps each account's dashboardLive while its activity version
// stands. The version is read with the session on every request, and the
// database moves it in the same transaction as any change to those rows
// (models.migrateV13), so a reused entry is never out of date, on any
// instance. When full it drops an arbitrary entry, as the records cache
// does.
type liveCache struct {
	max     int
	mu      sync.Mutex
	entries map[uint64]*dashboardLive
}

// liveCacheEntries bounds the cache: an entry is a few hundred bytes.
const liveCacheEntries = 50_000

func newLiveCache(max int) *liveCache {
	return &liveCache{max: max, entries: make(map[uint64]*dashboardLive)}
}

func (c *liveCache) get(acct *models.Account, taxpayerID uint64, year int) (*dashboardLive, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[acct.ID]
	if !ok || e.version != acct.ActivityVersion || e.taxpayer != taxpayerID || e.year != year {
		return nil, false
	}
	return e, true
}

func (c *liveCache) put(accountID uint64, e *dashboardLive) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[accountID]; !ok && len(c.entries) >= c.max {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[accountID] = e
}

// dashboardLive reads the account's live part of the dashboard, from the
// cache when its version still stands. The version comes from the start
// of the request, before the reads: a change in between moves it past what
// is stored here, so the next request reads again.
func (a *App) dashboardLive(ctx context.Context, acct *models.Account, taxpayerID uint64, now time.Time) (*dashboardLive, error) {
	year := now.UTC().Year()
	if e, ok := a.live.get(acct, taxpayerID, year); ok {
		return e, nil
	}
	pin, stopped, err := a.ippin.StatusAndAlert(ctx, taxpayerID, now, time.Time{})
	if err != nil {
		return nil, err
	}
	events, err := a.accounts.History(ctx, acct.ID, dashboardActivity)
	if err != nil {
		return nil, err
	}
	e := &dashboardLive{version: acct.ActivityVersion, taxpayer: taxpayerID, year: year, pin: pin, stopped: stopped, events: events}
	a.live.put(acct.ID, e)
	return e, nil
}
