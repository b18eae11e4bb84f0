package demodata

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/jackc/pgx/v5/stdlib"
	msqlite "modernc.org/sqlite"
)

// batchWriter writes batches, each in one transaction together with the
// progress record, after checking that nobody else wrote taxpayers since the
// batch was planned.
type batchWriter interface {
	renders() bool // whether batches must come as SQL text
	write(ctx context.Context, b *batch, expect state) error
	runner() runner
	close()
}

// newWriter picks the fastest way to write: SQLite files get a connection
// of their own with prepared statements that are compiled once (rawWriter),
// PostgreSQL gets COPY (pgWriter), anything else multi-row INSERT
// statements (sqlWriter).
func (s *seeder) newWriter(ctx context.Context) (batchWriter, error) {
	// The raw connection must use the very SQLite library the pool's
	// driver is built on: SQLite's file locks only work between connections
	// that share it.
	if _, modernc := s.db.Driver().(*msqlite.Driver); modernc && !s.opts.noRawSQLite {
		var file string
		if err := s.db.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err == nil && file != "" {
			w, err := newRawWriter(s, file)
			if err == nil {
				return w, nil
			}
			s.log.Debug("demo data: using database/sql", slog.Any("reason", err))
		}
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if s.t.pg && s.seq != "" && !s.opts.noCopy {
		isPgx := false
		_ = conn.Raw(func(dc any) error { _, isPgx = dc.(*stdlib.Conn); return nil })
		if isPgx {
			var super string
			_ = conn.QueryRowContext(ctx, "SHOW is_superuser").Scan(&super)
			return &pgWriter{s: s, conn: conn, superuser: super == "on"}, nil
		}
	}
	w := &sqlWriter{s: s, conn: conn}
	if !s.t.pg {
		if err := w.tuneSQLite(ctx); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return w, nil
}

// sqlWriter sends multi-row INSERT statements over one pool connection.
type sqlWriter struct {
	s       *seeder
	conn    *sql.Conn
	restore func()
}

func (w *sqlWriter) renders() bool  { return true }
func (w *sqlWriter) runner() runner { return sqlRunner{w.conn} }

func (w *sqlWriter) close() {
	if w.restore != nil {
		w.restore()
	}
	w.conn.Close()
}

// tuneSQLite speeds up bulk loading on this connection only: a larger page
// cache, and no foreign-key lookups (every parent row is written first, in
// the same transaction). close puts things back.
func (w *sqlWriter) tuneSQLite(ctx context.Context) error {
	var cache int64
	var fk int
	if err := w.conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		return err
	}
	if err := w.conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return err
	}
	w.restore = func() {
		bg := context.WithoutCancel(ctx)
		_, _ = w.conn.ExecContext(bg, "PRAGMA cache_size = "+strconv.FormatInt(cache, 10))
		_, _ = w.conn.ExecContext(bg, "PRAGMA foreign_keys = "+strconv.Itoa(fk))
	}
	if _, err := w.conn.ExecContext(ctx, "PRAGMA cache_size = -131072"); err != nil {
		return err
	}
	_, err := w.conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF")
	return err
}

func (w *sqlWriter) write(ctx context.Context, b *batch, expect state) error {
	s := w.s
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("demodata: %w", err)
	}
	defer tx.Rollback()
	if s.t.pg {
		// Concurrent seeders (several instances starting at once) queue here.
		if _, err := tx.ExecContext(ctx, "LOCK TABLE "+s.t.taxpayers+" IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return fmt.Errorf("demodata: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
			return fmt.Errorf("demodata: %w", err)
		}
	}
	st, err := s.readState(ctx, sqlRunner{tx})
	if err != nil {
		return err
	}
	if st != expect {
		return errReplan
	}
	for _, q := range b.stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("demodata: writing taxpayers %d-%d: %w", b.start, b.end-1, err)
		}
	}
	if s.seq != "" {
		// Move the sequence past the IDs given out here (never back: setval
		// is not undone by a rollback, and others may have drawn from it).
		// Under the table lock nobody else is drawing now, and every ID
		// above MAX(id) is free, so the next batch may start there even
		// after a rolled-back one.
		if _, err := tx.ExecContext(ctx, "SELECT setval("+string(appendQuoted(nil, s.seq))+", GREATEST("+
			strconv.FormatUint(b.lastID(), 10)+", (SELECT last_value FROM "+s.seq+")))"); err != nil {
			return fmt.Errorf("demodata: %w", err)
		}
	}
	if err := s.record(ctx, sqlRunner{tx}, b.end, false); err != nil {
		return err
	}
	if s.opts.beforeCommit != nil {
		if err := s.opts.beforeCommit(b.end); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("demodata: %w", err)
	}
	return nil
}
