package demodata

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/taxportal/portal/models"
)

// rawSQLite is a connection of its own to the SQLite file, through the C API
// that the pure-Go driver is built on (modernc.org/sqlite/lib), for one
// purpose: inserting rows with prepared statements that are compiled once
// and then only bound, stepped and reset, without database/sql's and the
// driver's work per row; this path is about twice as fast. It is one more
// connection to the same file, like the ones in the pool: the same locks
// and the same write-ahead log apply.
//
// A rawSQLite belongs to one goroutine.
type rawSQLite struct {
	tls     *libc.TLS
	db      uintptr
	scratch uintptr // C memory a text or blob is copied into before binding
	size    int
	stmts   []uintptr
	pins    []uintptr // see openRawSQLite
}

// sqliteTransient tells sqlite3_bind_* to copy the value (SQLITE_TRANSIENT).
const sqliteTransient = ^uintptr(0)

func openRawSQLite(path string) (*rawSQLite, error) {
	c := &rawSQLite{tls: libc.NewTLS()}
	cpath, err := libc.CString(path)
	if err != nil {
		c.tls.Close()
		return nil, err
	}
	defer libc.Xfree(c.tls, cpath)
	pdb := c.tls.Alloc(8)
	defer c.tls.Free(8)
	rc := sqlite3.Xsqlite3_open_v2(c.tls, cpath, pdb, sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	c.db = libc.AtomicLoadPUintptr(pdb)
	if rc != sqlite3.SQLITE_OK {
		err := c.err(rc)
		c.close()
		return nil, err
	}
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, 10000)
	// The file is in WAL mode already (models.Open). A big page cache keeps
	// the indexes in memory while millions of rows go in; foreign keys need
	// no checking, as every parent row is written first, in the same
	// transaction.
	for _, q := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -196608", "PRAGMA foreign_keys = OFF"} {
		if err := c.exec(q); err != nil {
			c.close()
			return nil, err
		}
	}
	c.size = 4096
	c.scratch = libc.Xmalloc(c.tls, types.Size_t(c.size))
	if c.scratch == 0 {
		c.close()
		return nil, errors.New("demodata: out of memory")
	}
	// The C heap hands out small blocks from shared 1 MiB mappings and
	// unmaps a mapping as soon as its last block is freed. SQLite allocates
	// and frees a scratch buffer at every B-tree page split, so without this
	// each split would cost an mmap and two munmaps. Holding one block of
	// every size class keeps those mappings alive while the run lasts.
	for size := 16; size <= 256<<10; size *= 2 {
		if p := libc.Xmalloc(c.tls, types.Size_t(size)); p != 0 {
			c.pins = append(c.pins, p)
		}
	}
	return c, nil
}

func (c *rawSQLite) close() {
	for _, s := range c.stmts {
		sqlite3.Xsqlite3_finalize(c.tls, s)
	}
	c.stmts = nil
	if c.scratch != 0 {
		libc.Xfree(c.tls, c.scratch)
		c.scratch = 0
	}
	for _, p := range c.pins {
		libc.Xfree(c.tls, p)
	}
	c.pins = nil
	if c.db != 0 {
		sqlite3.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	c.tls.Close()
}

func (c *rawSQLite) err(rc int32) error {
	msg := "unknown error"
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	return fmt.Errorf("sqlite: %s (%d)", msg, rc)
}

// prepare compiles a statement that lives until close.
func (c *rawSQLite) prepare(q string) (uintptr, error) {
	cq, err := libc.CString(q)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(c.tls, cq)
	pp := c.tls.Alloc(8)
	defer c.tls.Free(8)
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, cq, -1, pp, 0); rc != sqlite3.SQLITE_OK {
		return 0, c.err(rc)
	}
	s := libc.AtomicLoadPUintptr(pp)
	c.stmts = append(c.stmts, s)
	return s, nil
}

// exec runs statements that return no rows.
func (c *rawSQLite) exec(q string) error {
	cq, err := libc.CString(q)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, cq)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, cq, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.err(rc)
	}
	return nil
}

// queryInt runs a query for one integer; found is false when there is no row
// or the value is NULL.
func (c *rawSQLite) queryInt(_ context.Context, q string) (v int64, found bool, err error) {
	cq, err := libc.CString(q)
	if err != nil {
		return 0, false, err
	}
	defer libc.Xfree(c.tls, cq)
	pp := c.tls.Alloc(8)
	defer c.tls.Free(8)
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, cq, -1, pp, 0); rc != sqlite3.SQLITE_OK {
		return 0, false, c.err(rc)
	}
	s := libc.AtomicLoadPUintptr(pp)
	defer sqlite3.Xsqlite3_finalize(c.tls, s)
	switch rc := sqlite3.Xsqlite3_step(c.tls, s); rc {
	case sqlite3.SQLITE_ROW:
		if sqlite3.Xsqlite3_column_type(c.tls, s, 0) == sqlite3.SQLITE_NULL {
			return 0, false, nil
		}
		return sqlite3.Xsqlite3_column_int64(c.tls, s, 0), true, nil
	case sqlite3.SQLITE_DONE:
		return 0, false, nil
	default:
		return 0, false, c.err(rc)
	}
}

func (c *rawSQLite) execCtx(_ context.Context, q string) error { return c.exec(q) }

func (c *rawSQLite) bindInt(s uintptr, i int32, v int64) {
	sqlite3.Xsqlite3_bind_int64(c.tls, s, i, v)
}

func (c *rawSQLite) bindBool(s uintptr, i int32, v bool) {
	var n int64
	if v {
		n = 1
	}
	sqlite3.Xsqlite3_bind_int64(c.tls, s, i, n)
}

// bindText binds a copy of v: it is copied into the scratch buffer (C
// memory), and SQLite copies it again into the statement's own memory
// (SQLITE_TRANSIENT), so nothing keeps pointing at Go memory.
func (c *rawSQLite) bindText(s uintptr, i int32, v string) {
	p := c.copyIn(unsafe.StringData(v), len(v))
	runtime.KeepAlive(v)
	sqlite3.Xsqlite3_bind_text(c.tls, s, i, p, int32(len(v)), sqliteTransient)
}

// bindBytes is bindText for text held in a byte slice.
func (c *rawSQLite) bindBytes(s uintptr, i int32, v []byte) {
	p := c.copyIn(unsafe.SliceData(v), len(v))
	runtime.KeepAlive(v)
	sqlite3.Xsqlite3_bind_text(c.tls, s, i, p, int32(len(v)), sqliteTransient)
}

func (c *rawSQLite) bindBlob(s uintptr, i int32, v []byte) {
	if v == nil {
		sqlite3.Xsqlite3_bind_null(c.tls, s, i)
		return
	}
	p := c.copyIn(unsafe.SliceData(v), len(v))
	runtime.KeepAlive(v)
	sqlite3.Xsqlite3_bind_blob(c.tls, s, i, p, int32(len(v)), sqliteTransient)
}

// copyIn copies n bytes at src into the scratch buffer and returns it.
func (c *rawSQLite) copyIn(src *byte, n int) uintptr {
	p := c.stage(n)
	if n > 0 {
		copy(cMemory(p, n), unsafe.Slice(src, n))
	}
	return p
}

// cMemory views n bytes of C memory: memory from libc.Xmalloc, outside the
// Go heap, which the garbage collector neither moves nor frees.
func cMemory(p uintptr, n int) []byte {
	return unsafe.Slice((*byte)(unsafe.Add(nil, p)), n)
}

// stage makes the scratch buffer hold at least n bytes (and never 0).
func (c *rawSQLite) stage(n int) uintptr {
	if n > c.size {
		libc.Xfree(c.tls, c.scratch)
		for c.size < n {
			c.size *= 2
		}
		c.scratch = libc.Xmalloc(c.tls, types.Size_t(c.size))
		if c.scratch == 0 {
			panic("demodata: out of memory")
		}
	}
	return c.scratch
}

// step runs a bound INSERT and readies it for the next row.
func (c *rawSQLite) step(s uintptr) error {
	rc := sqlite3.Xsqlite3_step(c.tls, s)
	sqlite3.Xsqlite3_reset(c.tls, s)
	if rc != sqlite3.SQLITE_DONE {
		return c.err(rc)
	}
	return nil
}

// rawRows is how many rows one prepared INSERT takes: binding 32 rows and
// stepping once saves the per-statement work (opening cursors, the
// AUTOINCREMENT bookkeeping, halting) on 31 of them.
const rawRows = 32

// rawWriter writes batches through a rawSQLite connection.
type rawWriter struct {
	s     *seeder
	c     *rawSQLite
	tp    inserter[models.Taxpayer]
	ret   inserter[models.TaxReturn]
	tx    inserter[models.AccountTransaction]
	info  inserter[models.InformationReturn]
	stamp []byte // created_at of this batch, as the driver writes it
	date  [25]byte
}

// inserter buffers rows of one table and inserts them rawRows at a time.
type inserter[T any] struct {
	c         *rawSQLite
	cols      int32
	many, one uintptr
	bind      func(s uintptr, base int32, id int64, row *T)
	ids       []int64
	rows      []*T
}

func (in *inserter[T]) prepare(c *rawSQLite, prefix string, bind func(uintptr, int32, int64, *T)) error {
	in.c, in.bind = c, bind
	in.cols = int32(strings.Count(prefix[:strings.Index(prefix, ") VALUES")], ",") + 1)
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", int(in.cols)), ",") + ")"
	var err error
	if in.one, err = c.prepare(prefix + row); err != nil {
		return err
	}
	in.many, err = c.prepare(prefix + strings.TrimSuffix(strings.Repeat(row+",", rawRows), ","))
	return err
}

func (in *inserter[T]) add(id int64, row *T) error {
	in.ids = append(in.ids, id)
	in.rows = append(in.rows, row)
	if len(in.rows) < rawRows {
		return nil
	}
	for k, r := range in.rows {
		in.bind(in.many, int32(k)*in.cols, in.ids[k], r)
	}
	in.ids, in.rows = in.ids[:0], in.rows[:0]
	return in.c.step(in.many)
}

// flush inserts the rows left over, one at a time.
func (in *inserter[T]) flush() error {
	defer func() { in.ids, in.rows = in.ids[:0], in.rows[:0] }()
	for k, r := range in.rows {
		in.bind(in.one, 0, in.ids[k], r)
		if err := in.c.step(in.one); err != nil {
			return err
		}
	}
	return nil
}

func newRawWriter(s *seeder, path string) (*rawWriter, error) {
	c, err := openRawSQLite(path)
	if err != nil {
		return nil, err
	}
	w := &rawWriter{s: s, c: c}
	if err := errors.Join(
		w.tp.prepare(c, s.t.insTaxpayers, w.bindTaxpayer),
		w.ret.prepare(c, s.t.insReturns, w.bindReturn),
		w.tx.prepare(c, s.t.insTransactions, w.bindTransaction),
		w.info.prepare(c, s.t.insInfoReturns, w.bindInfoReturn),
	); err != nil {
		c.close()
		return nil, err
	}
	return w, nil
}

func (w *rawWriter) renders() bool  { return false }
func (w *rawWriter) runner() runner { return w.c }
func (w *rawWriter) close()         { w.c.close() }

func (w *rawWriter) write(ctx context.Context, b *batch, expect state) (err error) {
	s, c := w.s, w.c
	if err := c.exec("BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("demodata: %w", err)
	}
	defer func() {
		if err != nil {
			_ = c.exec("ROLLBACK")
			w.tp.ids, w.tp.rows = w.tp.ids[:0], w.tp.rows[:0]
			w.ret.ids, w.ret.rows = w.ret.ids[:0], w.ret.rows[:0]
			w.tx.ids, w.tx.rows = w.tx.ids[:0], w.tx.rows[:0]
			w.info.ids, w.info.rows = w.info.ids[:0], w.info.rows[:0]
		}
	}()
	st, err := s.readState(ctx, c)
	if err != nil {
		return err
	}
	if st != expect {
		return errReplan
	}
	w.stamp = []byte(strings.Trim(timestampLiteral(time.Now().Truncate(time.Second), false), "'"))
	// One table at a time: each statement's B-tree pages stay warm.
	for _, table := range []func(id int64, p *person) error{
		func(id int64, p *person) error { return w.tp.add(id, &p.tp) },
		func(id int64, p *person) error {
			for y := range p.years {
				if err := w.ret.add(id, &p.years[y].ret); err != nil {
					return err
				}
			}
			return nil
		},
		func(id int64, p *person) error {
			for y := range p.years {
				for n := range p.years[y].txs {
					if err := w.tx.add(id, &p.years[y].txs[n]); err != nil {
						return err
					}
				}
			}
			return nil
		},
		func(id int64, p *person) error {
			for y := range p.years {
				for n := range p.years[y].infos {
					if err := w.info.add(id, &p.years[y].infos[n]); err != nil {
						return err
					}
				}
			}
			return nil
		},
	} {
		for k, p := range b.people {
			if k%256 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			if err := table(int64(b.firstID)+int64(k), p); err != nil {
				return fmt.Errorf("demodata: writing taxpayers %d-%d: %w", b.start, b.end-1, err)
			}
		}
		if err := errors.Join(w.tp.flush(), w.ret.flush(), w.tx.flush(), w.info.flush()); err != nil {
			return fmt.Errorf("demodata: writing taxpayers %d-%d: %w", b.start, b.end-1, err)
		}
	}
	if err := s.record(ctx, c, b.end, false); err != nil {
		return err
	}
	if s.opts.beforeCommit != nil {
		if err := s.opts.beforeCommit(b.end); err != nil {
			return err
		}
	}
	if err := c.exec("COMMIT"); err != nil {
		return fmt.Errorf("demodata: %w", err)
	}
	return nil
}

func (w *rawWriter) dateText(t time.Time) []byte {
	y, m, d := t.Date()
	b := w.date[:]
	putDigits(b[0:4], uint64(y))
	b[4] = '-'
	putDigits(b[5:7], uint64(m))
	b[7] = '-'
	putDigits(b[8:10], uint64(d))
	copy(b[10:], " 00:00:00+00:00")
	return b
}

func (w *rawWriter) bindTaxpayer(s uintptr, o int32, id int64, t *models.Taxpayer) {
	c := w.c
	c.bindInt(s, o+1, id)
	c.bindText(s, o+2, t.SSNIndex)
	c.bindBlob(s, o+3, t.SSNSealed)
	c.bindText(s, o+4, t.SSNLast4)
	c.bindText(s, o+5, t.FirstName)
	c.bindText(s, o+6, t.MiddleName)
	c.bindText(s, o+7, t.LastName)
	c.bindText(s, o+8, t.Suffix)
	c.bindBlob(s, o+9, t.DOBSealed)
	c.bindText(s, o+10, t.Street1)
	c.bindText(s, o+11, t.Street2)
	c.bindText(s, o+12, t.City)
	c.bindText(s, o+13, t.State)
	c.bindText(s, o+14, t.ZIP)
	c.bindBlob(s, o+15, t.PhoneSealed)
	c.bindText(s, o+16, t.PhoneLast4)
	c.bindBytes(s, o+17, w.stamp)
	c.bindBytes(s, o+18, w.stamp)
}

func (w *rawWriter) bindReturn(s uintptr, o int32, id int64, r *models.TaxReturn) {
	c := w.c
	c.bindInt(s, o+1, id)
	c.bindInt(s, o+2, int64(r.TaxYear))
	c.bindText(s, o+3, r.Form)
	c.bindText(s, o+4, string(r.FilingStatus))
	c.bindBool(s, o+5, r.EFiled)
	c.bindBytes(s, o+6, w.dateText(r.ReceivedOn))
	c.bindInt(s, o+7, r.AGICents)
	c.bindInt(s, o+8, r.TaxableIncomeCents)
	c.bindInt(s, o+9, r.TaxCents)
	c.bindInt(s, o+10, r.WithholdingCents)
	c.bindInt(s, o+11, r.RefundCents)
	c.bindBool(s, o+12, r.DirectDeposit)
	c.bindText(s, o+13, r.BankLast4)
	c.bindBytes(s, o+14, w.stamp)
}

func (w *rawWriter) bindTransaction(s uintptr, o int32, id int64, x *models.AccountTransaction) {
	c := w.c
	c.bindInt(s, o+1, id)
	c.bindInt(s, o+2, int64(x.TaxYear))
	c.bindInt(s, o+3, int64(x.Code))
	c.bindInt(s, o+4, x.AmountCents)
	c.bindBytes(s, o+5, w.dateText(x.PostedOn))
	c.bindText(s, o+6, x.Cycle)
	c.bindText(s, o+7, x.Note)
	c.bindBytes(s, o+8, w.stamp)
}

func (w *rawWriter) bindInfoReturn(s uintptr, o int32, id int64, x *models.InformationReturn) {
	c := w.c
	c.bindInt(s, o+1, id)
	c.bindInt(s, o+2, int64(x.TaxYear))
	c.bindText(s, o+3, x.Form)
	c.bindText(s, o+4, x.PayerName)
	c.bindText(s, o+5, x.PayerEINLast4)
	c.bindInt(s, o+6, x.AmountCents)
	c.bindInt(s, o+7, x.WithheldCents)
	c.bindBytes(s, o+8, w.stamp)
}
