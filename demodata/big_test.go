package demodata

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// TestSeedLarge times a large run and is skipped unless asked for:
//
//	PORTAL_SEED_BIG=1 go test ./demodata -run '^TestSeedLarge$' -v -timeout 1h
//
// PORTAL_SEED_BIG_N sets the size (1,000,000 by default), PORTAL_SEED_BIG_DIR
// keeps the SQLite file there instead of in a temporary folder, and
// PORTAL_SEED_BIG_PG=1 runs on PORTAL_TEST_POSTGRES_URL instead.
func TestSeedLarge(t *testing.T) {
	if os.Getenv("PORTAL_SEED_BIG") == "" {
		t.Skip("set PORTAL_SEED_BIG=1 to time a large run")
	}
	n := 1_000_000
	if s := os.Getenv("PORTAL_SEED_BIG_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	var (
		db   *gorm.DB
		path string
	)
	if os.Getenv("PORTAL_SEED_BIG_PG") != "" {
		db = openPostgres(t)
	} else {
		dir := os.Getenv("PORTAL_SEED_BIG_DIR")
		if dir == "" {
			dir = t.TempDir()
		}
		path = filepath.Join(dir, "big.db")
		db = openMigrated(t, path)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	start := time.Now()
	res, err := Seed(context.Background(), db, testVault(t), Options{Taxpayers: n, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded %+v in %v", res, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	res, err = Seed(context.Background(), db, testVault(t), Options{Taxpayers: n, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second run %+v in %v", res, time.Since(start))
	for _, m := range []any{&models.Taxpayer{}, &models.TaxReturn{}, &models.AccountTransaction{}, &models.InformationReturn{}} {
		t.Logf("%T: %d rows", m, count(t, db, m))
	}
	if path == "" {
		var size string
		if err := db.Raw(`SELECT pg_size_pretty(SUM(pg_total_relation_size(c.oid))) FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`).Scan(&size).Error; err != nil {
			t.Fatal(err)
		}
		t.Logf("tables with their indexes: %s", size)
	}
	if path != "" {
		var size int64
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if fi, err := os.Stat(path + suffix); err == nil {
				size += fi.Size()
			}
		}
		t.Logf("database files: %.2f GB", float64(size)/1e9)
	}
}
