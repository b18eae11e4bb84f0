package demodata

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// testVault has a fixed key, so SSN indexes are the same in every run.
func testVault(t testing.TB) *pii.Vault {
	t.Helper()
	v, err := pii.NewVault([]byte("demodata-tests-0123456789abcdef!"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// openSQLite opens a migrated SQLite database in a temporary folder.
func openSQLite(t testing.TB) *gorm.DB {
	t.Helper()
	return openMigrated(t, filepath.Join(t.TempDir(), "portal.db"))
}

func openMigrated(t testing.TB, url string) *gorm.DB {
	t.Helper()
	db, err := models.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	if _, err := models.Migrate(db); err != nil {
		t.Fatal(err)
	}
	return db
}

// postgresURL is the server the tests also run on, when set.
func postgresURL() string { return os.Getenv("PORTAL_TEST_POSTGRES_URL") }

// openPostgres creates a fresh schema for the test on the PostgreSQL server
// named by PORTAL_TEST_POSTGRES_URL, opens a connection pool whose
// search_path is that schema, migrates it, and drops it at the end.
func openPostgres(t testing.TB) *gorm.DB {
	t.Helper()
	base := postgresURL()
	if base == "" {
		t.Skip("PORTAL_TEST_POSTGRES_URL is not set")
	}
	admin, err := models.Open(base)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "demodata_test_" + hex.EncodeToString(b[:])
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		_ = models.Close(admin)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := admin.Exec("DROP SCHEMA " + schema + " CASCADE").Error; err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
		_ = models.Close(admin)
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	// Registered after the schema's cleanup, so it runs first: the pool is
	// closed before the schema is dropped.
	return openMigrated(t, base+sep+"search_path="+schema)
}

// eachDB runs f on SQLite, and on PostgreSQL too when it is configured.
func eachDB(t *testing.T, f func(t *testing.T, db *gorm.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		f(t, openSQLite(t))
	})
	if postgresURL() != "" {
		t.Run("postgres", func(t *testing.T) {
			t.Parallel()
			f(t, openPostgres(t))
		})
	}
}

func seed(t testing.TB, db *gorm.DB, opts Options) Result {
	t.Helper()
	res, err := Seed(context.Background(), db, testVault(t), opts)
	if err != nil {
		t.Fatalf("Seed(%d): %v", opts.Taxpayers, err)
	}
	return res
}

func count(t testing.TB, db *gorm.DB, model any) int64 {
	t.Helper()
	var n int64
	if err := db.Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
