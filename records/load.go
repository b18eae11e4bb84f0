package records

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// The loaders read one taxpayer's records with as few queries as a screen
// allows, reading only the columns it uses. Every query filters on the
// taxpayer id first, so each one is a range of idx_returns_taxpayer_year,
// idx_transactions_taxpayer_year or idx_info_returns_taxpayer_year, and no
// loader takes the id of a return or a transaction: another taxpayer's rows
// cannot be asked for.
//
// They scan rows by hand instead of through GORM's reflection: the
// dashboard is among the most visited signed-in pages.

const returnColumns = "tax_year, form, filing_status, e_filed, received_on, agi_cents, taxable_income_cents, " +
	"tax_cents, withholding_cents, refund_cents, direct_deposit, bank_last4"

const (
	queryReturn = "SELECT " + returnColumns + " FROM tax_returns WHERE taxpayer_id = ? AND tax_year = ?"
	// Transactions come back in any order; sortTransactions orders them.
	queryTransactions = "SELECT id, tax_year, code, amount_cents, posted_on, cycle, note FROM account_transactions " +
		"WHERE taxpayer_id = ? AND tax_year = ?"
	queryIncome = "SELECT tax_year, form, payer_name, payer_ein_last4, amount_cents, withheld_cents FROM information_returns " +
		"WHERE taxpayer_id = ? AND tax_year = ? ORDER BY id"
	// A taxpayer's returns and the transactions of the newest return's
	// year: the whole dashboard in one statement. The two kinds of row share
	// one column list, each leaving the other's columns NULL; part tells
	// them apart. There is no ORDER BY: SQLite's driver parses and plans
	// every statement on each run, and sorting a dozen rows in Go costs less
	// than planning the sort of a compound select.
	queryDashboard = selectReturns + " UNION ALL " + selectTransactions +
		" AND tax_year = (SELECT MAX(tax_year) FROM tax_returns WHERE taxpayer_id = ?)"
	// The holder and the year's return in one round trip; the return's
	// columns are NULL when none is on file.
	queryHolder = "SELECT t.ssn_last4, t.last_name, t.street1, r.tax_year, r.form, r.filing_status, r.e_filed, r.received_on, " +
		"r.agi_cents, r.taxable_income_cents, r.tax_cents, r.withholding_cents, r.refund_cents, r.direct_deposit, r.bank_last4 " +
		"FROM taxpayers t LEFT JOIN tax_returns r ON r.taxpayer_id = t.id AND r.tax_year = ? WHERE t.id = ?"
)

// The parts of the compound statements (queryDashboard, queryOverview):
// returns (part 0) and account transactions (part 1) in one column list,
// each leaving the other's columns NULL.
const (
	selectReturns = "SELECT 0 AS part, tax_year, form, filing_status, e_filed, received_on, agi_cents, taxable_income_cents, " +
		"tax_cents, withholding_cents, refund_cents, direct_deposit, bank_last4, " +
		"NULL AS code, NULL AS amount_cents, NULL AS posted_on, NULL AS cycle, NULL AS note, 0 AS id " +
		"FROM tax_returns WHERE taxpayer_id = ?"
	selectTransactions = "SELECT 1, tax_year, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " +
		"code, amount_cents, posted_on, cycle, note, id FROM account_transactions WHERE taxpayer_id = ?"
)

// recordRow is one row of those statements.
type recordRow struct {
	part, year, id                                       int64
	form, status, bank, cycle, note                      sql.NullString
	efiled, deposit                                      sql.NullBool
	received, posted                                     civilDate
	agi, taxable, tax, withholding, refund, code, amount sql.NullInt64
}

func (r *recordRow) scan(rows *sql.Rows) error {
	return rows.Scan(&r.part, &r.year, &r.form, &r.status, &r.efiled, &r.received, &r.agi, &r.taxable, &r.tax, &r.withholding,
		&r.refund, &r.deposit, &r.bank, &r.code, &r.amount, &r.posted, &r.cycle, &r.note, &r.id)
}

func (r *recordRow) taxReturn(taxpayerID uint64) models.TaxReturn {
	return models.TaxReturn{
		TaxpayerID: taxpayerID, TaxYear: int(r.year), Form: r.form.String, FilingStatus: models.FilingStatus(r.status.String),
		EFiled: r.efiled.Bool, ReceivedOn: r.received.Time, AGICents: r.agi.Int64, TaxableIncomeCents: r.taxable.Int64,
		TaxCents: r.tax.Int64, WithholdingCents: r.withholding.Int64, RefundCents: r.refund.Int64,
		DirectDeposit: r.deposit.Bool, BankLast4: r.bank.String,
	}
}

func (r *recordRow) transaction(taxpayerID uint64) models.AccountTransaction {
	return models.AccountTransaction{ID: uint64(r.id), TaxpayerID: taxpayerID, TaxYear: int(r.year), Code: int(r.code.Int64),
		AmountCents: r.amount.Int64, PostedOn: r.posted.Time, Cycle: r.cycle.String, Note: r.note.String}
}

// ErrNoTaxpayer means the taxpayer id matches no taxpayer.
var ErrNoTaxpayer = errors.New("records: no such taxpayer")

// DashboardData is what the dashboard is built from: every return on file,
// newest first, and the account transactions of the newest one's year.
type DashboardData struct {
	Returns      []models.TaxReturn
	Transactions []models.AccountTransaction
}

// LoadDashboardData reads a taxpayer's returns and the newest year's
// transactions in one query (queryDashboard).
func LoadDashboardData(ctx context.Context, db *gorm.DB, taxpayerID uint64) (DashboardData, error) {
	d := DashboardData{Returns: make([]models.TaxReturn, 0, 10), Transactions: make([]models.AccountTransaction, 0, 8)}
	rows, err := db.WithContext(ctx).Raw(queryDashboard, taxpayerID, taxpayerID, taxpayerID).Rows()
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var r recordRow
		if err := r.scan(rows); err != nil {
			return d, err
		}
		if r.part == 0 {
			d.Returns = append(d.Returns, r.taxReturn(taxpayerID))
		} else {
			d.Transactions = append(d.Transactions, r.transaction(taxpayerID))
		}
	}
	slices.SortFunc(d.Returns, func(a, b models.TaxReturn) int { return b.TaxYear - a.TaxYear })
	sortTransactions(d.Transactions)
	return d, rows.Err()
}

// sortTransactions puts a year's transactions in date order; rows posted the
// same day keep the order they were written in (a 570 before its 971).
func sortTransactions(txs []models.AccountTransaction) {
	slices.SortFunc(txs, func(a, b models.AccountTransaction) int {
		if c := a.PostedOn.Compare(b.PostedOn); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

func loadReturn(ctx context.Context, db *gorm.DB, taxpayerID uint64, year int) (*models.TaxReturn, error) {
	rows, err := db.WithContext(ctx).Raw(queryReturn, taxpayerID, year).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	r := &models.TaxReturn{TaxpayerID: taxpayerID}
	if err := scanReturn(rows, r); err != nil {
		return nil, err
	}
	return r, rows.Err()
}

// LoadTransactions reads a taxpayer's account transactions for a year, in
// date order.
func LoadTransactions(ctx context.Context, db *gorm.DB, taxpayerID uint64, year int) ([]models.AccountTransaction, error) {
	rows, err := db.WithContext(ctx).Raw(queryTransactions, taxpayerID, year).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]models.AccountTransaction, 0, 8)
	for rows.Next() {
		tx := models.AccountTransaction{TaxpayerID: taxpayerID}
		var cycle, note sql.NullString
		var posted civilDate
		if err := rows.Scan(&tx.ID, &tx.TaxYear, &tx.Code, &tx.AmountCents, &posted, &cycle, &note); err != nil {
			return nil, err
		}
		tx.PostedOn, tx.Cycle, tx.Note = posted.Time, cycle.String, note.String
		out = append(out, tx)
	}
	sortTransactions(out)
	return out, rows.Err()
}

// LoadIncome reads the information returns others filed about a taxpayer
// for a year.
func LoadIncome(ctx context.Context, db *gorm.DB, taxpayerID uint64, year int) ([]models.InformationReturn, error) {
	rows, err := db.WithContext(ctx).Raw(queryIncome, taxpayerID, year).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []models.InformationReturn
	for rows.Next() {
		in := models.InformationReturn{TaxpayerID: taxpayerID}
		if err := rows.Scan(&in.TaxYear, &in.Form, &in.PayerName, &in.PayerEINLast4, &in.AmountCents, &in.WithheldCents); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// LoadTranscriptData reads what a transcript of a kind needs: the holder
// and the year's return in one query, then the transactions (account
// kinds) or the information returns (Wage & Income) in a second.
func LoadTranscriptData(ctx context.Context, db *gorm.DB, taxpayerID uint64, k Kind, year int) (TranscriptData, error) {
	d, err := loadHolder(ctx, db, taxpayerID, year)
	if err != nil {
		return d, err
	}
	switch {
	case k.account():
		d.Transactions, err = LoadTransactions(ctx, db, taxpayerID, year)
	case k == WageAndIncome:
		d.Income, err = LoadIncome(ctx, db, taxpayerID, year)
	}
	return d, err
}

func loadHolder(ctx context.Context, db *gorm.DB, taxpayerID uint64, year int) (TranscriptData, error) {
	var d TranscriptData
	rows, err := db.WithContext(ctx).Raw(queryHolder, year, taxpayerID).Rows()
	if err != nil {
		return d, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return d, err
		}
		return d, ErrNoTaxpayer
	}
	var (
		y                                          sql.NullInt64
		form, status, bank                         sql.NullString
		efiled, deposit                            sql.NullBool
		received                                   civilDate
		agi, taxable, tax, withholding, refundCent sql.NullInt64
	)
	if err := rows.Scan(&d.Holder.SSNLast4, &d.Holder.LastName, &d.Holder.Street1, &y, &form, &status, &efiled, &received,
		&agi, &taxable, &tax, &withholding, &refundCent, &deposit, &bank); err != nil {
		return d, err
	}
	if y.Valid {
		d.Return = &models.TaxReturn{
			TaxpayerID: taxpayerID, TaxYear: int(y.Int64), Form: form.String, FilingStatus: models.FilingStatus(status.String),
			EFiled: efiled.Bool, ReceivedOn: received.Time, AGICents: agi.Int64, TaxableIncomeCents: taxable.Int64,
			TaxCents: tax.Int64, WithholdingCents: withholding.Int64, RefundCents: refundCent.Int64,
			DirectDeposit: deposit.Bool, BankLast4: bank.String,
		}
	}
	return d, rows.Err()
}

// scanner is what *sql.Rows and *sql.Row have in common.
type scanner interface{ Scan(dest ...any) error }

func scanReturn(s scanner, r *models.TaxReturn) error {
	var status string
	var bank sql.NullString
	var received civilDate
	if err := s.Scan(&r.TaxYear, &r.Form, &status, &r.EFiled, &received, &r.AGICents, &r.TaxableIncomeCents,
		&r.TaxCents, &r.WithholdingCents, &r.RefundCents, &r.DirectDeposit, &bank); err != nil {
		return err
	}
	r.FilingStatus, r.BankLast4, r.ReceivedOn = models.FilingStatus(status), bank.String, received.Time
	return nil
}

// civilDate scans a stored date as its UTC calendar day, whichever way the
// driver hands it over: PostgreSQL gives a time.Time; SQLite gives a
// time.Time for a column declared DATETIME but the stored text for an
// expression, such as a column of a UNION's second branch.
type civilDate struct{ time.Time }

func (d *civilDate) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		d.Time = time.Time{}
	case time.Time:
		d.Time = day(v)
	case []byte:
		return d.parse(string(v))
	case string:
		return d.parse(v)
	default:
		return fmt.Errorf("records: cannot read %T as a date", v)
	}
	return nil
}

// storedLayouts are the ways SQLite may hold a timestamp as text.
var storedLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999Z07:00", time.DateOnly}

func (d *civilDate) parse(s string) error {
	// The common case, a UTC timestamp, needs only its first ten bytes.
	if len(s) >= 10 && (len(s) == 10 || strings.HasSuffix(s, "+00:00") || strings.HasSuffix(s, "Z")) {
		t, err := time.Parse(time.DateOnly, s[:10])
		d.Time = t
		return err
	}
	for _, l := range storedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			d.Time = day(t)
			return nil
		}
	}
	return fmt.Errorf("records: cannot read %q as a date", s)
}
