package proofing

import (
	"sort"
	"strings"
)

// State is a USPS state code an address may carry.
type State struct {
	Code string
	Name string
	// Far is true outside the contiguous states and DC: mail takes longer
	// there, so a letter's code lasts longer (Settings.LetterValidFar).
	Far bool
}

// States lists the 50 states, DC, the territories, the freely associated
// states served by USPS, and the military "states" of APO/FPO/DPO mail.
var States = []State{
	{"AL", "Alabama", false}, {"AK", "Alaska", true}, {"AZ", "Arizona", false}, {"AR", "Arkansas", false},
	{"CA", "California", false}, {"CO", "Colorado", false}, {"CT", "Connecticut", false}, {"DE", "Delaware", false},
	{"DC", "District of Columbia", false}, {"FL", "Florida", false}, {"GA", "Georgia", false}, {"HI", "Hawaii", true},
	{"ID", "Idaho", false}, {"IL", "Illinois", false}, {"IN", "Indiana", false}, {"IA", "Iowa", false},
	{"KS", "Kansas", false}, {"KY", "Kentucky", false}, {"LA", "Louisiana", false}, {"ME", "Maine", false},
	{"MD", "Maryland", false}, {"MA", "Massachusetts", false}, {"MI", "Michigan", false}, {"MN", "Minnesota", false},
	{"MS", "Mississippi", false}, {"MO", "Missouri", false}, {"MT", "Montana", false}, {"NE", "Nebraska", false},
	{"NV", "Nevada", false}, {"NH", "New Hampshire", false}, {"NJ", "New Jersey", false}, {"NM", "New Mexico", false},
	{"NY", "New York", false}, {"NC", "North Carolina", false}, {"ND", "North Dakota", false}, {"OH", "Ohio", false},
	{"OK", "Oklahoma", false}, {"OR", "Oregon", false}, {"PA", "Pennsylvania", false}, {"RI", "Rhode Island", false},
	{"SC", "South Carolina", false}, {"SD", "South Dakota", false}, {"TN", "Tennessee", false}, {"TX", "Texas", false},
	{"UT", "Utah", false}, {"VT", "Vermont", false}, {"VA", "Virginia", false}, {"WA", "Washington", false},
	{"WV", "West Virginia", false}, {"WI", "Wisconsin", false}, {"WY", "Wyoming", false},
	// Territories.
	{"AS", "American Samoa", true}, {"GU", "Guam", true}, {"MP", "Northern Mariana Islands", true},
	{"PR", "Puerto Rico", true}, {"VI", "U.S. Virgin Islands", true},
	// Freely associated states, which USPS serves as domestic mail.
	{"FM", "Federated States of Micronesia", true}, {"MH", "Marshall Islands", true}, {"PW", "Palau", true},
	// Military and diplomatic mail.
	{"AA", "Armed Forces Americas", true}, {"AE", "Armed Forces Europe", true}, {"AP", "Armed Forces Pacific", true},
}

var stateIndex = func() map[string]State {
	m := make(map[string]State, 2*len(States))
	for _, s := range States {
		m[s.Code] = s
		m[strings.Join(fold(s.Name), " ")] = s
	}
	return m
}()

// NormalizeState turns a code or a name ("oh", "Ohio", "Puerto Rico") into
// the code, or "" when it names no state.
func NormalizeState(s string) string {
	if st, ok := stateIndex[strings.ToUpper(strings.TrimSpace(s))]; ok {
		return st.Code
	}
	if st, ok := stateIndex[strings.Join(fold(s), " ")]; ok {
		return st.Code
	}
	return ""
}

// StatesByName is States sorted by name, for a select list.
func StatesByName() []State {
	out := append([]State(nil), States...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
