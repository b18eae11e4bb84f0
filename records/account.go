package records

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/taxportal/portal/models"
)

// queryAccount reads, in one statement, each year's balance and last
// transaction date (part 0) and every notice transaction (part 1, code
// 971) of a taxpayer: what the dashboard's balance card and notice list
// need, without reading every row of every year.
const queryAccount = "SELECT 0 AS part, tax_year, CAST(SUM(amount_cents) AS BIGINT) AS amount, MAX(posted_on) AS posted_on, 0 AS id, '' AS note " +
	"FROM account_transactions WHERE taxpayer_id = ? GROUP BY tax_year " +
	"UNION ALL " +
	"SELECT 1, tax_year, 0, posted_on, id, note FROM account_transactions WHERE taxpayer_id = ? AND code = 971"

// queryNotice reads one notice transaction, only if it is the taxpayer's.
const queryNotice = "SELECT id, tax_year, posted_on, note FROM account_transactions WHERE taxpayer_id = ? AND id = ? AND code = 971"

// ErrNoNotice means the taxpayer has no notice with that id; a notice of
// another taxpayer is indistinguishable from one that does not exist.
var ErrNoNotice = errors.New("records: no such notice")

// YearBalance is one year's part of what is owed.
type YearBalance struct {
	TaxYear int
	AccountBalance
	Balance, Interest, Penalty, Total string // formatted
}

// NoticeItem is one notice on the account: a 971 transaction, named by the
// notice number its note carries.
type NoticeItem struct {
	ID       uint64
	TaxYear  int
	On       time.Time
	Date     string
	Number   string // "CP05"; "" when the transaction names none
	Title    string // "Notice CP05" or "Notice about your account"
	Plain    string
	WhatToDo string
	HelpSlug string
}

// AccountSummary is the whole account at a glance: what is owed, year by
// year with accruals as of a day, and the notices issued.
type AccountSummary struct {
	AsOf        time.Time
	AsOfDate    string
	Owed        []YearBalance // years with something owed, newest first
	TotalCents  int64
	Total       string
	CreditYears []int        // years with a credit balance
	Notices     []NoticeItem // newest first
}

// Account loads a taxpayer's balance due and notices as of now.
func (s *Service) Account(ctx context.Context, taxpayerID uint64, now time.Time) (AccountSummary, error) {
	rows, err := s.db.WithContext(ctx).Raw(queryAccount, taxpayerID, taxpayerID).Rows()
	if err != nil {
		return AccountSummary{}, err
	}
	defer rows.Close()
	var years []yearTotal
	var notes []models.AccountTransaction
	for rows.Next() {
		var (
			part, year, amount, id int64
			posted                 civilDate
			note                   *string
		)
		if err := rows.Scan(&part, &year, &amount, &posted, &id, &note); err != nil {
			return AccountSummary{}, err
		}
		if part == 0 {
			years = append(years, yearTotal{int(year), amount, posted.Time})
			continue
		}
		tx := models.AccountTransaction{ID: uint64(id), TaxpayerID: taxpayerID, TaxYear: int(year), Code: 971, PostedOn: posted.Time}
		if note != nil {
			tx.Note = *note
		}
		notes = append(notes, tx)
	}
	if err := rows.Err(); err != nil {
		return AccountSummary{}, err
	}
	return BuildAccountSummary(years, notes, now, s.policy.Accruals), nil
}

// yearTotal is the sum and the last date of a year's transactions.
type yearTotal struct {
	year   int
	cents  int64
	lastOn time.Time
}

// BuildAccountSummary works out the summary from each year's total and the
// notice transactions. Accruals depend only on a year's sum and its last
// transaction date, so one synthetic transaction per year stands in for all.
func BuildAccountSummary(years []yearTotal, notes []models.AccountTransaction, now time.Time, ac Accruals) AccountSummary {
	out := AccountSummary{AsOf: today(now), AsOfDate: FormatDate(today(now))}
	years = slices.Clone(years)
	slices.SortFunc(years, func(a, b yearTotal) int { return b.year - a.year })
	for _, y := range years {
		switch {
		case y.cents > 0:
			b := ac.Compute(y.year, []models.AccountTransaction{{AmountCents: y.cents, PostedOn: y.lastOn}}, now)
			out.Owed = append(out.Owed, YearBalance{TaxYear: y.year, AccountBalance: b,
				Balance: FormatMoney(b.BalanceCents), Interest: FormatMoney(b.InterestCents),
				Penalty: FormatMoney(b.PenaltyCents), Total: FormatMoney(b.TotalCents)})
			out.TotalCents += b.TotalCents
		case y.cents < 0:
			out.CreditYears = append(out.CreditYears, y.year)
		}
	}
	out.Total = FormatMoney(out.TotalCents)
	notes = slices.Clone(notes)
	sortTransactions(notes)
	slices.Reverse(notes)
	for _, tx := range notes {
		out.Notices = append(out.Notices, noticeItem(tx))
	}
	return out
}

func noticeItem(tx models.AccountTransaction) NoticeItem {
	on := day(tx.PostedOn)
	it := NoticeItem{ID: tx.ID, TaxYear: tx.TaxYear, On: on, Date: FormatDate(on), HelpSlug: helpNotices}
	if n, ok := LookupNotice(tx.Note); ok {
		it.Number, it.Title, it.Plain, it.WhatToDo = n.Number, "Notice "+n.Number, n.Plain, NoticeToDo(n.Number)
		if hold[n.Number] {
			it.HelpSlug = helpHold
		}
		return it
	}
	it.Title = "Notice about your " + strconv.Itoa(tx.TaxYear) + " account"
	if tx.Note != "" {
		it.Number, it.Title = tx.Note, "Notice "+tx.Note
	}
	it.Plain = "We recorded an action on your " + strconv.Itoa(tx.TaxYear) + " account and mailed you a letter about it."
	it.WhatToDo = "Read the letter when it arrives: its first page says what it is about and whether you need to reply."
	return it
}

// hold lists the notices that go with a refund hold.
var hold = map[string]bool{"CP05": true, "CP05A": true, "5071C": true, "4883C": true, "5747C": true}

// Notice loads one of the taxpayer's notices, or ErrNoNotice.
func (s *Service) Notice(ctx context.Context, taxpayerID, id uint64) (NoticeItem, error) {
	rows, err := s.db.WithContext(ctx).Raw(queryNotice, taxpayerID, id).Rows()
	if err != nil {
		return NoticeItem{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return NoticeItem{}, err
		}
		return NoticeItem{}, ErrNoNotice
	}
	tx := models.AccountTransaction{TaxpayerID: taxpayerID, Code: 971}
	var posted civilDate
	var note *string
	if err := rows.Scan(&tx.ID, &tx.TaxYear, &posted, &note); err != nil {
		return NoticeItem{}, err
	}
	tx.PostedOn = posted.Time
	if note != nil {
		tx.Note = *note
	}
	return noticeItem(tx), rows.Err()
}

// queryOverview is the dashboard in one statement: every return (part 0),
// every account transaction (part 1) and the taxpayer's name (part 2,
// carried in text columns). The newest year's transactions, each year's
// balance and the notices are picked out in Go: a taxpayer has a few dozen
// transactions, and scanning them costs less than the SQLite driver's
// parsing a longer statement (it parses every statement on every run), or
// than more statements.
const queryOverview = selectReturns + " UNION ALL " + selectTransactions + " UNION ALL " +
	"SELECT 2, 0, first_name, middle_name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, suffix, " +
	"NULL, NULL, NULL, NULL, last_name, 0 FROM taxpayers WHERE id = ?"

// Overview is what the dashboard shows from a taxpayer's records.
type Overview struct {
	Name      string
	Dashboard Dashboard
	Account   AccountSummary
}

// Overview builds the dashboard's records as of now: from memory when the
// taxpayer's rows were read less than the cache's lifetime ago, or else in
// one query. ErrNoTaxpayer when the id matches no taxpayer.
func (s *Service) Overview(ctx context.Context, taxpayerID uint64, now time.Time) (Overview, error) {
	rows, err := s.rows(ctx, taxpayerID)
	if err != nil {
		return Overview{}, err
	}
	return s.buildOverview(rows, now), nil
}

// Refunds derives the refund status of each of the years from the same
// rows as Overview: one query, or none when they are in memory.
func (s *Service) Refunds(ctx context.Context, taxpayerID uint64, years []int, now time.Time) ([]RefundStatus, error) {
	rows, err := s.rows(ctx, taxpayerID)
	if err != nil {
		return nil, err
	}
	out := make([]RefundStatus, len(years))
	for i, y := range years {
		var ret *models.TaxReturn
		for j := range rows.returns {
			if rows.returns[j].TaxYear == y {
				ret = &rows.returns[j]
			}
		}
		var txs []models.AccountTransaction
		for _, tx := range rows.all {
			if tx.TaxYear == y {
				txs = append(txs, tx)
			}
		}
		sortTransactions(txs)
		out[i] = s.policy.Refund.Derive(y, ret, txs, now)
	}
	return out, nil
}

// rows are a taxpayer's rows for the dashboard, from the cache or read.
func (s *Service) rows(ctx context.Context, taxpayerID uint64) (*overviewRows, error) {
	if rows, ok := s.cache.get(taxpayerID); ok {
		return rows, nil
	}
	rows, err := s.loadOverview(ctx, taxpayerID)
	if err != nil {
		return nil, err
	}
	s.cache.put(taxpayerID, rows)
	return rows, nil
}

// overviewRows is what queryOverview reads for a taxpayer. It is shared
// between requests through the cache, so nothing may change it after
// loadOverview returns.
type overviewRows struct {
	name    string
	returns []models.TaxReturn          // newest first
	all     []models.AccountTransaction // every year's, as read
	newest  []models.AccountTransaction // the newest return's year, in date order
}

func (s *Service) loadOverview(ctx context.Context, id uint64) (*overviewRows, error) {
	rows, err := s.db.WithContext(ctx).Raw(queryOverview, id, id, id).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := &overviewRows{returns: make([]models.TaxReturn, 0, 10), all: make([]models.AccountTransaction, 0, 40)}
	found := false
	for rows.Next() {
		var r recordRow
		if err := r.scan(rows); err != nil {
			return nil, err
		}
		switch r.part {
		case 0:
			out.returns = append(out.returns, r.taxReturn(id))
		case 1:
			out.all = append(out.all, r.transaction(id))
		case 2:
			found = true
			out.name = (&models.Taxpayer{FirstName: r.form.String, MiddleName: r.status.String, LastName: r.note.String, Suffix: r.bank.String}).FullName()
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, ErrNoTaxpayer
	}
	slices.SortFunc(out.returns, func(a, b models.TaxReturn) int { return b.TaxYear - a.TaxYear })
	for _, tx := range out.all {
		if len(out.returns) > 0 && tx.TaxYear == out.returns[0].TaxYear {
			out.newest = append(out.newest, tx)
		}
	}
	sortTransactions(out.newest)
	return out, nil
}

// buildOverview works out, as of now, the three parts of the dashboard
// from a taxpayer's rows: the newest year's refund, each year's balance
// (with its accruals) and the notices.
func (s *Service) buildOverview(r *overviewRows, now time.Time) Overview {
	var notes []models.AccountTransaction
	totals := map[int]*yearTotal{}
	for _, tx := range r.all {
		t := totals[tx.TaxYear]
		if t == nil {
			t = &yearTotal{year: tx.TaxYear}
			totals[tx.TaxYear] = t
		}
		t.cents += tx.AmountCents
		t.lastOn = later(t.lastOn, tx.PostedOn)
		if tx.Code == 971 {
			notes = append(notes, tx)
		}
	}
	years := make([]yearTotal, 0, len(totals))
	for _, t := range totals {
		years = append(years, *t)
	}
	return Overview{
		Name:      r.name,
		Dashboard: BuildDashboard(DashboardData{Returns: r.returns, Transactions: r.newest}, now, s.policy),
		Account:   BuildAccountSummary(years, notes, now, s.policy.Accruals),
	}
}

// helpNotices is the help article about notices and letters.
const helpNotices = "notices-and-letters"
