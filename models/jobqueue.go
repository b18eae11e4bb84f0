package models

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"
)

// The job queue (package jobs) is River, on the same database and the same
// connection pool as everything else, through River's database/sql drivers,
// so a job is inserted in the very transaction of the change that causes it.

// riverSchemaVersion is the version of River's own schema that migration 14
// creates. A later River release that needs more is a new migration here,
// so what migration 14 does never changes.
const riverSchemaVersion = 8

// QueueDriver returns River's driver for the database under db. River finds
// its tables unqualified, so on PostgreSQL they are those of the
// connection's search_path, like every other table of the portal.
func QueueDriver(db *gorm.DB) (riverdriver.Driver[*sql.Tx], error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if db.Dialector.Name() == "postgres" {
		return riverdatabasesql.New(sqlDB), nil
	}
	return riversqlite.New(sqlDB), nil
}

// ErrNotInTransaction means a *gorm.DB that should have been a transaction
// (from db.Transaction) was not.
var ErrNotInTransaction = errors.New("models: not inside a transaction")

// SQLTx returns the database/sql transaction under a GORM transaction, so
// River can write into it; ErrNotInTransaction when tx is not one.
func SQLTx(tx *gorm.DB) (*sql.Tx, error) {
	if tx == nil || tx.Statement == nil {
		return nil, ErrNotInTransaction
	}
	pool := tx.Statement.ConnPool
	if p, ok := pool.(*gorm.PreparedStmtTX); ok { // PrepareStmt wraps the transaction
		pool = p.Tx
	}
	if t, ok := pool.(*sql.Tx); ok && t != nil {
		return t, nil
	}
	return nil, ErrNotInTransaction
}

// migrateV14 creates River's tables (river_job, river_leader, river_queue
// and the rest) with River's own migrator.
//
// On PostgreSQL one of River's steps adds a value to an enum type that a
// later step uses, which PostgreSQL refuses within one transaction, so
// River applies each of its steps in a transaction of its own on the pool,
// recording each in river_migration: run again, it skips what is done.
// Migrate's advisory lock keeps other starting instances out meanwhile.
// SQLite has no such limit, and the migration's transaction, which holds
// the write lock from its start, is what keeps concurrent starters apart.
func migrateV14(tx *gorm.DB) error {
	ctx := context.Background()
	cfg := &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)}
	opts := &rivermigrate.MigrateOpts{TargetVersion: riverSchemaVersion}
	if tx.Dialector.Name() == "postgres" {
		sqlDB, err := tx.DB()
		if err != nil {
			return err
		}
		m, err := rivermigrate.New(riverdatabasesql.New(sqlDB), cfg)
		if err != nil {
			return err
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, opts)
		return err
	}
	sqlTx, err := SQLTx(tx)
	if err != nil {
		return err
	}
	m, err := rivermigrate.New(riversqlite.New(nil), cfg)
	if err != nil {
		return err
	}
	//lint:ignore SA1019 deprecated because of PostgreSQL's enum limit, which SQLite does not have (see above)
	_, err = m.MigrateTx(ctx, sqlTx, rivermigrate.DirectionUp, opts)
	return err
}
