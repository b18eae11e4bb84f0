package demodata

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
)

func TestProtoInsert(t *testing.T) {
	if os.Getenv("PROTO") == "" {
		t.Skip()
	}
	dir := t.TempDir()
	db, err := models.Open(filepath.Join(dir, "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.Migrate(db); err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	ctx := context.Background()
	conn, _ := sqlDB.Conn(ctx)
	conn.ExecContext(ctx, "PRAGMA cache_size=-262144"); conn.ExecContext(ctx, "PRAGMA foreign_keys=OFF")
	perStmt, _ := strconv.Atoi(os.Getenv("PER"))
	const total = 1000000
	start := time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 1<<20)
	n := 0
	for n < total {
		buf = buf[:0]
		buf = append(buf, "INSERT INTO account_transactions (taxpayer_id,tax_year,code,amount_cents,posted_on,cycle,note,created_at) VALUES "...)
		for r := 0; r < perStmt && n < total; r++ {
			if r > 0 {
				buf = append(buf, ',')
			}
			buf = fmt.Appendf(buf, "(%d,%d,%d,%d,'2025-03-05 00:00:00+00:00','20251003','','2026-01-01 10:00:00.123456+00:00')", n/20+1, 2020+n%7, 150, n*37%100000)
			n++
		}
		if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
			t.Fatal(err)
		}
	}
	el := time.Since(start)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	t.Logf("per=%d insert %v commit %v", perStmt, el, time.Since(start))
}
