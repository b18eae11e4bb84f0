package records

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
)

func TestBuildAccountSummary(t *testing.T) {
	asOf := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	years := []yearTotal{
		{2023, 100_000, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}, // owed
		{2025, -69_000, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}, // a credit
		{2024, 0, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},       // settled
	}
	notes := []models.AccountTransaction{
		{ID: 1, TaxYear: 2023, Code: 971, Note: "CP14", PostedOn: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)},
		{ID: 2, TaxYear: 2025, Code: 971, Note: "cp 05", PostedOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		{ID: 3, TaxYear: 2025, Code: 971, PostedOn: time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)},
	}
	s := BuildAccountSummary(years, notes, asOf, DefaultAccruals())
	if len(s.Owed) != 1 || s.Owed[0].TaxYear != 2023 {
		t.Fatalf("owed: %+v", s.Owed)
	}
	b := DefaultAccruals().Compute(2023, []models.AccountTransaction{{AmountCents: 100_000, PostedOn: years[0].lastOn}}, asOf)
	if s.TotalCents != b.TotalCents || s.TotalCents <= 100_000 || s.Total != FormatMoney(b.TotalCents) {
		t.Errorf("total %d (%s), want %d with accruals", s.TotalCents, s.Total, b.TotalCents)
	}
	if s.AsOfDate != "Nov. 22, 2026" || len(s.CreditYears) != 1 || s.CreditYears[0] != 2025 {
		t.Errorf("as of %q, credit years %v", s.AsOfDate, s.CreditYears)
	}
	if len(s.Notices) != 3 || s.Notices[0].ID != 3 || s.Notices[2].ID != 1 {
		t.Fatalf("notices not newest first: %+v", s.Notices)
	}
	if n := s.Notices[1]; n.Number != "CP05" || n.HelpSlug != helpHold || n.WhatToDo == "" || n.Plain == "" {
		t.Errorf("CP05: %+v", n)
	}
	if n := s.Notices[0]; n.Number != "" || n.Title != "Notice about your 2025 account" || n.WhatToDo == "" {
		t.Errorf("a notice with no number: %+v", n)
	}
	for number := range notices {
		if NoticeToDo(number) == NoticeToDo("unknown") {
			t.Errorf("notice %s has no what-to-do of its own", number)
		}
	}
}

func TestOverviewMatchesTheSeparateLoaders(t *testing.T) {
	db, v := seeded(t, 12)
	s := New(db, v, DefaultPolicy())
	ctx := context.Background()
	for id := uint64(1); id <= 10; id++ {
		q := countQueries(t, db)
		o, err := s.Overview(ctx, id, now)
		if err != nil {
			t.Fatal(err)
		}
		if n := q.take(); n != 1 {
			t.Errorf("taxpayer %d: %d queries, want 1", id, n)
		}
		d, err := s.Dashboard(ctx, id, now)
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.Account(ctx, id, now)
		if err != nil {
			t.Fatal(err)
		}
		if o.Dashboard.Refund.Headline != d.Refund.Headline || len(o.Dashboard.Years) != len(d.Years) {
			t.Errorf("taxpayer %d: overview dashboard differs", id)
		}
		if o.Account.TotalCents != a.TotalCents || len(o.Account.Notices) != len(a.Notices) {
			t.Errorf("taxpayer %d: overview account differs: %d/%d vs %d/%d", id, o.Account.TotalCents, len(o.Account.Notices), a.TotalCents, len(a.Notices))
		}
		if o.Name == "" {
			t.Errorf("taxpayer %d: no name", id)
		}
	}
	if _, err := s.Overview(ctx, 999_999, now); !errors.Is(err, ErrNoTaxpayer) {
		t.Errorf("unknown taxpayer: %v", err)
	}

	// Emily Chen (taxpayer 9) owes; Leilani (5) has a CP05 notice.
	emily, _ := s.Overview(ctx, 9, now)
	if emily.Account.TotalCents <= 0 || emily.Name != "Emily Chen" {
		t.Errorf("Emily: %q owes %d", emily.Name, emily.Account.TotalCents)
	}
	leilani, _ := s.Overview(ctx, 5, now)
	if len(leilani.Account.Notices) == 0 || leilani.Account.Notices[0].Number != "CP05" {
		t.Errorf("Leilani's notices: %+v", leilani.Account.Notices)
	}
	n, err := s.Notice(ctx, 5, leilani.Account.Notices[0].ID)
	if err != nil || n.Number != "CP05" {
		t.Errorf("notice: %+v %v", n, err)
	}
	if _, err := s.Notice(ctx, 1, leilani.Account.Notices[0].ID); !errors.Is(err, ErrNoNotice) {
		t.Errorf("another taxpayer's notice: %v", err)
	}
}
