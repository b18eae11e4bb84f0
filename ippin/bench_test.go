package ippin_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
)

// BenchmarkRollover times the rollover of one year on a demo master file:
//
//	go test ./ippin -run '^$' -bench Rollover -benchtime 3x
//
// PORTAL_IPPIN_BENCH_N sets how many taxpayers are seeded (100,000 by
// default) and PORTAL_IPPIN_BENCH_PERCENT what share of them is enrolled
// (100 by default); one enrollee in 50 is assigned, so letters are written
// too, and every other one of those has an online account. Each round
// issues a new year's PINs; "s/100k-PINs" is the time per 100,000 issued.
func BenchmarkRollover(b *testing.B) {
	n := envInt(b, "PORTAL_IPPIN_BENCH_N", 100_000)
	percent := envInt(b, "PORTAL_IPPIN_BENCH_PERCENT", 100)
	f := newFixture(b)
	ctx := context.Background()
	if _, err := demodata.Seed(ctx, f.db, f.vault, demodata.Options{Taxpayers: n}); err != nil {
		b.Fatal(err)
	}
	enrolled := f.enrolShare(percent)
	b.Logf("%d taxpayers, %d enrolled", n, enrolled)

	year := 2027
	var issued int64
	for b.Loop() {
		p, err := f.svc.Rollover(ctx, year, 0)
		if err != nil {
			b.Fatal(err)
		}
		if p.Issued != enrolled || p.Letters == 0 {
			b.Fatalf("issued %d of %d, %d letters", p.Issued, enrolled, p.Letters)
		}
		issued += p.Issued
		year++
	}
	if issued > 0 {
		b.ReportMetric(b.Elapsed().Seconds()/float64(issued)*100_000, "s/100k-PINs")
	}
}

// enrolShare enrols percent of the taxpayers in bulk, as the program would
// have over the years, and returns how many: one in 50 assigned, and half
// of those with an online account.
func (f *fixture) enrolShare(percent int) int64 {
	f.t.Helper()
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	if err := f.db.Exec(`INSERT INTO ip_pin_enrollments (taxpayer_id, kind, enrolled_at, updated_at)
		SELECT id, CASE WHEN id % 50 = 0 THEN 'assigned' ELSE 'voluntary' END, ?, ?
		FROM taxpayers WHERE id % 100 < ?`, at, at, percent).Error; err != nil {
		f.t.Fatal(err)
	}
	if err := f.db.Exec(`INSERT INTO accounts (email, password_hash, password_changed_at, role, taxpayer_id, created_at, updated_at)
		SELECT 'tp' || taxpayer_id || '@example.com', 'x', ?, 'taxpayer', taxpayer_id, ?, ?
		FROM ip_pin_enrollments WHERE taxpayer_id % 100 = 0`, at, at, at).Error; err != nil {
		f.t.Fatal(err)
	}
	return f.count(&models.IPPINEnrollment{}, "")
}

func envInt(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	return v
}
