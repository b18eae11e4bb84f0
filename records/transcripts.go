package records

import (
	"slices"
	"strconv"
	"time"

	"github.com/taxportal/portal/models"
)

// Field is one labelled line of a transcript.
type Field struct {
	Label, Value string
}

// Transcript is a transcript as the screen, the PDF and the CSV show it:
// every value masked and formatted. Sections a kind does not have are
// empty.
type Transcript struct {
	Kind        Kind
	Title       string
	TaxYear     int
	RequestedOn time.Time
	Header      []Field // request date, tax period, form, masked number, name and street
	Return      []Field // figures from the return
	Balance     *AccountBalance
	Rows        []TransactionRow // account transactions in date order
	Income      []IncomeRow      // information returns
	Totals      []Field          // of Income
	Letter      string           // the Verification of Non-filing statement
	Notes       []string
	HelpSlug    string
}

// TransactionRow is one line of an account transcript.
type TransactionRow struct {
	Code        string // three digits
	Explanation string // the transcript's short title
	Plain       string // what it means, in plain words
	HelpSlug    string
	Cycle       string // processing cycle, YYYYWWDD
	Date        string // transaction date, formatted
	Amount      string // formatted, negative for credits
	PostedOn    time.Time
	AmountCents int64
}

// IncomeRow is one information return on a Wage & Income transcript.
type IncomeRow struct {
	Form          string
	Payer         string
	PayerEIN      string // masked
	AmountLabel   string // what the amount is on this form
	Amount        string
	Withheld      string
	AmountCents   int64
	WithheldCents int64
}

// Holder is what a transcript header shows of the taxpayer, before masking.
type Holder struct {
	SSNLast4 string
	LastName string
	Street1  string
}

// TranscriptData is what a transcript is built from; LoadTranscriptData
// reads it.
type TranscriptData struct {
	Holder       Holder
	Return       *models.TaxReturn // nil when no return is on file for the year
	Transactions []models.AccountTransaction
	Income       []models.InformationReturn
}

// BuildTranscript makes the view of one transcript for a tax year as of
// now, or an *UnavailableError saying why there is none.
func BuildTranscript(k Kind, year int, d TranscriptData, now time.Time, p Policy) (Transcript, error) {
	if err := p.Windows.Check(k, year, now, d.Return != nil); err != nil {
		return Transcript{}, err
	}
	t := Transcript{Kind: k, Title: k.Title(), TaxYear: year, RequestedOn: today(now), HelpSlug: helpTypes}
	t.Header = header(k, year, d, now)
	if d.Return != nil && k != WageAndIncome {
		t.Return = returnFields(k, d.Return)
	}
	switch {
	case k.account():
		t.HelpSlug = helpTranscript
		b := p.Accruals.Compute(year, d.Transactions, now)
		t.Balance = &b
		t.Rows = transactionRows(d.Transactions)
		if len(t.Rows) == 0 {
			t.Notes = append(t.Notes, "No transactions have posted to this account yet.")
		}
	case k == WageAndIncome:
		t.Income, t.Totals = incomeRows(d.Income)
		if len(t.Income) == 0 {
			t.Notes = append(t.Notes, "No W-2 or 1099 forms were reported to us for this year.")
		}
		// Employers and payers file through the spring: until July the
		// current year's list can still grow.
		if year == CurrentTaxYear(now) && now.Month() < time.July {
			t.Notes = append(t.Notes, "Forms for "+strconv.Itoa(year)+" may still be arriving; this list may not be complete until July.")
		}
	case k == NonFiling:
		t.Letter = "We have no record of a processed Form 1040-series return from you for the tax period ending " +
			TaxPeriod(year) + ", as of " + FormatDate(today(now)) + ". This letter does not say whether you were required to file."
	}
	t.Notes = append(t.Notes, "Parts of your number, name and address are hidden to protect you. Amounts are shown in full.")
	return t, nil
}

func header(k Kind, year int, d TranscriptData, now time.Time) []Field {
	h := []Field{
		{"Request date", FormatDate(today(now))},
		{"Tax period ending", TaxPeriod(year)},
	}
	switch {
	case d.Return != nil && k != WageAndIncome:
		h = append(h, Field{"Form", d.Return.Form})
	case k == NonFiling:
		h = append(h, Field{"Form", "1040"})
	}
	return append(h,
		Field{"Taxpayer identification number", MaskSSN(d.Holder.SSNLast4)},
		Field{"Name", MaskLastName(d.Holder.LastName)},
		Field{"Street address", MaskStreet(d.Holder.Street1)},
	)
}

func returnFields(k Kind, r *models.TaxReturn) []Field {
	how := "Paper"
	if r.EFiled {
		how = "Electronic"
	}
	f := []Field{
		{"Filing status", r.FilingStatus.Label()},
		{"Adjusted gross income", FormatMoney(r.AGICents)},
		{"Taxable income", FormatMoney(r.TaxableIncomeCents)},
		{"Tax per return", FormatMoney(r.TaxCents)},
	}
	if k == TaxAccountTranscript {
		return f
	}
	return append(f,
		Field{"Federal income tax withheld", FormatMoney(r.WithholdingCents)},
		Field{"Refund claimed", FormatMoney(r.RefundCents)},
		Field{"Return received", FormatDate(day(r.ReceivedOn)) + " (" + how + ")"},
	)
}

func transactionRows(txs []models.AccountTransaction) []TransactionRow {
	sorted := slices.Clone(txs)
	slices.SortStableFunc(sorted, func(x, y models.AccountTransaction) int { return day(x.PostedOn).Compare(day(y.PostedOn)) })
	rows := make([]TransactionRow, len(sorted))
	for i, tx := range sorted {
		e := Explain(tx)
		rows[i] = TransactionRow{
			Code:        strconv.Itoa(tx.Code),
			Explanation: e.Title,
			Plain:       e.Plain,
			HelpSlug:    e.Help,
			Cycle:       tx.Cycle,
			Date:        FormatDate(day(tx.PostedOn)),
			Amount:      FormatMoney(tx.AmountCents),
			PostedOn:    day(tx.PostedOn),
			AmountCents: tx.AmountCents,
		}
	}
	return rows
}

// amountLabels name the box an information return's amount comes from.
var amountLabels = map[string]string{
	"W-2":      "Wages, tips and other compensation",
	"1099-INT": "Interest income",
	"1099-NEC": "Nonemployee compensation",
	"1099-G":   "Unemployment compensation",
	"1099-DIV": "Ordinary dividends",
	"1099-R":   "Gross distribution",
}

func incomeRows(infos []models.InformationReturn) ([]IncomeRow, []Field) {
	rows := make([]IncomeRow, len(infos))
	var total, withheld int64
	for i, in := range infos {
		label, ok := amountLabels[in.Form]
		if !ok {
			label = "Amount reported"
		}
		rows[i] = IncomeRow{
			Form:          in.Form,
			Payer:         in.PayerName,
			PayerEIN:      MaskEIN(in.PayerEINLast4),
			AmountLabel:   label,
			Amount:        FormatMoney(in.AmountCents),
			Withheld:      FormatMoney(in.WithheldCents),
			AmountCents:   in.AmountCents,
			WithheldCents: in.WithheldCents,
		}
		total += in.AmountCents
		withheld += in.WithheldCents
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return rows, []Field{
		{"Total income reported", FormatMoney(total)},
		{"Total federal income tax withheld", FormatMoney(withheld)},
	}
}
