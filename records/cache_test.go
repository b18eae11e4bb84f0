package records

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestOverviewCacheLifetimeAndSize(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := newOverviewCache(CacheOptions{TTL: time.Minute, Entries: 2})
	c.now = func() time.Time { return now }
	rows := func(name string) *overviewRows { return &overviewRows{name: name} }

	c.put(1, rows("one"))
	if got, ok := c.get(1); !ok || got.name != "one" {
		t.Fatalf("get(1) = %v, %v", got, ok)
	}
	if _, ok := c.get(2); ok {
		t.Error("get(2) found rows never put")
	}
	now = now.Add(59 * time.Second)
	if _, ok := c.get(1); !ok {
		t.Error("rows gone before their lifetime")
	}
	now = now.Add(time.Second)
	if _, ok := c.get(1); ok {
		t.Error("rows kept past their lifetime")
	}

	c.put(1, rows("one"))
	c.put(2, rows("two"))
	c.put(3, rows("three"))
	if n := len(c.entries); n != 2 {
		t.Errorf("%d entries, want at most 2", n)
	}
	if got, ok := c.get(3); !ok || got.name != "three" {
		t.Errorf("the newest entry was dropped: %v, %v", got, ok)
	}
	c.put(3, rows("three again")) // replacing drops nothing
	if n := len(c.entries); n != 2 {
		t.Errorf("%d entries after a replace, want 2", n)
	}

	off := newOverviewCache(CacheOptions{})
	off.put(1, rows("one"))
	if _, ok := off.get(1); ok {
		t.Error("a cache with no lifetime kept rows")
	}
}

// A cached overview is built from the rows read the first time: no query
// until the entry expires, the same page as a fresh read, and what depends
// on the day (the accruals' as-of date) still worked out per request.
func TestOverviewFromCache(t *testing.T) {
	db, v := seeded(t, 12)
	ctx, s := context.Background(), New(db, v, DefaultPolicy())
	cached := New(db, v, DefaultPolicy()).WithCache(DefaultCacheOptions())
	const leilani = 5
	want, err := s.Overview(ctx, leilani, now)
	if err != nil {
		t.Fatal(err)
	}
	q := countQueries(t, db)
	for i := range 3 {
		got, err := cached.Overview(ctx, leilani, now)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("overview %d differs:\n%+v\n%+v", i, got, want)
		}
	}
	if n := q.take(); n != 1 {
		t.Errorf("%d queries for three overviews, want 1", n)
	}
	next, err := cached.Overview(ctx, leilani, now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if next.Account.AsOf.Equal(want.Account.AsOf) {
		t.Errorf("the next day's overview is as of %v, like the first", next.Account.AsOf)
	}
	if _, err := cached.Overview(ctx, 999_999, now); !errors.Is(err, ErrNoTaxpayer) {
		t.Errorf("unknown taxpayer: %v", err)
	}
}
