package demodata

import (
	"time"

	"github.com/taxportal/portal/models"
)

// FeaturedTaxpayer is one of the hand-written demo taxpayers, each showing a
// situation the portal must explain. The fields are what a README table or a
// development page needs to try the portal as that person.
type FeaturedTaxpayer struct {
	Name          string
	SSN           string    // dashed; in the range reserved for examples
	DOB           time.Time // date of birth
	Address       string    // one line
	Phone         string    // ten digits, a 555-01XX number
	Situation     string    // plain English, with the transaction codes
	LatestYear    int       // tax year of the return the situation is about
	RefundDollars int64     // whole-dollar refund claimed that year, 0 if none
	FilingStatus  models.FilingStatus
}

// Featured lists the first taxpayers Seed creates, in order (taxpayer 0 to
// 9), as seeded with the default Today.
var Featured = featuredList(Today)

type featuredSpec struct {
	first, middle, last, suffix        string
	dob                                time.Time
	street1, street2, city, state, zip string
	phone                              string
	status                             models.FilingStatus
	kids                               int
	wage, spouseWage                   float64
	efile, directDeposit               bool
	years                              int
	outcome                            outcome
	amended                            bool
	situation                          string
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// featuredSpecs are taxpayers 0 to 9, with SSNs 987-65-4320 to 987-65-4329.
var featuredSpecs = [...]featuredSpec{
	{
		first: "Maria", middle: "Elena", last: "Hernandez", dob: day(1986, time.March, 14),
		street1: "2417 Desert Willow Dr", city: "Phoenix", state: "AZ", zip: "85016", phone: "6025550100",
		status: models.HeadOfHousehold, kids: 1, wage: 41000, efile: true, directDeposit: true, years: 5,
		outcome:   outReceived,
		situation: "Return received: just processed, refund not approved yet (150 + 806 only)",
	},
	{
		first: "James", last: "Whitfield", dob: day(1971, time.September, 2),
		street1: "1450 Northern Lights Blvd", street2: "Apt 7", city: "Anchorage", state: "AK", zip: "99503", phone: "9075550101",
		status: models.Single, wage: 63000, efile: true, directDeposit: true, years: 6,
		outcome:   outApproved,
		situation: "Refund approved, to be sent on a set date (150 + 806, no 846 yet)",
	},
	{
		first: "Priya", last: "Raman", dob: day(1990, time.November, 23),
		street1: "88 Maple Ave", street2: "Apt 3C", city: "Columbus", state: "OH", zip: "43215", phone: "6145550102",
		status: models.MarriedFilingJointly, kids: 2, wage: 72000, spouseWage: 38000, efile: true, directDeposit: true, years: 4,
		outcome:   outSent,
		situation: "Married filing jointly: refund sent by direct deposit (846)",
	},
	{
		first: "Robert", last: "Kowalski", suffix: "Sr.", dob: day(1952, time.June, 30),
		street1: "312 Oak St", city: "Milwaukee", state: "WI", zip: "53207", phone: "4145550103",
		status: models.Single, wage: 28000, efile: false, directDeposit: false, years: 8,
		outcome:   outSent,
		situation: "Paper return: refund sent by paper check (846)",
	},
	{
		first: "Leilani", last: "Kahananui", dob: day(1995, time.January, 17),
		street1: "1021 Kapiolani Blvd", street2: "Apt 1205", city: "Honolulu", state: "HI", zip: "96814", phone: "8085550104",
		status: models.Single, wage: 52000, efile: true, directDeposit: true, years: 4,
		outcome:   outHeld,
		situation: "Refund held: a notice is coming (570 + 971 CP05)",
	},
	{
		first: "Daniel", last: "Okafor", dob: day(1983, time.July, 8),
		street1: "745 Magnolia Ct", city: "Atlanta", state: "GA", zip: "30303", phone: "4045550105",
		status: models.HeadOfHousehold, kids: 1, wage: 47000, efile: true, directDeposit: true, years: 7,
		outcome:   outReleased,
		situation: "Hold released: refund sent after a review (570 + 971, then 571 + 846)",
	},
	{
		first: "Sarah", middle: "Anne", last: "Mitchell", dob: day(1979, time.December, 5),
		street1: "4820 Mockingbird Ln", city: "Dallas", state: "TX", zip: "75209", phone: "2145550106",
		status: models.Single, wage: 58000, efile: true, directDeposit: true, years: 6,
		outcome:   outOffset,
		situation: "Part of the refund paid another agency's debt (898 Treasury offset, then 846)",
	},
	{
		first: "Luis", middle: "Alberto", last: "Ortega", dob: day(1968, time.April, 2),
		street1: "152 Calle Loiza", street2: "Apt 4", city: "San Juan", state: "PR", zip: "00911", phone: "7875550107",
		status: models.Single, wage: 44000, efile: true, directDeposit: true, years: 5,
		outcome:   outApplied,
		situation: "Refund applied to last year's unpaid balance (826 here, 706 there)",
	},
	{
		first: "Emily", last: "Chen", dob: day(1993, time.April, 27),
		street1: "2210 Eastlake Ave E", city: "Seattle", state: "WA", zip: "98102", phone: "2065550108",
		status: models.Single, wage: 96000, efile: true, directDeposit: true, years: 5,
		outcome:   outBalanceDue,
		situation: "Balance due with interest and penalty, no refund (150 > 806; 196 + 276)",
	},
	{
		first: "Thomas", middle: "James", last: "Becker", suffix: "Jr.", dob: day(1965, time.October, 19),
		street1: "930 Pearl St", city: "Denver", state: "CO", zip: "80203", phone: "3035550109",
		status: models.MarriedFilingSeparately, wage: 81000, efile: true, directDeposit: true, years: 9,
		outcome: outSent, amended: true,
		situation: "Amended return (977) raised the tax (290): refund sent, now a balance due",
	},
}

// featuredList describes the featured taxpayers as generated for today.
func featuredList(today time.Time) []FeaturedTaxpayer {
	g := newGenerator(today)
	out := make([]FeaturedTaxpayer, len(featuredSpecs))
	for i, s := range featuredSpecs {
		p := g.person(i)
		last := p.years[len(p.years)-1].ret
		addr := s.street1
		if s.street2 != "" {
			addr += ", " + s.street2
		}
		addr += ", " + s.city + ", " + s.state + " " + s.zip
		out[i] = FeaturedTaxpayer{
			Name:          p.tp.FullName(),
			SSN:           p.pd.SSN.Dashed(),
			DOB:           s.dob,
			Address:       addr,
			Phone:         s.phone,
			Situation:     s.situation,
			LatestYear:    last.TaxYear,
			RefundDollars: last.RefundCents / 100,
			FilingStatus:  last.FilingStatus,
		}
	}
	return out
}
