package demodata

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// outcome is what happened to a year's return after it was processed. The
// refund's stage is never stored: the portal derives it from the account
// transactions each outcome writes.
type outcome uint8

const (
	outSent       outcome = iota // 846 refund issued
	outReceived                  // just processed: 150 + 806 only
	outApproved                  // processed a while ago, refund not sent yet: 150 + 806 only
	outHeld                      // 570 hold + 971 notice (CP05), no 846
	outReleased                  // 570, 971, then 571 release and 846
	outOffset                    // 898 Treasury offset of part of the refund, 846 the rest
	outApplied                   // 826 overpayment applied to another year's balance (706 there)
	outBalanceDue                // tax owed: 150 larger than the credits, 196 interest, 276 penalty
	outNone                      // neither refund nor balance (tax exactly paid)
)

// Transaction codes written by the generator (see DOMAIN.md). 706 is the
// credit a year receives when another year's overpayment is applied to it
// (the other side of an 826); 670 is a payment.
const (
	codeReturnFiled     = 150
	codeInterest        = 196
	codePenalty         = 276
	codeAdditionalTax   = 290
	codeHold            = 570
	codeHoldReleased    = 571
	codePayment         = 670
	codeCreditFromOther = 706
	codeCredit          = 766
	codeEIC             = 768
	codeRefundInterest  = 776
	codeWithholding     = 806
	codeAppliedToDebt   = 826
	codeRefundIssued    = 846
	codeTreasuryOffset  = 898
	codeNotice          = 971
	codeAmended         = 977
)

// person is one taxpayer with every row that belongs to them, before sealing.
type person struct {
	tp    models.Taxpayer
	pd    models.PersonalData
	years []taxYear
}

type taxYear struct {
	ret   models.TaxReturn
	txs   []models.AccountTransaction
	infos []models.InformationReturn
	// bookkeeping while generating
	cycle     string // of the 150, which 806, 766 and 768 post with
	balance   int64  // what is still owed on this year, cents
	refund    int64
	outcome   outcome
	amended   bool // 977 + 290 after the refund (featured)
	assessed  bool // 290 after an information-return mismatch
	forceDebt bool // keep a balance due unpaid (for a later 826)
}

// generator derives every taxpayer from its index and a reference date.
type generator struct {
	today  time.Time // no date generated is later than this
	latest int       // the most recent tax year: the year before today's
}

func newGenerator(today time.Time) *generator {
	t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return &generator{today: t, latest: t.Year() - 1}
}

// seedSalt mixes into every taxpayer's PRNG seed; changing it changes all data.
const seedSalt = 0x7461_7870_6f72_7461 // "taxporta"

func rngFor(i int) *rand.Rand { return rand.New(rand.NewPCG(uint64(i), seedSalt)) }

// Generated SSNs: area 900-999 and group 01-49 never belong to a person and
// never collide with ITINs (groups 50-65, 70-88, 90-92, 94-99) nor with the
// example range 987-65-4320..4329 (group 65). Index j maps to a slot in a
// fixed permutation of the 100*49*9999 numbers, so neighbours do not look
// sequential.
const (
	ssnAreas    = 100
	ssnGroups   = 49
	ssnSerials  = 9999
	ssnCapacity = ssnAreas * ssnGroups * ssnSerials // 48,995,100
	ssnMul      = 15485863                          // prime, coprime with the capacity
	ssnAdd      = 7_777_777
)

// MaxTaxpayers is the most taxpayers Seed can make: the featured ones plus
// one for every never-issued SSN in the generated range.
const MaxTaxpayers = len(featuredSpecs) + ssnCapacity

// ssnFor is the SSN of taxpayer i.
func ssnFor(i int) pii.SSN {
	if i < len(featuredSpecs) {
		return pii.MustSSN("98765432" + strconv.Itoa(i))
	}
	j := uint64(i-len(featuredSpecs))*ssnMul + ssnAdd
	j %= ssnCapacity
	area := 900 + j%ssnAreas
	group := 1 + (j/ssnAreas)%ssnGroups
	serial := 1 + j/(ssnAreas*ssnGroups)
	var b [9]byte
	putDigits(b[0:3], area)
	putDigits(b[3:5], group)
	putDigits(b[5:9], serial)
	return pii.MustSSN(string(b[:]))
}

func putDigits(b []byte, v uint64) {
	for k := len(b) - 1; k >= 0; k-- {
		b[k] = byte('0' + v%10)
		v /= 10
	}
}

// profile is what stays the same (or drifts slowly) across a person's years.
type profile struct {
	status        models.FilingStatus
	kids          int
	wage          float64 // dollars in the first year, 0 for no job
	spouseWage    float64
	growth        float64
	employer      int
	spouseEmp     int
	bank          int // -1: no interest income
	interest      float64
	necPayer      int // -1: no 1099-NEC
	nec           float64
	efile         bool
	directDeposit bool
	bankLast4     string
}

func (g *generator) person(i int) *person {
	r := rngFor(i)
	p := &person{}
	var spec *featuredSpec
	if i < len(featuredSpecs) {
		spec = &featuredSpecs[i]
	}
	// Identity.
	if spec != nil {
		p.tp.FirstName, p.tp.MiddleName, p.tp.LastName, p.tp.Suffix = spec.first, spec.middle, spec.last, spec.suffix
		p.tp.Street1, p.tp.Street2, p.tp.City, p.tp.State, p.tp.ZIP = spec.street1, spec.street2, spec.city, spec.state, spec.zip
		p.pd.DOB = spec.dob
		p.pd.Phone = spec.phone
	} else {
		p.tp.FirstName = firstNames[r.IntN(len(firstNames))]
		if r.IntN(100) < 35 {
			m := firstNames[r.IntN(len(firstNames))]
			if m == p.tp.FirstName || r.IntN(4) == 0 {
				m = m[:1] + "." // an initial
			}
			p.tp.MiddleName = m
		}
		p.tp.LastName = lastNames[r.IntN(len(lastNames))]
		if r.IntN(100) < 2 {
			p.tp.Suffix = suffixes[r.IntN(len(suffixes))]
		}
		c := cities[cityPick[r.IntN(len(cityPick))]]
		p.tp.Street1 = strconv.Itoa(streetNumber(r)) + " " + streetNames[r.IntN(len(streetNames))] + " " + streetSuffixes[r.IntN(len(streetSuffixes))]
		switch n := r.IntN(100); {
		case n < 12:
			p.tp.Street2 = "Apt " + strconv.Itoa(1+r.IntN(30)) + string(rune('A'+r.IntN(6)))
		case n < 18:
			p.tp.Street2 = "Unit " + strconv.Itoa(1+r.IntN(400))
		}
		p.tp.City, p.tp.State = c.Name, c.State
		p.tp.ZIP = c.ZIP3 + fmt.Sprintf("%02d", 1+r.IntN(99))
		p.pd.DOB = time.Date(1940+r.IntN(66), time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365))
		p.pd.Phone = c.AreaCode + "55501" + fmt.Sprintf("%02d", r.IntN(100))
	}
	p.pd.SSN = ssnFor(i)

	pr := g.profile(r, p.pd.DOB, spec)

	// Years: 3 to 10 ending at the latest tax year, none before age 16.
	n := 3 + r.IntN(8)
	if spec != nil {
		n = spec.years
	}
	first := g.latest - n + 1
	if adult := p.pd.DOB.Year() + 16; first < adult && spec == nil {
		first = min(adult, g.latest-2)
	}

	// The latest year's outcome is chosen first: applying a refund to an
	// older debt needs that debt to exist.
	latest := g.latestOutcome(r)
	if spec != nil {
		latest = spec.outcome
	}
	if pr.wage == 0 && latest != outBalanceDue {
		pr.wage = 18000 + r.Float64()*20000 // refunds come from withholding: give them a job
		pr.employer = r.IntN(len(employers))
	}
	// An 826 needs a balance to pay: the year before stays unpaid.
	debtYear := -1
	if latest == outApplied {
		debtYear = g.latest - 1
	}

	var open []*taxYear // older years with an unpaid balance
	years := make([]*taxYear, 0, g.latest-first+1)
	for y := first; y <= g.latest; y++ {
		k := y - first
		ty := &taxYear{}
		ty.outcome = g.olderOutcome(r)
		if spec != nil {
			ty.outcome = outSent
		}
		if y == g.latest {
			ty.outcome = latest
			ty.amended = spec != nil && spec.amended
			ty.forceDebt = spec != nil && latest == outBalanceDue
		} else if y == debtYear {
			ty.outcome, ty.forceDebt = outBalanceDue, true
		} else if spec == nil && r.IntN(100) < 2 && y <= g.latest-2 {
			ty.assessed = true
		}
		g.year(r, p, &pr, ty, y, k, &open)
		years = append(years, ty)
	}
	// Later years may add to earlier ones (706), so copy out at the end.
	p.years = make([]taxYear, len(years))
	for k, ty := range years {
		p.years[k] = *ty
	}
	return p
}

func streetNumber(r *rand.Rand) int {
	switch n := r.IntN(10); {
	case n < 3:
		return 1 + r.IntN(99)
	case n < 7:
		return 100 + r.IntN(900)
	default:
		return 1000 + r.IntN(19000)
	}
}

func (g *generator) profile(r *rand.Rand, dob time.Time, spec *featuredSpec) profile {
	var pr profile
	switch n := r.IntN(100); {
	case n < 46:
		pr.status = models.Single
	case n < 80:
		pr.status = models.MarriedFilingJointly
	case n < 93:
		pr.status = models.HeadOfHousehold
	case n < 98:
		pr.status = models.MarriedFilingSeparately
	default:
		pr.status = models.QualifyingSurvivingSpouse
	}
	switch pr.status {
	case models.HeadOfHousehold, models.QualifyingSurvivingSpouse:
		pr.kids = 1 + r.IntN(3)
	case models.MarriedFilingJointly:
		pr.kids = r.IntN(4)
	default:
		if r.IntN(5) == 0 {
			pr.kids = 1
		}
	}
	age := g.latest - dob.Year()
	pr.wage = math.Exp(math.Log(46000) + 0.6*r.NormFloat64())
	pr.wage = math.Min(math.Max(pr.wage, 9000), 480000)
	if age >= 67 && r.IntN(100) < 55 {
		pr.wage = 0 // retired
	} else if r.IntN(100) < 5 {
		pr.wage = 0
	}
	if pr.status == models.MarriedFilingJointly && r.IntN(100) < 45 {
		pr.spouseWage = math.Exp(math.Log(40000) + 0.6*r.NormFloat64())
		pr.spouseEmp = r.IntN(len(employers))
	}
	pr.growth = 1 + 0.01*float64(r.IntN(6))
	pr.employer = r.IntN(len(employers))
	pr.bank = -1
	if r.IntN(100) < 15 || pr.wage == 0 {
		pr.bank = r.IntN(len(banks))
		pr.interest = 5 + math.Exp(math.Log(150)+1.2*r.NormFloat64())
		if pr.wage == 0 {
			pr.interest = 500 + r.Float64()*6000
		}
	}
	pr.necPayer = -1
	if r.IntN(100) < 8 {
		pr.necPayer = r.IntN(len(necPayers))
		pr.nec = 600 + r.Float64()*18000
	}
	pr.efile = r.IntN(100) < 90
	pr.directDeposit = r.IntN(100) < 85
	if !pr.efile {
		pr.directDeposit = r.IntN(100) < 35
	}
	pr.bankLast4 = fmt.Sprintf("%04d", r.IntN(10000))
	if spec != nil {
		pr.status, pr.kids = spec.status, spec.kids
		pr.wage, pr.spouseWage, pr.growth = spec.wage, spec.spouseWage, 1.03
		if spec.spouseWage > 0 {
			pr.spouseEmp = (pr.employer + 7) % len(employers)
		}
		pr.efile, pr.directDeposit = spec.efile, spec.directDeposit
		pr.necPayer = -1
	}
	return pr
}

// latestOutcome spreads the most recent year over every refund state.
func (g *generator) latestOutcome(r *rand.Rand) outcome {
	switch n := r.IntN(100); {
	case n < 5:
		return outReceived
	case n < 11:
		return outApproved
	case n < 19:
		return outHeld
	case n < 26:
		return outReleased
	case n < 33:
		return outOffset
	case n < 39:
		return outApplied
	case n < 53:
		return outBalanceDue
	default:
		return outSent
	}
}

// olderOutcome: older years are mostly settled.
func (g *generator) olderOutcome(r *rand.Rand) outcome {
	switch n := r.IntN(100); {
	case n < 10:
		return outBalanceDue
	case n < 12:
		return outReleased
	case n < 14:
		return outOffset
	default:
		return outSent
	}
}

// year builds one tax year: information returns, the return and its account.
func (g *generator) year(r *rand.Rand, p *person, pr *profile, ty *taxYear, y, k int, open *[]*taxYear) {
	grow := math.Pow(pr.growth, float64(k)) * (0.97 + 0.06*r.Float64())
	if k > 0 && r.IntN(100) < 10 {
		pr.employer = r.IntN(len(employers)) // changed jobs
	}
	infos := make([]models.InformationReturn, 0, 4)
	add := func(form, payer string, dollars, withheld float64) {
		infos = append(infos, models.InformationReturn{
			TaxYear: y, Form: form, PayerName: payer, PayerEINLast4: einLast4(payer),
			AmountCents: int64(math.Round(dollars * 100)), WithheldCents: int64(math.Round(withheld * 100)),
		})
	}
	var wages, other float64
	unemployed := pr.wage > 0 && r.IntN(100) < 3
	if pr.wage > 0 {
		w := pr.wage * grow
		if unemployed {
			w *= 0.4 + 0.3*r.Float64()
		}
		if w >= 600 && r.IntN(100) < 7 {
			// two jobs this year
			a := w * (0.3 + 0.4*r.Float64())
			add("W-2", employers[pr.employer], cents(a), 0)
			add("W-2", employers[(pr.employer+1+r.IntN(len(employers)-1))%len(employers)], cents(w-a), 0)
		} else {
			add("W-2", employers[pr.employer], cents(w), 0)
		}
		wages += w
	}
	if pr.spouseWage > 0 {
		w := pr.spouseWage * grow
		add("W-2", employers[pr.spouseEmp], cents(w), 0)
		wages += w
	}
	if pr.bank >= 0 {
		v := pr.interest * (0.6 + 0.8*r.Float64())
		if y >= 2023 {
			v *= 2.5 // savings rates went up
		}
		add("1099-INT", banks[pr.bank], cents(v), 0)
		other += v
	}
	if pr.necPayer >= 0 && r.IntN(100) < 80 {
		v := pr.nec * (0.7 + 0.6*r.Float64())
		add("1099-NEC", necPayers[pr.necPayer], cents(v), 0)
		other += v
	}
	var ui, uiWithheld float64
	if unemployed {
		ui = 2000 + r.Float64()*10000
		if r.IntN(2) == 0 {
			uiWithheld = math.Round(ui*0.10*100) / 100
		}
		add("1099-G", stateNames[p.tp.State]+" Department of Labor", cents(ui), uiWithheld)
		other += ui
	}
	var w2 []int // indexes of W-2s, for spreading withholding
	for n := range infos {
		if infos[n].Form == "W-2" {
			w2 = append(w2, n)
		}
	}
	var wagesCents int64
	for _, n := range w2 {
		wagesCents += infos[n].AmountCents
	}
	var totalCents int64
	for _, in := range infos {
		totalCents += in.AmountCents
	}
	agi := dollars(totalCents)

	// Tax.
	ded := standardDeduction(y, pr.status)
	if y <= 2017 {
		people := 1 + pr.kids
		if pr.status == models.MarriedFilingJointly {
			people++
		}
		ded += 4050 * int64(people)
	}
	taxable := max(agi-ded, 0)
	tax := incomeTax(y, pr.status, taxable)
	// Child tax credit: the part above the tax is partly refundable (766).
	var actc, eic int64
	if pr.kids > 0 && agi < phaseOut(pr.status) {
		ctc := childCredit(y) * int64(pr.kids)
		used := min(ctc, tax)
		tax -= used
		earned := dollars(wagesCents)
		if rest := ctc - used; rest > 0 && earned > 2500 {
			actc = min(rest, actcCap(y)*int64(pr.kids), (earned-2500)*15/100)
		}
	}
	if pr.status != models.MarriedFilingSeparately && other < 5000 {
		eic = earnedIncomeCredit(y, pr.status, pr.kids, dollars(wagesCents), agi)
	}
	credits := actc + eic

	// Withholding decides between a refund and a balance due.
	o := ty.outcome
	owedBefore := tax - credits // what the withholding has to cover
	var withheld int64
	if o == outBalanceDue {
		if owedBefore > 150 {
			withheld = int64(float64(owedBefore) * (0.55 + 0.37*r.Float64()))
		} else {
			o = outSent // too little tax to owe any
		}
	}
	if o != outBalanceDue {
		want := int64(float64(tax)*(0.05+0.25*r.Float64())) + 150 + int64(r.IntN(1700))
		withheld = max(owedBefore+want, 0)
		if limit := dollars(wagesCents) * 35 / 100; withheld > limit {
			withheld = limit
		}
	}
	if uiWithheld > 0 {
		withheld = max(withheld, int64(uiWithheld+0.5))
	}
	// Spread the withholding across the W-2s (the 1099-G carries its own).
	spread := withheld*100 - int64(math.Round(uiWithheld*100))
	if spread > 100 {
		spread += int64(r.IntN(99)) - 49 // W-2s carry cents; the return rounds them
	}
	if len(w2) > 0 && spread > 0 {
		var left = spread
		for x, n := range w2 {
			part := spread * infos[n].AmountCents / max(wagesCents, 1)
			if x == len(w2)-1 {
				part = left
			}
			infos[n].WithheldCents = part
			left -= part
		}
	} else if spread > 0 {
		withheld = int64(math.Round(uiWithheld))
	}
	refund := withheld + credits - tax
	switch {
	case refund > 0 && o == outBalanceDue:
		o = outSent
	case refund <= 0 && o != outBalanceDue:
		if refund == 0 {
			o = outNone
		} else {
			o = outBalanceDue
		}
	}
	if o == outApplied && len(*open) == 0 {
		o = outSent
	}
	if (o == outSent || o == outReleased) && len(*open) > 0 && !ty.amended {
		o = outApplied // the agency takes a refund to pay an older balance first
	}

	// The return.
	efile := pr.efile
	received := g.receivedOn(r, y, o, efile)
	if o == outReceived || o == outApproved || o == outHeld {
		efile = true
	}
	ret := models.TaxReturn{
		TaxYear: y, Form: "1040", FilingStatus: pr.status, EFiled: efile, ReceivedOn: received,
		AGICents: agi * 100, TaxableIncomeCents: taxable * 100, TaxCents: tax * 100,
		WithholdingCents: withheld * 100, RefundCents: max(refund, 0) * 100,
		DirectDeposit: pr.directDeposit && refund > 0,
	}
	if ret.DirectDeposit {
		ret.BankLast4 = pr.bankLast4
	}
	ty.ret, ty.infos, ty.outcome, ty.refund = ret, infos, o, max(refund, 0)*100
	g.account(r, ty, y, tax*100, withheld*100, actc*100, eic*100, open)
	if ty.balance > 0 {
		*open = append(*open, ty)
	}
}

// receivedOn picks when the return arrived. Most come between February and
// the April deadline; some are filed on extension. Returns still in flight
// in the latest year arrived recently.
func (g *generator) receivedOn(r *rand.Rand, y int, o outcome, efile bool) time.Time {
	fy := y + 1
	switch {
	case y == g.latest && o == outReceived:
		return g.weekday(g.today.AddDate(0, 0, -(3 + r.IntN(4))))
	case y == g.latest && o == outApproved:
		return g.weekday(g.today.AddDate(0, 0, -(14 + r.IntN(10))))
	case y == g.latest && o == outHeld:
		return g.weekday(g.today.AddDate(0, 0, -(30 + r.IntN(45))))
	}
	var d time.Time
	if r.IntN(100) < 9 {
		d = time.Date(fy, time.June, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(136)) // to Oct 15
	} else {
		d = time.Date(fy, time.January, 27, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(79)) // to Apr 15
	}
	if !efile && d.Month() < time.April {
		d = d.AddDate(0, 0, 10) // paper returns lag
	}
	return g.weekday(d)
}

// account writes the year's transactions.
func (g *generator) account(r *rand.Rand, ty *taxYear, y int, tax, withheld, actc, eic int64, open *[]*taxYear) {
	ret := &ty.ret
	due := time.Date(y+1, time.April, 15, 0, 0, 0, 0, time.UTC)
	var proc time.Time
	switch {
	case ty.outcome == outReceived:
		proc = g.post(ret.ReceivedOn.AddDate(0, 0, 1))
	case ty.outcome == outApproved:
		proc = g.post(ret.ReceivedOn.AddDate(0, 0, 5+r.IntN(4)))
	case ret.EFiled:
		proc = g.post(ret.ReceivedOn.AddDate(0, 0, 7+r.IntN(12)))
	default:
		proc = g.post(ret.ReceivedOn.AddDate(0, 0, 35+r.IntN(40)))
	}
	ty.cycle = cycle(proc)
	ty.txs = make([]models.AccountTransaction, 0, 6)
	add := func(code int, amount int64, on time.Time, cyc, note string) {
		ty.txs = append(ty.txs, models.AccountTransaction{TaxYear: y, Code: code, AmountCents: amount, PostedOn: on, Cycle: cyc, Note: note})
	}
	tx := func(code int, amount int64, on time.Time, note string) { add(code, amount, on, cycle(on), note) }
	tx(codeReturnFiled, tax, proc, "")
	// Withholding and refundable credits count as paid on the due date and
	// post in the return's cycle.
	if withheld > 0 {
		add(codeWithholding, -withheld, due, ty.cycle, "")
	}
	if actc > 0 {
		add(codeCredit, -actc, due, ty.cycle, "")
	}
	if eic > 0 {
		add(codeEIC, -eic, due, ty.cycle, "")
	}
	refund := ty.refund
	sendOn := g.post(proc.AddDate(0, 0, 3+r.IntN(8)))
	switch ty.outcome {
	case outSent:
		tx(codeRefundIssued, refund, sendOn, "")
	case outReceived, outApproved, outNone:
	case outHeld:
		tx(codeHold, 0, proc, "")
		tx(codeNotice, 0, g.post(proc.AddDate(0, 0, 1+r.IntN(3))), "CP05")
	case outReleased:
		tx(codeHold, 0, proc, "")
		tx(codeNotice, 0, g.post(proc.AddDate(0, 0, 1+r.IntN(3))), "CP05")
		rel := g.post(proc.AddDate(0, 0, 25+r.IntN(45)))
		send := g.post(rel.AddDate(0, 0, 4+r.IntN(7)))
		tx(codeHoldReleased, 0, rel, "")
		// Refunds sent more than 45 days after the due date (or the filing)
		// earn interest, credited with 776 and paid with the refund.
		start := due
		if ret.ReceivedOn.After(due) {
			start = ret.ReceivedOn
		}
		if days := int(send.Sub(start).Hours()/24) - 45; days > 0 {
			in := max(refund*7*int64(days)/36500, 1)
			tx(codeRefundInterest, -in, send, "")
			refund += in
		}
		tx(codeRefundIssued, refund, send, "")
	case outOffset:
		part := int64(float64(refund) * (0.15 + 0.7*r.Float64()))
		tx(codeTreasuryOffset, part, sendOn, "Treasury Offset Program")
		tx(codeRefundIssued, refund-part, sendOn, "")
	case outApplied:
		left := refund
		for _, d := range *open {
			if left == 0 {
				break
			}
			a := min(left, d.balance)
			if a <= 0 {
				continue
			}
			tx(codeAppliedToDebt, a, sendOn, fmt.Sprintf("Applied to %d balance", d.ret.TaxYear))
			d.txs = append(d.txs, models.AccountTransaction{TaxYear: d.ret.TaxYear, Code: codeCreditFromOther, AmountCents: -a,
				PostedOn: sendOn, Cycle: cycle(sendOn), Note: fmt.Sprintf("Overpayment from %d", y)})
			d.balance -= a
			left -= a
		}
		tx(codeNotice, 0, sendOn, "CP49")
		if left > 0 {
			tx(codeRefundIssued, left, sendOn, "")
		}
		kept := (*open)[:0]
		for _, d := range *open {
			if d.balance > 0 {
				kept = append(kept, d)
			}
		}
		*open = kept
	case outBalanceDue:
		owed := tax - withheld - actc - eic
		tx(codeNotice, 0, proc, "CP14")
		// Interest and the failure-to-pay penalty run from the due date.
		notice := g.post(maxTime(proc, due).AddDate(0, 0, 28+r.IntN(21)))
		if notice.After(g.yesterday()) {
			notice = g.yesterday()
		}
		days := max(int64(notice.Sub(due).Hours()/24), 15)
		interest := max(owed*8*days/36500, 1)
		penalty := max(owed*5*((days+29)/30)/1000, 1)
		tx(codeInterest, interest, notice, "")
		tx(codePenalty, penalty, notice, "")
		owed += interest + penalty
		paid := int64(0)
		if !ty.forceDebt && !(ty.outcome == outBalanceDue && y == g.latest && r.IntN(2) == 0) {
			switch n := r.IntN(100); {
			case n < 70:
				paid = owed
			case n < 88:
				paid = owed * int64(30+r.IntN(40)) / 100
			}
		}
		if paid > 0 {
			on := g.post(notice.AddDate(0, 0, 7+r.IntN(60)))
			if !on.After(g.yesterday()) {
				tx(codePayment, -paid, on, "")
				owed -= paid
			}
		}
		ty.balance = owed
	}
	if ty.amended {
		// Amended return after the refund went out: more tax, a notice, and
		// interest on it.
		filed := g.post(sendOn.AddDate(0, 0, 60+r.IntN(30)))
		more := max(ret.TaxCents/10, 45000) / 100 * 100
		assessed := g.post(filed.AddDate(0, 0, 56+r.IntN(14)))
		if assessed.After(g.yesterday()) {
			assessed = g.yesterday()
		}
		tx(codeAmended, 0, filed, "")
		tx(codeAdditionalTax, more, assessed, "")
		tx(codeNotice, 0, assessed, "CP22A")
		in := max(more*8*int64(assessed.Sub(due).Hours()/24)/36500, 1)
		tx(codeInterest, in, assessed, "")
		ty.balance += more + in
	}
	if ty.assessed {
		// Underreported income found by matching information returns.
		letter := g.post(proc.AddDate(1, 0, r.IntN(60)))
		assessed := g.post(letter.AddDate(0, 0, 70+r.IntN(30)))
		if assessed.Before(g.yesterday()) {
			more := int64(200+r.IntN(2800)) * 100
			in := max(more*8*int64(assessed.Sub(due).Hours()/24)/36500, 1)
			tx(codeNotice, 0, letter, "CP2000")
			tx(codeAdditionalTax, more, assessed, "")
			tx(codeInterest, in, assessed, "")
			owed := more + in
			if on := g.post(assessed.AddDate(0, 0, 20+r.IntN(40))); on.Before(g.yesterday()) && r.IntN(10) < 8 {
				tx(codePayment, -owed, on, "")
				owed = 0
			}
			ty.balance += owed
		}
	}
}

// standardDeduction in whole dollars.
func standardDeduction(y int, s models.FilingStatus) int64 {
	// For a single filer, 2016 to 2025.
	single := [...]int64{6300, 6350, 12000, 12200, 12400, 12550, 12950, 13850, 14600, 15750}
	var v int64
	if k := y - 2016; k >= 0 && k < len(single) {
		v = single[k]
	} else {
		v = int64(float64(15750) * inflation(y))
	}
	switch s {
	case models.MarriedFilingJointly, models.QualifyingSurvivingSpouse:
		return 2 * v
	case models.HeadOfHousehold:
		return v * 3 / 2
	}
	return v
}

// inflation scales 2025 thresholds to another year, roughly.
func inflation(y int) float64 { return math.Pow(1.03, float64(y-2025)) }

// incomeTax applies the 2025 brackets, scaled to the year.
func incomeTax(y int, s models.FilingStatus, taxable int64) int64 {
	rates := [...]float64{0.10, 0.12, 0.22, 0.24, 0.32, 0.35, 0.37}
	var tops [6]float64
	switch s {
	case models.MarriedFilingJointly, models.QualifyingSurvivingSpouse:
		tops = [6]float64{23850, 96950, 206700, 394600, 501050, 751600}
	case models.HeadOfHousehold:
		tops = [6]float64{17000, 64850, 103350, 197300, 250500, 626350}
	case models.MarriedFilingSeparately:
		tops = [6]float64{11925, 48475, 103350, 197300, 250525, 375800}
	default:
		tops = [6]float64{11925, 48475, 103350, 197300, 250525, 626350}
	}
	f := inflation(y)
	x := float64(taxable)
	var tax, low float64
	for n, rate := range rates {
		high := math.Inf(1)
		if n < len(tops) {
			high = tops[n] * f
		}
		if x <= low {
			break
		}
		tax += (math.Min(x, high) - low) * rate
		low = high
	}
	return int64(math.Round(tax))
}

func childCredit(y int) int64 {
	switch {
	case y <= 2017:
		return 1000
	case y == 2021:
		return 3000
	case y >= 2025:
		return 2200
	}
	return 2000
}

func actcCap(y int) int64 {
	switch {
	case y <= 2017:
		return 1000
	case y <= 2020:
		return 1400
	case y == 2021:
		return 3000
	case y == 2022:
		return 1500
	case y == 2023:
		return 1600
	}
	return 1700
}

func phaseOut(s models.FilingStatus) int64 {
	if s == models.MarriedFilingJointly {
		return 400000
	}
	return 200000
}

// earnedIncomeCredit is a simplified 2025 EIC table scaled to the year.
func earnedIncomeCredit(y int, s models.FilingStatus, kids int, earned, agi int64) int64 {
	kids = min(kids, 3)
	maxCredit := [...]float64{649, 4328, 7152, 8046}[kids]
	inRate := [...]float64{0.0765, 0.34, 0.40, 0.45}[kids]
	outRate := [...]float64{0.0765, 0.1598, 0.2106, 0.2106}[kids]
	start := [...]float64{10620, 23350, 23350, 23350}[kids]
	if s == models.MarriedFilingJointly {
		start += 7100
	}
	f := inflation(y)
	maxCredit, start = maxCredit*f, start*f
	c := math.Min(float64(earned)*inRate, maxCredit)
	if inc := math.Max(float64(earned), float64(agi)); inc > start {
		c -= (inc - start) * outRate
	}
	if c < 1 || earned == 0 {
		return 0
	}
	return int64(math.Round(c))
}

// cents turns a dollar amount into dollars with cents, rounded.
func cents(d float64) float64 { return math.Round(d*100) / 100 }

// dollars rounds cents to whole dollars, as returns are filed.
func dollars(c int64) int64 { return (c + 50) / 100 }

// weekday moves a weekend date to the next Monday.
func (g *generator) weekday(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, 2)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	}
	return d
}

// post makes a posting date: a weekday, and not after yesterday.
func (g *generator) post(d time.Time) time.Time {
	d = g.weekday(d)
	if y := g.yesterday(); d.After(y) {
		return y
	}
	return d
}

// yesterday is the last weekday before today: the latest posting date.
func (g *generator) yesterday() time.Time {
	d := g.today.AddDate(0, 0, -1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// cycle is the processing cycle of a posting date: YYYYWWDD with the ISO
// year and week and the weekday, Monday 01 to Friday 05.
func cycle(d time.Time) string {
	y, w := d.ISOWeek()
	wd := int(d.Weekday())
	if wd == 0 || wd > 5 {
		wd = 5
	}
	var b [8]byte
	putDigits(b[0:4], uint64(y))
	putDigits(b[4:6], uint64(w))
	putDigits(b[6:8], uint64(wd))
	return string(b[:])
}
