package records

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
)

// The refund rules as a table: a return and a sequence of transactions in,
// a stage, a situation and words out. "Today" is Nov. 20, 2026 (a Friday).
var refundToday = time.Date(2026, time.November, 20, 15, 0, 0, 0, time.UTC)

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// tx is a transaction on the 2025 account: code, amount in dollars, date
// and an optional note.
func tx(code int, dollars float64, on string, note ...string) models.AccountTransaction {
	x := models.AccountTransaction{TaxYear: 2025, Code: code, AmountCents: int64(dollars * 100), PostedOn: date(on)}
	if len(note) > 0 {
		x.Note = note[0]
	}
	return x
}

// filed is a 2025 return claiming a refund of $1,000 by direct deposit.
func filed(received string, change ...func(*models.TaxReturn)) *models.TaxReturn {
	r := &models.TaxReturn{TaxYear: 2025, Form: "1040", FilingStatus: models.Single, EFiled: true,
		ReceivedOn: date(received), RefundCents: 100000, DirectDeposit: true, BankLast4: "6789"}
	for _, c := range change {
		c(r)
	}
	return r
}

func paper(r *models.TaxReturn)    { r.EFiled = false }
func byCheck(r *models.TaxReturn)  { r.DirectDeposit, r.BankLast4 = false, "" }
func noRefund(r *models.TaxReturn) { r.RefundCents = 0 }
func processed(on string) []models.AccountTransaction {
	return []models.AccountTransaction{tx(150, 4000, on), tx(806, -5000, "2026-04-15")}
}

func TestDeriveRefund(t *testing.T) {
	cases := []struct {
		name      string
		ret       *models.TaxReturn
		txs       []models.AccountTransaction
		stage     Stage
		situation Situation
		says      []string // in the headline, reason, to-do list or call advice
		notice    string
		expected  string // ExpectedBy, for approved refunds
	}{
		{name: "nothing on file", stage: StageNotReceived, situation: NotFiled,
			says: []string{"no 2025 return on file", "24 hours", "4 weeks", "more than 21 days since you e-filed (6 weeks for a paper return)"}},
		{name: "e-filed, not processed yet", ret: filed("2026-11-17"), stage: StageReceived, situation: Processing,
			says: []string{"received your return on Nov. 17, 2026 and are processing it", "after Dec. 8, 2026"}},
		{name: "e-filed 30 days ago, still not processed", ret: filed("2026-10-21"), stage: StageReceived, situation: TakingLonger,
			says: []string{"more than 21 days since you e-filed", "no hold", "You may call us now"}},
		{name: "paper return 30 days ago is within 6 weeks", ret: filed("2026-10-21", paper), stage: StageReceived, situation: Processing,
			says: []string{"6 weeks since we received your paper return", "after Dec. 2, 2026"}},
		{name: "150 + 806, days after arrival", ret: filed("2026-11-16"), txs: processed("2026-11-17"), stage: StageReceived, situation: Processing,
			says: []string{"processed it on Nov. 17, 2026", "not approved yet"}},
		{name: "150 + 806, a week after arrival", ret: filed("2026-11-09"), txs: processed("2026-11-12"), stage: StageApproved, situation: Approved,
			says: []string{"approved on Nov. 16, 2026", "by Nov. 30, 2026", "ending in 6789"}, expected: "2026-11-30"},
		{name: "approved refund by check", ret: filed("2026-11-09", byCheck), txs: processed("2026-11-12"), stage: StageApproved, situation: Approved,
			says: []string{"as a paper check mailed to the address on your return"}, expected: "2026-11-30"},
		{name: "approved refund past its date", ret: filed("2026-10-01"), txs: processed("2026-10-05"), stage: StageApproved, situation: TakingLonger,
			says: []string{"expected to send it by Oct. 22, 2026", "You may call us now"}, expected: "2026-10-22"},
		{name: "570 alone", ret: filed("2026-11-02"), txs: append(processed("2026-11-05"), tx(570, 0, "2026-11-05")),
			stage: StageReceived, situation: Held, says: []string{"on hold since Nov. 5, 2026 (code 570)", "no letter has come by Dec. 3, 2026"}},
		{name: "570 + 971 CP05", ret: filed("2026-11-02"), txs: append(processed("2026-11-05"), tx(570, 0, "2026-11-05"), tx(971, 0, "2026-11-06", "CP05")),
			stage: StageReceived, situation: HeldNotice, notice: "CP05",
			says: []string{"a notice is coming", "mailed you a notice about it on Nov. 6, 2026 (code 971)", "Notice CP05:", "has not arrived by Dec. 4, 2026"}},
		{name: "570 + 971 without a number", ret: filed("2026-11-02"), txs: append(processed("2026-11-05"), tx(570, 0, "2026-11-05"), tx(971, 0, "2026-11-05")),
			stage: StageReceived, situation: HeldNotice, says: []string{"Watch your mail for the notice. It goes"}},
		{name: "a notice before the hold is not about it", ret: filed("2026-11-02"), txs: append(processed("2026-11-05"), tx(971, 0, "2026-11-04", "CP01A"), tx(570, 0, "2026-11-05")),
			stage: StageReceived, situation: Held},
		{name: "570 long ago with no letter", ret: filed("2026-08-03"), txs: append(processed("2026-08-06"), tx(570, 0, "2026-08-06")),
			stage: StageReceived, situation: Held, says: []string{"more than 4 weeks without a letter", "You may call us now"}},
		{name: "571 releases the hold", ret: filed("2026-09-01"), txs: append(processed("2026-09-04"), tx(570, 0, "2026-09-04"), tx(971, 0, "2026-09-05", "CP05"), tx(571, 0, "2026-11-18")),
			stage: StageApproved, situation: Approved, says: []string{"hold on your refund was released on Nov. 18, 2026 (code 571)", "approved on Nov. 18, 2026"}, expected: "2026-11-25"},
		{name: "a second 570 after a 571 holds again", ret: filed("2026-09-01"), txs: append(processed("2026-09-04"), tx(570, 0, "2026-09-04"), tx(571, 0, "2026-10-01"), tx(570, 0, "2026-11-02")),
			stage: StageReceived, situation: Held, says: []string{"on hold since Nov. 2, 2026"}},
		{name: "810 freezes", ret: filed("2026-10-26"), txs: append(processed("2026-10-29"), tx(810, 0, "2026-10-29")),
			stage: StageReceived, situation: Frozen, says: []string{"stopped since Oct. 29, 2026 (code 810)"}},
		{name: "811 releases the freeze", ret: filed("2026-10-26"), txs: append(processed("2026-10-29"), tx(810, 0, "2026-10-29"), tx(811, 0, "2026-11-16")),
			stage: StageApproved, situation: Approved, says: []string{"lifted on Nov. 16, 2026 (code 811)"}, expected: "2026-11-23"},
		{name: "846 by direct deposit", ret: filed("2026-11-02"), txs: append(processed("2026-11-05"), tx(846, 1000, "2026-11-17")),
			stage: StageSent, situation: Sent, says: []string{"sent your refund of $1,000.00 on Nov. 17, 2026, by direct deposit to your bank account ending in 6789", "within 5 days", "by Nov. 22, 2026"}},
		{name: "846 by check", ret: filed("2026-11-02", byCheck), txs: append(processed("2026-11-05"), tx(846, 1000, "2026-11-17")),
			stage: StageSent, situation: Sent, says: []string{"as a paper check", "up to 4 weeks", "not arrived by Dec. 15, 2026"}},
		{name: "846 long ago", ret: filed("2026-03-02"), txs: append(processed("2026-03-05"), tx(846, 1000, "2026-03-12")),
			stage: StageSent, situation: Sent, says: []string{"This year's refund is complete"}},
		{name: "898 paid part, 846 the rest", ret: filed("2026-03-02"), txs: append(processed("2026-03-05"), tx(898, 400, "2026-03-12", "Treasury Offset Program"), tx(846, 600, "2026-03-12")),
			stage: StageSent, situation: Offset, says: []string{"Part of your refund paid another debt", "$400.00 of your $1,000.00 refund paid a debt", "the rest, $600.00", "agency named in the offset letter"}},
		{name: "898 paid it all", ret: filed("2026-03-02"), txs: append(processed("2026-03-05"), tx(898, 1000, "2026-03-12")),
			stage: StageSent, situation: Offset, says: []string{"Your refund paid another debt", "All of your $1,000.00 refund", "Nothing was left to send"}},
		{name: "826 paid another year", ret: filed("2026-03-02"), txs: append(processed("2026-03-05"), tx(826, 250, "2026-03-12", "Applied to 2023 balance"), tx(971, 0, "2026-03-12", "CP49"), tx(846, 750, "2026-03-12")),
			stage: StageSent, situation: AppliedToTax, notice: "CP49", says: []string{"balance you owed for 2023 (code 826)", "the rest, $750.00", "Notice CP49", "transcript for 2023"}},
		{name: "826 paid it all", ret: filed("2026-03-02"), txs: append(processed("2026-03-05"), tx(826, 1000, "2026-03-12")),
			stage: StageSent, situation: AppliedToTax, says: []string{"Your refund paid a tax balance", "for another year", "of the year that had the balance"}},
		{name: "570, 971, 571 then 846 with interest", ret: filed("2026-04-01"), txs: append(processed("2026-04-06"), tx(570, 0, "2026-04-06"), tx(971, 0, "2026-04-07", "CP05"), tx(571, 0, "2026-06-22"), tx(776, -10.62, "2026-06-29"), tx(846, 1010.62, "2026-06-29")),
			stage: StageSent, situation: SentAfterReview, says: []string{"After a review", "$1,010.62", "$10.62 of interest"}},
		{name: "846 wins over a stale hold", ret: filed("2026-04-01"), txs: append(processed("2026-04-06"), tx(570, 0, "2026-04-06"), tx(846, 1000, "2026-04-20")),
			stage: StageSent, situation: Sent},
		{name: "check came back", ret: filed("2026-04-01", byCheck), txs: append(processed("2026-04-06"), tx(846, 1000, "2026-04-20"), tx(740, -1000, "2026-05-11")),
			stage: StageApproved, situation: CheckReturned, says: []string{"came back to us on May 11, 2026"}},
		{name: "check came back and was sent again", ret: filed("2026-04-01", byCheck), txs: append(processed("2026-04-06"), tx(846, 1000, "2026-04-20"), tx(841, -1000, "2026-05-11"), tx(846, 1000, "2026-06-01")),
			stage: StageSent, situation: Sent, says: []string{"June 1, 2026"}},
		{name: "amended return raised the tax", ret: filed("2026-03-02"), txs: append(processed("2026-03-05"), tx(846, 1000, "2026-03-12"), tx(977, 0, "2026-06-01"), tx(290, 450, "2026-08-03"), tx(971, 0, "2026-08-03", "CP22A"), tx(196, 12.5, "2026-08-03")),
			stage: StageSent, situation: OwesAfterRefund, notice: "CP22A", says: []string{"amended return (code 977) raised your tax by $450.00, and you now owe $462.50 for 2025", "notice CP22A", "payment plan"}},
		{name: "tax added without an amended return", ret: filed("2026-03-02"), txs: append(processed("2026-03-05"), tx(846, 1000, "2026-03-12"), tx(290, 300, "2026-09-01")),
			stage: StageSent, situation: OwesAfterRefund, says: []string{"a change to your account raised your tax by $300.00, and you now owe $300.00"}},
		{name: "balance due", ret: filed("2026-03-02", noRefund), txs: []models.AccountTransaction{tx(150, 6000, "2026-03-05"), tx(971, 0, "2026-03-05", "CP14"), tx(806, -5000, "2026-04-15"), tx(196, 30, "2026-06-01"), tx(276, 20, "2026-06-01")},
			stage: StageBalanceDue, situation: BalanceDue, notice: "CP14", says: []string{"You owe $1,050.00 for 2025", "including $50.00 of interest and penalties", "notice CP14"}},
		{name: "balance paid", ret: filed("2026-03-02", noRefund), txs: []models.AccountTransaction{tx(150, 6000, "2026-03-05"), tx(806, -5000, "2026-04-15"), tx(670, -1000, "2026-05-01")},
			stage: StageNoRefund, situation: NothingDue},
		{name: "tax exactly paid", ret: filed("2026-03-02", noRefund), txs: []models.AccountTransaction{tx(150, 5000, "2026-03-05"), tx(806, -5000, "2026-04-15")},
			stage: StageNoRefund, situation: NothingDue, says: []string{"no refund and nothing to pay"}},
		{name: "transactions without a return row", txs: processed("2026-11-02"),
			stage: StageApproved, situation: Approved, says: []string{"$1,000.00"}, expected: "2026-11-23"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := DeriveRefund(2025, c.ret, c.txs, refundToday)
			text := s.Headline + " | " + s.Reason + " | " + strings.Join(s.WhatToDo, " | ") + " | " + s.WhenToCall
			if s.Stage != c.stage || s.Situation != c.situation {
				t.Fatalf("stage %s (%s), want %s (%s)\n%s", s.Stage.Label(), s.Situation, c.stage.Label(), c.situation, text)
			}
			for _, p := range c.says {
				if !strings.Contains(text, p) {
					t.Errorf("no %q in\n%s", p, text)
				}
			}
			if s.Notice != c.notice {
				t.Errorf("notice %q, want %q", s.Notice, c.notice)
			}
			if got := s.ExpectedBy; (c.expected == "") != got.IsZero() || (c.expected != "" && !got.Equal(date(c.expected))) {
				t.Errorf("expected by %v, want %q", got, c.expected)
			}
			if s.Headline == "" || s.Reason == "" || s.WhenToCall == "" || s.HelpSlug == "" || s.Tone == "" {
				t.Errorf("missing words: %+v", s)
			}
			checkSteps(t, s)

			// The order rows come in does not matter, only their dates (and,
			// on one day, the order they were written in).
			rev := slices.Clone(c.txs)
			slices.SortStableFunc(rev, func(x, y models.AccountTransaction) int { return y.PostedOn.Compare(x.PostedOn) })
			if again := DeriveRefund(2025, c.ret, rev, refundToday); again.Reason != s.Reason || again.Stage != s.Stage {
				t.Errorf("reordered rows give %q, want %q", again.Reason, s.Reason)
			}
		})
	}
}

func TestRefundStepsCarryTheirDays(t *testing.T) {
	ret := filed("2026-03-02")
	s := DeriveRefund(2025, ret, append(processed("2026-03-05"), tx(846, 1000, "2026-03-12")), refundToday)
	want := []string{"March 2, 2026", "March 9, 2026", "March 12, 2026"}
	for i, st := range s.Steps {
		if !st.Reached || st.Date != want[i] {
			t.Errorf("step %d %+v, want reached on %s", i, st, want[i])
		}
	}
	if !s.Steps[2].Current || s.Steps[1].Current {
		t.Errorf("current step: %+v", s.Steps)
	}
}

// Today is the caller's calendar day: late evening on the West Coast is
// already tomorrow in UTC, but not for the taxpayer.
func TestRefundUsesTheCallersDay(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	ret := filed("2026-11-09")
	txs := processed("2026-11-10")
	evening := time.Date(2026, time.November, 15, 22, 0, 0, 0, la) // Nov. 16 in UTC
	if s := DeriveRefund(2025, ret, txs, evening); s.Stage != StageReceived {
		t.Errorf("on Nov. 15 local time: %s, want still received (approval comes on the 16th)", s.Stage.Label())
	}
	if s := DeriveRefund(2025, ret, txs, evening.Add(3*time.Hour)); s.Stage != StageApproved {
		t.Errorf("on Nov. 16 local time: %s, want approved", s.Stage.Label())
	}
}

func TestTimingIsASetting(t *testing.T) {
	rt := DefaultRefundTiming()
	rt.EFileWindow = 10
	s := rt.Derive(2025, filed("2026-11-05"), nil, refundToday)
	if s.Situation != TakingLonger || !strings.Contains(s.Reason, "more than 10 days") {
		t.Errorf("with a 10-day window: %s %q", s.Situation, s.Reason)
	}
}

func TestSpellDays(t *testing.T) {
	for n, want := range map[int]string{1: "1 day", 5: "5 days", 7: "7 days", 21: "21 days", 28: "4 weeks", 42: "6 weeks", 30: "30 days"} {
		if got := spellDays(n); got != want {
			t.Errorf("spellDays(%d) = %q, want %q", n, got, want)
		}
	}
}
