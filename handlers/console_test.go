package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/casework"
	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/portaltest"
	"github.com/taxportal/portal/views"
)

// staffMember is a demo agent or supervisor by role.
func staffMember(t *testing.T, role models.Role) demodata.StaffMember {
	t.Helper()
	m, ok := demodata.StaffWith(role)
	if !ok {
		t.Fatalf("no demo %s", role)
	}
	return m
}

// signInStaff signs a demo staff member in, with their authentication app;
// staff land on the console.
func signInStaff(t *testing.T, p *portaltest.Portal, m demodata.StaffMember) *portaltest.Client {
	t.Helper()
	c := p.Client(t)
	expectRedirect(t, c.Submit(c.Get("/sign-in"), `[data-testid="sign-in-form"]`, url.Values{"email": {m.Email}, "password": {m.Password}}), "/sign-in/verify")
	p.Clock.Advance(30 * time.Second) // each code works once
	verify := c.Get("/sign-in/verify")
	expectRedirect(t, c.Submit(verify, `[data-testid="factor-form"]`, url.Values{"code": {m.StaffCode(p.Clock.Now())}}), "/agent")
	return c
}

// toReview takes Maria from sign-up to her document set waiting in the
// queue, and returns its verification id.
func toReview(t *testing.T, p *portaltest.Portal, c *portaltest.Client) uint64 {
	t.Helper()
	addPhotos(t, c, toDocuments(t, p, c, "maria@example.com"))
	toConfirm(t, c)
	confirm := c.Get("/verify/confirm")
	expectRedirect(t, c.Submit(confirm, `[data-testid="send-code-form"]`, nil), "/verify/confirm")
	text, err := p.Outbox(t).ForRecipient(t.Context(), "6025550100", 1)
	if err != nil || len(text) == 0 {
		t.Fatalf("no text to the phone of record: %v", err)
	}
	expectRedirect(t, c.Submit(c.Get("/verify/confirm"), `[data-testid="phone-code-form"]`, url.Values{"code": {notifytest.CodeIn(text[0].Text)}}), "/verify/review")
	if review := c.Get("/verify/review"); review.StatusCode != http.StatusOK {
		t.Fatalf("review page: %d", review.StatusCode)
	}
	return attempt(t, p).ID
}

// tokenOn reads the CSRF token of a page the client can see.
func tokenOn(t *testing.T, c *portaltest.Client, path string) string {
	t.Helper()
	return csrfOf(t, c.Get(path))
}

var routeParam = regexp.MustCompile(`:[a-z_]+`)

// TestConsoleRoleMatrix tries every /agent route in the route table as
// signed out, a taxpayer, an agent and a supervisor. New routes are covered
// as they are added. Supervisor-only screens are those the console's
// navigation shows to supervisors alone.
func TestConsoleRoleMatrix(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	maria := p.Client(t)
	caseID := toReview(t, p, maria)
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	supervisor := signInStaff(t, p, staffMember(t, models.RoleSupervisor))
	// The agent holds the case, so its photos are theirs to see.
	expectRedirect(t, agent.PostForm("/agent/cases/"+itoa(caseID)+"/claim", url.Values{"_csrf": {tokenOn(t, agent, "/agent")}}), "/agent/cases/")
	spare, _, err := casework.CreateStaff(t.Context(), p.DB, "spare@example.com", models.RoleAgent, p.Clock.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := models.FindTaxpayerBySSN(t.Context(), p.DB, p.Vault, mustSSN("987-65-4321"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"/agent/cases/": itoa(caseID), "/agent/taxpayers/": itoa(tp.ID), "/agent/agents/": itoa(spare.ID)}
	// fill puts real ids in a route's parameters, and says whether it knew
	// them all: with a made-up id, a staff member's 404 may only mean that
	// the record does not exist. Add your area's ids above to have its
	// routes checked strictly.
	fill := func(path string) (string, bool) {
		known := true
		return routeParam.ReplaceAllStringFunc(path, func(param string) string {
			if param == ":side" {
				return "front"
			}
			for prefix, id := range ids {
				if strings.HasPrefix(path, prefix) {
					return id
				}
			}
			known = false
			return "1"
		}), known
	}
	supervisorOnly := func(path string) bool {
		for _, prefix := range []string{"/agent/agents", "/agent/audit", "/agent/approvals", "/agent/messages"} {
			if path == prefix || strings.HasPrefix(path, prefix+"/") {
				return true
			}
		}
		return false
	}
	anon := p.Client(t)
	anonToken := tokenOn(t, anon, "/sign-in")
	taxpayerToken := tokenOn(t, maria, "/account")
	agentToken, supervisorToken := tokenOn(t, agent, "/agent"), tokenOn(t, supervisor, "/agent")

	seen := 0
	for _, r := range p.Echo.Routes() {
		if r.Path != "/agent" && !strings.HasPrefix(r.Path, "/agent/") {
			continue
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			continue
		}
		seen++
		path, known := fill(r.Path)
		try := func(c *portaltest.Client, token string) *portaltest.Page {
			if r.Method == http.MethodGet {
				return c.Get(path)
			}
			return c.PostForm(path, url.Values{"_csrf": {token}})
		}
		name := r.Method + " " + r.Path
		if strings.HasSuffix(r.Path, "/images/:side") {
			// Earlier routes may have released the case or let the
			// supervisor take it: the agent holds it for this one.
			p.DB.Where("1 = 1").Delete(&models.CaseClaim{})
			expectRedirect(t, agent.PostForm("/agent/cases/"+itoa(caseID)+"/claim", url.Values{"_csrf": {agentToken}}), "/agent/cases/")
		}
		if got := try(anon, anonToken); got.StatusCode != http.StatusSeeOther || !strings.HasPrefix(got.Header.Get("Location"), "/sign-in") {
			t.Errorf("%s signed out: %d to %q, want the sign-in page", name, got.StatusCode, got.Header.Get("Location"))
		}
		if got := try(maria, taxpayerToken); got.StatusCode != http.StatusNotFound {
			t.Errorf("%s as a taxpayer: %d, want 404", name, got.StatusCode)
		}
		allowed := func(who string, got *portaltest.Page) {
			t.Helper()
			switch {
			case r.Method == http.MethodGet && !strings.Contains(r.Path, ":"):
				if got.StatusCode != http.StatusOK {
					t.Errorf("%s as %s: %d, want 200", name, who, got.StatusCode)
				}
			case got.StatusCode == http.StatusNotFound && !known:
				// a made-up id: not found is a fair answer
			case got.StatusCode == http.StatusNotFound || got.StatusCode >= 500 || got.StatusCode == http.StatusForbidden,
				strings.HasPrefix(got.Header.Get("Location"), "/sign-in"):
				t.Errorf("%s as %s: %d to %q, want it answered", name, who, got.StatusCode, got.Header.Get("Location"))
			}
		}
		agentGot := try(agent, agentToken)
		if supervisorOnly(r.Path) {
			if agentGot.StatusCode != http.StatusNotFound {
				t.Errorf("%s as an agent: %d, want 404 (supervisors only)", name, agentGot.StatusCode)
			}
		} else {
			allowed("an agent", agentGot)
		}
		supervisorGot := try(supervisor, supervisorToken)
		if strings.HasSuffix(r.Path, "/images/:side") {
			// A case's photos are for the agent holding it alone.
			if supervisorGot.StatusCode != http.StatusNotFound || agentGot.StatusCode != http.StatusOK {
				t.Errorf("%s: holder %d, someone else %d; want 200 and 404", name, agentGot.StatusCode, supervisorGot.StatusCode)
			}
			continue
		}
		allowed("a supervisor", supervisorGot)
	}
	if seen < 12 {
		t.Errorf("only %d console routes found", seen)
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// TestTwoAgentsNeverHoldOneCase races many claims on one case: exactly
// one agent wins, however the writes interleave.
func TestTwoAgentsNeverHoldOneCase(t *testing.T) {
	db := portaltest.DB(t)
	var agents []uint64
	for i := range 8 {
		a, _, err := casework.CreateStaff(t.Context(), db, "racer"+itoa(uint64(i))+"@example.com", models.RoleAgent, time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		agents = append(agents, a.ID)
	}
	claims := casework.Claims{DB: db}
	now := time.Now()
	for round := range 5 {
		subject := "verification:" + itoa(uint64(100+round))
		var wg sync.WaitGroup
		results := make([]error, len(agents))
		start := make(chan struct{})
		for i, id := range agents {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = claims.Claim(t.Context(), subject, id, now)
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range results {
			switch {
			case err == nil:
				won++
			case err != casework.ErrTaken:
				t.Fatalf("claim: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d agents hold the case, want exactly 1", round, won)
		}
		var rows int64
		db.Model(&models.CaseClaim{}).Where("subject = ?", subject).Count(&rows)
		if rows != 1 {
			t.Fatalf("round %d: %d claim rows", round, rows)
		}
	}
	// A lapsed claim can be taken over, and the first holder loses it.
	first, second := agents[0], agents[1]
	subject := "verification:999"
	if err := claims.Claim(t.Context(), subject, first, now); err != nil {
		t.Fatal(err)
	}
	if err := claims.Claim(t.Context(), subject, second, now.Add(casework.ClaimTimeout-time.Minute)); err != casework.ErrTaken {
		t.Fatalf("a live claim was taken over: %v", err)
	}
	later := now.Add(casework.ClaimTimeout + time.Minute)
	if err := claims.Claim(t.Context(), subject, second, later); err != nil {
		t.Fatalf("a lapsed claim: %v", err)
	}
	if err := claims.Touch(t.Context(), subject, first, later); err != casework.ErrNotHeld {
		t.Fatalf("the first holder still holds it: %v", err)
	}
}

// TestAnAgentDecidesACaseInTheConsole goes through the queue as the demo
// agent: claim, look, decide; the taxpayer moves on, is e-mailed, and sees
// the looks on their account.
func TestAnAgentDecidesACaseInTheConsole(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	maria := p.Client(t)
	caseID := toReview(t, p, maria)
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	other := signInStaff(t, p, staffMember(t, models.RoleSupervisor))

	queue := agent.Get("/agent")
	if queue.Doc.Find(`[data-testid="queue-item"]`).Length() != 1 || queue.Doc.Find(`[data-testid="queue-metrics"]`).Length() != 0 {
		t.Fatalf("the agent's queue:\n%s", queue.Text("main"))
	}
	if frag := agent.Get("/agent", "HX-Request", "true"); frag.Doc.Find("header").Length() != 0 || frag.Doc.Find(`[data-testid="queue"]`).Length() != 1 {
		t.Error("polling gets the list alone")
	}
	if m := other.Get("/agent"); m.Doc.Find(`[data-testid="queue-metrics"]`).Length() != 1 || !strings.Contains(m.Text(`[data-testid="queue-metrics"]`), "Waiting") {
		t.Error("supervisors see the queue's numbers")
	}
	expectRedirect(t, agent.Submit(queue, `[data-testid="queue-item"] form`, nil), "/agent/cases/"+itoa(caseID))
	// The other one is too late, and cannot see the photos.
	late := other.Get("/agent")
	if late.Doc.Find(`[data-testid="claim"]`).Length() != 0 || !strings.Contains(late.Text(`[data-testid="queue-item"]`), "A-") {
		t.Errorf("a claimed case shows its holder, without a claim button:\n%s", late.Text("main"))
	}
	expectRedirect(t, other.PostForm("/agent/cases/"+itoa(caseID)+"/claim", url.Values{"_csrf": {tokenOn(t, other, "/agent")}}), "/agent?case="+itoa(caseID)+"&problem=taken")
	if got := other.Get("/agent?case=" + itoa(caseID) + "&problem=taken").Text(`[data-testid="queue-error"]`); got != "Another agent claimed verification "+itoa(caseID)+" first." {
		t.Errorf("the loser is told: %q", got)
	}
	if img := other.Get("/agent/cases/" + itoa(caseID) + "/images/front"); img.StatusCode != http.StatusNotFound {
		t.Errorf("someone else's case photo: %d", img.StatusCode)
	}

	page := agent.Get("/agent/cases/" + itoa(caseID))
	if page.Doc.Find(`[data-testid="case-images"] img`).Length() != 3 {
		t.Fatalf("the case shows the three photos:\n%s", page.Text("main"))
	}
	compare := page.Text(`[data-testid="case-compare"]`)
	if !strings.Contains(compare, "XXX-XX-4320") || strings.Contains(page.Body, "987-65-4320") || !strings.Contains(compare, "March 14, 1986") {
		t.Errorf("the comparison masks the SSN and shows what the ID shows:\n%s", compare)
	}
	if img := agent.Get("/agent/cases/" + itoa(caseID) + "/images/selfie"); img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/jpeg" || img.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the holder's photo: %d %s", img.StatusCode, img.Header.Get("Content-Type"))
	}
	// Approving needs the whole checklist; a rejection needs reasons.
	expectProblem(t, agent.Submit(page, `[data-testid="decision-form"]`, url.Values{"decision": {"approve"}, "check": {"genuine", "face"}}),
		http.StatusUnprocessableEntity, "confirm every item")
	expectProblem(t, agent.Submit(page, `[data-testid="decision-form"]`, url.Values{"decision": {"reject"}}),
		http.StatusUnprocessableEntity, "at least one photo")
	kept := agent.Submit(page, `[data-testid="decision-form"]`, url.Values{"decision": {"another"}, "reason-back": {"blurred"}})
	if kept.StatusCode != http.StatusUnprocessableEntity || kept.Text("#reason-back") != "blurred" {
		t.Error("a form with problems keeps what was typed")
	}
	all := url.Values{"decision": {"approve"}, "check": {"genuine", "current", "face", "name", "dob"}}
	done := agent.Submit(page, `[data-testid="decision-form"]`, all)
	expectRedirect(t, done, "/agent?case="+itoa(caseID)+"&done=approve")
	if v := attempt(t, p); v.DocumentsApprovedAt == nil || v.DocumentsDecidedAt == nil {
		t.Fatal("the set is approved")
	}
	if !strings.Contains(lastMail(t, p, "maria@example.com").Subject, "ID was accepted") {
		t.Error("an e-mail tells Maria")
	}
	var claims int64
	p.DB.Model(&models.CaseClaim{}).Count(&claims)
	if claims != 0 {
		t.Error("the claim ends with the decision")
	}
	expectRedirect(t, maria.Get("/verify"), "/verify/password")
	// The decision is audited as the agent, and feeds the wait estimate.
	entries, err := audit.New(p.DB).Query(t.Context(), audit.Filter{Action: audit.ActionDocumentsApproved})
	if err != nil || len(entries) != 1 || entries[0].ActorNumber == "" || entries[0].ActorRole != models.RoleAgent {
		t.Fatalf("audit of the decision: %v %+v", err, entries)
	}
	if m := other.Get("/agent"); !strings.Contains(m.Text(`[data-testid="queue-metrics"]`), "Decided today1") &&
		!strings.Contains(strings.Join(strings.Fields(m.Text(`[data-testid="queue-metrics"]`)), " "), "Decided today 1") {
		t.Errorf("metrics count the decision: %s", m.Text(`[data-testid="queue-metrics"]`))
	}
	looks := maria.Get("/account").Text(`[data-testid="looks"]`)
	if !strings.Contains(looks, "Reviewed your identity documents") || !strings.Contains(looks, "Accepted your identity documents") ||
		!strings.Contains(looks, entries[0].ActorNumber) {
		t.Errorf("Maria sees who looked:\n%s", looks)
	}
}

// TestTaxpayerLookupAsksWhyAndTheTaxpayerSeesIt finds a taxpayer both ways,
// opens the records with a reason, and shows that look to the taxpayer.
func TestTaxpayerLookupAsksWhyAndTheTaxpayerSeesIt(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	maria := p.Client(t)
	toReview(t, p, maria)
	decide(t, p, true, "")
	expectRedirect(t, maria.Submit(maria.Get("/verify/password"), `[data-testid="fields-form"]`, url.Values{"password": {password}}), "/verify/done")
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))

	find := agent.Get("/agent/taxpayers")
	expectProblem(t, agent.Submit(find, `[data-testid="find-form"]`, url.Values{"by": {"name"}, "last_name": {"hernandez"}, "last4": {"43"}}),
		http.StatusUnprocessableEntity, "last four digits")
	byName := agent.Submit(find, `[data-testid="find-form"]`, url.Values{"by": {"name"}, "last_name": {"hernandez"}, "last4": {"4320"}})
	if byName.Doc.Find(`[data-testid="result"]`).Length() != 1 || !strings.Contains(byName.Text(`[data-testid="result"]`), "XXX-XX-4320") {
		t.Fatalf("by name and last four:\n%s", byName.Text("main"))
	}
	bySSN := agent.Submit(find, `[data-testid="find-form"]`, url.Values{"by": {"ssn"}, "ssn": {"987-65-4320"}})
	if bySSN.Doc.Find(`[data-testid="result"]`).Length() != 1 || strings.Contains(bySSN.Body, "987-65-4320") {
		t.Fatalf("by full SSN, never echoed:\n%s", bySSN.Text("main"))
	}
	open, _ := bySSN.Doc.Find(`[data-testid="result"] a`).Attr("href")
	ask := agent.Get(open)
	if ask.Doc.Find(`[data-testid="open-form"]`).Length() != 1 || ask.Doc.Find(`[data-testid="read-only"]`).Length() != 0 {
		t.Fatalf("opening asks why first:\n%s", ask.Text("main"))
	}
	expectProblem(t, agent.Submit(ask, `[data-testid="open-form"]`, url.Values{"kind": {"call"}}), http.StatusUnprocessableEntity, "reference")
	expectRedirect(t, agent.Submit(ask, `[data-testid="open-form"]`, url.Values{"kind": {"call"}, "reference": {"Call 0412, asked about the refund"}}), open)
	view := agent.Get(open)
	if view.Doc.Find(`[data-testid="read-only"]`).Length() != 1 || !strings.Contains(view.Text("h1"), "Maria") ||
		!strings.Contains(view.Text(`[data-testid="taxpayer-facts"]`), "XXX-XX-4320") || view.Doc.Find(`[data-testid="refund-headline"]`).Length() != 1 {
		t.Fatalf("the read-only view:\n%s", view.Text("main"))
	}
	looks := maria.Get("/account").Text(`[data-testid="looks"]`)
	if !strings.Contains(looks, "Opened your records") || !strings.Contains(looks, "Call: Call 0412, asked about the refund") {
		t.Errorf("Maria sees the look and why:\n%s", looks)
	}
	// Supervisors find it in the trail.
	sup := signInStaff(t, p, staffMember(t, models.RoleSupervisor))
	trail := sup.Get("/agent/audit?action=agent.taxpayer_opened")
	if trail.Doc.Find(`[data-testid="audit-entry"]`).Length() != 1 || !strings.Contains(trail.Text(`[data-testid="audit-entry"]`), "Call 0412") {
		t.Errorf("the audit trail, filtered:\n%s", trail.Text("main"))
	}
	if bad := sup.Get("/agent/audit?agent=someone"); bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad filter: %d", bad.StatusCode)
	}
}

// TestSupervisorsManageAgents adds an agent on screen (who chooses a
// password by the e-mailed link and must use an app), then disables them.
func TestSupervisorsManageAgents(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	sup := signInStaff(t, p, staffMember(t, models.RoleSupervisor))
	page := sup.Get("/agent/agents")
	expectProblem(t, sup.Submit(page, `[data-testid="add-agent-form"]`, url.Values{"email": {"not an address"}, "role": {"agent"}}),
		http.StatusUnprocessableEntity, "not an address")
	expectRedirect(t, sup.Submit(page, `[data-testid="add-agent-form"]`, url.Values{"email": {"new.agent@example.com"}, "role": {"agent"}}), "/agent/agents?agent=")
	expectProblem(t, sup.Submit(page, `[data-testid="add-agent-form"]`, url.Values{"email": {"new.agent@example.com"}, "role": {"agent"}}),
		http.StatusUnprocessableEntity, "already uses")
	mail := lastMail(t, p, "new.agent@example.com")
	link := regexp.MustCompile(`/password/reset\?token=[A-Za-z0-9_-]+`).FindString(mail.Text)
	if link == "" {
		t.Fatalf("no link in %q", mail.Text)
	}
	c := p.Client(t)
	reset := c.Get(link)
	if done := c.Submit(reset, `[data-testid="new-password-form"]`, url.Values{"password": {password}}); !strings.Contains(done.Text("h1"), "password was changed") {
		t.Fatalf("choosing a password: %d\n%s", done.StatusCode, done.Text("main"))
	}
	expectRedirect(t, c.Submit(c.Get("/sign-in"), `[data-testid="sign-in-form"]`, url.Values{"email": {"new.agent@example.com"}, "password": {password}}), "/sign-in/verify")
	expectRedirect(t, c.Get("/sign-in/verify"), "/account/setup")
	choose := c.Get("/account/setup")
	if choose.Doc.Find(`#factor-phone`).Length() != 0 || choose.Doc.Find(`#factor-backup_codes`).Length() != 0 || choose.Doc.Find(`#factor-totp`).Length() != 1 {
		t.Errorf("staff are offered an app or a key only:\n%s", choose.Text("main"))
	}
	if c.Submit(choose, `[data-testid="choose-factor-form"]`, url.Values{"factor": {"phone"}}).StatusCode != http.StatusUnprocessableEntity {
		t.Error("a phone factor is refused for staff")
	}
	if c.Get("/account/setup/phone").StatusCode != http.StatusNotFound {
		t.Error("the phone enrolment is closed to staff")
	}

	var acct models.Account
	p.DB.Where("email = ?", "new.agent@example.com").Take(&acct)
	list := sup.Get("/agent/agents")
	if !strings.Contains(list.Text(`[data-testid="staff"]`), models.AgentNumber(acct.ID)) {
		t.Fatalf("the list shows the agent number:\n%s", list.Text("main"))
	}
	expectRedirect(t, sup.PostForm("/agent/agents/"+itoa(acct.ID)+"/disable", url.Values{"_csrf": {tokenOn(t, sup, "/agent/agents")}}), "/agent/agents?agent="+itoa(acct.ID)+"&done=disabled")
	p.DB.Take(&acct, acct.ID)
	if acct.DisabledAt == nil || acct.LockedAt == nil {
		t.Error("the account is disabled and locked")
	}
	// A password reset lifts the lock, not the supervisor's decision.
	if err := p.DB.Model(&acct).Update("locked_at", nil).Error; err != nil {
		t.Fatal(err)
	}
	refused := p.Client(t)
	out := refused.Submit(refused.Get("/sign-in"), `[data-testid="sign-in-form"]`, url.Values{"email": {"new.agent@example.com"}, "password": {password}})
	if out.StatusCode != http.StatusForbidden || !strings.Contains(out.Text("main"), "out of service") {
		t.Errorf("a disabled agent with a new password signs in: %d\n%s", out.StatusCode, out.Text("main"))
	}
}

// TestTheDevelopmentPageShowsTheDemoStaffsCodes lets a newcomer sign in as
// the demo agent: the page shows the code their app would show now.
func TestTheDevelopmentPageShowsTheDemoStaffsCodes(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	page := p.Client(t).Get("/dev")
	m := staffMember(t, models.RoleAgent)
	if got := page.Text(`[data-testid="code-` + m.Email + `"]`); got != m.StaffCode(p.Clock.Now()) {
		t.Fatalf("code on /dev: %q", got)
	}
	if !strings.Contains(page.Text(`[data-testid="demo-staff"]`), m.Password) {
		t.Error("the page gives the demo password")
	}
}

// TestADecisionAfterTheClaimLapsedChangesNothing: an agent leaves a case
// open in a tab past the claim's timeout, a colleague takes it over, and
// the first agent's decision from the old tab is refused: nothing decided,
// nobody e-mailed, and the new holder keeps the case.
func TestADecisionAfterTheClaimLapsedChangesNothing(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	maria := p.Client(t)
	caseID := toReview(t, p, maria)
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	other := signInStaff(t, p, staffMember(t, models.RoleSupervisor))
	expectRedirect(t, agent.Submit(agent.Get("/agent"), `[data-testid="queue-item"] form`, nil), "/agent/cases/"+itoa(caseID))
	stale := agent.Get("/agent/cases/" + itoa(caseID))
	mailCount := func() int64 {
		var n int64
		p.DB.Model(&models.OutboxMessage{}).Where("channel = ?", "email").Count(&n)
		return n
	}
	mails := mailCount()

	// Both stay signed in (reloading the queue keeps their sessions alive) while the
	// claim, untouched, lapses.
	for waited := time.Duration(0); waited <= casework.ClaimTimeout; waited += 10 * time.Minute {
		p.Clock.Advance(10 * time.Minute)
		agent.Get("/agent")
		other.Get("/agent")
	}
	expectRedirect(t, other.PostForm("/agent/cases/"+itoa(caseID)+"/claim", url.Values{"_csrf": {tokenOn(t, other, "/agent")}}), "/agent/cases/"+itoa(caseID))

	all := url.Values{"decision": {"approve"}, "check": {"genuine", "current", "face", "name", "dob"}}
	expectRedirect(t, agent.Submit(stale, `[data-testid="decision-form"]`, all), "/agent?case="+itoa(caseID)+"&problem=notheld")
	if v := attempt(t, p); v.DocumentsApprovedAt != nil || v.DocumentsDecidedAt != nil {
		t.Error("a decision without the claim was recorded")
	}
	if n := mailCount(); n != mails {
		t.Errorf("%d e-mails sent for a refused decision", n-mails)
	}
	if page := other.Get("/agent/cases/" + itoa(caseID)); page.StatusCode != http.StatusOK || page.Doc.Find(`[data-testid="decision-form"]`).Length() != 1 {
		t.Errorf("the new holder lost the case: %d", page.StatusCode)
	}
}

// The queue's own refreshing is not activity: a console left open signs
// itself out after the idle limit, like any other page.
func TestAnOpenQueueStillTimesOut(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	poll := func() *portaltest.Page {
		return agent.Get("/agent", "HX-Request", "true", views.PollHeader, "1")
	}
	for range 2 {
		p.Clock.Advance(5 * time.Minute)
		if page := poll(); page.StatusCode != http.StatusOK {
			t.Fatalf("poll within the idle limit: %d %q", page.StatusCode, page.Header.Get("HX-Redirect"))
		}
	}
	p.Clock.Advance(6 * time.Minute)
	page := poll()
	if page.StatusCode != http.StatusNoContent || !strings.HasPrefix(page.Header.Get("HX-Redirect"), "/sign-in") {
		t.Fatalf("poll after 16 idle minutes: %d, HX-Redirect %q", page.StatusCode, page.Header.Get("HX-Redirect"))
	}
}

// A set whose photos were removed while it waited can still be decided:
// turning it down asks for another document instead of failing.
func TestACaseWithoutPhotosAsksForAnotherDocument(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	caseID := toReview(t, p, p.Client(t))
	if err := p.DB.Where("verification_id = ?", caseID).Delete(&models.DocumentImage{}).Error; err != nil {
		t.Fatal(err)
	}
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	expectRedirect(t, agent.Submit(agent.Get("/agent"), `[data-testid="queue-item"] form`, nil), "/agent/cases/"+itoa(caseID))
	page := agent.Get("/agent/cases/" + itoa(caseID))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("case without photos: %d", page.StatusCode)
	}
	expectProblem(t, agent.Submit(page, `[data-testid="decision-form"]`, url.Values{"decision": {"reject"}}),
		http.StatusUnprocessableEntity, "ask for another document instead")
}
