package proofing

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Names and addresses are compared in a canonical form, so that how a
// person types them (case, accents, punctuation, spacing, "Street" or
// "St") never makes a match fail; only a different name or place does.

// unfolded are letters without a decomposition that drops to plain ASCII.
var unfolded = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i",
}

// fold lower-cases s, removes accents (é to e), drops apostrophes, and turns
// every other mark into a space between words: "O’Brien-Smith, Jr." gives
// ["obrien" "smith" "jr"].
func fold(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// an accent, split off by NFD
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == '‘':
			// O'Brien and OBrien are one name
		case unfolded[r] != "":
			b.WriteString(unfolded[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

// NormalizeName is the form names are compared in: folded, without spaces,
// so "De la Cruz", "DeLaCruz" and "de-la-cruz" are one name.
func NormalizeName(s string) string { return strings.Join(fold(s), "") }

// canonical maps each spelling of a word common in addresses to one form:
// USPS's abbreviation (Publication 28), so "Street", "Str" and "St." agree,
// and so do "Saint" and "St." in "St. Louis".
var canonical = abbreviations(map[string][]string{
	// street suffixes
	"st": {"street", "str", "strt", "saint"}, "ave": {"avenue", "av", "aven", "avenu", "avn", "avnue"},
	"rd": {"road"}, "blvd": {"boulevard", "boul", "boulv"}, "dr": {"drive", "drv", "driv"},
	"ln": {"lane"}, "ct": {"court", "crt"}, "pl": {"place"}, "cir": {"circle", "circ", "circl", "crcl"},
	"ter": {"terrace", "terr"}, "pkwy": {"parkway", "parkwy", "pkway", "pky"},
	"hwy": {"highway", "highwy", "hiway", "hiwy", "hway"}, "trl": {"trail"}, "sq": {"square"},
	"expy": {"expressway", "expw", "expr", "exp"}, "fwy": {"freeway", "frwy"}, "hts": {"heights"},
	"xing": {"crossing", "crssng"}, "plz": {"plaza", "plza"}, "aly": {"alley", "allee", "ally"},
	"tpke": {"turnpike", "trnpk", "turnpk"}, "rte": {"route"}, "ctr": {"center", "centre", "cntr"},
	"pt": {"point"}, "mt": {"mount"}, "mtn": {"mountain"}, "ft": {"fort", "frt"}, "jct": {"junction"},
	"rdg": {"ridge"}, "crk": {"creek"}, "lk": {"lake"}, "vlg": {"village"}, "sta": {"station"},
	"vly": {"valley"}, "vw": {"view"}, "hbr": {"harbor", "harbour"}, "cswy": {"causeway"},
	"brg": {"bridge"}, "est": {"estate"}, "ests": {"estates"}, "gdns": {"gardens"}, "grv": {"grove"},
	"hl": {"hill"}, "hls": {"hills"}, "is": {"island"}, "mdws": {"meadows"}, "sprg": {"spring"},
	"xrd": {"crossroad"}, "ext": {"extension"},
	// directions
	"n": {"north"}, "s": {"south"}, "e": {"east"}, "w": {"west"},
	"ne": {"northeast"}, "nw": {"northwest"}, "se": {"southeast"}, "sw": {"southwest"},
	// other secondary units, kept: a floor or a building tells places apart
	"bldg": {"building"}, "fl": {"floor"}, "rm": {"room"}, "dept": {"department"},
	// ordinal street names
	"1st": {"first"}, "2nd": {"second"}, "3rd": {"third"}, "4th": {"fourth"}, "5th": {"fifth"},
	"6th": {"sixth"}, "7th": {"seventh"}, "8th": {"eighth"}, "9th": {"ninth"}, "10th": {"tenth"},
})

// abbreviations turns a table of short forms and their spellings into a
// map from every spelling, the short one included, to the short form.
func abbreviations(t map[string][]string) map[string]string {
	m := make(map[string]string)
	for short, longs := range t {
		m[short] = short
		for _, l := range longs {
			m[l] = short
		}
	}
	return m
}

// unitWords introduce an apartment or suite number. They are dropped, so
// "Apt 3C", "Apartment 3C", "# 3C", "Suite 3C" and a bare "3C" agree: the
// number is what tells units apart.
var unitWords = map[string]bool{
	"apt": true, "apartment": true, "apartmnt": true, "ste": true, "suite": true, "unit": true, "no": true, "number": true,
}

// NormalizeAddressLine is the form a street line or city is compared in:
// folded, with the words of canonical in their short form and the words
// that announce a unit number dropped. Comparisons then ignore the spaces
// between words, so "N. E." and "NE", "P.O." and "PO" agree.
func NormalizeAddressLine(s string) string {
	words := fold(s)
	out := words[:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "post" && i+2 < len(words) && words[i+1] == "office" && words[i+2] == "box" {
			w, i = "po", i+1
		}
		if unitWords[w] {
			continue
		}
		if c, ok := canonical[w]; ok {
			w = c
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// sameWords compares two normalised lines ignoring the spaces between
// words, so "3 C" and "3C" agree.
func sameWords(a, b string) bool {
	return strings.ReplaceAll(a, " ", "") == strings.ReplaceAll(b, " ", "")
}

// nameSuffixes may end a typed last name ("Becker Jr.") though the record
// keeps the suffix apart.
var nameSuffixes = map[string]bool{"jr": true, "sr": true, "ii": true, "iii": true, "iv": true}

// lastName folds a last name without a trailing generational suffix.
func lastName(s string) string {
	words := fold(s)
	for len(words) > 1 && nameSuffixes[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return strings.Join(words, "")
}

// SameName compares a typed name with a record's. First and last names must
// agree once normalised; a first name typed with the middle name in it
// ("Maria Elena") agrees too. The middle name is optional on either side,
// and an initial agrees with a name that starts with it. A generational
// suffix typed after the last name is ignored.
func SameName(first, middle, last, recFirst, recMiddle, recLast string) bool {
	if lastName(last) == "" || lastName(last) != lastName(recLast) {
		return false
	}
	f, rf := NormalizeName(first), NormalizeName(recFirst)
	if f == "" {
		return false
	}
	if f != rf {
		// "Maria Elena" as the first name, with or without the middle name
		// typed again.
		return f == rf+NormalizeName(recMiddle) && (middle == "" || sameMiddle(middle, recMiddle))
	}
	return sameMiddle(middle, recMiddle)
}

// sameMiddle compares middle names by their first words, allowing an initial.
func sameMiddle(a, b string) bool {
	wa, wb := fold(a), fold(b)
	if len(wa) == 0 || len(wb) == 0 {
		return true
	}
	x, y := wa[0], wb[0]
	if len(x) == 1 || len(y) == 1 {
		return x[0] == y[0]
	}
	return x == y
}

// SameAddress compares a typed address with a record's. The street lines
// agree after normalisation, taken together (a unit may be on either line)
// or, when either side has no second line, by the first line alone. The
// state must agree, and then the ZIP code's first five digits or the city:
// a wrong ZIP with the right city, or a city's other postal name with the
// right ZIP, still matches.
func SameAddress(a, r Info) bool {
	a1, a2 := NormalizeAddressLine(a.Street1), NormalizeAddressLine(a.Street2)
	r1, r2 := NormalizeAddressLine(r.Street1), NormalizeAddressLine(r.Street2)
	street := sameWords(a1+" "+a2, r1+" "+r2) || sameWords(a1, r1) && (a2 == "" || r2 == "")
	if !street || a1 == "" || NormalizeState(a.State) != NormalizeState(r.State) {
		return false
	}
	zip := zip5(a.ZIP)
	return zip != "" && zip == zip5(r.ZIP) || sameWords(NormalizeAddressLine(a.City), NormalizeAddressLine(r.City))
}

// zip5 is a ZIP code's first five digits, or "" when it has fewer.
func zip5(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
			if b.Len() == 5 {
				return b.String()
			}
		}
	}
	return ""
}
