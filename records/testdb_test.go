package records

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// These mirror portaltest's database helpers. The records tests are
// internal (package records), and portaltest builds the whole server,
// which imports records: importing it here would be a cycle.

const postgresEnv = "PORTAL_TEST_POSTGRES_URL"

// testDatabaseURL is a fresh, empty database: a SQLite file in the test's
// temp folder, or a new PostgreSQL schema dropped at the end.
func testDatabaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		return filepath.Join(t.TempDir(), "portal.db")
	}
	admin, err := models.Open(base)
	if err != nil {
		t.Fatalf("%s is set but PostgreSQL is unreachable: %v", postgresEnv, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("creating schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		models.Close(admin)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openTestDB opens and migrates the database at url, closing it at the end.
func openTestDB(t testing.TB, url string) *gorm.DB {
	t.Helper()
	db, err := models.Open(url)
	if err != nil {
		t.Fatalf("opening test database: %v", err)
	}
	t.Cleanup(func() { models.Close(db) })
	if _, err := models.Migrate(db); err != nil {
		t.Fatalf("migrating test database: %v", err)
	}
	return db
}
