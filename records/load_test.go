package records

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
)

// The loaders read exactly what gorm reads for the same taxpayer, in as few
// queries as promised, and nothing of anyone else.
func TestLoadersReadOneTaxpayer(t *testing.T) {
	db, _ := seeded(t, 30)
	ctx := context.Background()
	queries := countQueries(t, db)

	for id := uint64(1); id <= 30; id++ {
		var rets []models.TaxReturn
		if err := db.Where("taxpayer_id = ?", id).Order("tax_year DESC").Find(&rets).Error; err != nil {
			t.Fatal(err)
		}
		queries.take()

		d, err := LoadDashboardData(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		if n := queries.take(); n != 1 {
			t.Errorf("taxpayer %d: dashboard took %d queries, want 1", id, n)
		}
		if len(d.Returns) != len(rets) {
			t.Fatalf("taxpayer %d: %d returns, want %d", id, len(d.Returns), len(rets))
		}
		for i, r := range d.Returns {
			w := rets[i]
			w.ID, w.CreatedAt, w.ReceivedOn = 0, r.CreatedAt, day(w.ReceivedOn)
			if r != w {
				t.Errorf("taxpayer %d return %d:\n got %+v\nwant %+v", id, r.TaxYear, r, w)
			}
		}
		var txs []models.AccountTransaction
		if err := db.Where("taxpayer_id = ? AND tax_year = ?", id, rets[0].TaxYear).Order("posted_on, id").Find(&txs).Error; err != nil {
			t.Fatal(err)
		}
		queries.take()
		if len(d.Transactions) != len(txs) {
			t.Fatalf("taxpayer %d: %d transactions, want %d", id, len(d.Transactions), len(txs))
		}
		for i, x := range d.Transactions {
			w := txs[i]
			w.CreatedAt, w.PostedOn = x.CreatedAt, day(w.PostedOn)
			if x != w {
				t.Errorf("taxpayer %d transaction %d:\n got %+v\nwant %+v", id, i, x, w)
			}
		}

		year := rets[len(rets)/2].TaxYear
		for _, k := range Kinds {
			if _, err := LoadTranscriptData(ctx, db, id, k, year); err != nil {
				t.Fatal(err)
			}
			want := 2
			if k == TaxReturnTranscript || k == NonFiling {
				want = 1
			}
			if n := queries.take(); n != want {
				t.Errorf("%s transcript took %d queries, want %d", k, n, want)
			}
		}
	}
}

func TestLoadTranscriptDataKeepsToItsTaxpayer(t *testing.T) {
	db, _ := seeded(t, 10)
	ctx := context.Background()
	a, err := LoadTranscriptData(ctx, db, 1, RecordOfAccount, 2025)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadTranscriptData(ctx, db, 2, RecordOfAccount, 2025)
	if err != nil {
		t.Fatal(err)
	}
	if a.Holder.LastName != "Hernandez" || b.Holder.LastName != "Whitfield" || a.Holder.SSNLast4 != "4320" || a.Holder.Street1 != "2417 Desert Willow Dr" {
		t.Errorf("holders %+v and %+v", a.Holder, b.Holder)
	}
	if a.Return == nil || b.Return == nil || a.Return.RefundCents != 143100 || b.Return.RefundCents != 168000 {
		t.Fatalf("returns %+v and %+v", a.Return, b.Return)
	}
	if !a.Return.EFiled || !a.Return.DirectDeposit || a.Return.FilingStatus != models.HeadOfHousehold || a.Return.ReceivedOn.IsZero() {
		t.Errorf("return read from the join: %+v", a.Return)
	}
	codes := func(txs []models.AccountTransaction) []int {
		var c []int
		for _, x := range txs {
			c = append(c, x.Code)
		}
		return c
	}
	if !slices.Equal(codes(a.Transactions), []int{806, 768, 150}) || slices.Contains(codes(b.Transactions), 768) {
		t.Errorf("transactions %v and %v", codes(a.Transactions), codes(b.Transactions))
	}
	// A year without a return: the holder, no return.
	d, err := LoadTranscriptData(ctx, db, 1, NonFiling, 2019)
	if err != nil || d.Return != nil || d.Holder.LastName != "Hernandez" {
		t.Errorf("2019: %+v %v", d, err)
	}
	// A taxpayer id that matches nobody finds nothing, whatever else exists.
	if _, err := LoadTranscriptData(ctx, db, 11, TaxAccountTranscript, 2025); err != ErrNoTaxpayer {
		t.Errorf("unknown taxpayer: %v", err)
	}
	if d, err := LoadDashboardData(ctx, db, 11); err != nil || len(d.Returns) != 0 || len(d.Transactions) != 0 {
		t.Errorf("unknown taxpayer's dashboard: %+v %v", d, err)
	}
}

func TestDashboard(t *testing.T) {
	db, v := seeded(t, 10)
	svc := New(db, v, DefaultPolicy())
	d, err := svc.Dashboard(context.Background(), 3, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.CurrentTaxYear != 2025 || len(d.Years) != 4 || d.Years[0].TaxYear != 2025 || d.Years[3].TaxYear != 2022 {
		t.Fatalf("dashboard %+v", d)
	}
	y := d.Years[0]
	if y.Form != "1040" || y.FilingStatus != "Married filing jointly" || y.Refund != "$1,059.00" || y.Filed != "E-filed, received March 20, 2026" {
		t.Errorf("year summary %+v", y)
	}
	if d.Refund.TaxYear != 2025 || d.Refund.Stage != StageSent {
		t.Errorf("refund %+v", d.Refund)
	}
	if len(d.Transcripts) != len(Kinds) || !slices.Equal(d.Transcripts[0].Years, []int{2025, 2024, 2023, 2022}) {
		t.Errorf("transcripts %+v", d.Transcripts)
	}
	// Someone with nothing on file sees that this year's return has not come.
	empty, err := svc.Dashboard(context.Background(), 99, now)
	if err != nil || empty.Refund.Stage != StageNotReceived || empty.Refund.TaxYear != 2025 || len(empty.Years) != 0 {
		t.Errorf("empty dashboard %+v %v", empty, err)
	}
	// Each year's refund, from the dashboard's rows, as the year's own
	// return and transactions give it; a year never filed has not come.
	r, err := svc.Refunds(context.Background(), 5, []int{2025, 2014}, now)
	if err != nil || len(r) != 2 || r[0].Situation != HeldNotice || r[1].Stage != StageNotReceived {
		t.Errorf("refunds: %+v %v", r, err)
	}
	for id := uint64(1); id <= 10; id++ {
		years := []int{2025, 2024, 2023}
		got, err := svc.Refunds(context.Background(), id, years, now)
		if err != nil {
			t.Fatal(err)
		}
		for i, y := range years {
			ret, err := loadReturn(context.Background(), db, id, y)
			if err != nil {
				t.Fatal(err)
			}
			txs, err := LoadTransactions(context.Background(), db, id, y)
			if err != nil {
				t.Fatal(err)
			}
			if want := DefaultRefundTiming().Derive(y, ret, txs, now); !reflect.DeepEqual(got[i], want) {
				t.Errorf("taxpayer %d, %d: %+v, want %+v", id, y, got[i], want)
			}
		}
	}
}

func TestCivilDateScan(t *testing.T) {
	ny := time.FixedZone("EST", -5*3600)
	want := date("2026-04-15")
	for _, v := range []any{
		want, want.In(ny), "2026-04-15 00:00:00+00:00", []byte("2026-04-15 00:00:00+00:00"), "2026-04-15",
		"2026-04-15T00:00:00Z", "2026-04-14 20:00:00-04:00", "2026-04-15 00:00:00",
	} {
		var d civilDate
		if err := d.Scan(v); err != nil || !d.Equal(want) {
			t.Errorf("Scan(%v) = %v, %v", v, d.Time, err)
		}
	}
	var d civilDate
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", d.Time, err)
	}
	for _, bad := range []any{"April 15", 42} {
		if err := d.Scan(bad); err == nil {
			t.Errorf("Scan(%v) accepted", bad)
		}
	}
}
