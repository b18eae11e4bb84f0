package records

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
)

func TestWindows(t *testing.T) {
	w := DefaultWindows()
	for k, want := range map[Kind][2]int{
		TaxReturnTranscript:  {2022, 2025},
		TaxAccountTranscript: {2016, 2025},
		RecordOfAccount:      {2022, 2025},
		WageAndIncome:        {2016, 2025},
		NonFiling:            {2022, 2025},
	} {
		if first, last := w.Years(k, now); first != want[0] || last != want[1] {
			t.Errorf("%s covers %d to %d, want %d to %d", k.Title(), first, last, want[0], want[1])
		}
	}
	// In January the current processing year has just begun: it is for the
	// year that just ended.
	if first, last := w.Years(TaxReturnTranscript, time.Date(2027, time.January, 2, 0, 0, 0, 0, time.UTC)); first != 2023 || last != 2026 {
		t.Errorf("on Jan. 2, 2027: %d to %d", first, last)
	}
}

func TestCheckAvailability(t *testing.T) {
	w := DefaultWindows()
	cases := []struct {
		k      Kind
		year   int
		filed  bool
		ok     bool
		reason string
	}{
		{TaxReturnTranscript, 2025, true, true, ""},
		{TaxReturnTranscript, 2021, true, false, "covers tax years 2022 to 2025"},
		{TaxReturnTranscript, 2026, true, false, "covers tax years 2022 to 2025"},
		{TaxReturnTranscript, 2024, false, false, "no 2024 return on file"},
		{TaxAccountTranscript, 2016, true, true, ""},
		{TaxAccountTranscript, 2015, true, false, "2016 to 2025"},
		{RecordOfAccount, 2021, true, false, "2022 to 2025"},
		{WageAndIncome, 2016, false, true, ""},
		{NonFiling, 2023, false, true, ""},
		{NonFiling, 2023, true, false, "return on file"},
		{NonFiling, 2020, false, false, "2022 to 2025"},
		{Kind("w2"), 2025, true, false, "no transcript of that type"},
	}
	for _, c := range cases {
		err := w.Check(c.k, c.year, now, c.filed)
		if (err == nil) != c.ok {
			t.Errorf("%s %d filed=%v: %v", c.k, c.year, c.filed, err)
			continue
		}
		if err != nil && (!errors.Is(err, ErrNotAvailable) || !strings.Contains(err.Error(), c.reason)) {
			t.Errorf("%s %d: %v, want ErrNotAvailable saying %q", c.k, c.year, err, c.reason)
		}
	}
}

func TestChoices(t *testing.T) {
	got := DefaultWindows().Choices([]int{2025, 2024, 2021, 2019}, now)
	want := map[Kind][]int{
		TaxReturnTranscript:  {2025, 2024},
		TaxAccountTranscript: {2025, 2024, 2021, 2019},
		RecordOfAccount:      {2025, 2024},
		WageAndIncome:        {2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016},
		NonFiling:            {2023, 2022},
	}
	if len(got) != len(Kinds) {
		t.Fatalf("%d choices", len(got))
	}
	for _, c := range got {
		if !slices.Equal(c.Years, want[c.Kind]) || c.Title == "" || c.Purpose == "" {
			t.Errorf("%s: %v, want %v", c.Kind, c.Years, want[c.Kind])
		}
	}
	for _, k := range Kinds {
		if p, ok := ParseKind(string(k)); !ok || p != k {
			t.Errorf("ParseKind(%q)", k)
		}
	}
	if _, ok := ParseKind("nope"); ok {
		t.Error("ParseKind accepted an unknown kind")
	}
}

func TestAccruals(t *testing.T) {
	ac := DefaultAccruals()
	owed := []models.AccountTransaction{tx(150, 6000, "2026-03-05"), tx(806, -5000, "2026-04-15")}
	// 90 days after April 15: 8% a year of $1,000 for 90 days, and 0.5% for
	// each of the 3 months begun.
	b := ac.Compute(2025, owed, date("2026-07-14"))
	if b.BalanceCents != 100000 || b.InterestCents != 1973 || b.PenaltyCents != 1500 || b.TotalCents != 103473 {
		t.Errorf("after 90 days: %+v", b)
	}
	// Posted charges cover the time before them: accrual starts at the last.
	withCharges := append(slices.Clone(owed), tx(196, 10, "2026-07-14"))
	if b := ac.Compute(2025, withCharges, date("2026-07-14")); b.InterestCents != 0 || b.PenaltyCents != 0 || b.TotalCents != 101000 {
		t.Errorf("charges posted today: %+v", b)
	}
	// The penalty stops at 25%.
	if b := ac.Compute(2025, owed, date("2032-01-01")); b.PenaltyCents != 25000 {
		t.Errorf("years later, penalty %d, want the 25%% cap", b.PenaltyCents)
	}
	// Nothing accrues on a credit or a paid account, nor before the due date.
	for _, txs := range [][]models.AccountTransaction{
		{tx(150, 4000, "2026-03-05"), tx(806, -5000, "2026-04-15")},
		{tx(150, 5000, "2026-03-05"), tx(806, -5000, "2026-04-15")},
	} {
		if b := ac.Compute(2025, txs, date("2026-10-01")); b.InterestCents != 0 || b.PenaltyCents != 0 {
			t.Errorf("%+v", b)
		}
	}
	if b := ac.Compute(2025, []models.AccountTransaction{tx(150, 100, "2026-02-02")}, date("2026-03-01")); b.InterestCents != 0 {
		t.Errorf("before the due date: %+v", b)
	}
	fields := b.Fields()
	if len(fields) != 4 || fields[1].Label != "Accrued interest as of July 14, 2026" || fields[3].Value != "$1,034.73" {
		t.Errorf("fields: %+v", fields)
	}
}

func fieldMap(fs []Field) map[string]string {
	m := make(map[string]string, len(fs))
	for _, f := range fs {
		m[f.Label] = f.Value
	}
	return m
}

// Transcripts of the featured taxpayers, through the service as a screen
// would ask for them.
func TestTranscriptsOfFeaturedTaxpayers(t *testing.T) {
	db, v := seeded(t, 60)
	svc := New(db, v, DefaultPolicy())
	ctx := context.Background()

	t.Run("tax return", func(t *testing.T) {
		tr, err := svc.Transcript(ctx, 1, TaxReturnTranscript, 2025, now)
		if err != nil {
			t.Fatal(err)
		}
		h := fieldMap(tr.Header)
		for label, want := range map[string]string{
			"Request date": "Nov. 22, 2026", "Tax period ending": "Dec. 31, 2025", "Form": "1040",
			"Taxpayer identification number": "XXX-XX-4320", "Name": "HERN", "Street address": "2417 D",
		} {
			if h[label] != want {
				t.Errorf("header %s = %q, want %q", label, h[label], want)
			}
		}
		var ret models.TaxReturn
		if err := db.Where("taxpayer_id = 1 AND tax_year = 2025").Take(&ret).Error; err != nil {
			t.Fatal(err)
		}
		r := fieldMap(tr.Return)
		for label, want := range map[string]string{
			"Filing status": "Head of household", "Adjusted gross income": FormatMoney(ret.AGICents),
			"Taxable income": FormatMoney(ret.TaxableIncomeCents), "Tax per return": FormatMoney(ret.TaxCents),
			"Federal income tax withheld": FormatMoney(ret.WithholdingCents), "Refund claimed": "$1,431.00",
			"Return received": "Nov. 18, 2026 (Electronic)",
		} {
			if r[label] != want {
				t.Errorf("return %s = %q, want %q", label, r[label], want)
			}
		}
		if tr.Balance != nil || len(tr.Rows) != 0 || len(tr.Income) != 0 {
			t.Errorf("a return transcript has no account or income: %+v", tr)
		}
	})

	t.Run("tax account with a balance due", func(t *testing.T) {
		tr, err := svc.Transcript(ctx, 9, TaxAccountTranscript, 2025, now)
		if err != nil {
			t.Fatal(err)
		}
		if h := fieldMap(tr.Header); h["Name"] != "CHEN" || h["Street address"] != "2210 E" || h["Taxpayer identification number"] != "XXX-XX-4328" {
			t.Errorf("header %+v", tr.Header)
		}
		if r := fieldMap(tr.Return); len(tr.Return) != 4 || r["Tax per return"] == "" {
			t.Errorf("an account transcript shows status, AGI, taxable income and tax: %+v", tr.Return)
		}
		var codes []string
		for _, r := range tr.Rows {
			codes = append(codes, r.Code)
			if r.Explanation == "" || r.Plain == "" || r.Date == "" || r.Amount == "" {
				t.Errorf("incomplete row %+v", r)
			}
		}
		if !slices.Equal(codes, []string{"150", "971", "806", "196", "276"}) {
			t.Errorf("rows %v", codes)
		}
		if tr.Rows[1].Explanation != "Notice issued: CP14" {
			t.Errorf("971 row: %+v", tr.Rows[1])
		}
		// $4,865.84 owed since the June 2 charges: 173 days to Nov. 22.
		b := fieldMap(tr.Balance.Fields())
		for label, want := range map[string]string{
			"Account balance": "$4,865.84", "Accrued interest as of Nov. 22, 2026": "$184.50",
			"Accrued penalty as of Nov. 22, 2026": "$145.98", "Account balance plus accruals": "$5,196.32",
		} {
			if b[label] != want {
				t.Errorf("%s = %q, want %q", label, b[label], want)
			}
		}
	})

	t.Run("record of account", func(t *testing.T) {
		tr, err := svc.Transcript(ctx, 7, RecordOfAccount, 2025, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Return) != 7 || tr.Balance == nil || tr.Balance.BalanceCents != 0 || len(tr.Rows) == 0 {
			t.Errorf("record of account: %+v", tr)
		}
		if !slices.ContainsFunc(tr.Rows, func(r TransactionRow) bool {
			return r.Code == "898" && strings.Contains(r.Explanation, "Treasury Offset Program")
		}) {
			t.Errorf("no 898 row in %+v", tr.Rows)
		}
	})

	t.Run("wage and income", func(t *testing.T) {
		tr, err := svc.Transcript(ctx, 3, WageAndIncome, 2025, now)
		if err != nil {
			t.Fatal(err)
		}
		var infos []models.InformationReturn
		db.Where("taxpayer_id = 3 AND tax_year = 2025").Order("id").Find(&infos)
		if len(tr.Income) != len(infos) || len(infos) < 2 {
			t.Fatalf("%d rows, want %d", len(tr.Income), len(infos))
		}
		var total int64
		for i, r := range tr.Income {
			total += infos[i].AmountCents
			if r.Payer != infos[i].PayerName || r.PayerEIN != "XX-XXX"+infos[i].PayerEINLast4 || r.Amount != FormatMoney(infos[i].AmountCents) || r.AmountLabel == "" {
				t.Errorf("row %+v for %+v", r, infos[i])
			}
		}
		if fieldMap(tr.Totals)["Total income reported"] != FormatMoney(total) {
			t.Errorf("totals %+v, want %s", tr.Totals, FormatMoney(total))
		}
		if h := fieldMap(tr.Header); h["Form"] != "" || h["Name"] != "RAMA" {
			t.Errorf("header %+v", tr.Header)
		}
		if strings.Contains(strings.Join(tr.Notes, " "), "may not be complete") {
			t.Errorf("in November the list is complete: %v", tr.Notes)
		}
		spring := time.Date(2026, time.March, 2, 12, 0, 0, 0, time.UTC)
		d, err := LoadTranscriptData(ctx, db, 3, WageAndIncome, 2025)
		if err != nil {
			t.Fatal(err)
		}
		if early, err := BuildTranscript(WageAndIncome, 2025, d, spring, DefaultPolicy()); err != nil ||
			!strings.Contains(strings.Join(early.Notes, " "), "may not be complete until July") {
			t.Errorf("in March: %v %v", early.Notes, err)
		}
	})

	t.Run("verification of non-filing", func(t *testing.T) {
		var id uint64
		if err := db.Raw("SELECT taxpayer_id FROM tax_returns GROUP BY taxpayer_id HAVING MIN(tax_year) = 2023 ORDER BY taxpayer_id LIMIT 1").Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("no seeded taxpayer whose first return is for 2023 (%v)", err)
		}
		tr, err := svc.Transcript(ctx, id, NonFiling, 2022, now)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(tr.Letter, "no record of a processed Form 1040-series return") || !strings.Contains(tr.Letter, "Dec. 31, 2022") ||
			fieldMap(tr.Header)["Form"] != "1040" || len(tr.Return) != 0 {
			t.Errorf("letter %q, header %+v", tr.Letter, tr.Header)
		}
		if _, err := svc.Transcript(ctx, id, NonFiling, 2023, now); !errors.Is(err, ErrNotAvailable) {
			t.Errorf("non-filing for a filed year: %v", err)
		}
		if _, err := svc.Transcript(ctx, id, TaxReturnTranscript, 2022, now); !errors.Is(err, ErrNotAvailable) {
			t.Errorf("a return transcript for an unfiled year: %v", err)
		}
	})

	t.Run("unavailable", func(t *testing.T) {
		var u *UnavailableError
		if _, err := svc.Transcript(ctx, 1, TaxReturnTranscript, 2019, now); !errors.As(err, &u) || !strings.Contains(u.Reason, "2022 to 2025") {
			t.Errorf("outside the window: %v", err)
		}
		if _, err := svc.Transcript(ctx, 999, TaxReturnTranscript, 2025, now); !errors.Is(err, ErrNoTaxpayer) {
			t.Errorf("unknown taxpayer: %v", err)
		}
	})
}
