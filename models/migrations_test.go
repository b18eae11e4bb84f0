package models_test

import (
	"testing"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

func TestMigrationsAreSafeToRunAgain(t *testing.T) {
	url := portaltest.DatabaseURL(t)
	db, err := models.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(db)
	first, err := models.Migrate(db)
	if err != nil || first == 0 {
		t.Fatalf("first run applied %d: %v", first, err)
	}
	again, err := models.Migrate(db)
	if err != nil || again != 0 {
		t.Fatalf("second run applied %d: %v", again, err)
	}
	v, err := models.SchemaVersion(db)
	if err != nil || v != first || v != models.LatestVersion() {
		t.Errorf("schema version %d, %v", v, err)
	}
	for _, table := range []string{"sessions", "taxpayers", "tax_returns", "account_transactions", "information_returns"} {
		if !db.Migrator().HasTable(table) {
			t.Errorf("no table %s", table)
		}
	}
}

func TestConcurrentStartsMigrateOnce(t *testing.T) {
	url := portaltest.DatabaseURL(t)
	errs := make(chan error, 3)
	applied := make(chan int, 3)
	for range 3 {
		go func() {
			db, err := models.Open(url)
			if err != nil {
				errs <- err
				return
			}
			defer models.Close(db)
			n, err := models.Migrate(db)
			applied <- n
			errs <- err
		}()
	}
	total := 0
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(applied)
	for n := range applied {
		total += n
	}
	if total != models.LatestVersion() {
		t.Errorf("%d migrations applied in all, want each of the %d once", total, models.LatestVersion())
	}
}

// Migration 14 leaves River's tables, at the version it names, in the
// database's own schema (on PostgreSQL, the test's search_path).
func TestJobQueueTablesAreCreated(t *testing.T) {
	db := portaltest.DB(t)
	for _, table := range []string{"river_job", "river_leader", "river_queue", "river_migration"} {
		if !db.Migrator().HasTable(table) {
			t.Errorf("no table %s", table)
		}
	}
	var version int
	if err := db.Raw("SELECT MAX(version) FROM river_migration").Scan(&version).Error; err != nil || version != 8 {
		t.Errorf("river schema at version %d, %v", version, err)
	}
}
