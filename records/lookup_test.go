package records

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

func TestLookupRefund(t *testing.T) {
	db, v := seeded(t, 10)
	svc := New(db, v, DefaultPolicy())
	ctx := context.Background()
	queries := countQueries(t, db)

	request := func(f demodata.FeaturedTaxpayer) LookupRequest {
		return LookupRequest{SSN: pii.MustSSN(f.SSN), TaxYear: f.LatestYear, FilingStatus: f.FilingStatus, RefundDollars: f.RefundDollars}
	}
	wantStage := []Stage{StageReceived, StageApproved, StageSent, StageSent, StageReceived, StageSent, StageSent, StageSent, 0, StageSent}
	for i, f := range demodata.Featured {
		if f.RefundDollars == 0 {
			continue // a balance due has no refund to look up
		}
		p, err := svc.LookupRefund(ctx, request(f), now)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		if p.Stage != wantStage[i] || p.TaxYear != f.LatestYear || p.Headline == "" || p.Message == "" || p.HelpSlug == "" {
			t.Errorf("%s: %+v, want stage %s", f.Name, p, wantStage[i].Label())
		}
		// The public answer keeps reasons and amounts to the signed-in page.
		for _, private := range []string{"570", "CP05", "Treasury", "offset", "ending in", "$"} {
			if strings.Contains(p.Message, private) {
				t.Errorf("%s: the public message %q shows %q", f.Name, p.Message, private)
			}
		}
	}
	queries.take()

	f := demodata.Featured[2]
	wrong := map[string]func(*LookupRequest){
		"SSN nobody has":      func(r *LookupRequest) { r.SSN = pii.MustSSN("987-65-4319") },
		"someone else's SSN":  func(r *LookupRequest) { r.SSN = pii.MustSSN(demodata.Featured[3].SSN) },
		"amount off a dollar": func(r *LookupRequest) { r.RefundDollars++ },
		"zero amount":         func(r *LookupRequest) { r.RefundDollars = 0 },
		"filing status":       func(r *LookupRequest) { r.FilingStatus = models.Single },
		"year before":         func(r *LookupRequest) { r.TaxYear-- },
		"year not yet":        func(r *LookupRequest) { r.TaxYear++ },
		"year out of range":   func(r *LookupRequest) { r.TaxYear -= 3 },
	}
	for name, change := range wrong {
		req := request(f)
		change(&req)
		_, err := svc.LookupRefund(ctx, req, now)
		if !errors.Is(err, ErrNoMatch) || err.Error() != ErrNoMatch.Error() {
			t.Errorf("%s: %v, want the one no-match answer", name, err)
		}
		// Whatever was wrong, the lookup ran the same two queries.
		if n := queries.take(); n != 2 {
			t.Errorf("%s: %d queries, want 2", name, n)
		}
	}
	if _, err := svc.LookupRefund(ctx, request(f), now); err != nil {
		t.Fatal(err)
	}
	if n := queries.take(); n != 3 {
		t.Errorf("a match took %d queries, want 3", n)
	}
}

func TestMatchesRefund(t *testing.T) {
	p := DefaultPolicy()
	ret := filed("2026-11-16") // e-filed on a Monday, refund $1,000.00
	ret.RefundCents = 100049   // $1,000.49 is filed as $1,000
	req := LookupRequest{TaxYear: 2025, FilingStatus: models.Single, RefundDollars: 1000}
	monday := time.Date(2026, time.November, 16, 20, 0, 0, 0, time.UTC)
	if p.MatchesRefund(ret, req, monday) {
		t.Error("an e-filed return is visible the day it arrives; want 24 hours later")
	}
	if !p.MatchesRefund(ret, req, monday.Add(24*time.Hour)) {
		t.Error("an e-filed return is not visible the next day")
	}
	mailed := filed("2026-11-16", paper)
	mailed.RefundCents = 100000
	if !p.MatchesRefund(mailed, req, monday) {
		t.Error("a paper return on file is not visible")
	}
	if p.MatchesRefund(nil, req, monday) {
		t.Error("matched without a return")
	}
	if got := p.LookupYears(now); !slices.Equal(got, []int{2025, 2024, 2023}) {
		t.Errorf("LookupYears = %v", got)
	}
}

func TestPublicRefund(t *testing.T) {
	s := DeriveRefund(2025, filed("2026-11-09"), processed("2026-11-12"), refundToday)
	p := Public(s)
	if p.Stage != StageApproved || !strings.Contains(p.Message, "by Nov. 30, 2026") || p.Steps != s.Steps {
		t.Errorf("public approved: %+v", p)
	}
	held := DeriveRefund(2025, filed("2026-11-02"), append(processed("2026-11-05"), tx(570, 0, "2026-11-05"), tx(971, 0, "2026-11-06", "CP05")), refundToday)
	if p := Public(held); p.Stage != StageReceived || strings.Contains(p.Message, "hold") || !strings.Contains(p.Message, "Sign in") {
		t.Errorf("public held: %+v", p)
	}
}
