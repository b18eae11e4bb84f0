package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/portaltest"
)

// startCall opens a call record on a line and returns its address.
func startCall(t *testing.T, c *portaltest.Client, line string) string {
	t.Helper()
	page := c.Get("/agent/calls")
	expectProblem(t, c.Submit(page, `[data-testid="start-call-form"]`, nil), http.StatusUnprocessableEntity, "Choose the line")
	got := c.Submit(page, `[data-testid="start-call-form"]`, url.Values{"line": {line}})
	expectRedirect(t, got, "/agent/calls/")
	return got.Header.Get("Location")
}

// verifyCaller finds Maria and answers the checklist, one miss included.
func verifyCaller(t *testing.T, c *portaltest.Client, call string) *portaltest.Page {
	t.Helper()
	page := c.Get(call)
	expectProblem(t, c.Submit(page, `[data-testid="find-form"]`, url.Values{"last_name": {"Hernandez"}}), http.StatusUnprocessableEntity, "last 4 digits")
	found := c.Submit(page, `[data-testid="find-form"]`, url.Values{"last_name": {"hernandez"}, "last4": {"4320"}})
	if found.StatusCode != http.StatusOK || found.Doc.Find(`[data-testid="pick-caller"]`).Length() != 1 {
		t.Fatalf("search: %d\n%s", found.StatusCode, found.Text("main"))
	}
	if strings.Contains(found.Body, "987-65-4320") || strings.Contains(found.Request.URL.String(), "4320") {
		t.Error("the full SSN is on the page, or the search is in the URL")
	}
	expectRedirect(t, c.Submit(found, `[data-testid="results"] form`, nil), call)
	page = c.Get(call)
	if !strings.Contains(page.Text(`[data-testid="caller"]`), "Hernandez") || strings.Contains(page.Text(`[data-testid="checklist"]`), "Desert Willow") {
		t.Fatalf("checklist shows the record's answers or not the caller:\n%s", page.Text("main"))
	}
	expectRedirect(t, c.Submit(page, `[data-testid="check-dob"]`, url.Values{"answer": {"03/15/1986"}}), call)
	page = c.Get(call)
	if page.Text(`[data-testid="result-dob"]`) != "No match" {
		t.Errorf("a wrong date: %q", page.Text(`[data-testid="result-dob"]`))
	}
	for q, answer := range map[string]string{"dob": "3/14/1986", "street": "2417 Desert Willow Drive", "zip": "85016"} {
		expectRedirect(t, c.Submit(c.Get(call), `[data-testid="check-`+q+`"]`, url.Values{"answer": {answer}}), call)
	}
	page = c.Get(call)
	if page.Doc.Find(`[data-testid="caller-verified"]`).Length() == 0 {
		t.Fatalf("not verified:\n%s", page.Text("main"))
	}
	return page
}

func TestPhoneAssistance(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	holder := verifiedTaxpayer(t, p, "maria@example.com", mariaID)
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	supervisor := signInStaff(t, p, staffMember(t, models.RoleSupervisor))
	if _, err := pinService(p).Enrol(t.Context(), mariaID, p.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	p.DB.Model(&models.Account{}).Where("email = ?", holder.email).Updates(map[string]any{"locked_at": p.Clock.Now(), "consecutive_failures": 100})

	call := startCall(t, agent, "ippin")
	// Nothing can be done before the caller is verified.
	token := csrfOf(t, agent.Get(call))
	expectProblem(t, agent.PostForm(call+"/unlock", url.Values{"_csrf": {token}, "reason": {"locked out"}}), http.StatusUnprocessableEntity, "Verify the caller first")
	// Another staff member's call is not theirs to see.
	if got := supervisor.Get(call); got.StatusCode != http.StatusNotFound {
		t.Errorf("another agent's call: %d", got.StatusCode)
	}

	page := verifyCaller(t, agent, call)
	var opened int64
	p.DB.Model(&models.AuditEntry{}).Where("action = ? AND taxpayer_id = ? AND reason LIKE ?", audit.ActionTaxpayerOpened, mariaID, "Phone call %").Count(&opened)
	if opened != 1 {
		t.Errorf("%d audit entries for finding the caller", opened)
	}
	if !strings.Contains(page.Text(`[data-testid="account-state"]`), "locked") {
		t.Errorf("account state: %q", page.Text(`[data-testid="account-state"]`))
	}

	// Unlock: a reason is required.
	expectProblem(t, agent.Submit(page, `[data-testid="action-unlock"]`, nil), http.StatusUnprocessableEntity, "Give a reason")
	if v := page.Doc.Find(`#reason-unlock`); v.Length() != 1 {
		t.Fatal("no reason field")
	}
	expectRedirect(t, agent.Submit(page, `[data-testid="action-unlock"]`, url.Values{"reason": {"Caller locked out after forgetting password"}}), call+"?done=unlock")
	acct, _ := models.FindAccountByEmail(t.Context(), p.DB, holder.email)
	if acct.LockedAt != nil || acct.ConsecutiveFailures != 0 {
		t.Error("still locked")
	}
	if !strings.Contains(lastMail(t, p, holder.email).Subject, "unlocked") {
		t.Error("no unlock e-mail")
	}

	// Mail the IP PIN: a letter is queued, the agent never sees the PIN.
	page = agent.Get(call)
	pin, err := pinService(p).Current(t.Context(), mariaID, p.Clock.Now().Year())
	if err != nil {
		t.Fatal(err)
	}
	expectRedirect(t, agent.Submit(page, `[data-testid="action-ippin"]`, url.Values{"reason": {"Caller lost the IP PIN letter"}}), call+"?done=ippin")
	after := agent.Get(call + "?done=ippin")
	if strings.Contains(after.Body, pin.PIN.Digits()) {
		t.Error("the PIN is on the agent's screen")
	}
	var letters int64
	p.DB.Model(&models.Letter{}).Where("taxpayer_id = ? AND kind = ?", mariaID, models.LetterIPPINNotice).Count(&letters)
	if letters != 1 {
		t.Errorf("%d IP PIN letters", letters)
	}
	var mailed models.AuditEntry
	if err := p.DB.Where("action = ?", audit.ActionIPPINMailed).Take(&mailed).Error; err != nil || !strings.Contains(mailed.Reason, "lost the IP PIN letter") {
		t.Errorf("audit of the letter: %v %q", err, mailed.Reason)
	}

	// Notes.
	expectProblem(t, agent.Submit(after, `[data-testid="note-form"]`, nil), http.StatusUnprocessableEntity, "Write the note first")
	expectRedirect(t, agent.Submit(after, `[data-testid="note-form"]`, url.Values{"note": {"Caller will watch the mail."}}), call+"?done=notes")
	if !strings.Contains(agent.Get(call).Text(`[data-testid="call-notes"]`), "Caller will watch the mail.") {
		t.Error("the note is not shown")
	}

	// Reset the second factors: pending until a supervisor approves.
	page = agent.Get(call)
	expectRedirect(t, agent.Submit(page, `[data-testid="action-reset"]`, url.Values{"reason": {"Caller lost the phone with the app"}}), call+"?done=reset")
	if !strings.Contains(agent.Get(call).Text(`[data-testid="reset-state"]`), "waiting") {
		t.Error("the pending reset is not shown")
	}
	var factors int64
	p.DB.Model(&models.SecondFactor{}).Where("account_id = ?", acct.ID).Count(&factors)
	if factors == 0 {
		t.Fatal("the factors went before approval")
	}
	if got := agent.Get("/agent/approvals"); got.StatusCode != http.StatusNotFound {
		t.Errorf("an agent sees approvals: %d", got.StatusCode)
	}
	approvals := supervisor.Get("/agent/approvals")
	if approvals.Doc.Find(`[data-testid="approve"]`).Length() != 1 || strings.Contains(approvals.Body, holder.email) {
		t.Fatalf("approvals page:\n%s", approvals.Text("main"))
	}
	if row := approvals.Text(`[data-testid^="approval-"]`); !strings.Contains(row, "Maria") || !strings.Contains(row, notify.MaskEmail(holder.email)) {
		t.Errorf("the request does not name the taxpayer and the masked account:\n%s", row)
	}
	expectProblem(t, supervisor.Submit(approvals, `[data-testid^="approval-"] form`, url.Values{"decision": {"approve"}}), http.StatusUnprocessableEntity, "Give the reason")
	expectRedirect(t, supervisor.Submit(approvals, `[data-testid^="approval-"] form`, url.Values{"decision": {"approve"}, "reason": {"Checked the call record"}}), "/agent/approvals?done=approved")
	p.DB.Model(&models.SecondFactor{}).Where("account_id = ?", acct.ID).Count(&factors)
	if factors != 0 {
		t.Error("approval left the factors")
	}
	if !strings.Contains(lastMail(t, p, holder.email).Subject, "sign-in methods were reset") {
		t.Error("no reset e-mail")
	}
	if got := holder.c.Get("/account"); got.StatusCode == http.StatusOK {
		t.Error("the holder's session survived the reset")
	}

	// Ending the call stops further actions.
	expectRedirect(t, agent.Submit(agent.Get(call), `form[action$="/end"]`, nil), call+"?done=ended")
	if got := agent.PostForm(call+"/notes", url.Values{"_csrf": {token}, "note": {"late"}}); got.StatusCode != http.StatusConflict {
		t.Errorf("a note after the end: %d", got.StatusCode)
	}
	if rep, err := (&audit.Log{DB: p.DB}).Verify(t.Context()); err != nil || !rep.Intact() {
		t.Errorf("audit chain: %v %s", err, rep.Problem)
	}
}

// TestSupervisorCannotApproveOwnReset: the two-person rule on screen. A
// supervisor who asked for a reset on their own call is shown no buttons,
// and a forged approval is refused.
func TestSupervisorCannotApproveOwnReset(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	verifiedTaxpayer(t, p, "maria@example.com", mariaID)
	supervisor := signInStaff(t, p, staffMember(t, models.RoleSupervisor))
	call := startCall(t, supervisor, "general")
	page := verifyCaller(t, supervisor, call)
	expectRedirect(t, supervisor.Submit(page, `[data-testid="action-reset"]`, url.Values{"reason": {"Lost phone"}}), call+"?done=reset")
	approvals := supervisor.Get("/agent/approvals")
	if approvals.Doc.Find(`[data-testid="own-request"]`).Length() != 1 || approvals.Doc.Find(`[data-testid="approve"]`).Length() != 0 {
		t.Fatalf("own request offered for approval:\n%s", approvals.Text("main"))
	}
	var req models.FactorReset
	p.DB.Take(&req)
	got := supervisor.PostForm("/agent/approvals/"+itoa(req.ID), url.Values{"_csrf": {csrfOf(t, approvals)}, "decision": {"approve"}, "reason": {"self"}})
	if got.StatusCode != http.StatusForbidden {
		t.Errorf("approving one's own request: %d", got.StatusCode)
	}
	p.DB.Take(&req, req.ID)
	var factors int64
	p.DB.Model(&models.SecondFactor{}).Where("account_id = ?", req.AccountID).Count(&factors)
	if req.Status != "pending" || factors == 0 {
		t.Errorf("the reset took effect: %s, %d factors", req.Status, factors)
	}
}
