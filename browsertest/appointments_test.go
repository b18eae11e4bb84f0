package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
)

// TestVideoAppointmentJourney plays both sides of a video call: the demo
// agent publishes a time; Maria chooses the video route, books it, and
// sees her join link; at the time of the call the agent opens the
// appointment, compares her entries with the record, and records
// "verified"; Maria finishes with her password and is verified.
func TestVideoAppointmentJourney(t *testing.T) {
	t.Parallel()
	// Sessions outlive the wait until the call.
	p := portaltest.Start(t, portaltest.IdleTimeout(3*time.Hour))
	if _, err := demodata.Seed(t.Context(), p.DB, p.Vault, demodata.Options{Taxpayers: 10}); err != nil {
		t.Fatal(err)
	}
	b := NewBrowser(t, p, "appointments")
	agent := b.AnotherDevice(t)
	signInStaff(t, agent, p, demoStaff(t, models.RoleAgent))

	// A time two hours ahead, on the hour, in the portal's zone.
	loc := p.Config.TimeZone
	start := p.Clock.Now().In(loc).Truncate(time.Hour).Add(2 * time.Hour)
	agent.Visit(t, "console-schedule", "/agent/schedule")
	agent.run(t, "choosing the time", chromedp.SetValue(chromedp.CSS("#date"), start.Format("2006-01-02")),
		chromedp.SetValue(chromedp.CSS("#start"), start.Format("15:04")))
	agent.Submit(t, "console-schedule-published", `[data-testid="publish-form"]`)
	if got := agent.Text(t, `[data-testid="schedule-notice"]`); got != "Published 1 time." {
		t.Fatalf("after publishing: %q", got)
	}

	signUpQuickly(t, b, p, "maria@example.com")
	b.Load(t, "/verify")
	b.Click(t, `label[for="consent"]`)
	b.Submit(t, "verify-method", `[data-testid="consent-form"]`)
	b.Click(t, `label[for="method-video"]`)
	b.Submit(t, "verify-ssn", `[data-testid="choice-form"]`)
	b.Type(t, "#ssn", "987-65-4320")
	b.Submit(t, "verify-information", `[data-testid="fields-form"]`)
	for sel, v := range map[string]string{"#first_name": "Maria", "#last_name": "Hernandez", "#dob_day": "14", "#dob_year": "1986",
		"#street1": "2417 Desert Willow Dr", "#city": "Phoenix", "#zip": "85016"} {
		b.Type(t, sel, v)
	}
	b.run(t, "choosing the month and state", chromedp.SetValue(chromedp.CSS("#dob_month"), "3"), chromedp.SetValue(chromedp.CSS("#state"), "AZ"))
	b.Submit(t, "verify-match", `[data-testid="info-form"]`)
	b.Submit(t, "video-call-choose", `[data-testid="match-form"]`)
	if n := b.Count(t, `input[name="slot"]`); n != 1 {
		t.Fatalf("%d open times offered", n)
	}
	b.Click(t, `[data-testid="book-form"] .usa-radio__label`)
	b.Submit(t, "video-call-booked", `[data-testid="book-form"]`)
	if join := b.Attr(t, `[data-testid="join-link"]`, "href"); !strings.HasPrefix(join, "https://meet.example.gov/") {
		t.Fatalf("join link %q", join)
	}
	if got := b.Text(t, `[data-testid="appointment-time"]`); !strings.Contains(got, start.In(mustZone(t, "America/Phoenix")).Format("3:04 PM")) {
		t.Errorf("appointment time %q is not in Arizona time", got)
	}

	// Ten minutes before the call, the agent opens it from the schedule.
	p.Clock.Advance(start.Sub(p.Clock.Now()) - 10*time.Minute)
	agent.Visit(t, "console-schedule-booked", "/agent/schedule?day="+start.Format("2006-01-02"))
	agent.Navigate(t, "opening the appointment", chromedp.Click(chromedp.CSS(`[data-testid="schedule"] a`)))
	agent.Check(t, "console-appointment")
	if got := agent.Text(t, `[data-testid="appointment-compare"]`); !strings.Contains(got, "XXX-XX-4320") {
		t.Errorf("compare table: %q", got)
	}
	for _, item := range []string{"id", "current", "face", "name", "dob"} {
		agent.Click(t, `label[for="check-`+item+`"]`)
	}
	agent.Type(t, "#notes", "Passport card shown, front and back.")
	agent.Click(t, `label[for="result-verified"]`)
	agent.Navigate(t, "recording the outcome", chromedp.Click(chromedp.CSS(`[data-testid="record-outcome"]`)))
	agent.Check(t, "console-schedule-recorded")

	b.Load(t, "/verify")
	b.Check(t, "verify-password-after-call")
	b.Type(t, "#password", journeyPassword)
	b.Submit(t, "verify-done-after-call", `[data-testid="fields-form"]`)
	if got := b.Text(t, "h1"); got != "Your identity is verified" {
		t.Fatalf("at the end: %q", got)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestPhoneAssistanceJourney: the demo agent takes a call from Maria, whose
// account is locked and who lost her phone and her IP PIN letter: finds her,
// checks who she is, unlocks the account, has the PIN mailed and asks for
// her second factors to be reset; the demo supervisor approves the reset.
func TestPhoneAssistanceJourney(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	if _, err := demodata.Seed(t.Context(), p.DB, p.Vault, demodata.Options{Taxpayers: 10}); err != nil {
		t.Fatal(err)
	}
	tp, err := models.FindTaxpayerBySSN(t.Context(), p.DB, p.Vault, pii.MustSSN("987-65-4320"))
	if err != nil {
		t.Fatal(err)
	}
	now := p.Clock.Now()
	acct := models.Account{Email: "maria@example.com", EmailConfirmedAt: &now, PasswordHash: "x", PasswordChangedAt: now,
		Role: models.RoleTaxpayer, TaxpayerID: &tp.ID, VerifiedAt: &now, LockedAt: &now, ConsecutiveFailures: 100}
	if err := p.DB.Create(&acct).Error; err != nil {
		t.Fatal(err)
	}
	p.DB.Create(&models.SecondFactor{AccountID: acct.ID, Kind: models.FactorTOTP, Name: "Old phone", CreatedAt: now})
	pins := ippin.New(p.DB, p.Vault, ippin.DefaultSettings())
	pins.Now = p.Clock.Now
	if _, err := pins.Enrol(t.Context(), tp.ID, now); err != nil {
		t.Fatal(err)
	}

	b := NewBrowser(t, p, "phone-calls")
	signInStaff(t, b, p, demoStaff(t, models.RoleAgent))
	b.Visit(t, "console-calls", "/agent/calls")
	b.Click(t, `label[for="line-ippin"]`)
	b.Submit(t, "console-call-new", `[data-testid="start-call-form"]`)
	b.Type(t, "#last_name", "Hernandez")
	b.Type(t, "#last4", "4320")
	b.Submit(t, "console-call-found", `[data-testid="find-form"]`)
	b.Submit(t, "console-call-checklist", `[data-testid="results"] form`)
	b.Type(t, "#answer-dob", "03/14/1986")
	b.Navigate(t, "checking the date of birth", chromedp.Click(chromedp.CSS(`[data-testid="check-dob"] [type=submit]`)))
	b.Type(t, "#answer-street", "2417 Desert Willow Drive")
	b.Navigate(t, "checking the street", chromedp.Click(chromedp.CSS(`[data-testid="check-street"] [type=submit]`)))
	b.Type(t, "#answer-zip", "85016")
	b.Submit(t, "console-call-verified", `[data-testid="check-zip"]`)
	if b.Count(t, `[data-testid="caller-verified"]`) != 1 {
		t.Fatal("the caller is not verified")
	}
	b.Submit(t, "console-call-reason-missing", `[data-testid="action-unlock"]`)
	b.Type(t, "#reason-unlock", "Caller locked out after too many tries")
	b.Submit(t, "console-call-unlocked", `[data-testid="action-unlock"]`)
	b.Type(t, "#reason-ippin", "Caller lost the IP PIN letter")
	b.Submit(t, "console-call-pin-mailed", `[data-testid="action-ippin"]`)
	b.Type(t, "#reason-reset", "Caller lost the phone with the app")
	b.Submit(t, "console-call-reset-asked", `[data-testid="action-reset"]`)
	if got := b.Text(t, `[data-testid="reset-state"]`); !strings.Contains(got, "waiting") {
		t.Fatalf("reset state %q", got)
	}

	sup := b.AnotherDevice(t)
	signInStaff(t, sup, p, demoStaff(t, models.RoleSupervisor))
	sup.Visit(t, "console-approvals", "/agent/approvals")
	sup.Type(t, "[data-testid^=\"approval-\"] input[name=reason]", "Checked the call record")
	sup.Navigate(t, "approving", chromedp.Click(chromedp.CSS(`[data-testid="approve"]`)))
	sup.Check(t, "console-approvals-done")
	var factors int64
	p.DB.Model(&models.SecondFactor{}).Where("account_id = ?", acct.ID).Count(&factors)
	if factors != 0 {
		t.Errorf("%d second factors left after the approved reset", factors)
	}
}
