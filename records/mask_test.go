package records

import "testing"

func TestMaskLastName(t *testing.T) {
	for name, want := range map[string]string{
		"Sampleton":   "SAMP",
		"Hernandez":   "HERN",
		"O'Brien":     "OBRI",
		"De La Cruz":  "DELA",
		"Smith-Jones": "SMIT",
		"Ng":          "NG",
		"Li":          "LI",
		"Muñoz":       "MUÑO",
		"  lee ":      "LEE",
		"St. John":    "STJO",
		"":            "",
	} {
		if got := MaskLastName(name); got != want {
			t.Errorf("MaskLastName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestMaskStreet(t *testing.T) {
	for street, want := range map[string]string{
		"2417 Desert Willow Dr": "2417 D",
		"88 Maple Ave":          "88 MAP",
		"12345 Main St":         "12345",
		"1 Elm":                 "1 ELM",
		"152 Calle Loíza":       "152 CA",
		"Ñandú 7":               "ÑANDÚ",
		"":                      "",
	} {
		if got := MaskStreet(street); got != want {
			t.Errorf("MaskStreet(%q) = %q, want %q", street, got, want)
		}
	}
}

func TestMaskNumbers(t *testing.T) {
	for got, want := range map[string]string{
		MaskSSN("4320"):           "XXX-XX-4320",
		MaskSSN("987654320"):      "XXX-XX-4320", // never more than four digits
		MaskEIN("1234"):           "XX-XXX1234",
		MaskAccount("8594"):       "XXXX8594",
		MaskAccount("12-34-5678"): "XXXX5678",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
