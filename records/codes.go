package records

import (
	"slices"
	"strconv"

	"github.com/taxportal/portal/models"
)

// TransactionCode is one entry of the catalogue: what a three-digit code on
// an account transcript is called and what it means for the taxpayer.
type TransactionCode struct {
	Code  int
	Title string // short, in the style of the transcript's explanation column
	Plain string // what it means, in words a taxpayer understands
	Help  string // slug of a help article in content/help, "" for none
}

// Help article slugs the catalogue links to; a test checks each exists.
const (
	helpCodes      = "transaction-codes"
	helpHold       = "refund-on-hold"
	helpOffset     = "refund-offset"
	helpStages     = "refund-stages"
	helpTranscript = "read-account-transcript"
	helpTypes      = "transcript-types"
	helpLookup     = "check-refund-status"
)

// catalogue holds the codes a taxpayer is likely to meet, by code. Amounts
// are not part of an entry: Explain adapts the words to a transaction.
var catalogue = map[int]TransactionCode{
	// Filing and tax.
	150: {150, "Tax return filed", "We processed your return and recorded the tax you reported on it. It is usually the first line for the year.", helpCodes},
	166: {166, "Penalty for filing tax return after the due date", "A charge for filing late when tax was owed. It is figured on the tax that was unpaid at the due date.", helpTranscript},
	176: {176, "Penalty for not pre-paying tax", "A charge because too little tax was paid during the year through withholding or estimated payments.", helpTranscript},
	196: {196, "Interest charged for late payment", "Interest on tax not paid by the due date. It adds up every day until the balance is paid.", helpTranscript},
	276: {276, "Penalty for late payment of tax", "A charge for paying after the due date. It grows each month the balance stays unpaid, up to a limit.", helpTranscript},
	290: {290, "Additional tax assessed", "More tax was added after your return was processed. A notice explaining why usually comes with it.", helpCodes},
	291: {291, "Abatement prior tax assessment", "Tax recorded earlier was reduced or removed, often after you sent a correction or we fixed an error.", helpCodes},
	300: {300, "Additional tax or deficiency assessment by examination", "An examination (audit) found more tax due, and it was added to your account.", ""},
	301: {301, "Abatement of tax by examination", "An examination lowered the tax on your account.", ""},

	// Reviews, extensions and collection.
	420: {420, "Examination of tax return", "Your return was picked for a closer look. It may or may not become an audit; we write to you if we need anything.", ""},
	421: {421, "Closed examination of tax return", "The closer look at your return has ended. If no other change follows, your return was accepted as filed.", ""},
	424: {424, "Examination request indicator", "Your return was sent to an examiner for review. Expect a letter if they need documents from you.", ""},
	460: {460, "Extension of time to file", "We recorded your request for more time to file. It gives you more time to file, not more time to pay.", ""},
	470: {470, "Taxpayer claim pending", "Collection of a balance is paused while we consider a claim or a reply you sent us.", ""},
	480: {480, "Offer in compromise pending", "We are considering your offer to settle your tax debt for less than the full amount. Collection is generally paused meanwhile.", ""},
	520: {520, "Bankruptcy or other legal action filed", "Collection is paused because of a bankruptcy or another legal proceeding.", ""},
	530: {530, "Balance due account currently not collectible", "We paused collection because you cannot pay now. Interest and penalties still add up, and a future refund may pay the balance.", ""},
	570: {570, "Additional account action pending", "Your account is on hold while something is checked. A refund will not go out until the hold is released.", helpHold},
	571: {571, "Resolved additional account action", "The hold from code 570 was released, so your account can move forward.", helpHold},
	582: {582, "Lien placed on assets", "A public notice (a federal tax lien) was filed saying the government has a claim on your property for an unpaid balance.", ""},

	// Payments and credits.
	610: {610, "Payment with return", "Money you paid when you filed your return.", ""},
	660: {660, "Estimated tax payment", "A payment toward this year's tax made during the year, such as a quarterly estimated payment.", ""},
	670: {670, "Payment", "A payment you made toward a balance for this tax year.", ""},
	706: {706, "Credit transferred in from another tax period", "An overpayment from another tax year was moved here to pay this year's balance. The other year shows it as code 826.", helpOffset},
	716: {716, "Credit transferred in from prior tax period", "Part of an earlier year's overpayment that you chose to put toward this year's tax instead of getting it back.", ""},
	740: {740, "Undelivered refund check returned", "The refund check we mailed came back to us undelivered. Update your address so we can send it again.", helpStages},
	766: {766, "Credit to your account", "A credit was added to your account, often a refundable tax credit you claimed.", helpCodes},
	767: {767, "Reduced or removed credit to your account", "A credit added earlier was reduced or taken off, usually after a review.", helpCodes},
	768: {768, "Earned income credit", "The earned income credit you claimed was added to your account.", helpCodes},
	776: {776, "Interest credited to your account", "We paid you interest because your refund went out more than 45 days after the due date or filing. That interest is taxable in the year you receive it.", helpCodes},
	777: {777, "Reversed interest credited to your account", "Interest paid to you earlier was taken back, usually because the refund it was figured on changed.", ""},
	806: {806, "W-2 or 1099 withholding", "Tax taken out of your pay or other income during the year, as your W-2 and 1099 forms report it. It counts as paid on the due date.", helpCodes},
	807: {807, "Withholding reduced or removed", "Withholding credited earlier was lowered, usually because it did not match what your employer or payer reported.", helpCodes},

	// Refunds.
	810: {810, "Refund freeze", "Your refund is stopped for now while something is checked. You may get a notice.", helpHold},
	811: {811, "Removed refund freeze", "The freeze from code 810 was lifted, so your refund can move again.", helpHold},
	826: {826, "Credit transferred out to another tax period", "Your overpayment for this year paid a tax balance you owed for another year. That year shows the same amount as code 706.", helpOffset},
	836: {836, "Overpayment credit transferred to next year", "You asked to put part or all of your refund toward next year's tax instead of getting it back.", ""},
	840: {840, "Manual refund", "A refund issued by hand outside the usual run, often after a correction or a hardship request.", helpStages},
	841: {841, "Cancelled refund check deposited", "A refund check was cancelled and the money came back to your account, for example after it was returned or never cashed. A new refund may follow.", helpStages},
	846: {846, "Refund issued", "We sent your refund. The date is the day it went out, by direct deposit or as a paper check.", helpStages},
	898: {898, "Refund offset to another agency's debt", "Part or all of your refund paid a debt you owe elsewhere, such as past-due child support or a federal or state debt, through the Treasury Offset Program.", helpOffset},
	899: {899, "Reversed Treasury offset", "Part or all of an earlier offset of your refund was undone, so that money comes back to your account.", helpOffset},

	// Notices, reviews and other records.
	922: {922, "Review of unreported income", "We are comparing the income on your return with the W-2s and 1099s others reported. It is not a bill; if something does not match, we send a letter (often notice CP2000).", ""},
	924: {924, "Underreported income review status", "An update on the income-matching review that code 922 started. A letter follows only if we propose a change.", ""},
	960: {960, "Added centralized authorization file", "A tax professional or other representative was given permission to deal with us about this year for you.", ""},
	961: {961, "Removed centralized authorization file", "A representative's permission to deal with us about this year was removed.", ""},
	971: {971, "Notice issued", "We recorded an action on your account, most often a notice or letter mailed to you. The notice number, when given, says what it is about.", helpHold},
	976: {976, "Duplicate return filed", "We received another return for a year that already has one. We check whether it amends the first; please do not send more copies.", ""},
	977: {977, "Amended return filed", "We received your amended return. It will be reviewed, and other codes may follow.", helpCodes},
}

// zeroAmount gives the words for codes whose meaning changes when the amount
// is zero.
var zeroAmount = map[int]string{
	150: "We processed your return. It showed no tax, so the amount is zero.",
	290: "Your account was reviewed or adjusted without adding tax; the zero amount means nothing more is owed from it.",
	300: "An examination of your return closed without changing your tax.",
}

// LookupCode finds a code in the catalogue. An unknown code gets a plain
// fallback rather than an empty line, and ok reports whether it was known.
func LookupCode(code int) (tc TransactionCode, ok bool) {
	if tc, ok := catalogue[code]; ok {
		return tc, true
	}
	c := strconv.Itoa(code)
	return TransactionCode{
		Code:  code,
		Title: "Account action",
		Plain: "Code " + c + ": an account action; call if you have questions.",
	}, false
}

// Codes lists the catalogue in code order, for a glossary.
func Codes() []TransactionCode {
	out := make([]TransactionCode, 0, len(catalogue))
	for _, tc := range catalogue {
		out = append(out, tc)
	}
	slices.SortFunc(out, func(a, b TransactionCode) int { return a.Code - b.Code })
	return out
}

// Explain describes one transaction as a row of a transcript shows it: the
// catalogue's words, adapted to a zero amount, with the notice a 971 names
// or the note another code carries.
func Explain(tx models.AccountTransaction) TransactionCode {
	tc, _ := LookupCode(tx.Code)
	if s, ok := zeroAmount[tx.Code]; ok && tx.AmountCents == 0 {
		tc.Plain = s
	}
	if tx.Note == "" {
		return tc
	}
	if tx.Code == 971 {
		if n, ok := LookupNotice(tx.Note); ok {
			tc.Title = "Notice issued: " + n.Number
			tc.Plain = n.Plain
			return tc
		}
		tc.Title = "Notice issued: " + tx.Note
		return tc
	}
	tc.Title += " (" + tx.Note + ")"
	return tc
}
