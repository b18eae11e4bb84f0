package appointments

import "time"

// Zone is a time zone a person may choose to see times in.
type Zone struct {
	Name  string // IANA name
	Label string // as people call it
}

// Zones are the zones offered on the booking page: those of the states and
// territories the agency serves.
var Zones = []Zone{
	{"America/New_York", "Eastern time"},
	{"America/Chicago", "Central time"},
	{"America/Denver", "Mountain time"},
	{"America/Phoenix", "Arizona time (no daylight saving)"},
	{"America/Los_Angeles", "Pacific time"},
	{"America/Anchorage", "Alaska time"},
	{"Pacific/Honolulu", "Hawaii time"},
	{"America/Puerto_Rico", "Atlantic time (Puerto Rico, Virgin Islands)"},
	{"Pacific/Guam", "Chamorro time (Guam, Northern Mariana Islands)"},
	{"Pacific/Pago_Pago", "Samoa time"},
}

// stateZones is the zone most of each state's people live in.
var stateZones = map[string]string{
	"CT": "America/New_York", "DE": "America/New_York", "DC": "America/New_York", "FL": "America/New_York",
	"GA": "America/New_York", "IN": "America/New_York", "KY": "America/New_York", "ME": "America/New_York",
	"MD": "America/New_York", "MA": "America/New_York", "MI": "America/New_York", "NH": "America/New_York",
	"NJ": "America/New_York", "NY": "America/New_York", "NC": "America/New_York", "OH": "America/New_York",
	"PA": "America/New_York", "RI": "America/New_York", "SC": "America/New_York", "VT": "America/New_York",
	"VA": "America/New_York", "WV": "America/New_York",
	"AL": "America/Chicago", "AR": "America/Chicago", "IL": "America/Chicago", "IA": "America/Chicago",
	"KS": "America/Chicago", "LA": "America/Chicago", "MN": "America/Chicago", "MS": "America/Chicago",
	"MO": "America/Chicago", "NE": "America/Chicago", "ND": "America/Chicago", "OK": "America/Chicago",
	"SD": "America/Chicago", "TN": "America/Chicago", "TX": "America/Chicago", "WI": "America/Chicago",
	"CO": "America/Denver", "ID": "America/Denver", "MT": "America/Denver", "NM": "America/Denver",
	"UT": "America/Denver", "WY": "America/Denver",
	"AZ": "America/Phoenix",
	"CA": "America/Los_Angeles", "NV": "America/Los_Angeles", "OR": "America/Los_Angeles", "WA": "America/Los_Angeles",
	"AK": "America/Anchorage", "HI": "Pacific/Honolulu",
	"PR": "America/Puerto_Rico", "VI": "America/Puerto_Rico",
	"GU": "Pacific/Guam", "MP": "Pacific/Guam", "AS": "Pacific/Pago_Pago",
}

// ZoneFor picks the zone to show times in: the one asked for if it is
// offered, else the one of the person's state, else fallback.
func ZoneFor(asked, state string, fallback *time.Location) *time.Location {
	for _, name := range []string{asked, stateZones[state]} {
		for _, z := range Zones {
			if z.Name == name && name != "" {
				if loc, err := time.LoadLocation(name); err == nil {
					return loc
				}
			}
		}
	}
	if fallback == nil {
		return time.UTC
	}
	return fallback
}

// ZoneLabel names a zone as people call it.
func ZoneLabel(loc *time.Location) string {
	for _, z := range Zones {
		if z.Name == loc.String() {
			return z.Label
		}
	}
	return loc.String()
}
