package records

import (
	"sync"
	"time"
)

// CacheOptions size the in-memory copy of taxpayers' records that the
// dashboard reads from.
//
// Records change only when the daily batch loads them ("updated once a
// day"), never through the portal, and the dashboard is the page people
// reload most. So each instance keeps the rows it last read for a taxpayer
// for a short while and builds the page from them: balances, accruals and
// refund wording are still worked out as of the moment of the request.
// After a batch, an instance shows the new records within TTL.
type CacheOptions struct {
	TTL     time.Duration // how long rows are reused; 0 turns the cache off
	Entries int           // at most this many taxpayers are kept
}

// DefaultCacheOptions keeps a taxpayer's rows for a minute, for up to
// 50,000 taxpayers (some 100 MB at the demo data's two dozen transactions
// a taxpayer).
func DefaultCacheOptions() CacheOptions {
	return CacheOptions{TTL: time.Minute, Entries: 50_000}
}

// overviewCache maps taxpayer ids to their rows. When full, it drops an
// arbitrary entry (Go's map order is random): under a steady load that
// keeps the taxpayers who come back often, without the upkeep of an LRU.
type overviewCache struct {
	opts CacheOptions
	now  func() time.Time // the wall clock: lifetimes are real time, not the portal's clock

	mu      sync.Mutex
	entries map[uint64]cachedRows
}

type cachedRows struct {
	rows    *overviewRows
	expires time.Time
}

func newOverviewCache(opts CacheOptions) *overviewCache {
	return &overviewCache{opts: opts, now: time.Now, entries: make(map[uint64]cachedRows)}
}

func (c *overviewCache) get(taxpayerID uint64) (*overviewRows, bool) {
	if c.opts.TTL <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[taxpayerID]
	if !ok {
		return nil, false
	}
	if !c.now().Before(e.expires) {
		delete(c.entries, taxpayerID)
		return nil, false
	}
	return e.rows, true
}

func (c *overviewCache) put(taxpayerID uint64, rows *overviewRows) {
	if c.opts.TTL <= 0 || c.opts.Entries <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[taxpayerID]; !ok && len(c.entries) >= c.opts.Entries {
		for id := range c.entries {
			delete(c.entries, id)
			break
		}
	}
	c.entries[taxpayerID] = cachedRows{rows: rows, expires: c.now().Add(c.opts.TTL)}
}
