package records

import (
	"context"
	"strings"
	"testing"

	"github.com/taxportal/portal/demodata"
)

// Each featured demo taxpayer must derive to the situation its description
// states, from the data the generator writes.
func TestFeaturedTaxpayersDeriveTheirSituation(t *testing.T) {
	db, v := seeded(t, len(demodata.Featured))
	svc := New(db, v, DefaultPolicy())
	type want struct {
		stage     Stage
		situation Situation
		check     func(t *testing.T, s RefundStatus)
	}
	contains := func(parts ...string) func(*testing.T, RefundStatus) {
		return func(t *testing.T, s RefundStatus) {
			t.Helper()
			text := s.Headline + " " + s.Reason + " " + strings.Join(s.WhatToDo, " ") + " " + s.WhenToCall
			for _, p := range parts {
				if !strings.Contains(text, p) {
					t.Errorf("no %q in %q", p, text)
				}
			}
		}
	}
	wants := []want{
		0: {StageReceived, Processing, contains("not approved yet", "more than 21 days since you e-filed")},
		1: {StageApproved, Approved, func(t *testing.T, s RefundStatus) {
			if s.ExpectedBy.IsZero() || s.ExpectedBy.Before(today(now)) {
				t.Errorf("approved refund expected by %v, want a day from %v on", s.ExpectedBy, today(now))
			}
			contains("We expect to send it by "+FormatDate(s.ExpectedBy), "ending in "+s.BankLast4)(t, s)
		}},
		2: {StageSent, Sent, func(t *testing.T, s RefundStatus) {
			if !s.DirectDeposit || s.SentCents != s.ClaimedCents {
				t.Errorf("want the whole refund by direct deposit, got %+v", s)
			}
			contains("by direct deposit to your bank account ending in "+s.BankLast4)(t, s)
		}},
		3: {StageSent, Sent, func(t *testing.T, s RefundStatus) {
			if s.DirectDeposit {
				t.Error("want a paper check")
			}
			contains("as a paper check", "check has not arrived by")(t, s)
		}},
		4: {StageReceived, HeldNotice, func(t *testing.T, s RefundStatus) {
			if s.Notice != "CP05" {
				t.Errorf("notice %q, want CP05", s.Notice)
			}
			contains("on hold", "code 570", "CP05")(t, s)
		}},
		5: {StageSent, SentAfterReview, func(t *testing.T, s RefundStatus) {
			if s.InterestCents <= 0 || s.SentCents != s.ClaimedCents+s.InterestCents {
				t.Errorf("want the refund plus interest sent, got claimed %d sent %d interest %d", s.ClaimedCents, s.SentCents, s.InterestCents)
			}
			contains("hold on your refund was released", "code 571", "of interest")(t, s)
		}},
		6: {StageSent, Offset, func(t *testing.T, s RefundStatus) {
			if s.OffsetCents <= 0 || s.SentCents <= 0 || s.OffsetCents+s.SentCents != s.ClaimedCents {
				t.Errorf("offset %d + sent %d, want the refund %d", s.OffsetCents, s.SentCents, s.ClaimedCents)
			}
			contains(FormatMoney(s.OffsetCents)+" of your "+s.ClaimedAmount+" refund paid a debt",
				"We sent you the rest, "+s.SentAmount, "Treasury Offset Program")(t, s)
		}},
		7: {StageSent, AppliedToTax, func(t *testing.T, s RefundStatus) {
			if s.AppliedCents <= 0 || s.AppliedCents+s.SentCents != s.ClaimedCents {
				t.Errorf("applied %d + sent %d, want the refund %d", s.AppliedCents, s.SentCents, s.ClaimedCents)
			}
			contains("balance you owed for "+itoa(s.TaxYear-1), "code 826", "CP49")(t, s)
		}},
		8: {StageBalanceDue, BalanceDue, func(t *testing.T, s RefundStatus) {
			if s.BalanceCents <= 0 || s.ClaimedCents != 0 {
				t.Errorf("want a balance due and no refund, got %+v", s)
			}
			contains("You owe "+s.BalanceAmount, "interest and penalties", "CP14")(t, s)
		}},
		9: {StageSent, OwesAfterRefund, func(t *testing.T, s RefundStatus) {
			if s.BalanceCents <= 0 || s.SentCents != s.ClaimedCents {
				t.Errorf("want the refund sent and a balance due, got %+v", s)
			}
			contains("amended return (code 977)", "you now owe "+s.BalanceAmount, "CP22A")(t, s)
		}},
	}
	for i, f := range demodata.Featured {
		t.Run(f.Name, func(t *testing.T) {
			d, err := svc.Dashboard(context.Background(), uint64(i+1), now)
			if err != nil {
				t.Fatal(err)
			}
			s, w := d.Refund, wants[i]
			t.Logf("%s (%s)\n%s: %s\nTo do: %s\nCall: %s", f.Name, f.Situation, s.Headline, s.Reason, strings.Join(s.WhatToDo, " / "), s.WhenToCall)
			if s.TaxYear != f.LatestYear || s.ClaimedCents != f.RefundDollars*100 {
				t.Errorf("year %d refund %d, want %d and %d", s.TaxYear, s.ClaimedCents, f.LatestYear, f.RefundDollars*100)
			}
			if s.Stage != w.stage || s.Situation != w.situation {
				t.Fatalf("%s: stage %s (%s), want %s (%s)", f.Situation, s.Stage.Label(), s.Situation, w.stage.Label(), w.situation)
			}
			if w.check != nil {
				w.check(t, s)
			}
			checkSteps(t, s)
		})
	}
}

// checkSteps holds for every status: steps are reached in order, each with
// a date no earlier than the one before, and exactly one is current on the
// tracker.
func checkSteps(t *testing.T, s RefundStatus) {
	t.Helper()
	current := 0
	for i, st := range s.Steps {
		if st.Reached != (st.Date != "") || st.Reached == st.On.IsZero() {
			t.Errorf("step %d %+v: reached, date and day disagree", i, st)
		}
		if i > 0 && st.Reached && (!s.Steps[i-1].Reached || st.On.Before(s.Steps[i-1].On)) {
			t.Errorf("step %d %+v reached out of order after %+v", i, st, s.Steps[i-1])
		}
		if st.Current {
			current++
		}
	}
	if want := map[bool]int{true: 1, false: 0}[s.Stage.OnTracker()]; current != want {
		t.Errorf("%d current steps for %s, want %d", current, s.Stage.Label(), want)
	}
}
