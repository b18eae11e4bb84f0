package demodata

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// expected counts the rows the generator makes for taxpayers [0, n).
func expected(n int) rowCounts {
	g := newGenerator(Today)
	var c rowCounts
	for i := range n {
		p := g.person(i)
		c.Taxpayers++
		c.Returns += len(p.years)
		for _, y := range p.years {
			c.Transactions += len(y.txs)
			c.InfoReturns += len(y.infos)
		}
	}
	return c
}

func counts(t testing.TB, db *gorm.DB) rowCounts {
	t.Helper()
	return rowCounts{
		Taxpayers:    int(count(t, db, &models.Taxpayer{})),
		Returns:      int(count(t, db, &models.TaxReturn{})),
		Transactions: int(count(t, db, &models.AccountTransaction{})),
		InfoReturns:  int(count(t, db, &models.InformationReturn{})),
	}
}

func seedRun(t testing.TB, db *gorm.DB) models.SeedRun {
	t.Helper()
	var r models.SeedRun
	if err := db.Where("name = ?", seedRunName).Take(&r).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

// fingerprint renders everything seeded, in a stable order, with the sealed
// values opened.
func fingerprint(t testing.TB, db *gorm.DB) string {
	t.Helper()
	v := testVault(t)
	var b strings.Builder
	var tps []models.Taxpayer
	if err := db.Order("id").Find(&tps).Error; err != nil {
		t.Fatal(err)
	}
	for _, tp := range tps {
		pd, err := tp.Unseal(v)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "T %d %s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", tp.ID, pd.SSN.Dashed(), tp.SSNLast4,
			pd.DOB.Format(time.DateOnly), pd.Phone, tp.PhoneLast4, tp.FirstName, tp.MiddleName, tp.LastName, tp.Suffix,
			tp.Street1, tp.Street2, tp.City, tp.State+" "+tp.ZIP)
	}
	var rets []models.TaxReturn
	if err := db.Order("taxpayer_id, tax_year").Find(&rets).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range rets {
		fmt.Fprintf(&b, "R %d %d %s %s %v %s %d %d %d %d %d %v %q\n", r.TaxpayerID, r.TaxYear, r.Form, r.FilingStatus, r.EFiled,
			r.ReceivedOn.UTC().Format(time.DateOnly), r.AGICents, r.TaxableIncomeCents, r.TaxCents, r.WithholdingCents,
			r.RefundCents, r.DirectDeposit, r.BankLast4)
	}
	var txs []models.AccountTransaction
	if err := db.Order("taxpayer_id, tax_year, id").Find(&txs).Error; err != nil {
		t.Fatal(err)
	}
	for _, x := range txs {
		fmt.Fprintf(&b, "X %d %d %d %d %s %s %q\n", x.TaxpayerID, x.TaxYear, x.Code, x.AmountCents,
			x.PostedOn.UTC().Format(time.DateOnly), x.Cycle, x.Note)
	}
	var infos []models.InformationReturn
	if err := db.Order("taxpayer_id, tax_year, id").Find(&infos).Error; err != nil {
		t.Fatal(err)
	}
	for _, x := range infos {
		fmt.Fprintf(&b, "I %d %d %s %q %s %d %d\n", x.TaxpayerID, x.TaxYear, x.Form, x.PayerName, x.PayerEINLast4,
			x.AmountCents, x.WithheldCents)
	}
	return b.String()
}

// generatedFingerprint is what fingerprint should find for taxpayers [0, n)
// seeded into an empty database.
func generatedFingerprint(n int) string {
	g := newGenerator(Today)
	var b strings.Builder
	people := make([]*person, n)
	for i := range n {
		people[i] = g.person(i)
	}
	for i, p := range people {
		tp, pd := p.tp, p.pd
		fmt.Fprintf(&b, "T %d %s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", i+1, pd.SSN.Dashed(), pd.SSN.Last4(),
			pd.DOB.Format(time.DateOnly), pd.Phone, pd.Phone[len(pd.Phone)-4:], tp.FirstName, tp.MiddleName, tp.LastName, tp.Suffix,
			tp.Street1, tp.Street2, tp.City, tp.State+" "+tp.ZIP)
	}
	for i, p := range people {
		for _, y := range p.years {
			r := y.ret
			fmt.Fprintf(&b, "R %d %d %s %s %v %s %d %d %d %d %d %v %q\n", i+1, r.TaxYear, r.Form, r.FilingStatus, r.EFiled,
				r.ReceivedOn.Format(time.DateOnly), r.AGICents, r.TaxableIncomeCents, r.TaxCents, r.WithholdingCents,
				r.RefundCents, r.DirectDeposit, r.BankLast4)
		}
	}
	for i, p := range people {
		for _, y := range p.years {
			for _, x := range y.txs {
				fmt.Fprintf(&b, "X %d %d %d %d %s %s %q\n", i+1, x.TaxYear, x.Code, x.AmountCents,
					x.PostedOn.Format(time.DateOnly), x.Cycle, x.Note)
			}
		}
	}
	for i, p := range people {
		for _, y := range p.years {
			for _, x := range y.infos {
				fmt.Fprintf(&b, "I %d %d %s %q %s %d %d\n", i+1, x.TaxYear, x.Form, x.PayerName, x.PayerEINLast4,
					x.AmountCents, x.WithheldCents)
			}
		}
	}
	return b.String()
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

func TestSeedIsDeterministic(t *testing.T) {
	const n = 60
	want := generatedFingerprint(n)
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		seed(t, db, Options{Taxpayers: n, batchSize: 25})
		if got := fingerprint(t, db); got != want {
			t.Fatalf("seeded data differs from the generator's: %s", firstDiff(got, want))
		}
	})
	t.Run("sqlite without the raw connection", func(t *testing.T) {
		t.Parallel()
		db := openSQLite(t)
		seed(t, db, Options{Taxpayers: n, noRawSQLite: true})
		if got := fingerprint(t, db); got != want {
			t.Fatalf("seeded data differs from the generator's: %s", firstDiff(got, want))
		}
	})
	if postgresURL() != "" {
		t.Run("postgres without COPY", func(t *testing.T) {
			t.Parallel()
			db := openPostgres(t)
			seed(t, db, Options{Taxpayers: n, noCopy: true})
			if got := fingerprint(t, db); got != want {
				t.Fatalf("seeded data differs from the generator's: %s", firstDiff(got, want))
			}
		})
	}
	t.Run("two databases", func(t *testing.T) {
		t.Parallel()
		a, b := openSQLite(t), openSQLite(t)
		seed(t, a, Options{Taxpayers: n})
		seed(t, b, Options{Taxpayers: n, batchSize: 7})
		if fa, fb := fingerprint(t, a), fingerprint(t, b); fa != fb {
			t.Fatalf("two runs differ: %s", firstDiff(fa, fb))
		}
	})
}

func TestSeedIsIdempotent(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		steps := []struct {
			n    int
			want Result
		}{
			{200, Result{Created: 200}},
			{200, Result{Existing: 200}},
			{300, Result{Created: 100, Existing: 200}},
			{150, Result{Existing: 150}},
			{300, Result{Existing: 300}},
		}
		for _, s := range steps {
			if got := seed(t, db, Options{Taxpayers: s.n, batchSize: 64}); got != s.want {
				t.Errorf("Seed(%d) = %+v, want %+v", s.n, got, s.want)
			}
		}
		if got, want := counts(t, db), expected(300); got != want {
			t.Errorf("rows = %+v, want %+v", got, want)
		}
		if r := seedRun(t, db); r.Taxpayers != 300 || r.FinishedAt == nil {
			t.Errorf("seed run = %+v, want 300 taxpayers and finished", r)
		}
		var ids []uint64
		if err := db.Model(&models.Taxpayer{}).Order("id").Pluck("id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		for k, id := range ids {
			if id != uint64(k+1) {
				t.Fatalf("taxpayer IDs are not 1..300: position %d has %d", k, id)
			}
		}
		// The database's own ID sequence moved past the seeded taxpayers.
		extra := models.Taxpayer{FirstName: "Other", LastName: "Person", Street1: "1 Main St", City: "Dover", State: "DE", ZIP: "19901"}
		if err := extra.Seal(testVault(t), models.PersonalData{SSN: pii.MustSSN("900-00-0001"), DOB: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		if err := db.Create(&extra).Error; err != nil {
			t.Fatalf("creating a taxpayer after seeding: %v", err)
		}
		if extra.ID <= 300 {
			t.Errorf("new taxpayer got ID %d", extra.ID)
		}
		// Seeding more after that still works, with IDs after it.
		if got := seed(t, db, Options{Taxpayers: 310}); got != (Result{Created: 10, Existing: 300}) {
			t.Errorf("Seed(310) = %+v", got)
		}
	})
}

func TestSeedResumesAfterAnInterruption(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		opts := Options{Taxpayers: 200, batchSize: 50, afterBatch: func(done int) {
			if done >= 50 {
				cancel() // the process is stopped after the first batch
			}
		}}
		res, err := Seed(ctx, db, testVault(t), opts)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted Seed: %+v, %v", res, err)
		}
		if res.Created != 50 {
			t.Errorf("interrupted Seed created %d, want 50", res.Created)
		}
		if got, want := counts(t, db), expected(50); got != want {
			t.Errorf("after the interruption: rows = %+v, want %+v", got, want)
		}
		if r := seedRun(t, db); r.Taxpayers != 50 || r.FinishedAt != nil {
			t.Errorf("seed run = %+v, want 50 and not finished", r)
		}

		// A batch that fails before its commit leaves nothing behind.
		opts = Options{Taxpayers: 200, batchSize: 50, beforeCommit: func(end int) error {
			if end > 100 {
				return errors.New("power cut")
			}
			return nil
		}}
		if res, err := Seed(context.Background(), db, testVault(t), opts); err == nil || res.Created != 50 {
			t.Fatalf("failing Seed = %+v, %v; want 50 created and an error", res, err)
		}
		if got, want := counts(t, db), expected(100); got != want {
			t.Errorf("after the failed batch: rows = %+v, want %+v", got, want)
		}

		if got := seed(t, db, Options{Taxpayers: 200, batchSize: 50}); got != (Result{Created: 100, Existing: 100}) {
			t.Errorf("resumed Seed = %+v", got)
		}
		if got, want := counts(t, db), expected(200); got != want {
			t.Errorf("after resuming: rows = %+v, want %+v", got, want)
		}
		var distinct int64
		if err := db.Model(&models.Taxpayer{}).Distinct("ssn_index").Count(&distinct).Error; err != nil {
			t.Fatal(err)
		}
		if distinct != 200 {
			t.Errorf("%d distinct SSNs, want 200", distinct)
		}
		if got, want := fingerprint(t, db), generatedFingerprint(200); got != want {
			t.Errorf("resumed data differs from a straight run: %s", firstDiff(got, want))
		}
	})
}

func TestSeedWithoutProgressRecord(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		seed(t, db, Options{Taxpayers: 120, batchSize: 40})
		// The record is lost: the taxpayers themselves say how far it got.
		if err := db.Where("1 = 1").Delete(&models.SeedRun{}).Error; err != nil {
			t.Fatal(err)
		}
		if got := seed(t, db, Options{Taxpayers: 100}); got != (Result{Existing: 100}) {
			t.Errorf("Seed(100) = %+v", got)
		}
		if r := seedRun(t, db); r.Taxpayers != 120 {
			t.Errorf("record rebuilt as %d, want 120", r.Taxpayers)
		}
		// The record is wrong: it claims more than there is.
		if err := db.Model(&models.SeedRun{}).Where("name = ?", seedRunName).Update("taxpayers", 999).Error; err != nil {
			t.Fatal(err)
		}
		if got := seed(t, db, Options{Taxpayers: 130}); got != (Result{Created: 10, Existing: 120}) {
			t.Errorf("Seed(130) = %+v", got)
		}
		if got, want := counts(t, db), expected(130); got != want {
			t.Errorf("rows = %+v, want %+v", got, want)
		}
	})
}

func TestBigRunsRebuildTheirIndexes(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		names, err := (&seeder{gdb: db}).randomIndexes()
		if err != nil || len(names) != 2 {
			t.Fatalf("random indexes: %v, %v", names, err)
		}
		hasAll := func() bool {
			for _, n := range names {
				if !db.Migrator().HasIndex(&models.Taxpayer{}, n) {
					return false
				}
			}
			return true
		}
		// Interrupted after one batch: the indexes come back anyway.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, err = Seed(ctx, db, testVault(t), Options{Taxpayers: 150, batchSize: 40, dropIndexesAbove: 100,
			afterBatch: func(int) { cancel() }})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted Seed: %v", err)
		}
		if !hasAll() {
			t.Error("indexes missing after an interrupted big run")
		}
		// Killed before it could rebuild them: the next run does.
		if err := db.Migrator().DropIndex(&models.Taxpayer{}, names[0]); err != nil {
			t.Fatal(err)
		}
		if got := seed(t, db, Options{Taxpayers: 40}); got != (Result{Existing: 40}) {
			t.Errorf("Seed(40) = %+v", got)
		}
		if !hasAll() {
			t.Error("the next run did not rebuild the index")
		}
		if got := seed(t, db, Options{Taxpayers: 200, batchSize: 40, dropIndexesAbove: 100}); got != (Result{Created: 160, Existing: 40}) {
			t.Errorf("Seed(200) = %+v", got)
		}
		if !hasAll() {
			t.Error("indexes missing after a big run")
		}
		if got, want := fingerprint(t, db), generatedFingerprint(200); got != want {
			t.Errorf("data differs: %s", firstDiff(got, want))
		}
		if tp, err := models.FindTaxpayerBySSN(context.Background(), db, testVault(t), ssnFor(150)); err != nil || tp.ID != 151 {
			t.Errorf("taxpayer 150: %+v, %v", tp, err)
		}
	})
}

func TestConcurrentSeedsShareTheWork(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		results := make(chan Result, 2)
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				res, err := Seed(context.Background(), db, testVault(t), Options{Taxpayers: 300, batchSize: 30})
				results <- res
				errs <- err
			}()
		}
		created := 0
		for range 2 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
			created += (<-results).Created
		}
		if created != 300 {
			t.Errorf("the two runs created %d in all, want 300", created)
		}
		if got, want := fingerprint(t, db), generatedFingerprint(300); got != want {
			t.Errorf("data differs: %s", firstDiff(got, want))
		}
	})
}

func TestSSNsAreNeverIssued(t *testing.T) {
	seen := map[string]int{}
	check := func(i int) {
		n := ssnFor(i)
		d := n.Digits()
		if !n.NeverIssued() {
			t.Fatalf("taxpayer %d: %s can be issued", i, n.Dashed())
		}
		// (The example range 987-65-4320..4329 has an ITIN group, 65.)
		if n.IsITIN() && i >= len(featuredSpecs) {
			t.Fatalf("taxpayer %d: %s is an ITIN", i, n.Dashed())
		}
		if j, dup := seen[d]; dup {
			t.Fatalf("taxpayers %d and %d share %s", j, i, n.Dashed())
		}
		seen[d] = i
		if i >= len(featuredSpecs) {
			area, _ := strconv.Atoi(d[:3])
			group, _ := strconv.Atoi(d[3:5])
			serial, _ := strconv.Atoi(d[5:])
			if area < 900 || group < 1 || group > 49 || serial < 1 || strings.HasPrefix(d, "98765432") {
				t.Fatalf("taxpayer %d: %s is outside the generated range", i, n.Dashed())
			}
		}
	}
	for i := range 50_000 {
		check(i)
	}
	for i := MaxTaxpayers - 1000; i < MaxTaxpayers; i++ {
		check(i)
	}
	for i := range 10 {
		if got, want := ssnFor(i).Dashed(), fmt.Sprintf("987-65-432%d", i); got != want {
			t.Errorf("featured %d: %s, want %s", i, got, want)
		}
	}
	// The index-to-SSN map is a bijection: the multiplier is coprime with
	// the size of the range.
	gcd := func(a, b uint64) uint64 {
		for b != 0 {
			a, b = b, a%b
		}
		return a
	}
	if gcd(ssnMul, ssnCapacity) != 1 {
		t.Error("ssnMul shares a factor with ssnCapacity")
	}
	if _, err := Seed(context.Background(), nil, testVault(t), Options{Taxpayers: MaxTaxpayers + 1}); err == nil {
		t.Error("Seed accepted more taxpayers than there are never-issued SSNs")
	}
}

// codesIn lists the codes of taxpayer id's transactions for a year (0: all).
func codesIn(t testing.TB, db *gorm.DB, id uint64, year int) []models.AccountTransaction {
	t.Helper()
	q := db.Where("taxpayer_id = ?", id)
	if year != 0 {
		q = q.Where("tax_year = ?", year)
	}
	var txs []models.AccountTransaction
	if err := q.Order("tax_year, id").Find(&txs).Error; err != nil {
		t.Fatal(err)
	}
	return txs
}

func has(txs []models.AccountTransaction, code int) bool {
	return slices.ContainsFunc(txs, func(x models.AccountTransaction) bool { return x.Code == code })
}

func sumOf(txs []models.AccountTransaction, codes ...int) int64 {
	var s int64
	for _, x := range txs {
		if slices.Contains(codes, x.Code) {
			s += x.AmountCents
		}
	}
	return s
}

func TestFeaturedTaxpayers(t *testing.T) {
	if len(Featured) != 10 {
		t.Fatalf("%d featured taxpayers, want 10", len(Featured))
	}
	states := map[string]bool{}
	for _, f := range Featured {
		states[f.Address[len(f.Address)-8:len(f.Address)-6]] = true
		if len(f.Phone) != 10 || f.Phone[3:8] != "55501" {
			t.Errorf("%s: phone %q is not a 555-01XX number", f.Name, f.Phone)
		}
	}
	if len(states) < 8 || !states["AK"] || !states["HI"] || !states["PR"] {
		t.Errorf("featured states %v: want variety, with Alaska, Hawaii and Puerto Rico", states)
	}
	codeRE := regexp.MustCompile(`\b[1-9]\d\d\b`)
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		seed(t, db, Options{Taxpayers: 12})
		v := testVault(t)
		for i, f := range Featured {
			tp, err := models.FindTaxpayerBySSN(context.Background(), db, v, pii.MustSSN(f.SSN))
			if err != nil {
				t.Fatalf("%s: %v", f.SSN, err)
			}
			if tp.FullName() != f.Name || tp.ID != uint64(i+1) {
				t.Errorf("%s is %q (ID %d), want %q", f.SSN, tp.FullName(), tp.ID, f.Name)
			}
			pd, err := tp.Unseal(v)
			if err != nil {
				t.Fatal(err)
			}
			if !pd.DOB.Equal(f.DOB) || pd.Phone != f.Phone || !strings.HasPrefix(f.Address, tp.Street1) {
				t.Errorf("%s: DOB %v phone %s street %s, want %v %s %s", f.Name, pd.DOB, pd.Phone, tp.Street1, f.DOB, f.Phone, f.Address)
			}
			var last models.TaxReturn
			if err := db.Where("taxpayer_id = ?", tp.ID).Order("tax_year DESC").Take(&last).Error; err != nil {
				t.Fatal(err)
			}
			if last.TaxYear != f.LatestYear || last.RefundCents != f.RefundDollars*100 || last.FilingStatus != f.FilingStatus {
				t.Errorf("%s: latest return %d refund %d %s, want %d %d %s", f.Name, last.TaxYear, last.RefundCents,
					last.FilingStatus, f.LatestYear, f.RefundDollars*100, f.FilingStatus)
			}
			all := codesIn(t, db, tp.ID, 0)
			for _, c := range codeRE.FindAllString(f.Situation, -1) {
				code, _ := strconv.Atoi(c)
				if !has(all, code) {
					t.Errorf("%s (%s): no transaction %d", f.Name, f.Situation, code)
				}
			}
			txs := codesIn(t, db, tp.ID, last.TaxYear)
			only := func(codes ...int) {
				for _, x := range txs {
					if !slices.Contains(codes, x.Code) {
						t.Errorf("%s: unexpected %d in %d", f.Name, x.Code, last.TaxYear)
					}
				}
			}
			// What left the account: the refund, plus any interest paid on it (776 is a credit).
			refundOut := sumOf(txs, codeRefundIssued, codeTreasuryOffset, codeAppliedToDebt) + sumOf(txs, codeRefundInterest)
			daysAgo := int(Today.Sub(last.ReceivedOn).Hours() / 24)
			switch i {
			case 0: // received
				only(150, 806, 766, 768)
				if daysAgo > 7 {
					t.Errorf("%s: received %d days ago", f.Name, daysAgo)
				}
			case 1: // approved
				only(150, 806, 766, 768)
				if daysAgo <= 7 {
					t.Errorf("%s: received only %d days ago", f.Name, daysAgo)
				}
			case 2:
				if !has(txs, 846) || !last.DirectDeposit || last.FilingStatus != models.MarriedFilingJointly {
					t.Errorf("%s: want a direct deposit 846 on a joint return", f.Name)
				}
			case 3:
				if !has(txs, 846) || last.DirectDeposit || last.EFiled {
					t.Errorf("%s: want a paper check for a paper return", f.Name)
				}
			case 4:
				if !has(txs, 570) || has(txs, 571) || has(txs, 846) {
					t.Errorf("%s: want a hold without release", f.Name)
				}
				if !slices.ContainsFunc(txs, func(x models.AccountTransaction) bool { return x.Code == 971 && x.Note == "CP05" }) {
					t.Errorf("%s: no 971 CP05", f.Name)
				}
			case 5:
				if !has(txs, 570) || !has(txs, 971) || !has(txs, 571) || !has(txs, 846) {
					t.Errorf("%s: want 570, 971, 571 and 846", f.Name)
				}
			case 6:
				if sumOf(txs, 898) <= 0 || sumOf(txs, 846) <= 0 || refundOut != last.RefundCents {
					t.Errorf("%s: want 898 and 846 adding up to the refund", f.Name)
				}
			case 7:
				in := sumOf(codesIn(t, db, tp.ID, last.TaxYear-1), codeCreditFromOther)
				if sumOf(txs, 826) <= 0 || in != -sumOf(txs, 826) || refundOut != last.RefundCents {
					t.Errorf("%s: want 826 here matching a 706 on %d", f.Name, last.TaxYear-1)
				}
			case 8:
				if last.RefundCents != 0 || sumOf(txs, 150) <= -sumOf(txs, 806, 766, 768) || has(txs, 846) {
					t.Errorf("%s: want a balance due", f.Name)
				}
			case 9:
				if !has(txs, 977) || !has(txs, 290) || !has(txs, 846) {
					t.Errorf("%s: want 977 and 290 after the refund", f.Name)
				}
			}
		}
	})
}

// refundState classifies a year's account the way the portal will.
func refundState(ret models.TaxReturn, txs []models.AccountTransaction) string {
	switch {
	case has(txs, codeAppliedToDebt):
		return "applied"
	case has(txs, codeTreasuryOffset):
		return "offset"
	case has(txs, codeHoldReleased):
		return "released"
	case has(txs, codeHold) && has(txs, codeNotice):
		return "held"
	case has(txs, codeRefundIssued):
		return "sent"
	case ret.RefundCents == 0:
		return "none"
	case Today.Sub(ret.ReceivedOn) <= 7*24*time.Hour:
		return "received"
	default:
		return "approved"
	}
}

func TestLatestYearCoversEveryRefundState(t *testing.T) {
	db := openSQLite(t)
	seed(t, db, Options{Taxpayers: 300})
	latest := Today.Year() - 1
	var rets []models.TaxReturn
	if err := db.Where("tax_year = ? AND taxpayer_id > 10", latest).Find(&rets).Error; err != nil {
		t.Fatal(err)
	}
	if len(rets) != 290 {
		t.Fatalf("%d generated taxpayers have a %d return, want 290", len(rets), latest)
	}
	var txs []models.AccountTransaction
	if err := db.Where("tax_year = ? AND taxpayer_id > 10", latest).Order("id").Find(&txs).Error; err != nil {
		t.Fatal(err)
	}
	by := map[uint64][]models.AccountTransaction{}
	for _, x := range txs {
		by[x.TaxpayerID] = append(by[x.TaxpayerID], x)
	}
	states := map[string]int{}
	for _, r := range rets {
		states[refundState(r, by[r.TaxpayerID])]++
	}
	for _, s := range []string{"received", "approved", "sent", "held", "released", "offset", "applied", "none"} {
		if states[s] == 0 {
			t.Errorf("no generated taxpayer's %d refund is %q (%v)", latest, s, states)
		}
	}
	t.Logf("%d refund states: %v", latest, states)
}

// TestGeneratedDataIsConsistent checks the rules every generated year keeps.
func TestGeneratedDataIsConsistent(t *testing.T) {
	g := newGenerator(Today)
	digits := regexp.MustCompile(`^\d+$`)
	for i := range 3000 {
		p := g.person(i)
		who := fmt.Sprintf("taxpayer %d", i)
		if p.tp.FirstName == "" || p.tp.LastName == "" || p.tp.Street1 == "" || p.tp.City == "" || len(p.tp.State) != 2 {
			t.Fatalf("%s: incomplete %+v", who, p.tp)
		}
		if len(p.tp.ZIP) != 5 || !digits.MatchString(p.tp.ZIP) || len(p.pd.Phone) != 10 || !digits.MatchString(p.pd.Phone) {
			t.Fatalf("%s: ZIP %q phone %q", who, p.tp.ZIP, p.pd.Phone)
		}
		if y := p.pd.DOB.Year(); y < 1940 || y > 2005 {
			t.Fatalf("%s: born %d", who, y)
		}
		if n := len(p.years); n < 3 || n > 10 {
			t.Fatalf("%s: %d years", who, n)
		}
		for k, y := range p.years {
			r := y.ret
			if r.TaxYear != g.latest-len(p.years)+1+k {
				t.Fatalf("%s: years are not consecutive up to %d", who, g.latest)
			}
			if r.AGICents%100 != 0 || r.TaxCents%100 != 0 || r.WithholdingCents%100 != 0 || r.RefundCents%100 != 0 {
				t.Fatalf("%s %d: return amounts are not whole dollars", who, r.TaxYear)
			}
			var total, withheld int64
			for _, in := range y.infos {
				total += in.AmountCents
				withheld += in.WithheldCents
				if len(in.PayerEINLast4) != 4 || !digits.MatchString(in.PayerEINLast4) {
					t.Fatalf("%s: EIN ending %q", who, in.PayerEINLast4)
				}
			}
			if dollars(total)*100 != r.AGICents {
				t.Fatalf("%s %d: AGI %d but information returns add up to %d", who, r.TaxYear, r.AGICents, total)
			}
			if dollars(withheld)*100 != r.WithholdingCents {
				t.Fatalf("%s %d: withholding %d but forms withheld %d", who, r.TaxYear, r.WithholdingCents, withheld)
			}
			credits := -sumOf(y.txs, codeWithholding, codeCredit, codeEIC)
			if want := max(credits-r.TaxCents, 0); want != r.RefundCents {
				t.Fatalf("%s %d: refund %d, want %d", who, r.TaxYear, r.RefundCents, want)
			}
			if sumOf(y.txs, codeReturnFiled) != r.TaxCents || -sumOf(y.txs, codeWithholding) != r.WithholdingCents {
				t.Fatalf("%s %d: 150/806 disagree with the return", who, r.TaxYear)
			}
			if r.ReceivedOn.After(g.today) {
				t.Fatalf("%s %d: received in the future", who, r.TaxYear)
			}
			for _, x := range y.txs {
				credit := x.Code == codeWithholding || x.Code == codeCredit || x.Code == codeEIC // as of the due date
				if x.PostedOn.After(g.today) || !credit && x.PostedOn.Before(r.ReceivedOn) {
					t.Fatalf("%s %d: %d posted %s", who, r.TaxYear, x.Code, x.PostedOn.Format(time.DateOnly))
				}
				if len(x.Cycle) != 8 || !digits.MatchString(x.Cycle) || x.Cycle[6] != '0' || x.Cycle[7] < '1' || x.Cycle[7] > '5' {
					t.Fatalf("%s: cycle %q", who, x.Cycle)
				}
				if x.Code == codeWithholding || x.Code == codeCredit || x.Code == codeEIC || x.Code == codePayment || x.Code == codeCreditFromOther || x.Code == codeRefundInterest {
					if x.AmountCents >= 0 {
						t.Fatalf("%s: credit %d is not negative", who, x.Code)
					}
				} else if x.AmountCents < 0 {
					t.Fatalf("%s: %d is negative", who, x.Code)
				}
			}
			// A refund that went out leaves the year settled, unless more
			// happened later.
			if has(y.txs, codeRefundIssued) && !has(y.txs, codeAdditionalTax) {
				var sum int64
				for _, x := range y.txs {
					sum += x.AmountCents
				}
				if sum != 0 {
					t.Fatalf("%s %d: balance %d after the refund", who, r.TaxYear, sum)
				}
			}
		}
	}
}

func TestWelcome(t *testing.T) {
	w := Welcome("http://127.0.0.1:8080")
	if n := strings.Count(w, "\n"); n > 15 {
		t.Errorf("Welcome has %d lines", n)
	}
	for _, s := range []string{"http://127.0.0.1:8080", Featured[0].Name, Featured[0].SSN, "README"} {
		if !strings.Contains(w, s) {
			t.Errorf("Welcome lacks %q:\n%s", s, w)
		}
	}
	t.Log("\n" + w)
}

// BenchmarkSeed seeds DefaultTaxpayers into an empty SQLite database.
func BenchmarkSeed(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := openSQLite(b)
		b.StartTimer()
		seed(b, db, Options{Taxpayers: DefaultTaxpayers})
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*DefaultTaxpayers), "ns/taxpayer")
}

// BenchmarkSeedPresent is the check at every start once the data is there.
func BenchmarkSeedPresent(b *testing.B) {
	db := openSQLite(b)
	seed(b, db, Options{Taxpayers: DefaultTaxpayers})
	for b.Loop() {
		seed(b, db, Options{Taxpayers: DefaultTaxpayers})
	}
}

// BenchmarkGenerate is the in-memory part: drawing and sealing one taxpayer.
func BenchmarkGenerate(b *testing.B) {
	g, v := newGenerator(Today), testVault(b)
	i := 0
	for b.Loop() {
		p := g.person(10 + i%1_000_000)
		if err := p.tp.Seal(v, p.pd); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
