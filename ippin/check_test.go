package ippin_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// checkFixture has a married couple enrolled, a taxpayer who is not, and
// an API key.
type checkFixture struct {
	*fixture
	key                          *models.IPPINAPIKey
	primary, spouse, plain       *models.Taxpayer
	primaryPIN, spousePIN        string
	primarySSN, spouseSSN, plSSN pii.SSN
}

func newCheckFixture(t *testing.T) *checkFixture {
	t.Helper()
	f := &checkFixture{fixture: newFixture(t)}
	ctx := context.Background()
	f.primarySSN, f.spouseSSN, f.plSSN = pii.MustSSN("900-03-0001"), pii.MustSSN("900-03-0002"), pii.MustSSN("900-03-0003")
	f.primary = f.taxpayer("900-03-0001", "Ada", "Lovelace")
	f.spouse = f.taxpayer("900-03-0002", "William", "Lovelace")
	f.plain = f.taxpayer("900-03-0003", "Cy", "Hopper")
	p, err := f.svc.Enrol(ctx, f.primary.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.svc.Enrol(ctx, f.spouse.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	f.primaryPIN, f.spousePIN = p.PIN.Digits(), s.PIN.Digits()
	_, f.key, _ = f.svc.CreateKey(ctx, "Acme Tax")
	return f
}

// wrongPIN is a PIN other than pin.
func wrongPIN(pin string) string {
	if pin == "135792" {
		return "135793"
	}
	return "135792"
}

func TestCheckRejectCodes(t *testing.T) {
	type filer struct {
		who string // "primary", "spouse", "plain" or "unknown"
		pin string // "right", "wrong", "spaced", "" or a literal
	}
	cases := []struct {
		name    string
		primary filer
		spouse  *filer
		want    []ippin.RejectCode
	}{
		{"primary right", filer{"primary", "right"}, nil, nil},
		{"primary right, typed with spaces", filer{"primary", "spaced"}, nil, nil},
		{"primary missing", filer{"primary", ""}, nil, []ippin.RejectCode{ippin.PrimaryPINMissing}},
		{"primary wrong", filer{"primary", "wrong"}, nil, []ippin.RejectCode{ippin.PrimaryPINMismatch}},
		{"primary not six digits", filer{"primary", "12ab"}, nil, []ippin.RejectCode{ippin.PrimaryPINMismatch}},
		{"both right", filer{"primary", "right"}, &filer{"spouse", "right"}, nil},
		{"spouse missing", filer{"primary", "right"}, &filer{"spouse", ""}, []ippin.RejectCode{ippin.SpousePINMissing}},
		{"spouse wrong", filer{"primary", "right"}, &filer{"spouse", "wrong"}, []ippin.RejectCode{ippin.SpousePINMismatch}},
		{"both wrong", filer{"primary", "wrong"}, &filer{"spouse", "wrong"},
			[]ippin.RejectCode{ippin.PrimaryPINMismatch, ippin.SpousePINMismatch}},
		{"both missing", filer{"primary", ""}, &filer{"spouse", ""},
			[]ippin.RejectCode{ippin.PrimaryPINMissing, ippin.SpousePINMissing}},
		{"spouse's PIN as the primary's", filer{"primary", "spouse's"}, &filer{"spouse", "right"},
			[]ippin.RejectCode{ippin.PrimaryPINMismatch}},
		{"not enrolled, no PIN", filer{"plain", ""}, nil, nil},
		{"not enrolled, a PIN is ignored", filer{"plain", "482913"}, nil, nil},
		{"unknown SSN", filer{"unknown", ""}, nil, nil},
		{"enrolled spouse of someone not enrolled", filer{"plain", ""}, &filer{"primary", ""},
			[]ippin.RejectCode{ippin.SpousePINMissing}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newCheckFixture(t)
			build := func(x filer) ippin.Filer {
				var out ippin.Filer
				right := ""
				switch x.who {
				case "primary":
					out.SSN, right = f.primarySSN, f.primaryPIN
				case "spouse":
					out.SSN, right = f.spouseSSN, f.spousePIN
				case "plain":
					out.SSN = f.plSSN
				default:
					out.SSN = pii.MustSSN("900-99-9999")
				}
				switch x.pin {
				case "right":
					out.PIN = right
				case "wrong":
					out.PIN = wrongPIN(right)
				case "spaced":
					out.PIN = " " + right[:3] + " " + right[3:] + " "
				case "spouse's":
					out.PIN = f.spousePIN
					if out.PIN == right {
						out.PIN = wrongPIN(right)
					}
				default:
					out.PIN = x.pin
				}
				return out
			}
			r := ippin.Return{TaxYear: 2025, Primary: build(c.primary)}
			if c.spouse != nil {
				s := build(*c.spouse)
				r.Spouse = &s
			}
			res, err := f.svc.Check(context.Background(), f.key, r)
			if err != nil {
				t.Fatal(err)
			}
			want := ippin.Accepted
			if len(c.want) > 0 {
				want = ippin.Rejected
			}
			if res.Outcome != want || !slices.Equal(res.Rejects, c.want) {
				t.Errorf("Check = %s %v, want %s %v", res.Outcome, res.Rejects, want, c.want)
			}
			if len(res.Alerts) != len(c.want) {
				t.Errorf("%d alerts for %d rejects", len(res.Alerts), len(c.want))
			}
		})
	}
}

func TestCheckRefusesAFutureTaxYear(t *testing.T) {
	f := newCheckFixture(t)
	_, err := f.svc.Check(context.Background(), f.key, ippin.Return{TaxYear: 2027, Primary: ippin.Filer{SSN: f.primarySSN, PIN: f.primaryPIN}})
	if !errors.Is(err, ippin.ErrTaxYear) {
		t.Errorf("Check for 2027 in 2026: %v, want ErrTaxYear", err)
	}
	// A prior year's return filed now takes this year's PIN.
	res, err := f.svc.Check(context.Background(), f.key, ippin.Return{TaxYear: 2023, Primary: ippin.Filer{SSN: f.primarySSN, PIN: f.primaryPIN}})
	if err != nil || res.Outcome != ippin.Accepted {
		t.Errorf("a 2023 return with the 2026 PIN: %+v, %v", res, err)
	}
}

func TestGuessingLocksTheSSNAndFlagsTheTaxpayer(t *testing.T) {
	f := newCheckFixture(t)
	ctx := context.Background()
	check := func(pin string) ippin.Result {
		t.Helper()
		res, err := f.svc.Check(ctx, f.key, ippin.Return{TaxYear: 2025, Primary: ippin.Filer{SSN: f.primarySSN, PIN: pin}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	flagged := func() bool {
		var e models.IPPINEnrollment
		f.db.Take(&e, "taxpayer_id = ?", f.primary.ID)
		return e.FlaggedAt != nil
	}
	firstWrong := f.clock.Now()
	for i := range 5 {
		if res := check(wrongPIN(f.primaryPIN)); res.Outcome != ippin.Rejected {
			t.Fatalf("wrong PIN %d: %s", i+1, res.Outcome)
		}
		if i < 4 && flagged() {
			t.Fatalf("flagged after %d wrong PINs", i+1)
		}
		f.clock.Advance(time.Minute)
	}
	if !flagged() {
		t.Error("not flagged after 5 wrong PINs")
	}
	// Locked: even the right PIN is not compared, and nothing more is counted.
	res := check(f.primaryPIN)
	if res.Outcome != ippin.Locked || !res.RetryAt.Equal(firstWrong.Add(24*time.Hour)) || len(res.Rejects) != 0 || len(res.Alerts) != 0 {
		t.Errorf("after 5 wrong PINs: %+v, want locked until %v", res, firstWrong.Add(24*time.Hour))
	}
	// The lock covers the SSN as a spouse too, and stops the whole return.
	res, _ = f.svc.Check(ctx, f.key, ippin.Return{TaxYear: 2025,
		Primary: ippin.Filer{SSN: f.spouseSSN, PIN: f.spousePIN}, Spouse: &ippin.Filer{SSN: f.primarySSN, PIN: f.primaryPIN}})
	if res.Outcome != ippin.Locked {
		t.Errorf("locked spouse: %s", res.Outcome)
	}
	if n := f.count(&models.Attempt{}, ""); n != 5 {
		t.Errorf("%d attempts recorded, want 5", n)
	}
	// Other people are not affected.
	res, _ = f.svc.Check(ctx, f.key, ippin.Return{TaxYear: 2025, Primary: ippin.Filer{SSN: f.spouseSSN, PIN: f.spousePIN}})
	if res.Outcome != ippin.Accepted {
		t.Errorf("someone else's return: %s", res.Outcome)
	}
	// Once the first wrong PIN leaves the window, one more try.
	f.clock.T = firstWrong.Add(24 * time.Hour)
	if res := check(f.primaryPIN); res.Outcome != ippin.Accepted {
		t.Errorf("a day later with the right PIN: %s", res.Outcome)
	}
	// The counter never holds the SSN.
	var keys []string
	f.db.Model(&models.Attempt{}).Distinct().Pluck("key", &keys)
	for _, k := range keys {
		if strings.Contains(k, f.primarySSN.Digits()) || strings.Contains(k, f.primary.SSNIndex) {
			t.Errorf("attempt key %q holds the SSN or its index", k)
		}
	}
}

func TestStoppedReturnsAlertTheTaxpayer(t *testing.T) {
	f := newCheckFixture(t)
	ctx := context.Background()
	acct := f.account(f.primary, "ada@example.com")
	check := func(pin string) ippin.Result {
		t.Helper()
		res, err := f.svc.Check(ctx, f.key, ippin.Return{TaxYear: 2025, Primary: ippin.Filer{SSN: f.primarySSN, PIN: pin}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := check(wrongPIN(f.primaryPIN))
	want := ippin.Alert{TaxpayerID: f.primary.ID, Code: ippin.PrimaryPINMismatch, TaxYear: 2025, AccountID: acct.ID, Email: "ada@example.com", Notify: true}
	if len(res.Alerts) != 1 || res.Alerts[0] != want {
		t.Fatalf("alerts %+v, want %+v", res.Alerts, want)
	}
	if msg := res.Alerts[0].Message(); msg != "A return was just submitted with your SSN and the wrong IP PIN; it was stopped." {
		t.Errorf("message %q", msg)
	}
	var alert models.IPPINAlert
	if err := f.db.Take(&alert, "taxpayer_id = ?", f.primary.ID).Error; err != nil {
		t.Fatal(err)
	}
	if alert.Code != "IND-180-01" || alert.APIKeyID != f.key.ID || alert.TaxYear != 2025 || !alert.Notified {
		t.Errorf("alert row %+v", alert)
	}
	var ev models.SecurityEvent
	if err := f.db.Take(&ev, "account_id = ?", acct.ID).Error; err != nil {
		t.Fatal(err)
	}
	if ev.Kind != ippin.EventReturnStopped || !strings.Contains(ev.Detail, "IND-180-01") {
		t.Errorf("security event %+v", ev)
	}
	for _, secret := range []string{f.primaryPIN, wrongPIN(f.primaryPIN), f.primarySSN.Digits()} {
		if strings.Contains(ev.Detail, secret) {
			t.Errorf("security event %q holds a PIN or SSN", ev.Detail)
		}
	}

	// A burst is recorded in full but e-mailed once an hour.
	f.clock.Advance(10 * time.Minute)
	res = check("")
	if a := res.Alerts[0]; a.Notify || a.Code != ippin.PrimaryPINMissing ||
		a.Message() != "A return was just submitted with your SSN and without your IP PIN; it was stopped." {
		t.Errorf("second alert within the hour: %+v", a)
	}
	f.clock.Advance(time.Hour)
	if res = check(""); !res.Alerts[0].Notify {
		t.Error("no e-mail an hour after the last")
	}
	if n := f.count(&models.IPPINAlert{}, ""); n != 3 {
		t.Errorf("%d alerts recorded, want 3", n)
	}
	if n := f.count(&models.SecurityEvent{}, ""); n != 3 {
		t.Errorf("%d security events, want 3", n)
	}

	// The dashboard's read: the newest alert in the window, as GORM reads it.
	_, latest, err := f.svc.StatusAndAlert(ctx, f.primary.ID, f.clock.Now(), f.clock.Now().Add(-2*time.Hour))
	var newest models.IPPINAlert
	f.db.Where("taxpayer_id = ?", f.primary.ID).Order("at DESC, id DESC").Take(&newest)
	if err != nil || latest == nil || latest.ID != newest.ID || latest.TaxpayerID != newest.TaxpayerID ||
		latest.TaxYear != newest.TaxYear || latest.Code != newest.Code || latest.APIKeyID != newest.APIKeyID ||
		latest.Notified != newest.Notified || !latest.At.Equal(newest.At) {
		t.Errorf("newest alert = %+v, %v; GORM reads %+v", latest, err, newest)
	}
	if _, latest, err := f.svc.StatusAndAlert(ctx, f.primary.ID, f.clock.Now(), f.clock.Now()); latest != nil || err != nil {
		t.Errorf("newest alert after the last one = %+v, %v", latest, err)
	}

	// Without an online account the alert is recorded for agents.
	res, _ = f.svc.Check(ctx, f.key, ippin.Return{TaxYear: 2025, Primary: ippin.Filer{SSN: f.spouseSSN}})
	if a := res.Alerts[0]; a.AccountID != 0 || a.Email != "" || a.Notify || a.TaxpayerID != f.spouse.ID {
		t.Errorf("alert without an account: %+v", a)
	}
	if n := f.count(&models.IPPINAlert{}, "taxpayer_id = ?", f.spouse.ID); n != 1 {
		t.Errorf("%d alerts for the taxpayer without an account", n)
	}
}
