package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// TestAgentCreateAndAuditVerify creates an agent with the command (its
// creation is audited), verifies the trail, then edits a row behind the
// trail's back, as someone with database access might, and sees verify
// name it.
func TestAgentCreateAndAuditVerify(t *testing.T) {
	dbURL := portaltest.DatabaseURL(t)
	env := envFrom(map[string]string{"PORTAL_DATA_DIR": t.TempDir(), "PORTAL_DATABASE_URL": dbURL})
	ctx := context.Background()
	var out bytes.Buffer
	for _, bad := range [][]string{
		{"agent", "create", "--email", "agent.smith@example.gov", "--role", "taxpayer"},
		{"agent", "create", "--email", "not-an-address", "--role", "agent"},
		{"agent", "delete"},
	} {
		if err := run(ctx, bad, env, &out, &out); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}
	out.Reset()
	if err := run(ctx, []string{"agent", "create", "--email", "Agent.Smith@example.gov", "--role", "supervisor"}, env, &out, &out); err != nil {
		t.Fatalf("agent create: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "/password/reset?token=") || !strings.Contains(out.String(), "agent number A-") {
		t.Errorf("the command prints the number and the one-time link:\n%s", out.String())
	}
	// The link opens the page where the new holder chooses a password.
	link := regexp.MustCompile(`https?://\S+/\S*token=\S+`).FindString(out.String())
	u, err := url.Parse(link)
	if err != nil || link == "" {
		t.Fatalf("no link in:\n%s", out.String())
	}
	p := portaltest.StartOn(t, portaltest.OpenURL(t, dbURL), portaltest.Config(t, dbURL))
	if page := p.Client(t).Get(u.RequestURI()); page.StatusCode != http.StatusOK || page.Doc.Find(`input[name="password"]`).Length() == 0 {
		t.Errorf("the printed link %s: %d\n%s", u.RequestURI(), page.StatusCode, page.Text("main"))
	}
	if err := run(ctx, []string{"agent", "create", "--email", "agent.smith@example.gov", "--role", "agent"}, env, &out, &out); err == nil {
		t.Error("a second account with the same address")
	}
	db := portaltest.OpenURL(t, dbURL)
	var acct models.Account
	if err := db.Where("email = ?", "agent.smith@example.gov").Take(&acct).Error; err != nil || acct.Role != models.RoleSupervisor {
		t.Fatalf("the account: %v %+v", err, acct)
	}

	out.Reset()
	if err := run(ctx, []string{"audit", "verify"}, env, &out, &out); err != nil || !strings.HasPrefix(out.String(), "OK: 1 entries") {
		t.Fatalf("audit verify on an intact trail: %v\n%s", err, out.String())
	}
	if err := db.Exec("UPDATE audit_entries SET detail = ? WHERE id = 1", "role agent").Error; err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(ctx, []string{"audit", "verify"}, env, &out, &out)
	if err == nil || !strings.Contains(out.String(), "BROKEN at entry 1") || !strings.Contains(out.String(), "changed after it was written") {
		t.Fatalf("audit verify after an edit: %v\n%s", err, out.String())
	}
}
