package records

import (
	"slices"
	"time"

	"github.com/taxportal/portal/models"
)

// Stage is where a year's refund stands. The first three are the steps of
// the tracker; the others mean there is no refund to track.
type Stage int

const (
	StageNotReceived Stage = iota // no return on file for the year
	StageReceived                 // Return Received: being processed, or held
	StageApproved                 // Refund Approved: set to be sent
	StageSent                     // Refund Sent (to the taxpayer or to a debt)
	StageNoRefund                 // the return claimed no refund and nothing is owed
	StageBalanceDue               // the return claimed no refund and tax is owed
)

// Label is the stage as the screen names it.
func (s Stage) Label() string {
	switch s {
	case StageReceived:
		return "Return Received"
	case StageApproved:
		return "Refund Approved"
	case StageSent:
		return "Refund Sent"
	case StageNoRefund:
		return "No refund"
	case StageBalanceDue:
		return "Balance due"
	}
	return "Return not received"
}

// OnTracker reports whether the stage is one of the tracker's three steps.
func (s Stage) OnTracker() bool { return s >= StageReceived && s <= StageSent }

// Situation says why the refund is where it is; the words of a
// RefundStatus follow from it.
type Situation string

const (
	NotFiled        Situation = "not_filed"         // no return on file
	Processing      Situation = "processing"        // received, within the usual time
	TakingLonger    Situation = "taking_longer"     // past the usual time with no reason on the account
	Held            Situation = "held"              // 570 without a later 571
	HeldNotice      Situation = "held_notice"       // 570 and a 971: a notice is coming
	Frozen          Situation = "frozen"            // 810 without a later 811
	Approved        Situation = "approved"          // set to be sent
	CheckReturned   Situation = "check_returned"    // 740 or 841 after the 846: the refund came back
	Sent            Situation = "sent"              // 846
	SentAfterReview Situation = "sent_after_review" // 570 … 571, then 846
	Offset          Situation = "offset"            // 898: part or all paid a debt elsewhere
	AppliedToTax    Situation = "applied"           // 826: part or all paid another year's tax
	OwesAfterRefund Situation = "owes_after_refund" // refund sent, then more tax assessed
	BalanceDue      Situation = "balance_due"       // no refund, tax owed
	NothingDue      Situation = "nothing_due"       // no refund, nothing owed
)

// Tone picks the alert style a screen shows the status in (USWDS alert
// variants).
type Tone string

const (
	ToneInfo    Tone = "info"
	ToneSuccess Tone = "success"
	ToneWarning Tone = "warning"
)

// Step is one of the tracker's three steps.
type Step struct {
	Label   string
	Reached bool
	Current bool      // the furthest step reached
	On      time.Time // the day it was reached; zero if not
	Date    string    // On, formatted; "" if not reached
}

// RefundStatus is a year's refund as the dashboard and the refund page show
// it: the stage, the dates, and plain words on why, what to do, and when a
// call would help. Amounts are in cents and, for display, formatted.
type RefundStatus struct {
	TaxYear    int
	Stage      Stage
	Situation  Situation
	Tone       Tone
	Steps      [3]Step
	Headline   string
	Reason     string
	WhatToDo   []string
	WhenToCall string
	HelpSlug   string // the help article that explains the situation

	ClaimedCents  int64  // refund claimed on the return
	SentCents     int64  // sent to the taxpayer (846), interest included
	OffsetCents   int64  // paid another agency's debt (898)
	AppliedCents  int64  // paid another tax year's balance (826)
	InterestCents int64  // interest paid on a late refund (776)
	BalanceCents  int64  // what the year's account says is owed; negative is a credit
	ClaimedAmount string // the same amounts, formatted
	SentAmount    string
	BalanceAmount string

	DirectDeposit bool
	BankLast4     string    // for a direct deposit
	Notice        string    // the notice number a 971 gave, e.g. CP05
	ExpectedBy    time.Time // an approved refund: the day it should go out by
}

// RefundTiming holds the policy numbers behind the words, in days.
// DefaultRefundTiming gives the values of DOMAIN.md and the help articles.
type RefundTiming struct {
	// ApproveAfter: a processed return with no hold counts as approved once
	// it has been on file this long.
	ApproveAfter int
	// EFileWindow and PaperWindow: most refunds are sent within this time
	// of the return's arrival; calling earlier does not help.
	EFileWindow, PaperWindow int
	// SendAfterApproval: the least time between approval and sending.
	SendAfterApproval int
	// DepositDays and CheckDays: how long a direct deposit or a mailed check
	// takes to arrive.
	DepositDays, CheckDays int
	// NoticeDays: how long a notice takes to arrive by mail before a call
	// makes sense.
	NoticeDays int
}

// DefaultRefundTiming is 7 days to approval, 21 days (e-file) or 6 weeks
// (paper) to the refund, 5 days for a deposit, 4 weeks for a check or a
// notice in the mail.
func DefaultRefundTiming() RefundTiming {
	return RefundTiming{
		ApproveAfter:      7,
		EFileWindow:       21,
		PaperWindow:       42,
		SendAfterApproval: 7,
		DepositDays:       5,
		CheckDays:         28,
		NoticeDays:        28,
	}
}

// DeriveRefund works out the refund status of a tax year from its return
// (nil when none is on file) and its account transactions, as of now, with
// the default timing. It is a pure function: the same inputs always give
// the same status.
func DeriveRefund(year int, ret *models.TaxReturn, txs []models.AccountTransaction, now time.Time) RefundStatus {
	return DefaultRefundTiming().Derive(year, ret, txs, now)
}

// Derive is DeriveRefund with this timing.
//
// The rules, read over the transactions in date order:
//   - 150 means the return was processed.
//   - 570 puts a hold on the refund until a later 571; a 971 on or after
//     the 570 means a notice about the hold is in the mail (its note names it).
//   - 810 freezes the refund until a later 811.
//   - 846 sends the refund; 898 (Treasury Offset Program) and 826 (another
//     year's tax) pay debts out of it. Either way the refund has left the
//     account, so the stage is Refund Sent.
//   - 740 or 841 after the last 846: the check came back, so the refund is
//     approved again and waits to be reissued.
//   - With no hold and no 846, a processed return is approved once
//     ApproveAfter days have passed since it arrived (or the day a hold was
//     released), and expected to go out within the e-file or paper window.
//
// The balance is the sum of the year's transactions.
func (rt RefundTiming) Derive(year int, ret *models.TaxReturn, txs []models.AccountTransaction, now time.Time) RefundStatus {
	a := readAccount(txs)
	d := derivation{RefundTiming: rt, year: year, a: a, today: today(now)}
	if ret != nil {
		d.ret = *ret
	} else if !a.processed.IsZero() {
		// Transactions without a return row: judge by the account alone.
		d.ret = models.TaxReturn{ReceivedOn: a.processed, EFiled: true, RefundCents: max(-a.balanceBeforeRefund, 0)}
	}
	s := RefundStatus{
		TaxYear:       year,
		ClaimedCents:  d.ret.RefundCents,
		SentCents:     a.sent,
		OffsetCents:   a.offset,
		AppliedCents:  a.applied,
		InterestCents: a.interest,
		BalanceCents:  a.balance,
		DirectDeposit: d.ret.DirectDeposit,
		BankLast4:     d.ret.BankLast4,
	}
	s.ClaimedAmount = FormatMoney(s.ClaimedCents)
	s.SentAmount = FormatMoney(s.SentCents)
	s.BalanceAmount = FormatMoney(s.BalanceCents)
	if ret == nil && a.processed.IsZero() {
		d.notFiled(&s)
	} else {
		d.decide(&s)
	}
	s.Steps = d.steps(s.Stage)
	return s
}

// account is what the transactions say, read in date order.
type account struct {
	processed            time.Time // first 150
	holdOn, holdReleased time.Time // last 570, and the 571 after it
	held                 bool
	freezeOn, unfrozen   time.Time
	frozen               bool
	notices              []seenNotice
	sent                 int64 // 846
	sentOn               time.Time
	returnedOn           time.Time // 740 or 841 after the last 846
	offset, applied      int64     // 898, 826
	offsetOn, appliedOn  time.Time
	appliedNote          string
	interest             int64     // 776, as a positive amount
	amendedOn            time.Time // 977
	assessedAfterRefund  int64     // 290 and 300 after money left the account
	charges              int64     // interest and penalties charged (196, 276, 166, 176)
	balance              int64     // sum of all amounts
	balanceBeforeRefund  int64     // sum without 846, 898 and 826
}

type seenNotice struct {
	number string
	on     time.Time
}

func readAccount(txs []models.AccountTransaction) account {
	sorted := slices.Clone(txs)
	// Stable: rows posted the same day keep the order they were written in.
	slices.SortStableFunc(sorted, func(x, y models.AccountTransaction) int { return day(x.PostedOn).Compare(day(y.PostedOn)) })
	var a account
	for _, tx := range sorted {
		on := day(tx.PostedOn)
		a.balance += tx.AmountCents
		switch tx.Code {
		case 150:
			if a.processed.IsZero() {
				a.processed = on
			}
		case 570:
			a.held, a.holdOn, a.holdReleased = true, on, time.Time{}
		case 571:
			if a.held {
				a.held, a.holdReleased = false, on
			}
		case 810:
			a.frozen, a.freezeOn, a.unfrozen = true, on, time.Time{}
		case 811:
			if a.frozen {
				a.frozen, a.unfrozen = false, on
			}
		case 971:
			a.notices = append(a.notices, seenNotice{tx.Note, on})
		case 846:
			a.sent += tx.AmountCents
			a.sentOn, a.returnedOn = on, time.Time{}
		case 740, 841:
			// The refund came back (a credit): it no longer counts as sent.
			if !a.sentOn.IsZero() {
				a.sent += tx.AmountCents
				a.returnedOn = on
			}
		case 898:
			a.offset += tx.AmountCents
			a.offsetOn = on
		case 826:
			a.applied += tx.AmountCents
			a.appliedOn, a.appliedNote = on, tx.Note
		case 776:
			a.interest -= tx.AmountCents
		case 977:
			a.amendedOn = on
		case 196, 276, 166, 176:
			a.charges += tx.AmountCents
		case 290, 300:
			if a.refundOut() > 0 {
				a.assessedAfterRefund += tx.AmountCents
			}
		}
		if tx.Code != 846 && tx.Code != 898 && tx.Code != 826 {
			a.balanceBeforeRefund += tx.AmountCents
		}
	}
	return a
}

// refundOut is what has left the account from the refund so far.
func (a *account) refundOut() int64 { return a.sent + a.offset + a.applied }

// outOn is the day the refund left the account: the 846, or else the
// latest offset.
func (a *account) outOn() time.Time {
	if !a.sentOn.IsZero() {
		return a.sentOn
	}
	return later(a.offsetOn, a.appliedOn)
}

// noticeSince is the first notice on or after a day, if any.
func (a *account) noticeSince(d time.Time) (seenNotice, bool) {
	for _, n := range a.notices {
		if !n.on.Before(d) {
			return n, true
		}
	}
	return seenNotice{}, false
}

// derivation carries the inputs while the status is worked out.
type derivation struct {
	RefundTiming
	year  int
	ret   models.TaxReturn
	a     account
	today time.Time

	approvedOn time.Time
}

func (d *derivation) received() time.Time { return day(d.ret.ReceivedOn) }

// window is the usual time from arrival to refund for how the return came.
func (d *derivation) window() int {
	if d.ret.EFiled {
		return d.EFileWindow
	}
	return d.PaperWindow
}

// usualBy is the day by which a refund normally goes out.
func (d *derivation) usualBy() time.Time { return d.received().AddDate(0, 0, d.window()) }

func (d *derivation) decide(s *RefundStatus) {
	a := &d.a
	out := a.refundOut()
	switch {
	case d.ret.RefundCents == 0 && out == 0:
		if a.balance > 0 {
			d.balanceDue(s)
		} else {
			d.nothingDue(s)
		}
	case out > 0 && a.returnedOn.IsZero() && (a.sent > 0 || out >= d.ret.RefundCents):
		d.sent(s)
	case a.frozen:
		d.frozen(s)
	case a.held:
		d.held(s)
	default:
		d.approvedOn = d.approvalDay()
		if !a.returnedOn.IsZero() {
			d.approvedOn = a.returnedOn
		}
		if a.processed.IsZero() || d.today.Before(d.approvedOn) {
			d.processing(s)
		} else {
			d.approved(s)
		}
	}
}

// approvalDay is when a processed refund with no hold counts as approved:
// ApproveAfter days after the return arrived, but not before it was
// processed nor before a hold or freeze was lifted.
func (d *derivation) approvalDay() time.Time {
	a := &d.a
	return later(later(a.processed, d.received().AddDate(0, 0, d.ApproveAfter)), later(a.holdReleased, a.unfrozen))
}

// steps marks the tracker's steps reached by a stage, with their days.
func (d *derivation) steps(st Stage) [3]Step {
	steps := [3]Step{{Label: StageReceived.Label()}, {Label: StageApproved.Label()}, {Label: StageSent.Label()}}
	if st == StageNotReceived {
		return steps
	}
	steps[0].Reached, steps[0].On = true, d.received()
	if st == StageApproved || st == StageSent {
		steps[1].Reached, steps[1].On = true, d.approvedOn
	}
	if st == StageSent {
		steps[2].Reached, steps[2].On = true, d.a.outOn()
	}
	for i := range steps {
		steps[i].Date = FormatDate(steps[i].On)
		steps[i].Current = steps[i].Reached && (i == 2 || !steps[i+1].Reached) && st.OnTracker()
	}
	return steps
}
