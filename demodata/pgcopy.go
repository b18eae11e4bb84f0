package demodata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgWriter writes batches to PostgreSQL with COPY, through the pgx
// connection under database/sql: several times faster than INSERT.
type pgWriter struct {
	s    *seeder
	conn *sql.Conn
	// superuser sessions may skip the foreign-key triggers, as the SQLite
	// path skips its foreign-key checks: every parent row is written first,
	// in the same transaction.
	superuser bool
}

func (w *pgWriter) renders() bool  { return false }
func (w *pgWriter) runner() runner { return sqlRunner{w.conn} }
func (w *pgWriter) close()         { w.conn.Close() }

// pgxRunner runs the progress statements inside a pgx transaction.
type pgxRunner struct{ tx pgx.Tx }

func (r pgxRunner) queryInt(ctx context.Context, q string) (int64, bool, error) {
	var v *int64
	err := r.tx.QueryRow(ctx, q).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil || v == nil {
		return 0, false, err
	}
	return *v, true, nil
}

func (r pgxRunner) execCtx(ctx context.Context, q string) error {
	_, err := r.tx.Exec(ctx, q)
	return err
}

func (w *pgWriter) write(ctx context.Context, b *batch, expect state) error {
	return w.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("demodata: unexpected PostgreSQL driver %T", dc)
		}
		return w.writeTx(ctx, sc.Conn(), b, expect)
	})
}

func (w *pgWriter) writeTx(ctx context.Context, c *pgx.Conn, b *batch, expect state) error {
	s := w.s
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("demodata: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// Concurrent seeders (several instances starting at once) queue here.
	if _, err := tx.Exec(ctx, "LOCK TABLE "+s.t.taxpayers+" IN SHARE ROW EXCLUSIVE MODE"); err != nil {
		return fmt.Errorf("demodata: %w", err)
	}
	if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
		return fmt.Errorf("demodata: %w", err)
	}
	if w.superuser {
		if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
			return fmt.Errorf("demodata: %w", err)
		}
	}
	r := pgxRunner{tx}
	st, err := s.readState(ctx, r)
	if err != nil {
		return err
	}
	if st != expect {
		return errReplan
	}

	now := time.Now().Truncate(time.Second).UTC()
	type ref struct {
		id  int64
		p   *person
		y   int
		row int
	}
	var rets, txs, infos []ref
	for k, p := range b.people {
		id := int64(b.firstID) + int64(k)
		for y := range p.years {
			rets = append(rets, ref{id, p, y, 0})
			for n := range p.years[y].txs {
				txs = append(txs, ref{id, p, y, n})
			}
			for n := range p.years[y].infos {
				infos = append(infos, ref{id, p, y, n})
			}
		}
	}
	vals := make([]any, 18)
	sources := []pgx.CopyFromSource{
		pgx.CopyFromSlice(len(b.people), func(i int) ([]any, error) {
			t := &b.people[i].tp
			var phone any // NULL when there is none, as GORM writes a nil slice
			if t.PhoneSealed != nil {
				phone = t.PhoneSealed
			}
			v := vals[:18]
			v[0], v[1], v[2], v[3], v[4], v[5] = int64(b.firstID)+int64(i), t.SSNIndex, t.SSNSealed, t.SSNLast4, t.FirstName, t.MiddleName
			v[6], v[7], v[8], v[9], v[10], v[11] = t.LastName, t.Suffix, t.DOBSealed, t.Street1, t.Street2, t.City
			v[12], v[13], v[14], v[15], v[16], v[17] = t.State, t.ZIP, phone, t.PhoneLast4, now, now
			return v, nil
		}),
		pgx.CopyFromSlice(len(rets), func(i int) ([]any, error) {
			f := rets[i]
			x := &f.p.years[f.y].ret
			v := vals[:14]
			v[0], v[1], v[2], v[3], v[4], v[5], v[6] = f.id, int64(x.TaxYear), x.Form, string(x.FilingStatus), x.EFiled, x.ReceivedOn, x.AGICents
			v[7], v[8], v[9], v[10], v[11], v[12], v[13] = x.TaxableIncomeCents, x.TaxCents, x.WithholdingCents, x.RefundCents, x.DirectDeposit, x.BankLast4, now
			return v, nil
		}),
		pgx.CopyFromSlice(len(txs), func(i int) ([]any, error) {
			f := txs[i]
			x := &f.p.years[f.y].txs[f.row]
			v := vals[:8]
			v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] = f.id, int64(x.TaxYear), int64(x.Code), x.AmountCents, x.PostedOn, x.Cycle, x.Note, now
			return v, nil
		}),
		pgx.CopyFromSlice(len(infos), func(i int) ([]any, error) {
			f := infos[i]
			x := &f.p.years[f.y].infos[f.row]
			v := vals[:8]
			v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] = f.id, int64(x.TaxYear), x.Form, x.PayerName, x.PayerEINLast4, x.AmountCents, x.WithheldCents, now
			return v, nil
		}),
	}
	for k, src := range sources {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{s.t.copyTables[k]}, s.t.copyCols[k], src); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("demodata: writing taxpayers %d-%d: %w", b.start, b.end-1, err)
		}
	}
	// Move the sequence past the IDs given out here (see sqlWriter.write).
	if _, err := tx.Exec(ctx, "SELECT setval("+string(appendQuoted(nil, s.seq))+", GREATEST("+
		strconv.FormatUint(b.lastID(), 10)+", (SELECT last_value FROM "+s.seq+")))"); err != nil {
		return fmt.Errorf("demodata: %w", err)
	}
	if err := s.record(ctx, r, b.end, false); err != nil {
		return err
	}
	if s.opts.beforeCommit != nil {
		if err := s.opts.beforeCommit(b.end); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("demodata: %w", err)
	}
	return nil
}
