package records

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// CSVHeader is the first row of a transactions export.
var CSVHeader = []string{"Tax year", "Code", "Explanation", "Cycle", "Transaction date", "Amount"}

// WriteTransactionsCSV writes an account transcript's transactions for a
// spreadsheet: ISO dates and plain decimal amounts (negative for credits)
// so they sort and add up, with the header row first.
func WriteTransactionsCSV(w io.Writer, t Transcript) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	year := strconv.Itoa(t.TaxYear)
	for _, r := range t.Rows {
		rec := []string{year, r.Code, safeCell(r.Explanation), r.Cycle, r.PostedOn.Format(time.DateOnly), decimal(r.AmountCents)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// decimal writes cents as a plain number: -1234.56.
func decimal(cents int64) string {
	s := strings.TrimPrefix(FormatMoney(cents), "-")
	s = strings.ReplaceAll(strings.TrimPrefix(s, "$"), ",", "")
	if cents < 0 {
		return "-" + s
	}
	return s
}

// safeCell keeps a text cell from being read as a formula by a spreadsheet
// (a note could start with = + - or @).
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
