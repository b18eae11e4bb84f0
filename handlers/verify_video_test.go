package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/casework"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// toVideoCall takes a new account through consent, the video method, the
// SSN, the information and the match, to the booking page.
func toVideoCall(t *testing.T, p *portaltest.Portal, c *portaltest.Client, email string) []byte {
	t.Helper()
	secret := signUp(t, p, c, email)
	expectRedirect(t, c.Submit(c.Get("/verify/consent"), `[data-testid="consent-form"]`, url.Values{"consent": {"yes"}}), "/verify/method")
	expectRedirect(t, c.Submit(c.Get("/verify/method"), `[data-testid="choice-form"]`, url.Values{"method": {"video"}}), "/verify/ssn")
	expectRedirect(t, c.Submit(c.Get("/verify/ssn"), `[data-testid="fields-form"]`, url.Values{"ssn": {"987 65 4320"}}), "/verify/information")
	expectRedirect(t, c.Submit(c.Get("/verify/information"), `[data-testid="info-form"]`, maria), "/verify/match")
	expectRedirect(t, c.Submit(c.Get("/verify/match"), `[data-testid="match-form"]`, nil), "/verify/video-call")
	return secret
}

// videoAttempt puts an account straight at the booking step, matched to
// a taxpayer, as if it had answered the earlier steps.
func videoAttempt(t *testing.T, p *portaltest.Portal, email, ssn string) (*portaltest.Client, []byte) {
	t.Helper()
	c := p.Client(t)
	secret := signUp(t, p, c, email)
	acct, err := models.FindAccountByEmail(t.Context(), p.DB, email)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := models.FindTaxpayerBySSN(t.Context(), p.DB, p.Vault, mustSSN(ssn))
	if err != nil {
		t.Fatal(err)
	}
	now := p.Clock.Now()
	sealed, _ := p.Vault.SealString(models.ColumnVerificationSSN, mustSSN(ssn).Digits())
	v := models.IdentityVerification{AccountID: acct.ID, ConsentedAt: &now, Method: models.MethodVideo, SSNSealed: sealed,
		FirstName: tp.FirstName, LastName: tp.LastName, InfoAt: &now, TaxpayerID: &tp.ID, MatchedAt: &now, ExpiresAt: now.Add(30 * 24 * time.Hour)}
	if err := p.DB.Create(&v).Error; err != nil {
		t.Fatal(err)
	}
	return c, secret
}

// tomorrow is the date, in the portal's zone, a day after the clock.
func tomorrow(p *portaltest.Portal) string {
	return p.Clock.Now().In(p.Config.TimeZone).AddDate(0, 0, 1).Format("2006-01-02")
}

// publishTimes has the agent publish 10:00 to 11:00 tomorrow as two
// 30-minute calls, and returns their slot ids.
func publishTimes(t *testing.T, p *portaltest.Portal, agent *portaltest.Client) []string {
	t.Helper()
	sched := agent.Get("/agent/schedule")
	if sched.StatusCode != http.StatusOK {
		t.Fatalf("schedule: %d", sched.StatusCode)
	}
	bad := agent.Submit(sched, `[data-testid="publish-form"]`, url.Values{"date": {tomorrow(p)}, "start": {"ten"}, "length": {"30"}})
	expectProblem(t, bad, http.StatusUnprocessableEntity, "Enter when the first call starts")
	if bad.Doc.Find(`#date`).AttrOr("value", "") != tomorrow(p) {
		t.Error("the date typed was lost")
	}
	got := agent.Submit(sched, `[data-testid="publish-form"]`, url.Values{"date": {tomorrow(p)}, "start": {"10:00"}, "until": {"11:00"}, "length": {"30"}})
	expectRedirect(t, got, "/agent/schedule?day="+tomorrow(p))
	day := agent.Get(got.Header.Get("Location"))
	if !strings.Contains(day.Text(`[data-testid="schedule-notice"]`), "Published 2 times") {
		t.Errorf("notice: %q", day.Text(`[data-testid="schedule-notice"]`))
	}
	var ids []string
	day.Doc.Find(`[data-testid="schedule"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-testid")
		ids = append(ids, strings.TrimPrefix(id, "slot-"))
	})
	if len(ids) != 2 || !strings.Contains(day.Text(`[data-testid="schedule"]`), "10:00 AM to 10:30 AM") {
		t.Fatalf("slots %v:\n%s", ids, day.Text(`[data-testid="schedule"]`))
	}
	return ids
}

const bookSel = `[data-testid="book-form"]`

func TestVideoCallBookMoveCancelAndOutcome(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	slots := publishTimes(t, p, agent)

	c := p.Client(t)
	secret := toVideoCall(t, p, c, "maria@example.com")
	page := c.Get("/verify/video-call")
	if page.StatusCode != http.StatusOK || page.Doc.Find(`input[name="slot"]`).Length() != 2 {
		t.Fatalf("booking page: %d, %d times:\n%s", page.StatusCode, page.Doc.Find(`input[name="slot"]`).Length(), page.Text("main"))
	}
	// Maria lives in Arizona: times show in Arizona time unless she picks another zone.
	if !strings.Contains(page.Text("main"), "Arizona time") || !strings.Contains(page.Text(`[data-testid="book-form"]`), "8:00 AM to 8:30 AM MST") {
		t.Errorf("times not in her zone:\n%s", page.Text(`[data-testid="book-form"]`))
	}
	pacific := c.Get("/verify/video-call?tz=America/Los_Angeles")
	if !strings.Contains(pacific.Text(`[data-testid="book-form"]`), "7:00 AM to 7:30 AM P") {
		t.Errorf("zone choice ignored:\n%s", pacific.Text(`[data-testid="book-form"]`))
	}
	expectProblem(t, c.Submit(page, bookSel, nil), http.StatusUnprocessableEntity, "Choose a time")

	booked := c.Submit(page, bookSel, url.Values{"slot": {slots[0]}})
	expectRedirect(t, booked, "/verify/video-call")
	page = c.Get(booked.Header.Get("Location"))
	join, _ := page.Doc.Find(`[data-testid="join-link"]`).Attr("href")
	if !strings.HasPrefix(join, "https://meet.example.gov/") || len(join) < len("https://meet.example.gov/")+26 {
		t.Fatalf("join link %q:\n%s", join, page.Text("main"))
	}
	mail := lastMail(t, p, "maria@example.com")
	if !strings.Contains(mail.Subject, "is booked") || !strings.Contains(mail.Text, join) || !strings.Contains(mail.Text, "8:00 AM MST") {
		t.Errorf("confirmation: %s\n%s", mail.Subject, mail.Text)
	}

	// Someone else: cannot take the booked time, nor cancel or move Maria's appointment.
	joe, _ := videoAttempt(t, p, "joe@example.com", "987-65-4321")
	joePage := joe.Get("/verify/video-call")
	expectProblem(t, joe.Submit(joePage, bookSel, url.Values{"slot": {slots[0]}}), http.StatusConflict, "Someone else just booked that time")
	token := csrfOf(t, joePage)
	if got := joe.PostForm("/verify/video-call", url.Values{"_csrf": {token}, "action": {"cancel"}, "appointment": {slots[0]}}); got.StatusCode != http.StatusNotFound {
		t.Errorf("cancelling another's appointment: %d", got.StatusCode)
	}
	if got := joe.PostForm("/verify/video-call", url.Values{"_csrf": {token}, "action": {"move"}, "appointment": {slots[0]}, "slot": {slots[1]}}); got.StatusCode != http.StatusNotFound {
		t.Errorf("moving another's appointment: %d", got.StatusCode)
	}
	if agent.Get("/agent/appointments/"+slots[1]).StatusCode != http.StatusNotFound {
		t.Error("an open time opens as an appointment")
	}

	// Maria moves, cancels, and books again.
	expectRedirect(t, c.Submit(page, bookSel, url.Values{"slot": {slots[1]}}), "/verify/video-call")
	page = c.Get("/verify/video-call")
	if join2, _ := page.Doc.Find(`[data-testid="join-link"]`).Attr("href"); join2 == join || !strings.Contains(page.Text(`[data-testid="appointment-time"]`), "8:30 AM") {
		t.Errorf("after moving: %q %q", join2, page.Text(`[data-testid="appointment-time"]`))
	}
	expectRedirect(t, c.Submit(page, `[data-testid="cancel-form"]`, nil), "/verify/video-call")
	page = c.Get("/verify/video-call")
	if page.Doc.Find(`[data-testid="appointment"]`).Length() != 0 || !strings.Contains(lastMail(t, p, "maria@example.com").Subject, "cancelled") {
		t.Error("still booked after cancelling, or no e-mail")
	}
	expectRedirect(t, c.Submit(page, bookSel, url.Values{"slot": {slots[1]}}), "/verify/video-call")

	// The agent opens the appointment: the entries beside the record, audited.
	sched := agent.Get("/agent/schedule?day=" + tomorrow(p))
	if !strings.Contains(sched.Text(`[data-testid="slot-`+slots[1]+`"]`), "Hernandez") {
		t.Errorf("schedule row: %q", sched.Text(`[data-testid="slot-`+slots[1]+`"]`))
	}
	// The review queue lists it as the agent's own call to open.
	queue := agent.Get("/agent")
	call := queue.Doc.Find(`[data-testid="video-calls"] [data-testid="queue-item"]`)
	if call.Length() != 1 || !strings.Contains(call.Text(), "Video call "+slots[1]) {
		t.Fatalf("the queue does not list the booked call:\n%s", queue.Text(`[data-testid="video-calls"]`))
	}
	if href, _ := call.Find(`[data-testid="continue-case"]`).Attr("href"); href != "/agent/appointments/"+slots[1] {
		t.Errorf("the queue's call links to %q", href)
	}
	appt := agent.Get("/agent/appointments/" + slots[1])
	if appt.StatusCode != http.StatusOK || !strings.Contains(appt.Text(`[data-testid="appointment-compare"]`), "XXX-XX-4320") ||
		strings.Contains(appt.Body, "987-65-4320") {
		t.Fatalf("appointment: %d\n%s", appt.StatusCode, appt.Text("main"))
	}
	var opened int64
	p.DB.Model(&models.AuditEntry{}).Where("action = ? AND subject = ?", audit.ActionTaxpayerOpened, "appointment:"+slots[1]).Count(&opened)
	if opened != 1 {
		t.Errorf("%d audit entries for opening the appointment", opened)
	}
	// Another agent's call: when and with whom, but not the person.
	var slot models.VideoSlot
	p.DB.Take(&slot, slots[1])
	spare, _, err := casework.CreateStaff(t.Context(), p.DB, "spare@example.com", models.RoleAgent, p.Clock.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	owner := slot.AgentID
	p.DB.Model(&slot).Update("agent_id", spare.ID)
	notMine := agent.Get("/agent/appointments/" + slots[1])
	if notMine.Doc.Find(`[data-testid="appointment-not-mine"]`).Length() != 1 || notMine.Doc.Find(`[data-testid="appointment-compare"]`).Length() != 0 ||
		notMine.Doc.Find(`[data-testid="agent-join"]`).Length() != 0 || strings.Contains(notMine.Body, "XXX-XX-4320") {
		t.Errorf("another agent's appointment shows the person:\n%s", notMine.Text("main"))
	}
	p.DB.Model(&slot).Update("agent_id", owner)
	p.DB.Model(&models.AuditEntry{}).Where("action = ? AND subject = ?", audit.ActionTaxpayerOpened, "appointment:"+slots[1]).Count(&opened)
	if opened != 1 {
		t.Errorf("%d audit entries after another agent looked at the call, want 1", opened)
	}
	all := url.Values{"check": {"genuine", "current", "face", "name", "dob"}, "result": {"verified"}, "save": {"outcome"}}
	expectProblem(t, agent.Submit(appt, `[data-testid="outcome-form"]`, all), http.StatusConflict, "has not started yet")
	// A day later, the call is on: both sign in again.
	p.Clock.Advance(25 * time.Hour)
	agent = signInStaff(t, p, staffMember(t, models.RoleAgent))
	appt = agent.Get("/agent/appointments/" + slots[1])
	expectRedirect(t, signIn(t, p, c, "maria@example.com", secret), "/")
	expectProblem(t, agent.Submit(appt, `[data-testid="outcome-form"]`, url.Values{"check": {"genuine"}, "result": {"verified"}, "save": {"outcome"}}),
		http.StatusUnprocessableEntity, "Confirm every item")
	expectProblem(t, agent.Submit(appt, `[data-testid="outcome-form"]`, url.Values{"result": {"failed"}, "save": {"outcome"}, "notes": {"kept"}}),
		http.StatusUnprocessableEntity, "Say why")
	expectRedirect(t, agent.Submit(appt, `[data-testid="outcome-form"]`, url.Values{"notes": {"Passport card shown."}, "save": {"notes"}}), "/agent/appointments/")
	all.Set("notes", "Passport card shown, front and back.")
	expectRedirect(t, agent.Submit(appt, `[data-testid="outcome-form"]`, all), "/agent/schedule")
	if again := agent.Submit(appt, `[data-testid="outcome-form"]`, all); again.StatusCode != http.StatusNotFound {
		t.Errorf("a second outcome: %d", again.StatusCode)
	}
	if !strings.Contains(agent.Get("/agent/appointments/"+slots[1]).Text(`[data-testid="appointment-outcome"]`), "Verified") {
		t.Error("the outcome is not shown")
	}
	if !strings.Contains(lastMail(t, p, "maria@example.com").Subject, "accepted") {
		t.Error("no e-mail about the accepted ID")
	}

	// Maria finishes with her password.
	expectRedirect(t, c.Get("/verify"), "/verify/password")
	expectRedirect(t, c.Submit(c.Get("/verify/password"), `[data-testid="fields-form"]`, url.Values{"password": {password}}), "/verify/done")
	acct, _ := models.FindAccountByEmail(t.Context(), p.DB, "maria@example.com")
	if acct.VerifiedAt == nil || acct.TaxpayerID == nil {
		t.Error("Maria is not verified")
	}
}

func TestVideoCallFailedOutcomeLetsThePersonBookAgain(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	slots := publishTimes(t, p, agent)
	c, secret := videoAttempt(t, p, "maria@example.com", "987-65-4320")
	page := c.Get("/verify/video-call")
	expectRedirect(t, c.Submit(page, bookSel, url.Values{"slot": {slots[0]}}), "/verify/video-call")
	p.Clock.Advance(24 * time.Hour)
	agent = signInStaff(t, p, staffMember(t, models.RoleAgent))
	appt := agent.Get("/agent/appointments/" + slots[0])
	expectRedirect(t, agent.Submit(appt, `[data-testid="outcome-form"]`, url.Values{"result": {"failed"}, "reason": {"The ID shown had expired."}, "save": {"outcome"}}), "/agent/schedule")
	mail := lastMail(t, p, "maria@example.com")
	expectRedirect(t, signIn(t, p, c, "maria@example.com", secret), "/")
	if !strings.Contains(mail.Text, "The ID shown had expired.") {
		t.Errorf("failure e-mail: %s", mail.Text)
	}
	page = c.Get("/verify/video-call")
	if !strings.Contains(page.Text(`[data-testid="video-rejected"]`), "The ID shown had expired.") || page.Doc.Find(`[data-testid="appointment"]`).Length() != 0 {
		t.Errorf("after a failed call:\n%s", page.Text("main"))
	}
	var rejected int64
	p.DB.Model(&models.AuditEntry{}).Where("action = ? AND subject = ?", audit.ActionDocumentsRejected, "appointment:"+slots[0]).Count(&rejected)
	if rejected != 1 {
		t.Errorf("%d audit entries for the failed call", rejected)
	}
}

// TestBookACallInsteadOfWaiting: from the document review, the person
// switches to a video call and keeps their other answers.
func TestBookACallInsteadOfWaiting(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	c := p.Client(t)
	toReview(t, p, c)
	review := c.Get("/verify/review")
	link, ok := review.Doc.Find(`a[href="/verify/video-call/instead"]`).Attr("href")
	if !ok {
		t.Fatalf("the review page offers no call instead:\n%s", review.Text("main"))
	}
	instead := c.Get(link)
	expectRedirect(t, c.Submit(instead, `[data-testid="instead-form"]`, nil), "/verify/video-call")
	v := attempt(t, p)
	if v.Method != models.MethodVideo || v.TaxpayerID == nil || v.DocumentsQueuedAt != nil {
		t.Errorf("after switching: %+v", v)
	}
	var images int64
	p.DB.Model(&models.DocumentImage{}).Where("verification_id = ?", v.ID).Count(&images)
	if images != 0 {
		t.Errorf("%d photos kept after switching", images)
	}
	if got := c.Get("/verify/video-call/instead"); got.StatusCode != http.StatusSeeOther {
		t.Errorf("the switch offered again on the video route: %d", got.StatusCode)
	}
}

func TestScheduleRemoveAndOverlap(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	supervisor := signInStaff(t, p, staffMember(t, models.RoleSupervisor))
	slots := publishTimes(t, p, agent)
	sched := agent.Get("/agent/schedule?day=" + tomorrow(p))
	expectProblem(t, agent.Submit(sched, `[data-testid="publish-form"]`, url.Values{"date": {tomorrow(p)}, "start": {"10:15"}, "length": {"30"}}),
		http.StatusUnprocessableEntity, "You already have a call at that time")
	expectProblem(t, agent.Submit(sched, `[data-testid="publish-form"]`, url.Values{"date": {"2020-01-01"}, "start": {"10:00"}, "length": {"30"}}),
		http.StatusUnprocessableEntity, "Choose a time in the future")

	// Someone else's time is not theirs to remove.
	token := csrfOf(t, supervisor.Get("/agent/schedule"))
	if got := supervisor.PostForm("/agent/schedule/slots/"+slots[0]+"/remove", url.Values{"_csrf": {token}}); got.StatusCode != http.StatusNotFound {
		t.Errorf("removing another agent's time: %d", got.StatusCode)
	}
	// A booked time stays; an open one goes.
	c, _ := videoAttempt(t, p, "maria@example.com", "987-65-4320")
	page := c.Get("/verify/video-call")
	expectRedirect(t, c.Submit(page, bookSel, url.Values{"slot": {slots[0]}}), "/verify/video-call")
	expectProblem(t, agent.Submit(sched, `[data-testid="slot-`+slots[0]+`"] form`, nil), http.StatusConflict, "booked in the meantime")
	expectRedirect(t, agent.Submit(sched, `[data-testid="slot-`+slots[1]+`"] form`, nil), "/agent/schedule?day="+tomorrow(p))
	after := agent.Get("/agent/schedule?day=" + tomorrow(p))
	if after.Doc.Find(`[data-testid="slot-`+slots[1]+`"]`).Length() != 0 || after.Doc.Find(`[data-testid="slot-`+slots[0]+`"]`).Length() != 1 {
		t.Errorf("after removing:\n%s", after.Text(`[data-testid="schedule"]`))
	}
	// The supervisor may open the agent's appointment but the call is the agent's own.
	if got := supervisor.Get("/agent/appointments/" + slots[0]); got.StatusCode != http.StatusOK {
		t.Errorf("a supervisor opening an appointment: %d", got.StatusCode)
	}
}

// anotherAgent adds an agent with an authentication app and signs them in.
func anotherAgent(t *testing.T, p *portaltest.Portal, email string) *portaltest.Client {
	t.Helper()
	hash, err := credential.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("another-agent-secret")
	sealed, err := p.Vault.Seal(models.ColumnTOTPSecret, secret)
	if err != nil {
		t.Fatal(err)
	}
	now := p.Clock.Now()
	acct := models.Account{Email: email, EmailConfirmedAt: &now, PasswordHash: hash, PasswordChangedAt: now, Role: models.RoleAgent}
	if err := p.DB.Create(&acct).Error; err != nil {
		t.Fatal(err)
	}
	if err := p.DB.Create(&models.SecondFactor{AccountID: acct.ID, Kind: models.FactorTOTP, Name: "App", SecretSealed: sealed, CreatedAt: now}).Error; err != nil {
		t.Fatal(err)
	}
	c := p.Client(t)
	expectRedirect(t, signIn(t, p, c, email, secret), "/agent")
	return c
}

// TestOnlyTheCallsAgentRecordsItsOutcome: another agent may open the
// appointment (it is listed in the shared queue) but not decide it.
func TestOnlyTheCallsAgentRecordsItsOutcome(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	slots := publishTimes(t, p, agent)
	c, _ := videoAttempt(t, p, "maria@example.com", "987-65-4320")
	page := c.Get("/verify/video-call")
	expectRedirect(t, c.Submit(page, bookSel, url.Values{"slot": {slots[0]}}), "/verify/video-call")
	other := anotherAgent(t, p, "other.agent@example.com")
	appt := other.Get("/agent/appointments/" + slots[0])
	if appt.StatusCode != http.StatusOK || appt.Doc.Find(`[data-testid="outcome-form"]`).Length() != 0 {
		t.Fatalf("another agent's view: %d, outcome form shown: %d", appt.StatusCode, appt.Doc.Find(`[data-testid="outcome-form"]`).Length())
	}
	got := other.PostForm("/agent/appointments/"+slots[0], url.Values{"_csrf": {csrfOf(t, appt)}, "result": {"verified"}, "save": {"outcome"},
		"check": {"genuine", "current", "face", "name", "dob"}})
	if got.StatusCode != http.StatusNotFound {
		t.Errorf("another agent recording the outcome: %d", got.StatusCode)
	}
	if v := attempt(t, p); v.DocumentsApprovedAt != nil {
		t.Error("the verification moved on")
	}
}
