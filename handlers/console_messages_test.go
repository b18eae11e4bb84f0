package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// Supervisors see the queue's health by kind: what waits, since when, what
// needed retries and what was given up; never to whom or what.
func TestSupervisorsSeeTheQueuesHealth(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	signUp(t, p, p.Client(t), "jane@example.com") // a request and two e-mails, sent
	p.Drain(t)
	supervisor := signInStaff(t, p, staffMember(t, models.RoleSupervisor))
	stopQueue(t, p)
	// A sign-up waits.
	waiting := p.Client(t)
	expectRedirect(t, waiting.Submit(waiting.Get("/sign-up"), `[data-testid="sign-up-form"]`,
		map[string][]string{"email": {"waiting@example.com"}, "password": {password}}), "/sign-up/confirm")
	// One e-mail was given up after its tries, one needed a second try.
	if err := p.DB.Exec("UPDATE river_job SET state = 'discarded', attempt = 25, finalized_at = scheduled_at WHERE id = (SELECT MIN(id) FROM river_job WHERE kind = 'email')").Error; err != nil {
		t.Fatal(err)
	}
	if err := p.DB.Exec("UPDATE river_job SET attempt = 2 WHERE id = (SELECT MAX(id) FROM river_job WHERE kind = 'email' AND state = 'completed')").Error; err != nil {
		t.Fatal(err)
	}

	page := supervisor.Get("/agent/messages")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("status %d", page.StatusCode)
	}
	cell := func(kind, col string) string {
		return page.Text(`[data-testid="jobs-` + kind + `"] [data-testid="` + col + `"]`)
	}
	if got := cell("account_request", "waiting"); got != "1" {
		t.Errorf("waiting requests: %q, want 1", got)
	}
	if got := cell("account_request", "oldest"); got != "under a minute" {
		t.Errorf("oldest waiting request: %q", got)
	}
	if got := cell("email", "failed"); got != "1" {
		t.Errorf("e-mails given up: %q, want 1", got)
	}
	if got := cell("email", "retried"); got != "2" { // the given-up one and the retried one
		t.Errorf("e-mails retried: %q, want 2", got)
	}
	if page.Doc.Find(`[data-testid="jobs-trouble"]`).Length() != 1 {
		t.Error("a given-up message is not flagged")
	}
	for _, secret := range []string{"jane@example.com", "waiting@example.com", "example.com", "token="} {
		if strings.Contains(page.Body, secret) {
			t.Errorf("the page shows %q", secret)
		}
	}
	if !strings.Contains(supervisor.Get("/agent").Text("nav"), "Messages") {
		t.Error("the console's navigation has no Messages for supervisors")
	}
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	if got := agent.Get("/agent/messages").StatusCode; got != http.StatusNotFound {
		t.Errorf("an agent: %d, want 404", got)
	}
	if strings.Contains(agent.Get("/agent").Text("nav"), "Messages") {
		t.Error("agents are shown the Messages link")
	}
}
