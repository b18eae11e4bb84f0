package records

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"gorm.io/gorm"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/pii"
)

// benchDB is a seeded database for the benchmarks: by default 10,000 demo
// taxpayers in a temporary SQLite file. RECORDS_BENCH_TAXPAYERS asks for
// more and RECORDS_BENCH_DB names a file (or PostgreSQL URL) to keep
// between runs, since seeding a million taxpayers takes minutes:
//
//	RECORDS_BENCH_DB=/tmp/records-bench.db RECORDS_BENCH_TAXPAYERS=1000000 \
//	    go test -run '^$' -bench Dashboard ./records/
func benchDB(b *testing.B) (*gorm.DB, *pii.Vault, int) {
	b.Helper()
	n := 10_000
	if s := os.Getenv("RECORDS_BENCH_TAXPAYERS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	url := os.Getenv("RECORDS_BENCH_DB")
	if url == "" {
		url = testDatabaseURL(b)
	}
	db := openTestDB(b, url)
	v := testVault(b)
	if _, err := demodata.Seed(context.Background(), db, v, demodata.Options{Taxpayers: n}); err != nil {
		b.Fatal(err)
	}
	return db, v, n
}

// reportCPU adds the CPU time per operation, which a busy machine disturbs
// less than ns/op (wall time).
func reportCPU(b *testing.B) {
	from, ok := cpuTime()
	b.Cleanup(func() {
		if until, ok2 := cpuTime(); ok && ok2 && b.N > 0 {
			b.ReportMetric((until-from)/float64(b.N), "cpu-µs/op")
		}
	})
}

// BenchmarkDashboard loads and derives one taxpayer's dashboard, picked at
// random so that pages come from all over the file, as they would in use.
func BenchmarkDashboard(b *testing.B) {
	db, v, n := benchDB(b)
	svc := New(db, v, DefaultPolicy())
	ctx := context.Background()
	b.Run("serial", func(b *testing.B) {
		reportCPU(b)
		r := rand.New(rand.NewPCG(rand.Uint64(), 2))
		for b.Loop() {
			if _, err := svc.Dashboard(ctx, uint64(1+r.IntN(n)), now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		reportCPU(b)
		b.RunParallel(func(pb *testing.PB) {
			r := rand.New(rand.NewPCG(rand.Uint64(), 2))
			for pb.Next() {
				if _, err := svc.Dashboard(ctx, uint64(1+r.IntN(n)), now); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkAccountTranscript loads and builds an account transcript.
func BenchmarkAccountTranscript(b *testing.B) {
	db, v, n := benchDB(b)
	svc := New(db, v, DefaultPolicy())
	ctx := context.Background()
	reportCPU(b)
	r := rand.New(rand.NewPCG(rand.Uint64(), 4))
	for b.Loop() {
		if _, err := svc.Transcript(ctx, uint64(1+r.IntN(n)), TaxAccountTranscript, 2025, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveRefund is the derivation alone, without the database.
func BenchmarkDeriveRefund(b *testing.B) {
	ret := filed("2026-04-01")
	txs := append(processed("2026-04-06"), tx(570, 0, "2026-04-06"), tx(971, 0, "2026-04-07", "CP05"),
		tx(571, 0, "2026-06-22"), tx(776, -10.62, "2026-06-29"), tx(846, 1010.62, "2026-06-29"))
	for b.Loop() {
		DeriveRefund(2025, ret, txs, refundToday)
	}
}
