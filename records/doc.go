// Package records is the domain of a taxpayer's tax records: what each
// transaction code means, where a refund stands and why, the five transcript
// types with their masking, and their PDF and CSV exports. It has no HTTP:
// handlers load through it and render the view models it returns, which
// already carry formatted money, dates and plain-language text.
//
// A refund's stage is never stored. It is derived, each time it is shown,
// from the return and the year's account transactions (DeriveRefund), so
// that the screen, the transcript and the public lookup can never disagree.
//
// Every query takes the taxpayer's id and filters on it; nothing here
// accepts the id of a return or a transaction, so one taxpayer's records
// cannot be reached from another's session.
package records
