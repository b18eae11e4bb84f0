package records

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/taxportal/portal/content"
	"github.com/taxportal/portal/models"
)

func TestCatalogueCoversTheCommonCodes(t *testing.T) {
	for _, c := range []int{150, 166, 176, 196, 276, 290, 291, 300, 301, 420, 421, 424, 460, 470, 480, 570, 571, 610, 670,
		706, 716, 740, 766, 767, 768, 776, 806, 807, 810, 811, 826, 836, 841, 846, 898, 899, 922, 924, 960, 961, 971, 976, 977} {
		if _, ok := LookupCode(c); !ok {
			t.Errorf("code %d is not in the catalogue", c)
		}
	}
	codes := Codes()
	if len(codes) < 30 {
		t.Errorf("%d codes, want at least 30", len(codes))
	}
	for i, tc := range codes {
		if i > 0 && codes[i-1].Code >= tc.Code {
			t.Errorf("Codes() not in order at %d", tc.Code)
		}
		if catalogue[tc.Code].Code != tc.Code {
			t.Errorf("entry under %d says %d", tc.Code, catalogue[tc.Code].Code)
		}
		if tc.Title == "" || len(tc.Plain) < 30 || !strings.HasSuffix(tc.Plain, ".") {
			t.Errorf("code %d: title %q, plain %q: want both, the explanation a full sentence", tc.Code, tc.Title, tc.Plain)
		}
	}
}

// Every help article the package links to exists in content/help.
func TestHelpSlugsExist(t *testing.T) {
	slugs := map[string]bool{helpCodes: true, helpHold: true, helpOffset: true, helpStages: true,
		helpTranscript: true, helpTypes: true, helpLookup: true, helpNotices: true}
	for _, tc := range Codes() {
		if tc.Help != "" {
			slugs[tc.Help] = true
		}
	}
	for slug := range slugs {
		if _, err := fs.Stat(content.Help, "help/"+slug+".md"); err != nil {
			t.Errorf("help article %q: %v", slug, err)
		}
	}
}

func TestUnknownCodeFallsBack(t *testing.T) {
	tc, ok := LookupCode(123)
	if ok || tc.Code != 123 || tc.Plain != "Code 123: an account action; call if you have questions." || tc.Title == "" {
		t.Errorf("LookupCode(123) = %+v, %v", tc, ok)
	}
	if e := Explain(models.AccountTransaction{Code: 123, AmountCents: 500}); e.Plain != tc.Plain {
		t.Errorf("Explain(123) = %+v", e)
	}
}

func TestExplain(t *testing.T) {
	cases := []struct {
		tx           models.AccountTransaction
		title, plain string
	}{
		{tx(150, 4000, "2026-03-05"), "Tax return filed", "recorded the tax you reported"},
		{tx(150, 0, "2026-03-05"), "Tax return filed", "showed no tax, so the amount is zero"},
		{tx(290, 0, "2026-03-05"), "Additional tax assessed", "without adding tax"},
		{tx(971, 0, "2026-03-05", "CP05"), "Notice issued: CP05", "checking the income, withholding or credits"},
		{tx(971, 0, "2026-03-05", "cp 2000"), "Notice issued: CP2000", "does not match"},
		{tx(971, 0, "2026-03-05", "L9999"), "Notice issued: L9999", "most often a notice"},
		{tx(826, 100, "2026-03-05", "Applied to 2024 balance"), "Credit transferred out to another tax period (Applied to 2024 balance)", "code 706"},
		{tx(898, 100, "2026-03-05", "Treasury Offset Program"), "Refund offset to another agency's debt (Treasury Offset Program)", "child support"},
	}
	for _, c := range cases {
		e := Explain(c.tx)
		if e.Title != c.title || !strings.Contains(e.Plain, c.plain) {
			t.Errorf("Explain(%d %q %d) = %q / %q, want %q / …%q…", c.tx.Code, c.tx.Note, c.tx.AmountCents, e.Title, e.Plain, c.title, c.plain)
		}
	}
}

func TestNotices(t *testing.T) {
	for _, note := range []string{"CP05", "cp05", " CP 05 ", "Notice CP05"} {
		if n, ok := LookupNotice(note); !ok || n.Number != "CP05" {
			t.Errorf("LookupNotice(%q) = %+v, %v", note, n, ok)
		}
	}
	for num, n := range notices {
		if n.Number != num || len(n.Plain) < 30 {
			t.Errorf("notice %s: %+v", num, n)
		}
	}
}
