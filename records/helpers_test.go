package records

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/pii"
)

// testVault has a fixed key, so SSN indexes are the same in every run.
func testVault(t testing.TB) *pii.Vault {
	t.Helper()
	v, err := pii.NewVault([]byte("records-tests-0123456789abcdef!!"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// seeded is a fresh database (SQLite, or PostgreSQL when
// PORTAL_TEST_POSTGRES_URL is set) with the first n demo taxpayers. In an
// empty database taxpayer i gets id i+1, so the featured ones are 1 to 10.
func seeded(t testing.TB, n int) (*gorm.DB, *pii.Vault) {
	t.Helper()
	db := openTestDB(t, testDatabaseURL(t))
	v := testVault(t)
	if _, err := demodata.Seed(context.Background(), db, v, demodata.Options{Taxpayers: n}); err != nil {
		t.Fatalf("seeding %d taxpayers: %v", n, err)
	}
	return db, v
}

// now is the demo data's reference day, at noon so that no zone moves it.
var now = demodata.Today.Add(12 * time.Hour)

// queryCounter counts the statements a database handle runs.
type queryCounter struct {
	mu sync.Mutex
	n  int
}

func countQueries(t testing.TB, db *gorm.DB) *queryCounter {
	t.Helper()
	c := &queryCounter{}
	inc := func(*gorm.DB) { c.mu.Lock(); c.n++; c.mu.Unlock() }
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("records_test:count_query", inc),
		cb.Row().After("gorm:row").Register("records_test:count_row", inc),
		cb.Raw().After("gorm:raw").Register("records_test:count_raw", inc),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func (c *queryCounter) take() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = 0
	return n
}

func itoa(i int) string { return strconv.Itoa(i) }
