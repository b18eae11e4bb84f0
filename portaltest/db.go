// Package portaltest runs the real portal in tests: a fresh database per
// test (SQLite, or PostgreSQL when PORTAL_TEST_POSTGRES_URL is set), the
// whole app in-process, and a browser-like client with a cookie jar.
package portaltest

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// PostgresEnv names the variable that switches the suite to PostgreSQL.
const PostgresEnv = "PORTAL_TEST_POSTGRES_URL"

// DatabaseURL returns a fresh, empty database for one test: a SQLite file in
// the test's temp folder, or, when PORTAL_TEST_POSTGRES_URL is set, a new
// PostgreSQL schema that is dropped when the test ends.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		return filepath.Join(t.TempDir(), "portal.db")
	}
	admin, err := models.Open(base)
	if err != nil {
		t.Fatalf("%s is set but PostgreSQL is unreachable: %v", PostgresEnv, err)
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
	return WithSearchPath(base, schema)
}

// WithSearchPath points a PostgreSQL URL at one schema.
func WithSearchPath(base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		panic(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// DB opens and migrates a fresh database and closes it when the test ends.
func DB(t testing.TB) *gorm.DB {
	t.Helper()
	return OpenURL(t, DatabaseURL(t))
}

// OpenURL opens and migrates the database at url, closing it at the end.
func OpenURL(t testing.TB, url string) *gorm.DB {
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

// OnPostgres reports whether the suite runs on PostgreSQL.
func OnPostgres() bool { return strings.TrimSpace(os.Getenv(PostgresEnv)) != "" }
