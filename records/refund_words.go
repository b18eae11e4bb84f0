package records

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The words of each situation. Each method fills the stage, the situation
// and the text of a RefundStatus; Derive has already set the amounts.

func (d *derivation) notFiled(s *RefundStatus) {
	s.Stage, s.Situation, s.Tone, s.HelpSlug = StageNotReceived, NotFiled, ToneInfo, helpStages
	s.Headline = "We have no " + d.yearText() + " return on file"
	s.Reason = "We have no record of your " + d.yearText() + " return yet."
	s.WhatToDo = []string{
		"If you e-filed, your return shows here about 24 hours after it was accepted. A mailed return takes about 4 weeks to show.",
		noSecondReturn,
	}
	s.WhenToCall = "Call only if it has been more than " + spellDays(d.EFileWindow) + " since you e-filed (" +
		spellDays(d.PaperWindow) + " for a paper return)."
}

func (d *derivation) processing(s *RefundStatus) {
	s.Stage, s.HelpSlug = StageReceived, helpStages
	r := "We received your return on " + FormatDate(d.received())
	if d.a.processed.IsZero() {
		r += " and are processing it."
	} else {
		r += " and processed it on " + FormatDate(d.a.processed) + "."
	}
	if d.today.After(d.usualBy()) {
		s.Situation, s.Tone = TakingLonger, ToneWarning
		s.Headline = "Your " + d.yearText() + " return is taking longer than usual"
		s.Reason = r + " It has been more than " + spellDays(d.window()) + " since you " + d.filedVerb() +
			", and your refund of " + s.ClaimedAmount + " is not approved yet. Your account shows no hold."
		s.WhatToDo = []string{noSecondReturn}
		s.WhenToCall = callNow
		return
	}
	s.Situation, s.Tone = Processing, ToneInfo
	s.Headline = "We received your " + d.yearText() + " return"
	s.Reason = r + " Your refund of " + s.ClaimedAmount + " is not approved yet; most are approved within " +
		spellDays(d.ApproveAfter) + " of arriving."
	s.WhatToDo = []string{nothingYet, noSecondReturn}
	if d.ret.EFiled {
		s.WhenToCall = "Call only if it has been more than " + spellDays(d.EFileWindow) + " since you e-filed (" +
			spellDays(d.PaperWindow) + " for a paper return): for you, after " + FormatDate(d.usualBy()) + "."
	} else {
		s.WhenToCall = "Call only if it has been more than " + spellDays(d.PaperWindow) + " since we received your paper return (" +
			spellDays(d.EFileWindow) + " for an e-filed one): for you, after " + FormatDate(d.usualBy()) + "."
	}
}

func (d *derivation) held(s *RefundStatus) {
	s.Stage, s.Tone, s.HelpSlug = StageReceived, ToneWarning, helpHold
	r := "We need to check something on your return before we can send your refund of " + s.ClaimedAmount +
		", so it has been on hold since " + FormatDate(d.a.holdOn) + " (code 570)."
	n, ok := d.a.noticeSince(d.a.holdOn)
	if !ok {
		s.Situation = Held
		s.Headline = "Your refund is on hold"
		s.Reason = r + " We will write to you if we need anything."
		s.WhatToDo = []string{watchMail, noSecondReturn, noReleaseFee}
		s.WhenToCall = d.callIfNoLetter(d.a.holdOn)
		return
	}
	s.Situation, s.Notice = HeldNotice, n.number
	s.Headline = "Your refund is on hold and a notice is coming"
	s.Reason = r + " We mailed you a notice about it on " + FormatDate(n.on) + " (code 971)." + aboutNotice(n.number)
	s.WhatToDo = []string{
		"Watch your mail for the notice" + noticeName(n.number) + ". It goes to the address on your return.",
		"Do what it asks by the date it gives: the hold stays until you do. Keep a copy of anything you send.",
		noSecondReturn,
		noReleaseFee,
	}
	s.WhenToCall = d.callIfNoNotice(n.on)
}

func (d *derivation) frozen(s *RefundStatus) {
	s.Stage, s.Situation, s.Tone, s.HelpSlug = StageReceived, Frozen, ToneWarning, helpHold
	s.Headline = "Your refund is frozen"
	s.Reason = "Your refund of " + s.ClaimedAmount + " has been stopped since " + FormatDate(d.a.freezeOn) +
		" (code 810) while we check something on your account."
	s.WhatToDo = []string{"Watch your mail and answer any notice quickly.", "Check this page once a day: it shows when the freeze is lifted.", noSecondReturn}
	if n, ok := d.a.noticeSince(d.a.freezeOn); ok {
		s.Notice = n.number
		s.Reason += " We mailed you a notice about it on " + FormatDate(n.on) + " (code 971)." + aboutNotice(n.number)
		s.WhenToCall = d.callIfNoNotice(n.on)
		return
	}
	s.WhenToCall = d.callIfNoLetter(d.a.freezeOn)
}

func (d *derivation) approved(s *RefundStatus) {
	s.Stage, s.HelpSlug = StageApproved, helpStages
	a := &d.a
	if !a.returnedOn.IsZero() {
		s.Situation, s.Tone = CheckReturned, ToneWarning
		s.Headline = "Your refund came back to us"
		s.Reason = "We sent your refund on " + FormatDate(a.sentOn) + ", but it came back to us on " +
			FormatDate(a.returnedOn) + ". We will send it again."
		s.WhatToDo = []string{"Make sure we have your current address and bank details, so the new refund reaches you."}
		s.WhenToCall = "Call us if you have moved or changed banks since you filed."
		return
	}
	s.ExpectedBy = weekday(later(d.usualBy(), d.approvedOn.AddDate(0, 0, d.SendAfterApproval)))
	r := ""
	if !a.holdReleased.IsZero() {
		r = "The hold on your refund was released on " + FormatDate(a.holdReleased) + " (code 571). "
	}
	if !a.unfrozen.IsZero() {
		r += "The freeze on your refund was lifted on " + FormatDate(a.unfrozen) + " (code 811). "
	}
	r += "Your refund of " + s.ClaimedAmount + " was approved on " + FormatDate(d.approvedOn)
	if d.today.After(s.ExpectedBy) {
		s.Situation, s.Tone = TakingLonger, ToneWarning
		s.Headline = "Your approved refund is taking longer than usual"
		s.Reason = r + ", and we expected to send it by " + FormatDate(s.ExpectedBy) + ". It has not gone out yet."
		s.WhatToDo = []string{noSecondReturn}
		s.WhenToCall = callNow
		return
	}
	s.Situation, s.Tone = Approved, ToneInfo
	s.Headline = "Your refund is approved"
	s.Reason = r + ". We expect to send it by " + FormatDate(s.ExpectedBy) + ", " + d.how() + "."
	s.WhatToDo = []string{"Nothing for now. This page shows the day your refund is sent."}
	s.WhenToCall = "Call only if your refund has not been sent by " + FormatDate(s.ExpectedBy) + "."
}

func (d *derivation) sent(s *RefundStatus) {
	a := &d.a
	s.Stage, s.HelpSlug = StageSent, helpStages
	d.approvedOn = d.approvalDay()
	if out := a.outOn(); d.approvedOn.After(out) {
		d.approvedOn = out
	}
	r := d.whereItWent()
	todo, call := d.arrival()
	switch {
	case a.balance > 0:
		s.Situation, s.Tone, s.HelpSlug = OwesAfterRefund, ToneWarning, helpTranscript
		s.Headline = "We sent your refund; you now owe " + FormatMoney(a.balance)
		raised := "raised your tax"
		if a.assessedAfterRefund > 0 {
			raised += " by " + FormatMoney(a.assessedAfterRefund)
		}
		if !a.amendedOn.IsZero() {
			r = append(r, "Since then, your amended return (code 977) "+raised+", and you now owe "+FormatMoney(a.balance)+" for "+d.yearText()+".")
		} else {
			r = append(r, "Since then, a change to your account "+raised+", and you now owe "+FormatMoney(a.balance)+".")
		}
		if n, ok := a.noticeSince(a.outOn().AddDate(0, 0, 1)); ok && n.number != "" {
			s.Notice = n.number
			r = append(r, "We mailed you notice "+n.number+" about it on "+FormatDate(n.on)+".")
		}
		todo = append(todo, payBalance, paymentPlan)
		call = []string{"Call if you cannot pay in full or you think the change is wrong; have the notice at hand."}
	case a.offset > 0:
		s.Situation, s.Tone, s.HelpSlug = Offset, ToneInfo, helpOffset
		s.Headline = headlinePart(a.sent, "paid another debt")
		todo = append(todo, "Look for the letter about the offset: it names the agency and the debt.",
			"If you think the debt is wrong, contact that agency. We cannot change or cancel it.")
		call = append([]string{"Questions about the debt go to the agency named in the offset letter, not to us."}, call...)
	case a.applied > 0:
		s.Situation, s.Tone, s.HelpSlug = AppliedToTax, ToneInfo, helpOffset
		s.Headline = headlinePart(a.sent, "paid a tax balance")
		if n, ok := a.noticeSince(a.appliedOn); ok && n.number != "" {
			s.Notice = n.number
			todo = append(todo, "Notice "+n.number+", mailed on "+FormatDate(n.on)+", shows how your refund was used.")
		}
		if y := otherYear(a.appliedNote); y != anotherYear {
			todo = append(todo, "The account transcript for "+y+" shows the same amount as a credit (code 706).")
		} else {
			todo = append(todo, "The account transcript of the year that had the balance shows the same amount as a credit (code 706).")
		}
		call = append([]string{"Call us only if you believe you did not owe that balance."}, call...)
	case !a.holdReleased.IsZero():
		s.Situation, s.Tone = SentAfterReview, ToneSuccess
		s.Headline = "We sent your refund after a review"
	default:
		s.Situation, s.Tone = Sent, ToneSuccess
		s.Headline = "We sent your refund"
	}
	if len(todo) == 0 {
		todo = []string{"Nothing. This year's refund is complete."}
	}
	s.Reason = strings.Join(r, " ")
	s.WhatToDo = todo
	s.WhenToCall = strings.Join(call, " ")
}

// whereItWent tells, in order, what became of a refund that left the
// account: a review that held it, debts it paid, what was sent and how.
func (d *derivation) whereItWent() []string {
	a := &d.a
	var r []string
	if !a.holdReleased.IsZero() {
		r = append(r, "After a review, the hold on your refund was released on "+FormatDate(a.holdReleased)+" (code 571).")
	}
	if !a.unfrozen.IsZero() {
		r = append(r, "The freeze on your refund was lifted on "+FormatDate(a.unfrozen)+" (code 811).")
	}
	total := a.refundOut()
	if a.offset > 0 {
		r = append(r, partOf(a.offset, total)+" paid a debt you owe to another agency, through the Treasury Offset Program (code 898).")
	}
	if a.applied > 0 {
		r = append(r, partOf(a.applied, total)+" paid the tax balance you owed for "+otherYear(a.appliedNote)+" (code 826).")
	}
	switch {
	case a.sent > 0 && a.offset+a.applied > 0:
		r = append(r, "We sent you the rest, "+FormatMoney(a.sent)+", on "+FormatDate(a.sentOn)+", "+d.how()+".")
	case a.sent > 0:
		r = append(r, "We sent your refund of "+FormatMoney(a.sent)+" on "+FormatDate(a.sentOn)+", "+d.how()+".")
	default:
		r = append(r, "Nothing was left to send to you.")
	}
	if a.interest > 0 {
		r = append(r, "It includes "+FormatMoney(a.interest)+" of interest because it went out late; that interest is taxable income for the year you receive it.")
	}
	return r
}

// arrival is the advice on a refund sent to the taxpayer: while it is on
// its way, how long it takes; always, when to call if it never came.
func (d *derivation) arrival() (todo, call []string) {
	a := &d.a
	if a.sent <= 0 {
		return nil, nil
	}
	if d.ret.DirectDeposit {
		by := a.sentOn.AddDate(0, 0, d.DepositDays)
		if !d.today.After(by) {
			todo = append(todo, "Most banks make a deposit available within "+spellDays(d.DepositDays)+". Check your account for it.")
		}
		return todo, []string{"If the deposit has not arrived by " + FormatDate(by) + ", check with your bank first, then call us."}
	}
	by := a.sentOn.AddDate(0, 0, d.CheckDays)
	if !d.today.After(by) {
		todo = append(todo, "A check can take up to "+spellDays(d.CheckDays)+" to arrive by mail. Cash or deposit it soon after it comes.")
	}
	return todo, []string{"Call only if the check has not arrived by " + FormatDate(by) + "."}
}

func (d *derivation) balanceDue(s *RefundStatus) {
	a := &d.a
	s.Stage, s.Situation, s.Tone, s.HelpSlug = StageBalanceDue, BalanceDue, ToneWarning, helpTranscript
	s.Headline = "You owe " + FormatMoney(a.balance) + " for " + d.yearText()
	r := "Your " + d.yearText() + " return showed more tax than was paid, so there is no refund. You owe " + FormatMoney(a.balance)
	if a.charges > 0 {
		r += ", including " + FormatMoney(a.charges) + " of interest and penalties for paying late"
	}
	r += "."
	if n, ok := a.noticeSince(time.Time{}); ok && n.number != "" {
		s.Notice = n.number
		r += " We mailed you notice " + n.number + " about it on " + FormatDate(n.on) + "."
	}
	s.Reason = r
	s.WhatToDo = []string{payBalance, paymentPlan}
	s.WhenToCall = "Call if you cannot pay in full or you think the amount is wrong; have your notice at hand."
}

func (d *derivation) nothingDue(s *RefundStatus) {
	s.Stage, s.Situation, s.Tone, s.HelpSlug = StageNoRefund, NothingDue, ToneSuccess, helpCodes
	s.Headline = "No refund and nothing owed for " + d.yearText()
	s.Reason = "Your " + d.yearText() + " return showed the tax was fully paid, so there is no refund and nothing to pay."
	s.WhenToCall = "There is no need to call about this year."
}

// Sentences used in several situations.
const (
	noSecondReturn = "Do not file a second return for the same year: it slows things down."
	noReleaseFee   = "Never pay anyone who offers to release a refund: that is a scam."
	nothingYet     = "Nothing for now. This page updates once a day."
	watchMail      = "Watch your mail: any letter goes to the address on your return."
	callNow        = "You may call us now. Have a copy of your return at hand."
	payBalance     = "Pay what you owe as soon as you can: interest and the late-payment penalty add up until you do."
	paymentPlan    = "If you cannot pay it all, you may be able to set up a payment plan."
)

// callIfNoNotice is the advice while a notice is in the mail.
func (d *derivation) callIfNoNotice(mailed time.Time) string {
	by := mailed.AddDate(0, 0, d.NoticeDays)
	if d.today.After(by) {
		return "The notice should have arrived by " + FormatDate(by) + ". If it has not, call us."
	}
	return "Calling will not release the hold sooner. Call only if the notice has not arrived by " + FormatDate(by) + "."
}

// callIfNoLetter is the advice while a hold has no notice yet.
func (d *derivation) callIfNoLetter(since time.Time) string {
	by := since.AddDate(0, 0, d.NoticeDays)
	if d.today.After(by) {
		return "It has been more than " + spellDays(d.NoticeDays) + " without a letter. " + callNow
	}
	return "Calling will not release the hold sooner. Call only if nothing has changed and no letter has come by " + FormatDate(by) + "."
}

// how says how the refund travels.
func (d *derivation) how() string {
	if d.ret.DirectDeposit {
		if d.ret.BankLast4 != "" {
			return "by direct deposit to your bank account ending in " + d.ret.BankLast4
		}
		return "by direct deposit"
	}
	return "as a paper check mailed to the address on your return"
}

func (d *derivation) filedVerb() string {
	if d.ret.EFiled {
		return "e-filed"
	}
	return "mailed your return"
}

func (d *derivation) yearText() string {
	if d.year == 0 {
		return "this year's"
	}
	return strconv.Itoa(d.year)
}

// partOf names an amount paid out of a refund: "All of your $1,000.00
// refund" or "$400.00 of your $1,000.00 refund".
func partOf(part, total int64) string {
	if part >= total {
		return "All of your " + FormatMoney(total) + " refund"
	}
	return FormatMoney(part) + " of your " + FormatMoney(total) + " refund"
}

func headlinePart(sent int64, what string) string {
	if sent > 0 {
		return "Part of your refund " + what
	}
	return "Your refund " + what
}

var yearRE = regexp.MustCompile(`\b(19|20)\d\d\b`)

const anotherYear = "another year"

// otherYear finds the year an 826 note names ("Applied to 2024 balance").
func otherYear(note string) string {
	if y := yearRE.FindString(note); y != "" {
		return y
	}
	return anotherYear
}

// aboutNotice adds what a known notice is about.
func aboutNotice(number string) string {
	if n, ok := LookupNotice(number); ok {
		return " Notice " + n.Number + ": " + n.Plain
	}
	return ""
}

func noticeName(number string) string {
	if number == "" {
		return ""
	}
	return " (" + number + ")"
}

// spellDays writes a span the way the help articles do: "21 days",
// "4 weeks", "1 day".
func spellDays(n int) string {
	switch {
	case n == 1:
		return "1 day"
	case n >= 28 && n%7 == 0:
		return strconv.Itoa(n/7) + " weeks"
	}
	return strconv.Itoa(n) + " days"
}
