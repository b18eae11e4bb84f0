package records

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/csv"
	"io"
	"regexp"
	"strings"
	"testing"
)

// pdfText pulls the text shown by a PDF's content streams, line by line:
// each stream is inflated when compressed, and every string drawn with Tj
// is unescaped.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	streamRE := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	textRE := regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) ?Tj`)
	var lines []string
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		data := m[1]
		if r, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
			if inflated, err := io.ReadAll(r); err == nil {
				data = inflated
			}
		}
		for _, s := range textRE.FindAllSubmatch(data, -1) {
			lines = append(lines, unescapePDF(string(s[1])))
		}
	}
	return lines
}

func unescapePDF(s string) string {
	return strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(s)
}

func TestPDFCarriesTheTranscript(t *testing.T) {
	db, v := seeded(t, 10)
	svc := New(db, v, DefaultPolicy())
	for _, c := range []struct {
		taxpayer uint64
		kind     Kind
	}{{9, TaxAccountTranscript}, {7, RecordOfAccount}, {3, WageAndIncome}, {1, TaxReturnTranscript}} {
		t.Run(string(c.kind), func(t *testing.T) {
			tr, err := svc.Transcript(context.Background(), c.taxpayer, c.kind, 2025, now)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WritePDF(&buf, tr); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", buf.Bytes()[:20])
			}
			text := strings.Join(pdfText(t, buf.Bytes()), "\n")
			want := []string{tr.Title}
			for _, fs := range [][]Field{tr.Header, tr.Return, tr.Totals} {
				for _, f := range fs {
					want = append(want, f.Label+":", f.Value)
				}
			}
			if tr.Balance != nil {
				for _, f := range tr.Balance.Fields() {
					want = append(want, f.Label+":", f.Value)
				}
			}
			for _, r := range tr.Rows {
				want = append(want, r.Code, r.Cycle, r.Date, r.Amount)
			}
			for _, r := range tr.Income {
				want = append(want, r.Form, r.Amount, r.Withheld, r.PayerEIN)
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("the PDF lacks %q", w)
				}
			}
			// Masked means masked: the full number and name never appear.
			for _, secret := range []string{"987-65-432", "98765432", "Hernandez", "Chen", "Raman", "Mitchell", "Desert Willow"} {
				if strings.Contains(text, secret) {
					t.Errorf("the PDF shows %q", secret)
				}
			}
			// The same transcript gives the same file.
			var again bytes.Buffer
			if err := WritePDF(&again, tr); err != nil || !bytes.Equal(again.Bytes(), buf.Bytes()) {
				t.Errorf("a second rendering differs (%v)", err)
			}
		})
	}
}

// Long explanations wrap inside their column and long transcripts flow
// onto more pages.
func TestPDFWrapsAndPaginates(t *testing.T) {
	tr := Transcript{Kind: TaxAccountTranscript, Title: TaxAccountTranscript.Title(), TaxYear: 2025, RequestedOn: date("2026-11-20")}
	for i := range 80 {
		tr.Rows = append(tr.Rows, TransactionRow{Code: "971", Explanation: "Notice issued: a rather long explanation that cannot fit on one line of its column " + itoa(i),
			Cycle: "20261805", Date: "Nov. 20, 2026", Amount: "$0.00"})
	}
	var buf bytes.Buffer
	if err := WritePDF(&buf, tr); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdfText(t, buf.Bytes()), "\n")
	if !strings.Contains(text, "its column 79") || !strings.Contains(text, "Page 3 of") {
		t.Errorf("want every row and several pages; got %d bytes of text", len(text))
	}
}

func TestCSV(t *testing.T) {
	tr := Transcript{Kind: TaxAccountTranscript, TaxYear: 2025, Rows: transactionRows(append(processed("2026-03-05"),
		tx(826, 250.5, "2026-03-12", "=HYPERLINK(\"x\")"), tx(846, 749.5, "2026-03-12")))}
	var buf bytes.Buffer
	if err := WriteTransactionsCSV(&buf, tr); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		CSVHeader,
		{"2025", "150", "Tax return filed", "", "2026-03-05", "4000.00"},
		{"2025", "826", `Credit transferred out to another tax period (=HYPERLINK("x"))`, "", "2026-03-12", "250.50"},
		{"2025", "846", "Refund issued", "", "2026-03-12", "749.50"},
		{"2025", "806", "W-2 or 1099 withholding", "", "2026-04-15", "-5000.00"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %q", len(recs), len(want), recs)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
	if got := safeCell("=SUM(A1)"); got != "'=SUM(A1)" {
		t.Errorf("safeCell = %q", got)
	}
	if got := decimal(-5); got != "-0.05" {
		t.Errorf("decimal(-5) = %q", got)
	}
}
