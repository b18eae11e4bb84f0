package records

import (
	"io"
	"strconv"

	"github.com/go-pdf/fpdf"
)

// Page geometry, in millimetres on US Letter.
const (
	pdfMargin = 18.0
	pdfWidth  = 215.9 - 2*pdfMargin
	pdfLine   = 5.0
)

// WritePDF writes a transcript as a PDF with the same content as the
// screen: the header, the return's figures, the balance box, the rows and
// the notes, masked the same way. It uses the PDF core fonts, so names are
// written in Windows-1252; characters outside it print as a question mark.
func WritePDF(w io.Writer, t Transcript) error {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, pdfMargin)
	pdf.SetTitle(t.Title+" "+strconv.Itoa(t.TaxYear), true)
	pdf.SetCreator("Taxpayer portal", true)
	pdf.SetLang("en-US")
	// The same transcript gives the same file: resources in a fixed order,
	// dated by the request, not the clock.
	pdf.SetCatalogSort(true)
	if !t.RequestedOn.IsZero() {
		pdf.SetCreationDate(t.RequestedOn)
		pdf.SetModificationDate(t.RequestedOn)
	}
	p := &pdfWriter{Fpdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-pdfMargin + 4)
		p.font("", 8)
		pdf.CellFormat(pdfWidth/2, 4, p.tr(t.Title+", tax period ending "+TaxPeriod(t.TaxYear)), "", 0, "L", false, 0, "")
		pdf.CellFormat(pdfWidth/2, 4, "Page "+strconv.Itoa(pdf.PageNo())+" of {nb}", "", 0, "R", false, 0, "")
	})
	pdf.AddPage()

	p.font("B", 16)
	pdf.CellFormat(pdfWidth, 9, p.tr(t.Title), "", 1, "L", false, 0, "")
	p.fields(t.Header)
	if len(t.Return) > 0 {
		p.heading("Return summary")
		p.fields(t.Return)
	}
	if t.Balance != nil {
		p.heading("Account balance")
		p.fields(t.Balance.Fields())
	}
	if t.Kind.account() {
		p.heading("Transactions")
		p.transactions(t.Rows)
	}
	if t.Kind == WageAndIncome {
		p.heading("Income reported by others")
		p.income(t.Income)
		p.fields(t.Totals)
	}
	if t.Letter != "" {
		p.heading("Verification of non-filing")
		p.font("", 10)
		pdf.MultiCell(pdfWidth, pdfLine, p.tr(t.Letter), "", "L", false)
	}
	if len(t.Notes) > 0 {
		pdf.Ln(4)
		p.font("I", 8)
		for _, n := range t.Notes {
			pdf.MultiCell(pdfWidth, 4, p.tr(n), "", "L", false)
		}
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

// pdfWriter adds the transcript's building blocks to fpdf.
type pdfWriter struct {
	*fpdf.Fpdf
	tr func(string) string // UTF-8 to the core fonts' encoding
}

func (p *pdfWriter) font(style string, size float64) { p.SetFont("Helvetica", style, size) }

func (p *pdfWriter) heading(s string) {
	p.Ln(4)
	p.font("B", 12)
	p.CellFormat(pdfWidth, 7, p.tr(s), "B", 1, "L", false, 0, "")
	p.Ln(1)
}

// fields writes label and value pairs, one per line.
func (p *pdfWriter) fields(fs []Field) {
	const labelW = 75.0
	for _, f := range fs {
		p.font("B", 10)
		p.CellFormat(labelW, pdfLine, p.tr(f.Label+":"), "", 0, "L", false, 0, "")
		p.font("", 10)
		p.CellFormat(pdfWidth-labelW, pdfLine, p.tr(f.Value), "", 1, "L", false, 0, "")
	}
}

// row writes one table row whose cells may wrap; the tallest sets the
// height. A row never splits across pages.
func (p *pdfWriter) row(widths []float64, aligns []string, cells []string, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	p.font(style, 9)
	const lh = 4.5
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = p.SplitText(p.tr(c), widths[i]-2)
		n = max(n, len(lines[i]))
	}
	h := float64(n)*lh + 1
	if _, pageH := p.GetPageSize(); p.GetY()+h > pageH-pdfMargin {
		p.AddPage()
	}
	x, y := p.GetXY()
	for i := range cells {
		for k, l := range lines[i] {
			p.SetXY(x+1, y+0.5+float64(k)*lh)
			p.CellFormat(widths[i]-2, lh, l, "", 0, aligns[i], false, 0, "")
		}
		x += widths[i]
	}
	p.SetXY(pdfMargin, y+h)
	p.Line(pdfMargin, y+h, pdfMargin+pdfWidth, y+h)
}

func (p *pdfWriter) transactions(rows []TransactionRow) {
	widths := []float64{14, pdfWidth - 14 - 24 - 28 - 30, 24, 28, 30}
	aligns := []string{"L", "L", "L", "L", "R"}
	p.row(widths, aligns, []string{"Code", "Explanation", "Cycle", "Date", "Amount"}, true)
	for _, r := range rows {
		p.row(widths, aligns, []string{r.Code, r.Explanation, r.Cycle, r.Date, r.Amount}, false)
	}
}

func (p *pdfWriter) income(rows []IncomeRow) {
	widths := []float64{20, pdfWidth - 20 - 50 - 28 - 28, 50, 28, 28}
	aligns := []string{"L", "L", "L", "R", "R"}
	p.row(widths, aligns, []string{"Form", "Payer", "What was reported", "Amount", "Tax withheld"}, true)
	for _, r := range rows {
		p.row(widths, aligns, []string{r.Form, r.Payer + " (EIN " + r.PayerEIN + ")", r.AmountLabel, r.Amount, r.Withheld}, false)
	}
}
