package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// database is where the portal under test keeps its data.
type database struct {
	URL       string // PORTAL_DATABASE_URL
	DataDir   string // PORTAL_DATA_DIR: the development secret key lives here
	Postgres  bool
	Taxpayers int
}

// Kind names the database for the report.
func (d database) Kind() string {
	if d.Postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// env is the portal's environment for this database, on top of the tool's.
func (d database) env(extra ...string) []string {
	return append(os.Environ(), append([]string{
		"PORTAL_ENV=development",
		"PORTAL_DATA_DIR=" + d.DataDir,
		"PORTAL_DATABASE_URL=" + d.URL,
	}, extra...)...)
}

// chooseDatabase picks the database: the given PostgreSQL URL, or else a
// SQLite file per taxpayer count in the cache folder, kept between runs.
func chooseDatabase(cacheDir, postgresURL string, taxpayers int) database {
	if postgresURL != "" {
		return database{URL: postgresURL, DataDir: cacheDir, Postgres: true, Taxpayers: taxpayers}
	}
	file := filepath.Join(cacheDir, "portal-"+strconv.Itoa(taxpayers)+".db")
	return database{URL: file, DataDir: cacheDir, Taxpayers: taxpayers}
}

// seed runs `portal seed --taxpayers N`. Seeding is idempotent and resumable,
// so on a cached database it only adds what is missing (nothing, usually),
// and an interrupted seed goes on where it stopped the next time.
func seed(ctx context.Context, portalBin string, db database) (time.Duration, error) {
	if err := os.MkdirAll(db.DataDir, 0o700); err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, portalBin, "seed", "--taxpayers", strconv.Itoa(db.Taxpayers))
	cmd.Env = db.env("PORTAL_LOG_LEVEL=info")
	cmd.Stdout = os.Stderr // progress goes where the tool's progress goes
	cmd.Stderr = os.Stderr
	// On Ctrl-C, let the seed stop between batches rather than kill it.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = time.Minute
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("seeding %d taxpayers: %w", db.Taxpayers, err)
	}
	return time.Since(start), nil
}
