package proofing

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// Field names a part of the information that did not match, so the screen
// can say which to check. It never carries the record's value.
type Field string

const (
	FieldSSN     Field = "ssn"
	FieldName    Field = "name"
	FieldDOB     Field = "dob"
	FieldAddress Field = "address"
)

// Input is what a match compares: the number and the reviewed information.
type Input struct {
	SSN  pii.SSN
	Info Info
}

// Result is the outcome of a match.
type Result struct {
	Matched bool
	// TaxpayerID is the master-file record matched; 0 unless Matched.
	TaxpayerID uint64
	// Fields are the parts that did not match, in the order of the form.
	// An unknown SSN gives FieldSSN alone: comparing the rest would tell a
	// guesser nothing true, and naming it would look as if it had been.
	Fields []Field
}

// SSNUnknown reports whether the number is in no record.
func (r Result) SSNUnknown() bool { return len(r.Fields) == 1 && r.Fields[0] == FieldSSN }

// Match finds the taxpayer by SSN through the keyed index, then compares the
// name, date of birth and address (see SameName, SameAddress). A mismatch
// is a Result, not an error; errors are the database's or the vault's.
// The caller checks and counts the attempt (Limiter.CheckMatch, FailMatch).
func Match(ctx context.Context, db *gorm.DB, vault *pii.Vault, in Input) (Result, error) {
	if len(in.SSN.Digits()) != 9 {
		return Result{Fields: []Field{FieldSSN}}, nil
	}
	tp, err := models.FindTaxpayerBySSN(ctx, db, vault, in.SSN)
	if errors.Is(err, models.ErrNotFound) {
		return Result{Fields: []Field{FieldSSN}}, nil
	}
	if err != nil {
		return Result{}, err
	}
	pd, err := tp.Unseal(vault)
	if err != nil {
		return Result{}, err
	}
	fields := Compare(in.Info, tp, pd.DOB)
	if len(fields) > 0 {
		return Result{Fields: fields}, nil
	}
	return Result{Matched: true, TaxpayerID: tp.ID}, nil
}

// Compare names the parts of the information that differ from a taxpayer's
// record, whose date of birth is dob (unsealed). It is Match without the
// look-up, for an agent who found the record another way.
func Compare(in Info, tp *models.Taxpayer, dob time.Time) []Field {
	var out []Field
	if !SameName(in.FirstName, in.MiddleName, in.LastName, tp.FirstName, tp.MiddleName, tp.LastName) {
		out = append(out, FieldName)
	}
	if !sameDate(in.DOB, dob) {
		out = append(out, FieldDOB)
	}
	rec := Info{Street1: tp.Street1, Street2: tp.Street2, City: tp.City, State: tp.State, ZIP: tp.ZIP}
	if !SameAddress(in, rec) {
		out = append(out, FieldAddress)
	}
	return out
}

func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return !a.IsZero() && ay == by && am == bm && ad == bd
}
