package proofing_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/proofing"
)

var goodForm = proofing.InfoForm{
	FirstName: " Maria ", MiddleName: "Elena", LastName: "Hernández",
	DOBMonth: "3", DOBDay: "14", DOBYear: "1986",
	Street1: "2417  Desert Willow Dr.", City: "Phoenix", State: "az", ZIP: "85016 1234",
}

func TestInfoFormTidiesWhatWasTyped(t *testing.T) {
	in, errs := goodForm.Validate(t0)
	if errs != nil {
		t.Fatal(errs)
	}
	want := proofing.Info{
		FirstName: "Maria", MiddleName: "Elena", LastName: "Hernández", DOB: time.Date(1986, 3, 14, 0, 0, 0, 0, time.UTC),
		Street1: "2417 Desert Willow Dr.", City: "Phoenix", State: "AZ", ZIP: "85016-1234",
	}
	if in != want {
		t.Fatalf("got  %+v\nwant %+v", in, want)
	}
	back := in.Form()
	if back.DOBMonth != "3" || back.DOBDay != "14" || back.DOBYear != "1986" || back.State != "AZ" {
		t.Errorf("Form = %+v", back)
	}
}

func TestInfoFormNamesEachFieldToCorrect(t *testing.T) {
	cases := []struct {
		edit  func(f *proofing.InfoForm)
		field string
		err   error
	}{
		{func(f *proofing.InfoForm) { f.FirstName = "  " }, proofing.FormFirstName, proofing.ErrFirstNameMissing},
		{func(f *proofing.InfoForm) { f.LastName = "" }, proofing.FormLastName, proofing.ErrLastNameMissing},
		{func(f *proofing.InfoForm) { f.FirstName = "Maria2" }, proofing.FormFirstName, proofing.ErrNameCharacters},
		{func(f *proofing.InfoForm) { f.LastName = "<script>" }, proofing.FormLastName, proofing.ErrNameCharacters},
		{func(f *proofing.InfoForm) { f.MiddleName = "--" }, proofing.FormMiddleName, proofing.ErrNameCharacters},
		{func(f *proofing.InfoForm) { f.LastName = strings.Repeat("a", 81) }, proofing.FormLastName, proofing.ErrTooLong},
		{func(f *proofing.InfoForm) { f.FirstName = "Ann\x00" }, proofing.FormFirstName, proofing.ErrNameCharacters},
		{func(f *proofing.InfoForm) { f.DOBMonth, f.DOBDay, f.DOBYear = "", "", "" }, proofing.FormDOBMonth, proofing.ErrDOBMissing},
		{func(f *proofing.InfoForm) { f.DOBMonth = "13" }, proofing.FormDOBMonth, proofing.ErrDOBMonth},
		{func(f *proofing.InfoForm) { f.DOBDay = "32" }, proofing.FormDOBDay, proofing.ErrDOBDay},
		{func(f *proofing.InfoForm) { f.DOBYear = "86" }, proofing.FormDOBYear, proofing.ErrDOBYear},
		{func(f *proofing.InfoForm) { f.Street1 = "" }, proofing.FormStreet1, proofing.ErrStreetMissing},
		{func(f *proofing.InfoForm) { f.Street2 = "Apt 3 <b>" }, proofing.FormStreet2, proofing.ErrAddressChars},
		{func(f *proofing.InfoForm) { f.City = "" }, proofing.FormCity, proofing.ErrCityMissing},
		{func(f *proofing.InfoForm) { f.City = "Phoenix 1" }, proofing.FormCity, proofing.ErrCityCharacters},
		{func(f *proofing.InfoForm) { f.State = "XX" }, proofing.FormState, proofing.ErrStateMissing},
		{func(f *proofing.InfoForm) { f.ZIP = "8501" }, proofing.FormZIP, proofing.ErrZIPFormat},
		{func(f *proofing.InfoForm) { f.ZIP = "85016-12" }, proofing.FormZIP, proofing.ErrZIPFormat},
		{func(f *proofing.InfoForm) { f.ZIP = "8501-61234" }, proofing.FormZIP, proofing.ErrZIPFormat},
	}
	for _, c := range cases {
		f := goodForm
		c.edit(&f)
		_, errs := f.Validate(t0)
		if len(errs) != 1 || errs[0].Field != c.field || !errors.Is(errs[0], c.err) {
			t.Errorf("%+v: got %v, want %s %s", f, errs, c.field, c.err)
		}
	}
	long := goodForm
	long.Street1 = "1 " + strings.Repeat("Long", 30)
	if _, errs := long.Validate(t0); len(errs) != 1 || !errors.Is(errs[0], proofing.ErrTooLong) {
		t.Errorf("a 122-character street: %v", errs)
	}
	var p *proofing.Problem
	if !errors.As(error(proofing.ErrZIPFormat), &p) || p.Text == "" || p.ID != "proofing.zip_format" {
		t.Error("problems carry an id and a text")
	}
}

func TestDateOfBirth(t *testing.T) {
	now := time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC)
	cases := []struct {
		m, d, y string
		want    time.Time
		field   string
		err     error
	}{
		{"3", "14", "1986", day(1986, 3, 14), "", nil},
		{"03", "05", "1986", day(1986, 3, 5), "", nil},
		{"Mar", "5th", "1986", day(1986, 3, 5), "", nil},
		{"march", "5", "1986", day(1986, 3, 5), "", nil},
		{"Sept.", "1", "1990", day(1990, 9, 1), "", nil},
		{"2", "29", "2000", day(2000, 2, 29), "", nil},
		{"2", "29", "2001", time.Time{}, proofing.FormDOBDay, proofing.ErrDOBNotADate},
		{"4", "31", "1990", time.Time{}, proofing.FormDOBDay, proofing.ErrDOBNotADate},
		{"0", "1", "1990", time.Time{}, proofing.FormDOBMonth, proofing.ErrDOBMonth},
		{"ma", "1", "1990", time.Time{}, proofing.FormDOBMonth, proofing.ErrDOBMonth},
		{"1", "0", "1990", time.Time{}, proofing.FormDOBDay, proofing.ErrDOBDay},
		{"1", "1", "19900", time.Time{}, proofing.FormDOBYear, proofing.ErrDOBYear},
		// Ages at the edges, on 2 March 2026.
		{"3", "2", "2013", day(2013, 3, 2), "", nil}, // 13 today
		{"3", "3", "2013", time.Time{}, proofing.FormDOBYear, proofing.ErrDOBTooYoung},
		{"3", "2", "1906", day(1906, 3, 2), "", nil}, // 120 today
		{"3", "1", "1905", time.Time{}, proofing.FormDOBYear, proofing.ErrDOBTooOld},
		{"3", "3", "2026", time.Time{}, proofing.FormDOBYear, proofing.ErrDOBFuture},
	}
	for _, c := range cases {
		got, err := proofing.ParseDOB(c.m, c.d, c.y, now)
		var fe proofing.FieldError
		switch {
		case c.err == nil && (err != nil || !got.Equal(c.want)):
			t.Errorf("%s/%s/%s: %v, %v", c.m, c.d, c.y, got, err)
		case c.err != nil && (!errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, c.err)):
			t.Errorf("%s/%s/%s: error %v, want %s %s", c.m, c.d, c.y, err, c.field, c.err)
		}
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestSplitDate(t *testing.T) {
	for in, want := range map[string][3]string{
		"03/14/1986":      {"03", "14", "1986"},
		"3-14-1986":       {"3", "14", "1986"},
		"3.14.1986":       {"3", "14", "1986"},
		"1986-03-14":      {"03", "14", "1986"},
		"March 14, 1986":  {"march", "14", "1986"},
		"Mar 14 1986":     {"mar", "14", "1986"},
		"14 March 1986":   {"march", "14", "1986"},
		"14th March 1986": {"march", "14th", "1986"},
		"03141986":        {"03", "14", "1986"},
		"19860314":        {"03", "14", "1986"},
	} {
		m, d, y, ok := proofing.SplitDate(in)
		if !ok || [3]string{m, d, y} != want {
			t.Errorf("SplitDate(%q) = %q %q %q %v, want %q", in, m, d, y, ok, want)
			continue
		}
		if _, err := proofing.ParseDOB(m, d, y, t0); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
	for _, in := range []string{"", "1986", "3/14", "1/2/3/4"} {
		if _, _, _, ok := proofing.SplitDate(in); ok {
			t.Errorf("SplitDate(%q) must fail", in)
		}
	}
}

func TestSSNRanges(t *testing.T) {
	prod := proofing.DefaultSettings()
	dev := proofing.DefaultSettings()
	dev.AllowTestSSNs = true
	cases := []struct {
		in        string
		prod, dev error
	}{
		{"123-45-6789", nil, nil},
		{"123 45 6789", nil, nil},
		{"123456789", nil, nil},
		{"123–45–6789", nil, nil}, // en dashes
		{"12-345-678", proofing.ErrSSNFormat, proofing.ErrSSNFormat},
		{"1234567890", proofing.ErrSSNFormat, proofing.ErrSSNFormat},
		{"123-45-678O", proofing.ErrSSNFormat, proofing.ErrSSNFormat},
		{"", proofing.ErrSSNFormat, proofing.ErrSSNFormat},
		{"000-12-3456", proofing.ErrSSNNeverIssued, proofing.ErrSSNNeverIssued},
		{"666-12-3456", proofing.ErrSSNNeverIssued, proofing.ErrSSNNeverIssued},
		{"123-00-4567", proofing.ErrSSNNeverIssued, proofing.ErrSSNNeverIssued},
		{"123-45-0000", proofing.ErrSSNNeverIssued, proofing.ErrSSNNeverIssued},
		{"900-70-1234", nil, nil},                                               // an ITIN
		{"999-94-1234", nil, nil},                                               // an ITIN
		{"900-93-1234", proofing.ErrSSNNeverIssued, proofing.ErrSSNNeverIssued}, // area 9, not an ITIN group
		{"900-70-0000", proofing.ErrSSNNeverIssued, proofing.ErrSSNNeverIssued}, // serial 0000
		{"987-65-4320", proofing.ErrSSNNeverIssued, nil},                        // reserved for examples
		{"987-65-4329", proofing.ErrSSNNeverIssued, nil},                        //
		{"987-65-4330", nil, nil},                                               // an ITIN, outside the examples
		{"900-01-0001", proofing.ErrSSNNeverIssued, nil},                        // the demo data's range
		{"999-49-9999", proofing.ErrSSNNeverIssued, nil},                        //
		{"999-00-1234", proofing.ErrSSNNeverIssued, proofing.ErrSSNNeverIssued}, // group 00
		{"950-01-0000", proofing.ErrSSNNeverIssued, proofing.ErrSSNNeverIssued}, // serial 0000
		{"666-01-1234", proofing.ErrSSNNeverIssued, proofing.ErrSSNNeverIssued}, // not area 9
	}
	for _, c := range cases {
		for _, s := range []struct {
			name string
			set  proofing.Settings
			want error
		}{{"production", prod, c.prod}, {"development", dev, c.dev}} {
			n, err := s.set.ParseSSN(c.in)
			if !errors.Is(err, s.want) || (err != nil) != (s.want != nil) {
				t.Errorf("%s: ParseSSN(%q) = %v, want %v", s.name, c.in, err, s.want)
			}
			if err == nil && len(n.Digits()) != 9 {
				t.Errorf("%s: ParseSSN(%q) gave %q", s.name, c.in, n.Digits())
			}
		}
	}
	if !proofing.IsTestSSN(pii.MustSSN("987-65-4325")) || proofing.IsTestSSN(pii.MustSSN("987-65-4330")) {
		t.Error("IsTestSSN")
	}
}
