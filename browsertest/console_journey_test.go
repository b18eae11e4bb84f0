package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/portaltest"
)

// demoStaff is the demo agent or supervisor.
func demoStaff(t *testing.T, role models.Role) demodata.StaffMember {
	t.Helper()
	m, ok := demodata.StaffWith(role)
	if !ok {
		t.Fatalf("no demo %s", role)
	}
	return m
}

// signInStaff signs a demo staff member in with their authentication app;
// the console is where they land.
func signInStaff(t *testing.T, b *Browser, p *portaltest.Portal, m demodata.StaffMember) {
	t.Helper()
	b.Load(t, "/sign-in")
	b.Type(t, "#email", m.Email)
	b.Type(t, "#password", m.Password)
	b.Navigate(t, "signing in", chromedp.Click(chromedp.CSS(`[data-testid="sign-in-form"] [type=submit]`)))
	b.Type(t, "#code", m.StaffCode(p.Clock.Now()))
	b.Navigate(t, "entering the code", chromedp.Click(chromedp.CSS(`[data-testid="factor-form"] [type=submit]`)))
	if loc := b.Location(t); !strings.HasSuffix(loc, "/agent") {
		t.Fatalf("staff land on the console, not %s", loc)
	}
}

// approveFirstCase claims the oldest document set in the queue and
// approves it with the whole checklist; check says whether to check the
// pages on the way (axe, screenshots).
func approveFirstCase(t *testing.T, b *Browser, check bool) {
	t.Helper()
	if check {
		b.Visit(t, "console-queue", "/agent")
	} else {
		b.Load(t, "/agent")
	}
	b.Navigate(t, "claiming the case", chromedp.Click(chromedp.CSS(`[data-testid="queue-item"] [data-testid="claim"]`)))
	b.WaitFor(t, `[data-testid="case-image-selfie"] img`)
	b.WaitUntil(t, `[...document.querySelectorAll('[data-testid="case-images"] img')].every(i => i.complete && i.naturalWidth > 0)`)
	if check {
		b.Check(t, "console-case")
	}
	for _, item := range []string{"genuine", "current", "face", "name", "dob"} {
		b.Click(t, `label[for="check-`+item+`"]`)
	}
	b.Click(t, `label[for="decision-approve"]`)
	b.Navigate(t, "approving", chromedp.Click(chromedp.CSS(`[data-testid="decide"]`)))
	if check {
		b.Check(t, "console-decided")
	}
	if got := b.Text(t, `[data-testid="queue-notice"]`); !strings.HasPrefix(got, "Approved verification") {
		t.Fatalf("after the decision: %q", got)
	}
}

// TestConsoleJourney plays both sides: Maria uploads her ID and waits in
// the queue; the demo agent signs in, claims her case, compares the
// photos with the record and approves; Maria finishes and is verified, and
// her account shows who looked. The supervisor's screens are checked too.
func TestConsoleJourney(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	if _, err := demodata.Seed(t.Context(), p.DB, p.Vault, demodata.Options{Taxpayers: 10}); err != nil {
		t.Fatal(err)
	}
	b := NewBrowser(t, p, "console")
	signUpQuickly(t, b, p, "maria@example.com")

	// Maria's side, quickly: the verification journey checks these pages.
	b.Load(t, "/verify/consent")
	b.Click(t, `label[for="consent"]`)
	b.Navigate(t, "consenting", chromedp.Click(chromedp.CSS(`[data-testid="consent-form"] [type=submit]`)))
	b.Click(t, `label[for="method-online"]`)
	b.Navigate(t, "choosing online", chromedp.Click(chromedp.CSS(`[data-testid="choice-form"] [type=submit]`)))
	b.Click(t, `label[for="id_type-drivers_license"]`)
	b.Navigate(t, "choosing a license", chromedp.Click(chromedp.CSS(`[data-testid="choice-form"] [type=submit]`)))
	dir := t.TempDir()
	for i, side := range []string{"front", "back", "selfie"} {
		path := filepath.Join(dir, side+".jpg")
		if err := os.WriteFile(path, portaltest.Photo(t, i, 900, 600), 0o600); err != nil {
			t.Fatal(err)
		}
		b.run(t, "choosing the "+side+" photo", chromedp.SetUploadFiles(chromedp.CSS("#photo-"+side), []string{path}))
		b.WaitFor(t, `[data-testid="photo-`+side+`"] img[data-upload-preview]`)
		b.Navigate(t, "uploading the "+side, chromedp.Click(chromedp.CSS(`[data-testid="photo-`+side+`"] form [type=submit]`)))
		b.WaitFor(t, `[data-testid="photo-`+side+`-done"]`)
	}
	b.Navigate(t, "continuing", chromedp.Click(chromedp.CSS(`[data-testid="documents-continue"] [type=submit]`)))
	b.Type(t, "#ssn", "987-65-4320")
	b.Navigate(t, "entering the SSN", chromedp.Click(chromedp.CSS(`[data-testid="fields-form"] [type=submit]`)))
	for sel, v := range map[string]string{"#first_name": "Maria", "#last_name": "Hernandez", "#dob_day": "14", "#dob_year": "1986",
		"#street1": "2417 Desert Willow Dr", "#city": "Phoenix", "#zip": "85016"} {
		b.Type(t, sel, v)
	}
	b.run(t, "choosing the month and state", chromedp.SetValue(chromedp.CSS("#dob_month"), "3"), chromedp.SetValue(chromedp.CSS("#state"), "AZ"))
	b.Navigate(t, "entering the information", chromedp.Click(chromedp.CSS(`[data-testid="info-form"] [type=submit]`)))
	b.Navigate(t, "matching", chromedp.Click(chromedp.CSS(`[data-testid="match-form"] [type=submit]`)))
	b.Navigate(t, "asking for a code", chromedp.Click(chromedp.CSS(`[data-testid="send-code-form"] [type=submit]`)))
	texts, err := p.Outbox(t).ForRecipient(t.Context(), "6025550100", 1)
	if err != nil || len(texts) == 0 {
		t.Fatalf("no text to the phone of record: %v", err)
	}
	b.Type(t, "#code", notifytest.CodeIn(texts[0].Text))
	b.Navigate(t, "confirming the phone", chromedp.Click(chromedp.CSS(`[data-testid="phone-code-form"] [type=submit]`)))
	if got := b.Text(t, `[data-testid="queue-position"]`); got != "You are next in line." {
		t.Fatalf("review page: %q", got)
	}

	// The agent's side.
	agent := b.AnotherDevice(t)
	signInStaff(t, agent, p, demoStaff(t, models.RoleAgent))
	agent.Visit(t, "console-taxpayers", "/agent/taxpayers")
	approveFirstCase(t, agent, true)
	agent.CheckPhone(t, "console-decided")

	// Maria comes back and finishes.
	b.Load(t, "/verify")
	b.Type(t, "#password", journeyPassword)
	b.Navigate(t, "finishing", chromedp.Click(chromedp.CSS(`[data-testid="fields-form"] [type=submit]`)))
	if got := b.Text(t, "h1"); got != "Your identity is verified" {
		t.Fatalf("at the end: %q", got)
	}
	b.Visit(t, "account-who-looked", "/account")
	looks := b.Text(t, `[data-testid="looks"]`)
	if !strings.Contains(looks, "Accepted your identity documents") || !strings.Contains(looks, "Agent A-") {
		t.Errorf("Maria sees who looked:\n%s", looks)
	}

	// The agent opens her records for a call; the supervisor reads the trail.
	agent.Load(t, "/agent/taxpayers")
	agent.Click(t, `label[for="by-ssn"]`)
	agent.Type(t, "#ssn", "987654320")
	agent.Submit(t, "console-found", `[data-testid="find-form"]`)
	agent.Follow(t, "console-open", `[data-testid="result"] a`)
	agent.Click(t, `label[for="kind-call"]`)
	agent.Type(t, "#reference", "Call 0412, asked about her refund")
	agent.Submit(t, "console-taxpayer", `[data-testid="open-form"]`)
	if agent.Count(t, `[data-testid="read-only"]`) != 1 {
		t.Fatal("the read-only view of Maria's records")
	}
	supervisor := b.AnotherDevice(t)
	signInStaff(t, supervisor, p, demoStaff(t, models.RoleSupervisor))
	supervisor.Visit(t, "console-supervisor-queue", "/agent")
	supervisor.Visit(t, "console-agents", "/agent/agents")
	supervisor.Visit(t, "console-audit", "/agent/audit?action=agent.")
	if supervisor.Count(t, `[data-testid="audit-entry"]`) < 3 {
		t.Errorf("the trail shows the review, the approval and the opening")
	}
}
