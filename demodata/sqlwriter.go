package demodata

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/taxportal/portal/models"
)

// The portable way to write rows, used when the faster ones do not apply
// (an in-memory SQLite database, another PostgreSQL driver): multi-row
// INSERT statements with the values inlined as SQL literals. GORM's
// reflection-based Create is far too slow for millions of rows, and bound
// parameters do not help through database/sql: the SQLite driver compiles
// every statement afresh and binds each parameter with a linear search over
// all of them. Every value comes from this package (names from fixed lists,
// numbers, hex) and strings are quoted all the same.
//
// The table and column names come from the GORM schema of the models, for
// every writer.

// Statement size: large enough to amortise each round trip, small enough to
// keep the SQL compiler's memory modest.
const (
	stmtMaxRows  = 400
	stmtMaxBytes = 192 << 10
)

// tableSQL holds the INSERT prefixes, built from the GORM schema so that the
// column names follow the models (and their naming strategy).
type tableSQL struct {
	pg bool

	taxpayers, taxReturns, transactions, infoReturns, seedRuns     string // quoted table names
	taxpayerID, seedName, seedTaxpayers, seedFinished, seedUpdated string // quoted column names
	ssnIndex                                                       string

	insTaxpayers, insReturns, insTransactions, insInfoReturns string

	// The same, unquoted, for PostgreSQL's COPY.
	copyTables [4]string
	copyCols   [4][]string
}

func newTableSQL(db *gorm.DB) (*tableSQL, error) {
	t := &tableSQL{pg: db.Dialector.Name() == "postgres"}
	cache := &sync.Map{}
	type spec struct {
		model  any
		fields []string
		table  *string
		insert *string
	}
	copyIndex := 0
	specs := []spec{
		{&models.Taxpayer{}, []string{"ID", "SSNIndex", "SSNSealed", "SSNLast4", "FirstName", "MiddleName", "LastName",
			"Suffix", "DOBSealed", "Street1", "Street2", "City", "State", "ZIP", "PhoneSealed", "PhoneLast4",
			"CreatedAt", "UpdatedAt"}, &t.taxpayers, &t.insTaxpayers},
		{&models.TaxReturn{}, []string{"TaxpayerID", "TaxYear", "Form", "FilingStatus", "EFiled", "ReceivedOn",
			"AGICents", "TaxableIncomeCents", "TaxCents", "WithholdingCents", "RefundCents", "DirectDeposit",
			"BankLast4", "CreatedAt"}, &t.taxReturns, &t.insReturns},
		{&models.AccountTransaction{}, []string{"TaxpayerID", "TaxYear", "Code", "AmountCents", "PostedOn", "Cycle",
			"Note", "CreatedAt"}, &t.transactions, &t.insTransactions},
		{&models.InformationReturn{}, []string{"TaxpayerID", "TaxYear", "Form", "PayerName", "PayerEINLast4",
			"AmountCents", "WithheldCents", "CreatedAt"}, &t.infoReturns, &t.insInfoReturns},
		{&models.SeedRun{}, nil, &t.seedRuns, nil},
	}
	for _, s := range specs {
		sch, err := schema.Parse(s.model, cache, db.NamingStrategy)
		if err != nil {
			return nil, err
		}
		*s.table = quoteIdent(sch.Table)
		if s.insert == nil {
			continue
		}
		cols := make([]string, len(s.fields))
		raw := make([]string, len(s.fields))
		for i, f := range s.fields {
			fld := sch.LookUpField(f)
			if fld == nil || fld.DBName == "" {
				return nil, fmt.Errorf("demodata: %s has no column for %s", sch.Name, f)
			}
			cols[i], raw[i] = quoteIdent(fld.DBName), fld.DBName
		}
		*s.insert = "INSERT INTO " + *s.table + " (" + strings.Join(cols, ",") + ") VALUES "
		t.copyTables[copyIndex], t.copyCols[copyIndex] = sch.Table, raw
		copyIndex++
	}
	col := func(model any, field string) (string, error) {
		sch, err := schema.Parse(model, cache, db.NamingStrategy)
		if err != nil {
			return "", err
		}
		fld := sch.LookUpField(field)
		if fld == nil {
			return "", fmt.Errorf("demodata: %s has no column for %s", sch.Name, field)
		}
		return quoteIdent(fld.DBName), nil
	}
	for _, c := range []struct {
		dst   *string
		model any
		field string
	}{
		{&t.taxpayerID, &models.Taxpayer{}, "ID"},
		{&t.ssnIndex, &models.Taxpayer{}, "SSNIndex"},
		{&t.seedName, &models.SeedRun{}, "Name"},
		{&t.seedTaxpayers, &models.SeedRun{}, "Taxpayers"},
		{&t.seedFinished, &models.SeedRun{}, "FinishedAt"},
		{&t.seedUpdated, &models.SeedRun{}, "UpdatedAt"},
	} {
		var err error
		if *c.dst, err = col(c.model, c.field); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// stmtBuilder accumulates rows into multi-row INSERT statements.
type stmtBuilder struct {
	pg     bool
	prefix string
	buf    []byte
	rows   int
	stmts  []string
}

func (b *stmtBuilder) row() {
	if b.rows == 0 {
		b.buf = append(b.buf, b.prefix...)
	} else {
		b.buf = append(b.buf, ',')
	}
	b.buf = append(b.buf, '(')
}

func (b *stmtBuilder) endRow() {
	b.buf = append(b.buf, ')')
	b.rows++
	if b.rows >= stmtMaxRows || len(b.buf) >= stmtMaxBytes {
		b.flush()
	}
}

func (b *stmtBuilder) flush() {
	if b.rows == 0 {
		return
	}
	b.stmts = append(b.stmts, string(b.buf))
	b.buf = b.buf[:0]
	b.rows = 0
}

func (b *stmtBuilder) comma() { b.buf = append(b.buf, ',') }

func (b *stmtBuilder) int(v int64) { b.buf = strconv.AppendInt(b.buf, v, 10) }

func (b *stmtBuilder) str(s string) { b.buf = appendQuoted(b.buf, s) }

func (b *stmtBuilder) raw(s string) { b.buf = append(b.buf, s...) }

func (b *stmtBuilder) bool(v bool) {
	switch {
	case b.pg && v:
		b.buf = append(b.buf, "TRUE"...)
	case b.pg:
		b.buf = append(b.buf, "FALSE"...)
	case v:
		b.buf = append(b.buf, '1')
	default:
		b.buf = append(b.buf, '0')
	}
}

func (b *stmtBuilder) blob(v []byte) {
	if v == nil {
		b.buf = append(b.buf, "NULL"...)
		return
	}
	if b.pg {
		b.buf = append(b.buf, `E'\\x`...)
	} else {
		b.buf = append(b.buf, `X'`...)
	}
	b.buf = hex.AppendEncode(b.buf, v)
	b.buf = append(b.buf, '\'')
}

// date writes a midnight-UTC date the way the SQLite driver writes a
// time.Time ("2006-01-02 15:04:05.999999999-07:00"); PostgreSQL parses the
// same text into a timestamptz.
func (b *stmtBuilder) date(t time.Time) {
	y, m, d := t.Date()
	var s [27]byte
	s[0] = '\''
	putDigits(s[1:5], uint64(y))
	s[5] = '-'
	putDigits(s[6:8], uint64(m))
	s[8] = '-'
	putDigits(s[9:11], uint64(d))
	copy(s[11:], " 00:00:00+00:00'")
	b.buf = append(b.buf, s[:]...)
}

func appendQuoted(buf []byte, s string) []byte {
	buf = append(buf, '\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			buf = append(buf, '\'')
		}
		buf = append(buf, s[i])
	}
	return append(buf, '\'')
}

// timestampLiteral formats a moment as the drivers would store it.
func timestampLiteral(t time.Time, pg bool) string {
	t = t.UTC()
	if pg {
		t = t.Truncate(time.Microsecond)
	}
	return string(appendQuoted(nil, t.Format("2006-01-02 15:04:05.999999999-07:00")))
}

// batchSQL renders taxpayers [start, end) into INSERT statements. Taxpayer i
// gets ID firstID+(i-start); the other rows take their IDs from the database.
type batchSQL struct {
	tp, ret, tx, info stmtBuilder
	now               string
}

// rowCounts tallies the rows a run writes, for its log line.
type rowCounts struct{ Taxpayers, Returns, Transactions, InfoReturns int }

func (c *rowCounts) add(o rowCounts) {
	c.Taxpayers += o.Taxpayers
	c.Returns += o.Returns
	c.Transactions += o.Transactions
	c.InfoReturns += o.InfoReturns
}

func newBatchSQL(t *tableSQL, now string) *batchSQL {
	b := &batchSQL{now: now}
	for _, sb := range []*stmtBuilder{&b.tp, &b.ret, &b.tx, &b.info} {
		sb.pg = t.pg
	}
	b.tp.prefix, b.ret.prefix, b.tx.prefix, b.info.prefix = t.insTaxpayers, t.insReturns, t.insTransactions, t.insInfoReturns
	return b
}

func (b *batchSQL) add(id uint64, p *person) {
	t := &p.tp
	s := &b.tp
	s.row()
	s.int(int64(id))
	s.comma()
	s.str(t.SSNIndex)
	s.comma()
	s.blob(t.SSNSealed)
	s.comma()
	s.str(t.SSNLast4)
	s.comma()
	s.str(t.FirstName)
	s.comma()
	s.str(t.MiddleName)
	s.comma()
	s.str(t.LastName)
	s.comma()
	s.str(t.Suffix)
	s.comma()
	s.blob(t.DOBSealed)
	s.comma()
	s.str(t.Street1)
	s.comma()
	s.str(t.Street2)
	s.comma()
	s.str(t.City)
	s.comma()
	s.str(t.State)
	s.comma()
	s.str(t.ZIP)
	s.comma()
	s.blob(t.PhoneSealed)
	s.comma()
	s.str(t.PhoneLast4)
	s.comma()
	s.raw(b.now)
	s.comma()
	s.raw(b.now)
	s.endRow()

	tid := int64(id)
	for k := range p.years {
		y := &p.years[k]
		r := &y.ret
		s := &b.ret
		s.row()
		s.int(tid)
		s.comma()
		s.int(int64(r.TaxYear))
		s.comma()
		s.str(r.Form)
		s.comma()
		s.str(string(r.FilingStatus))
		s.comma()
		s.bool(r.EFiled)
		s.comma()
		s.date(r.ReceivedOn)
		s.comma()
		s.int(r.AGICents)
		s.comma()
		s.int(r.TaxableIncomeCents)
		s.comma()
		s.int(r.TaxCents)
		s.comma()
		s.int(r.WithholdingCents)
		s.comma()
		s.int(r.RefundCents)
		s.comma()
		s.bool(r.DirectDeposit)
		s.comma()
		s.str(r.BankLast4)
		s.comma()
		s.raw(b.now)
		s.endRow()
		for n := range y.txs {
			x := &y.txs[n]
			s := &b.tx
			s.row()
			s.int(tid)
			s.comma()
			s.int(int64(x.TaxYear))
			s.comma()
			s.int(int64(x.Code))
			s.comma()
			s.int(x.AmountCents)
			s.comma()
			s.date(x.PostedOn)
			s.comma()
			s.str(x.Cycle)
			s.comma()
			s.str(x.Note)
			s.comma()
			s.raw(b.now)
			s.endRow()
		}
		for n := range y.infos {
			x := &y.infos[n]
			s := &b.info
			s.row()
			s.int(tid)
			s.comma()
			s.int(int64(x.TaxYear))
			s.comma()
			s.str(x.Form)
			s.comma()
			s.str(x.PayerName)
			s.comma()
			s.str(x.PayerEINLast4)
			s.comma()
			s.int(x.AmountCents)
			s.comma()
			s.int(x.WithheldCents)
			s.comma()
			s.raw(b.now)
			s.endRow()
		}
	}
}

// statements returns every statement, parents first.
func (b *batchSQL) statements() []string {
	var out []string
	for _, s := range []*stmtBuilder{&b.tp, &b.ret, &b.tx, &b.info} {
		s.flush()
		out = append(out, s.stmts...)
	}
	return out
}
