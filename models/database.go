// Package models holds the portal's GORM models and the queries on them.
// Domain rules live next to the data they govern.
package models

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Open connects to PostgreSQL for a postgres:// URL and to a SQLite file for
// anything else, creating the file's folder. SQLite runs in WAL mode with a
// busy timeout and foreign keys on; both get a bounded connection pool.
func Open(databaseURL string) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:                 logger.Default.LogMode(logger.Silent),
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true, // single statements need no transaction; flows open their own
		// Statements stay compiled per connection; the cache is bounded
		// because a few queries vary with the length of an IN list.
		PrepareStmt:        true,
		PrepareStmtMaxSize: 500,
		TranslateError:     true,
	}
	var (
		db  *gorm.DB
		err error
	)
	if IsPostgres(databaseURL) {
		db, err = gorm.Open(postgres.Open(databaseURL), cfg)
	} else {
		db, err = openSQLite(databaseURL, cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if IsPostgres(databaseURL) {
		sqlDB.SetMaxOpenConns(16)
		sqlDB.SetMaxIdleConns(16)
	} else {
		// WAL lets readers run beside the one writer; _txlock=immediate makes a
		// writing transaction take the lock up front instead of failing halfway.
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("reaching database: %w", err)
	}
	return db, nil
}

// IsPostgres reports whether a database URL names PostgreSQL.
func IsPostgres(databaseURL string) bool {
	return strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://")
}

func openSQLite(path string, cfg *gorm.Config) (*gorm.DB, error) {
	if dir := filepath.Dir(path); dir != "." && dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	// busy_timeout comes first: switching a new file to WAL takes a lock,
	// and several processes opening it at once must wait, not fail.
	// cache_size (16 MB a connection) and mmap_size (256 MB, shared) keep
	// the hot index pages of a large file in memory instead of reading them
	// through the kernel on every query. _time_format=sqlite writes times
	// as "2006-01-02 15:04:05.999999999-07:00", the format files written by
	// earlier builds hold, so times compare correctly in SQL.
	dsn := "file:" + path +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16000)&_pragma=mmap_size(268435456)&_txlock=immediate&_time_format=sqlite"
	// Switching a brand-new file to WAL can still report "locked" at once
	// when another process is switching it at the same moment (SQLite does
	// not wait where waiting could deadlock): try again briefly.
	for try := 0; ; try++ {
		db, err := gorm.Open(sqliteDialector{sqlite.Dialector{DSN: dsn}}, cfg)
		if err == nil || try == 20 || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			return db, err
		}
		time.Sleep(time.Duration(10+try*10) * time.Millisecond)
	}
}

// Close releases the connection pool.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers, for /readyz.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}
