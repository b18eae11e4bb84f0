// Package demodata builds a deterministic, synthetic taxpayer master file for
// development, demonstrations and load tests.
//
// Taxpayer i (counting from 0) always gets the same person and the same tax
// history: everything is drawn from a PRNG seeded by i, with dates relative to
// Today. The first ten are the hand-written Featured taxpayers; the others are
// generated, with SSNs only from ranges that are never issued (area 900-999,
// group 01-49, which no ITIN uses either).
//
// Seed is idempotent and resumable: it writes taxpayers in batches, each in
// one transaction together with the progress it records in the seed_runs row
// named "demo", so an interrupted run leaves whole taxpayers only and the
// next run carries on from there.
//
// Refund states of the latest tax year, as the transactions show them:
//
//	received  150 + 806 only; the return arrived less than a week before Today
//	approved  150 + 806 only; processed one to three weeks before Today
//	sent      846 (direct deposit or paper check, per the return)
//	held      570 + 971 (note "CP05"), no 571 and no 846
//	released  570 + 971, then 571 and 846 (and 776 interest when late)
//	offset    898 (part of the refund, note "Treasury Offset Program") + 846
//	applied   826 to an older year's balance (706 on that year, 971 "CP49"),
//	          846 for what is left
//	none      balance due: 150 above the credits, 971 "CP14", 196 + 276
//
// Amounts are integer cents; positive amounts increase what is owed, credits
// and payments are negative, and 846, 826 and 898 are positive because they
// move a credit out of the account.
//
// Speed: a million taxpayers (about 41 million rows) take a few minutes.
// Taxpayers are generated on spare cores while the previous batch is
// written; SQLite files are written through a connection of their own with
// prepared statements compiled once, PostgreSQL with COPY; runs of 100,000
// taxpayers or more drop the two taxpayer indexes with random keys and build
// them again at the end.
package demodata

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/pii"
)

// Options control a seeding run.
type Options struct {
	Taxpayers int          // total wanted, featured ones included
	Log       *slog.Logger // progress lines; nil for none

	// For tests.
	batchSize        int                 // taxpayers per transaction; 0 for the default
	afterBatch       func(done int)      // called after each committed batch
	beforeCommit     func(end int) error // an error rolls the batch back
	noRawSQLite      bool                // use database/sql on SQLite too
	noCopy           bool                // use INSERT on PostgreSQL too
	dropIndexesAbove int                 // 0 for the default
}

// Result says what a run did.
type Result struct {
	Created  int // taxpayers created by this run
	Existing int // taxpayers that were already there
}

// DefaultTaxpayers is how many taxpayers `go run .` loads.
const DefaultTaxpayers = 1000

// Today is the reference date of the demo data: the latest tax year is the
// year before it, and no date generated is later. It is fixed so that the
// data is the same on every machine; change it before calling Seed to move
// the whole history (taxpayers already in the database stay as they were).
var Today = time.Date(2026, time.November, 22, 0, 0, 0, 0, time.UTC)

// seedRunName is the models.SeedRun row that records progress.
const seedRunName = "demo"

// Taxpayers per transaction (about 40 rows each).
const (
	defaultBatchSize = 2000
	maxBatchSize     = 5000
)

// Seed makes sure the first opts.Taxpayers synthetic taxpayers exist.
func Seed(ctx context.Context, db *gorm.DB, vault *pii.Vault, opts Options) (Result, error) {
	if opts.Taxpayers <= 0 {
		return Result{}, nil
	}
	if opts.Taxpayers > MaxTaxpayers {
		return Result{}, fmt.Errorf("demodata: at most %d taxpayers can have never-issued SSNs", MaxTaxpayers)
	}
	if vault == nil {
		return Result{}, errors.New("demodata: a vault is needed to seal SSNs")
	}
	s, err := newSeeder(db, vault, opts)
	if err != nil {
		return Result{}, err
	}
	res, err := s.run(ctx)
	if err != nil {
		return res, err
	}
	return res, SeedStaff(ctx, db, vault)
}

type seeder struct {
	gdb   *gorm.DB
	db    *sql.DB
	t     *tableSQL
	vault *pii.Vault
	gen   *generator
	opts  Options
	log   *slog.Logger
	seq   string // PostgreSQL: the taxpayers id sequence
}

func newSeeder(db *gorm.DB, vault *pii.Vault, opts Options) (*seeder, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("demodata: %w", err)
	}
	t, err := newTableSQL(db)
	if err != nil {
		return nil, err
	}
	if opts.batchSize <= 0 {
		// One transaction for a small run; for big ones, a hundred or so.
		opts.batchSize = min(max(opts.Taxpayers/100, defaultBatchSize), maxBatchSize)
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &seeder{gdb: db, db: sqlDB, t: t, vault: vault, gen: newGenerator(Today), opts: opts, log: log}, nil
}

// state is what the database says about earlier runs.
type state struct {
	recorded int    // taxpayers the seed_runs row records, -1 if no row
	maxID    uint64 // highest taxpayer ID
}

// runner runs the few statements that read and record progress, on a
// database/sql handle or on the raw SQLite connection.
type runner interface {
	queryInt(ctx context.Context, q string) (v int64, found bool, err error)
	execCtx(ctx context.Context, q string) error
}

// querier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

type sqlRunner struct{ q querier }

func (r sqlRunner) queryInt(ctx context.Context, q string) (int64, bool, error) {
	var v sql.NullInt64
	err := r.q.QueryRowContext(ctx, q).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v.Int64, err == nil && v.Valid, err
}

func (r sqlRunner) execCtx(ctx context.Context, q string) error {
	_, err := r.q.ExecContext(ctx, q)
	return err
}

func (s *seeder) readState(ctx context.Context, r runner) (state, error) {
	st := state{recorded: -1}
	n, found, err := r.queryInt(ctx, "SELECT "+s.t.seedTaxpayers+" FROM "+s.t.seedRuns+
		" WHERE "+s.t.seedName+" = "+string(appendQuoted(nil, seedRunName)))
	if err != nil {
		return st, fmt.Errorf("demodata: reading progress: %w", err)
	}
	if found {
		st.recorded = int(n)
	}
	maxID, _, err := r.queryInt(ctx, "SELECT COALESCE(MAX("+s.t.taxpayerID+"), 0) FROM "+s.t.taxpayers)
	if err != nil {
		return st, fmt.Errorf("demodata: reading taxpayer ids: %w", err)
	}
	st.maxID = uint64(maxID)
	return st, nil
}

// exists reports whether taxpayer i is in the database, by its SSN.
func (s *seeder) exists(ctx context.Context, r runner, i int) (bool, error) {
	idx := s.vault.Index("ssn", ssnFor(i).Digits())
	_, found, err := r.queryInt(ctx, "SELECT 1 FROM "+s.t.taxpayers+" WHERE "+s.t.ssnIndex+" = "+
		string(appendQuoted(nil, idx)))
	return found, err
}

// resumePoint is how many taxpayers (a prefix 0..n-1) already exist. The
// recorded progress is trusted when the rows agree with it; otherwise (no
// seed_runs row, or data removed behind its back) the prefix is found by a
// binary search on SSNs.
func (s *seeder) resumePoint(ctx context.Context, r runner, recorded int) (int, error) {
	if recorded >= 0 {
		ok := true
		if recorded > 0 {
			e, err := s.exists(ctx, r, recorded-1)
			if err != nil {
				return 0, err
			}
			ok = e
		}
		if ok && recorded < MaxTaxpayers {
			e, err := s.exists(ctx, r, recorded)
			if err != nil {
				return 0, err
			}
			ok = !e
		}
		if ok {
			return recorded, nil
		}
	}
	// Smallest i that does not exist, assuming the existing ones form a prefix.
	lo, hi := 0, 1 // taxpayers below lo exist; is hi-1 there?
	for {
		e, err := s.exists(ctx, r, hi-1)
		if err != nil {
			return 0, err
		}
		if !e {
			break
		}
		lo = hi
		if hi >= MaxTaxpayers {
			return MaxTaxpayers, nil
		}
		hi = min(hi*2, MaxTaxpayers)
	}
	for lo < hi-1 { // taxpayer hi-1 is missing
		mid := (lo + hi) / 2
		e, err := s.exists(ctx, r, mid-1)
		if err != nil {
			return 0, err
		}
		if e {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// errReplan means another writer changed the tables since the batch was
// planned: the run reads the state again and carries on.
var errReplan = errors.New("demodata: the database changed under the run")

func (s *seeder) run(ctx context.Context) (Result, error) {
	started := time.Now()
	want := s.opts.Taxpayers
	pool := sqlRunner{s.db}
	if s.t.pg {
		// Taxpayer IDs are assigned here; the sequence must move past them.
		var seq sql.NullString
		if err := s.db.QueryRowContext(ctx, "SELECT pg_get_serial_sequence("+
			string(appendQuoted(nil, s.t.taxpayers))+", "+
			string(appendQuoted(nil, strings.Trim(s.t.taxpayerID, `"`)))+")").Scan(&seq); err != nil {
			return Result{}, fmt.Errorf("demodata: finding the taxpayer id sequence: %w", err)
		}
		s.seq = seq.String
	}
	// A big run that was stopped may have left its indexes dropped.
	if err := s.restoreIndexes(ctx); err != nil {
		return Result{}, err
	}
	st, err := s.readState(ctx, pool)
	if err != nil {
		return Result{}, err
	}
	have, err := s.resumePoint(ctx, pool, st.recorded)
	if err != nil {
		return Result{}, fmt.Errorf("demodata: checking existing taxpayers: %w", err)
	}
	res := Result{Existing: min(have, want)}
	if have >= want {
		if st.recorded != have {
			// The rows were there but the record was not: write it down.
			if err := s.record(ctx, pool, have, true); err != nil {
				return res, err
			}
		}
		return res, nil
	}

	// Random keys (the SSN lookup hash, last names) make index upkeep the
	// bulk of a big load: every batch rewrites most index pages. Loading
	// without those indexes and building them once at the end is several
	// times faster.
	dropped := false
	if above := cmp.Or(s.opts.dropIndexesAbove, dropIndexesAbove); want-have >= above && want-have >= have {
		if err := s.dropIndexes(ctx); err != nil {
			return res, err
		}
		dropped = true
		defer func() {
			if !dropped {
				return
			}
			// Stopped early: build them now (or the next run will).
			if err := s.restoreIndexes(ctx); err != nil {
				s.log.Error("demo data: rebuilding indexes", slog.Any("error", err))
			}
		}()
	}
	w, err := s.newWriter(ctx)
	if err != nil {
		return res, err
	}
	defer w.close()

	// Big runs report every 5%.
	total := want - have
	big := total >= 20*s.opts.batchSize
	if big {
		s.log.Info("seeding demo taxpayers", slog.Int("present", have), slog.Int("wanted", want))
	}
	var rows rowCounts
	nextReport := 1
	for stuck := 0; ; {
		n, err := s.fill(ctx, w, st, have, want, func(done int, c rowCounts) {
			res.Created += done
			rows.add(c)
			if big && res.Created*20 >= nextReport*total && res.Created < total {
				nextReport = res.Created*20/total + 1
				s.log.Info("seeding demo taxpayers",
					slog.Int("created", res.Created), slog.Int("of", total),
					slog.Int("percent", res.Created*100/total),
					slog.Duration("elapsed", time.Since(started).Round(time.Second)))
			}
		})
		have = n
		if err == nil {
			break
		}
		if !errors.Is(err, errReplan) {
			return res, err
		}
		// Someone else seeded at the same time: look again, and carry on
		// as long as somebody makes progress.
		before := have
		if st, err = s.readState(ctx, pool); err != nil {
			return res, err
		}
		if have, err = s.resumePoint(ctx, pool, st.recorded); err != nil {
			return res, err
		}
		if have >= want {
			break
		}
		if stuck++; have > before {
			stuck = 0
		} else if stuck > 5 {
			return res, errReplan
		}
	}
	if dropped {
		dropped = false
		if err := s.restoreIndexes(ctx); err != nil {
			return res, err
		}
	}
	if err := s.record(ctx, w.runner(), max(have, want), true); err != nil {
		return res, err
	}
	res.Existing = want - res.Created
	s.log.Info("demo data ready",
		slog.Int("taxpayers", want), slog.Int("created", res.Created),
		slog.Int("returns", rows.Returns), slog.Int("transactions", rows.Transactions),
		slog.Int("information_returns", rows.InfoReturns),
		slog.Duration("elapsed", time.Since(started).Round(time.Millisecond)))
	return res, nil
}

// record writes the progress row.
func (s *seeder) record(ctx context.Context, r runner, n int, finished bool) error {
	now := timestampLiteral(time.Now(), s.t.pg)
	fin := "NULL"
	if finished {
		fin = now
	}
	stmt := "INSERT INTO " + s.t.seedRuns + " (" + s.t.seedName + "," + s.t.seedTaxpayers + "," + s.t.seedFinished + "," +
		s.t.seedUpdated + ") VALUES (" + string(appendQuoted(nil, seedRunName)) + "," + strconv.Itoa(n) + "," + fin + "," + now +
		") ON CONFLICT (" + s.t.seedName + ") DO UPDATE SET " +
		s.t.seedTaxpayers + " = excluded." + s.t.seedTaxpayers + ", " +
		s.t.seedFinished + " = excluded." + s.t.seedFinished + ", " +
		s.t.seedUpdated + " = excluded." + s.t.seedUpdated
	if err := r.execCtx(ctx, stmt); err != nil {
		return fmt.Errorf("demodata: recording progress: %w", err)
	}
	return nil
}

// batch is taxpayers [start, end), generated and sealed, and for writers
// that send SQL text, rendered.
type batch struct {
	start, end int
	firstID    uint64
	people     []*person
	stmts      []string
	counts     rowCounts
	err        error
}

func (b *batch) lastID() uint64 { return b.firstID + uint64(b.end-b.start) - 1 }

// fill writes taxpayers [from, to) in batches and returns how many exist
// afterwards. Batches are generated ahead by worker goroutines while the
// previous one is being written.
func (s *seeder) fill(ctx context.Context, w batchWriter, st state, from, to int, progress func(int, rowCounts)) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	order := make(chan chan *batch, workers+1)
	sem := make(chan struct{}, workers)
	now := time.Now().Truncate(time.Second) // created_at, as GORM would write it (to the second, to save space)
	render := w.renders()
	go func() {
		defer close(order)
		id := st.maxID + 1
		for start := from; start < to; start += s.opts.batchSize {
			end := min(start+s.opts.batchSize, to)
			out := make(chan *batch, 1)
			select {
			case order <- out:
			case <-ctx.Done():
				return
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func(start, end int, id uint64) {
				defer func() { <-sem }()
				out <- s.build(start, end, id, now, render)
			}(start, end, id)
			id += uint64(end - start)
		}
	}()

	done := from
	expect := st
	for out := range order {
		var b *batch
		select {
		case b = <-out:
		case <-ctx.Done():
			return done, ctx.Err()
		}
		if b.err != nil {
			return done, b.err
		}
		if err := w.write(ctx, b, expect); err != nil {
			return done, err
		}
		done = b.end
		expect = state{recorded: b.end, maxID: b.lastID()}
		progress(b.end-b.start, b.counts)
		if s.opts.afterBatch != nil {
			s.opts.afterBatch(done)
		}
	}
	return done, ctx.Err()
}

// build generates and seals taxpayers [start, end).
func (s *seeder) build(start, end int, firstID uint64, now time.Time, render bool) *batch {
	b := &batch{start: start, end: end, firstID: firstID, people: make([]*person, 0, end-start)}
	for i := start; i < end; i++ {
		p := s.gen.person(i)
		if err := p.tp.Seal(s.vault, p.pd); err != nil {
			b.err = fmt.Errorf("demodata: sealing taxpayer %d: %w", i, err)
			return b
		}
		b.people = append(b.people, p)
		b.counts.Taxpayers++
		b.counts.Returns += len(p.years)
		for k := range p.years {
			b.counts.Transactions += len(p.years[k].txs)
			b.counts.InfoReturns += len(p.years[k].infos)
		}
	}
	if render {
		w := newBatchSQL(s.t, timestampLiteral(now, s.t.pg))
		for k, p := range b.people {
			w.add(firstID+uint64(k), p)
		}
		b.stmts = w.statements()
		b.people = nil
	}
	return b
}

// Welcome is what the server prints at start in development: where to go,
// and a few featured taxpayers to sign in or look up refunds as.
func Welcome(baseURL string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Demo data at %s: made-up taxpayers whose SSNs are never issued. Tax year %d:\n", baseURL, Featured[0].LatestYear)
	show := []int{0, 2, 4, 6, 8}
	rows := [][5]string{{"Name", "SSN", "Born", "Refund", "Situation"}}
	for _, i := range show {
		f := Featured[i]
		refund := "-"
		if f.RefundDollars > 0 {
			refund = "$" + thousands(f.RefundDollars)
		}
		rows = append(rows, [5]string{f.Name, f.SSN, f.DOB.Format(time.DateOnly), refund, f.Situation})
	}
	var w [4]int
	for _, r := range rows {
		for c := range w {
			w[c] = max(w[c], len(r[c]))
		}
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-*s  %-*s  %-*s  %*s  %s\n", w[0], r[0], w[1], r[1], w[2], r[2], w[3], r[3], r[4])
	}
	fmt.Fprintf(&b, "  %d more, with filing statuses, phones and addresses, are listed in README.md.\n", len(Featured)-len(show))
	return b.String()
}

// thousands formats whole dollars with commas.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
