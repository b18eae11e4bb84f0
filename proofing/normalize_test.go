package proofing_test

import (
	"testing"

	"github.com/taxportal/portal/proofing"
)

func TestAddressLinesAgreeHoweverTheyAreTyped(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{"2417 Desert Willow Dr", "2417 desert willow drive", true},
		{"2417 Desert Willow Dr", "2417 DESERT WILLOW DR.", true},
		{"2417 Desert Willow Dr", "  2417   Desert  Willow   Dr  ", true},
		{"88 Maple Ave", "88 Maple Avenue", true},
		{"88 Maple Ave", "88 Maple Av.", true},
		{"312 Oak St", "312 Oak Street", true},
		{"312 Oak St", "312 Oak Str", true},
		{"12 Mill Road", "12 Mill Rd", true},
		{"1450 Northern Lights Blvd", "1450 Northern Lights Boulevard", true},
		{"4820 Mockingbird Ln", "4820 Mockingbird Lane", true},
		{"745 Magnolia Ct", "745 Magnolia Court", true},
		{"9 Elm Place", "9 Elm Pl", true},
		{"10 Main St Apt 3C", "10 Main Street Apartment 3C", true},
		{"10 Main St Apt 3C", "10 Main St #3C", true},
		{"10 Main St Apt 3C", "10 Main St # 3-C", true},
		{"10 Main St Suite 200", "10 Main St Ste. 200", true},
		{"100 North Main Street", "100 N Main St", true},
		{"100 South Main Street", "100 S. Main St.", true},
		{"2210 Eastlake Ave E", "2210 Eastlake Avenue East", true},
		{"500 West Elm", "500 W Elm", true},
		{"1600 Northeast 8th St", "1600 NE 8th St", true},
		{"1600 Northeast 8th St", "1600 N.E. Eighth Street", true},
		{"77 Southwest Pkwy", "77 SW Parkway", true},
		{"152 Calle Loíza", "152 Calle Loiza", true},
		{"8 Rue Sainte-Thérèse", "8 rue sainte therese", true},
		{"5 Saint Charles Ave", "5 St. Charles Avenue", true},
		{"P.O. Box 123", "PO Box 123", true},
		{"Post Office Box 123", "PO Box 123", true},
		{"30 Fifth Ave", "30 5th Avenue", true},
		{"1 Mount Vernon Hwy", "1 Mt Vernon Highway", true},
		{"2417 Desert Willow Dr", "2418 Desert Willow Dr", false},
		{"88 Maple Ave", "88 Maple St", false},
		{"100 N Main St", "100 S Main St", false},
		{"10 Main St Apt 3C", "10 Main St Apt 3D", false},
		{"312 Oak St", "312 Oakland St", false},
	}
	for _, c := range cases {
		a, b := proofing.NormalizeAddressLine(c.a), proofing.NormalizeAddressLine(c.b)
		if got := sameIgnoringSpaces(a, b); got != c.same {
			t.Errorf("%q (%q) vs %q (%q): same = %v, want %v", c.a, a, c.b, b, got, c.same)
		}
	}
}

func sameIgnoringSpaces(a, b string) bool {
	strip := func(s string) string {
		out := []byte{}
		for i := range len(s) {
			if s[i] != ' ' {
				out = append(out, s[i])
			}
		}
		return string(out)
	}
	return strip(a) == strip(b)
}

func TestAddresses(t *testing.T) {
	rec := proofing.Info{Street1: "1450 Northern Lights Blvd", Street2: "Apt 7", City: "Anchorage", State: "AK", ZIP: "99503"}
	cases := []struct {
		name string
		in   proofing.Info
		same bool
	}{
		{"as on record", rec, true},
		{"unit on the first line", proofing.Info{Street1: "1450 Northern Lights Boulevard Apartment 7", City: "Anchorage", State: "AK", ZIP: "99503"}, true},
		{"no second line", proofing.Info{Street1: "1450 Northern Lights Blvd", City: "ANCHORAGE", State: "ak", ZIP: "99503"}, true},
		{"ZIP+4", proofing.Info{Street1: "1450 Northern Lights Blvd", Street2: "#7", City: "Anchorage", State: "Alaska", ZIP: "99503-1234"}, true},
		{"wrong ZIP, right city", proofing.Info{Street1: "1450 Northern Lights Blvd", Street2: "Unit 7", City: "Anchorage", State: "AK", ZIP: "99504"}, true},
		{"right ZIP, other city name", proofing.Info{Street1: "1450 Northern Lights Blvd", City: "Spenard", State: "AK", ZIP: "99503"}, true},
		{"another unit", proofing.Info{Street1: "1450 Northern Lights Blvd", Street2: "Apt 8", City: "Anchorage", State: "AK", ZIP: "99503"}, false},
		{"wrong ZIP and city", proofing.Info{Street1: "1450 Northern Lights Blvd", City: "Juneau", State: "AK", ZIP: "99801"}, false},
		{"another state", proofing.Info{Street1: "1450 Northern Lights Blvd", City: "Anchorage", State: "AL", ZIP: "99503"}, false},
		{"another street", proofing.Info{Street1: "1450 Northern Light Blvd", City: "Anchorage", State: "AK", ZIP: "99503"}, false},
		{"empty", proofing.Info{State: "AK", ZIP: "99503", City: "Anchorage"}, false},
	}
	for _, c := range cases {
		if got := proofing.SameAddress(c.in, rec); got != c.same {
			t.Errorf("%s: SameAddress = %v, want %v", c.name, got, c.same)
		}
	}
	// A record with no second line and a person who adds their unit.
	rec2 := proofing.Info{Street1: "312 Oak St", City: "Milwaukee", State: "WI", ZIP: "53207"}
	if !proofing.SameAddress(proofing.Info{Street1: "312 Oak Street", Street2: "Apt 2", City: "Milwaukee", State: "WI", ZIP: "53207"}, rec2) {
		t.Error("a unit the record lacks still matches")
	}
	// Cities: Saint and St., Fort and Ft.
	for _, c := range [][2]string{{"St. Louis", "Saint Louis"}, {"Ft Worth", "Fort Worth"}, {"Mt. Pleasant", "Mount Pleasant"}, {"Coeur d’Alene", "Coeur d'Alene"}, {"Wilkes-Barre", "Wilkes Barre"}} {
		if !sameIgnoringSpaces(proofing.NormalizeAddressLine(c[0]), proofing.NormalizeAddressLine(c[1])) {
			t.Errorf("%q and %q are one city", c[0], c[1])
		}
	}
}

func TestNames(t *testing.T) {
	type name struct{ first, middle, last string }
	cases := []struct {
		in, rec name
		same    bool
	}{
		{name{"Maria", "Elena", "Hernandez"}, name{"Maria", "Elena", "Hernandez"}, true},
		{name{"MARIA", "", "hernandez"}, name{"Maria", "Elena", "Hernandez"}, true},
		{name{"Maria", "E.", "Hernandez"}, name{"Maria", "Elena", "Hernandez"}, true},
		{name{"Maria", "E", "Hernandez"}, name{"Maria", "Elena", "Hernandez"}, true},
		{name{"Maria Elena", "", "Hernandez"}, name{"Maria", "Elena", "Hernandez"}, true},
		{name{"Maria", "Elena", "Hernández"}, name{"Maria", "Elena", "Hernandez"}, true},
		{name{"José", "", "Núñez"}, name{"Jose", "", "Nunez"}, true},
		{name{"Sean", "", "O'Brien"}, name{"Sean", "", "OBrien"}, true},
		{name{"Sean", "", "O’Brien"}, name{"Sean", "", "O'Brien"}, true},
		{name{"Anne-Marie", "", "Smith-Jones"}, name{"Anne Marie", "", "Smith Jones"}, true},
		{name{"Juan", "", "De la Cruz"}, name{"Juan", "", "DeLaCruz"}, true},
		{name{"Thomas", "James", "Becker Jr."}, name{"Thomas", "James", "Becker"}, true},
		{name{"Thomas", "", "Becker III"}, name{"Thomas", "J", "Becker"}, true},
		{name{"Jürgen", "", "Straße"}, name{"Jurgen", "", "Strasse"}, true},
		{name{"Maria", "Ana", "Hernandez"}, name{"Maria", "Elena", "Hernandez"}, false},
		{name{"Maria", "A", "Hernandez"}, name{"Maria", "Elena", "Hernandez"}, false},
		{name{"Mario", "", "Hernandez"}, name{"Maria", "Elena", "Hernandez"}, false},
		{name{"Maria", "", "Fernandez"}, name{"Maria", "Elena", "Hernandez"}, false},
		{name{"", "", "Hernandez"}, name{"Maria", "Elena", "Hernandez"}, false},
		{name{"Maria", "", ""}, name{"Maria", "Elena", "Hernandez"}, false},
		{name{"Maria Ana", "", "Hernandez"}, name{"Maria", "Elena", "Hernandez"}, false},
	}
	for _, c := range cases {
		if got := proofing.SameName(c.in.first, c.in.middle, c.in.last, c.rec.first, c.rec.middle, c.rec.last); got != c.same {
			t.Errorf("%v vs %v: same = %v, want %v", c.in, c.rec, got, c.same)
		}
	}
}

func TestStates(t *testing.T) {
	for in, want := range map[string]string{
		"OH": "OH", "oh": "OH", " Ohio ": "OH", "dc": "DC", "District of Columbia": "DC", "Puerto Rico": "PR",
		"pr": "PR", "GU": "GU", "AE": "AE", "Armed Forces Pacific": "AP", "ZZ": "", "": "", "Ohioo": "",
	} {
		if got := proofing.NormalizeState(in); got != want {
			t.Errorf("NormalizeState(%q) = %q, want %q", in, got, want)
		}
	}
	if n := len(proofing.States); n != 62 {
		t.Errorf("%d states: 50, DC, 5 territories, 3 freely associated, 3 military", n)
	}
	byName := proofing.StatesByName()
	if byName[0].Code != "AL" || len(byName) != len(proofing.States) {
		t.Errorf("StatesByName starts with %v", byName[0])
	}
}
