package ippin

import (
	"strings"
)

// maxStatementRows is how many rows one multi-row INSERT carries: enough to
// amortise the round trip, few enough to stay far below both databases'
// limits on bound parameters.
const maxStatementRows = 128

// statementSizes splits n rows into INSERT statements of maxStatementRows,
// and the rest into powers of two. Statements are prepared and cached per
// text, so their sizes are kept to a handful.
func statementSizes(n int) []int {
	var sizes []int
	for ; n >= maxStatementRows; n -= maxStatementRows {
		sizes = append(sizes, maxStatementRows)
	}
	for size := maxStatementRows / 2; n > 0; size /= 2 {
		if n >= size {
			sizes = append(sizes, size)
			n -= size
		}
	}
	return sizes
}

// valuesSQL is "prefix (?,?),(?,?) suffix" for rows rows of cols values.
// GORM turns the question marks into each database's placeholders.
func valuesSQL(prefix string, cols, rows int, suffix string) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	var b strings.Builder
	b.Grow(len(prefix) + rows*(len(row)+1) + len(suffix) + 2)
	b.WriteString(prefix)
	b.WriteByte(' ')
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteByte(' ')
	b.WriteString(suffix)
	return b.String()
}
