package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/casework"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
)

// cmdAgent manages agent-console accounts: `portal agent create`.
func cmdAgent(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, "Usage: portal agent create --email ADDRESS --role agent|supervisor\n")
		return errors.New("agent: the only subcommand is create")
	}
	fs := newFlags("agent create", "Create an agent or supervisor account. It prints a one-time link, valid for "+
		fmt.Sprint(int(casework.SetupValid.Hours()))+" hours,\n"+
		"where the new holder chooses a password; nobody else ever knows it. At first sign-in\n"+
		"they set up an authentication app or a security key (phone codes are refused for staff).\n"+
		"Hand the link over privately: whoever opens it first owns the account.", stderr)
	email := fs.String("email", "", "the staff member's work e-mail address")
	role := fs.String("role", "agent", "agent or supervisor")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	r, err := casework.ParseRole(*role)
	if err != nil {
		return fmt.Errorf("--role must be agent or supervisor, not %q", *role)
	}
	e, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	defer models.Close(e.db)
	acct, token, err := casework.CreateStaff(ctx, e.db, *email, r, time.Now(), func(tx *gorm.DB, acct *models.Account) error {
		_, err := audit.New(e.db).AppendTx(ctx, tx, audit.Entry{Actor: audit.System, Action: audit.ActionStaffCreated,
			AccountID: &acct.ID, Subject: fmt.Sprintf("account:%d", acct.ID), Detail: "role " + string(r) + ", by the agent create command"})
		return err
	})
	var bad casework.InvalidEmail
	switch {
	case errors.As(err, &bad):
		return fmt.Errorf("--email: %s", messages.Get(bad.Message).Body)
	case errors.Is(err, casework.ErrEmailInUse):
		return fmt.Errorf("an account already uses %s", models.NormalizeEmail(*email))
	case err != nil:
		return err
	}
	link := e.cfg.BaseURL.String() + "/password/reset?" + url.Values{"token": {token}}.Encode()
	fmt.Fprintf(stdout, "Created %s %s (agent number %s).\n", r, acct.Email, models.AgentNumber(acct.ID))
	fmt.Fprintf(stdout, "Their one-time link to choose a password (valid until %s):\n%s\n",
		time.Now().Add(casework.SetupValid).UTC().Format("2006-01-02 15:04 MST"), link)
	return nil
}

// cmdAudit checks the audit trail: `portal audit verify`.
func cmdAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(stderr, "Usage: portal audit verify\n")
		return errors.New("audit: the only subcommand is verify")
	}
	fs := newFlags("audit verify", "Walk the whole audit trail, recomputing each entry's hash and its link to the\n"+
		"one before. Prints OK, or the first broken link, and exits non-zero when one is found.", stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	e, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	defer models.Close(e.db)
	r, err := audit.New(e.db).Verify(ctx)
	if err != nil {
		return err
	}
	if !r.Intact() {
		fmt.Fprintf(stdout, "BROKEN at entry %d: %s\n(%d entries checked.)\n", r.BrokenID, r.Problem, r.Checked)
		return fmt.Errorf("the audit trail is broken at entry %d", r.BrokenID)
	}
	fmt.Fprintf(stdout, "OK: %d entries checked, every link holds.\nNewest entry %d, hash %s.\n"+
		"Keep this hash somewhere else: entries cut from the end leave no broken link, only a missing head.\n",
		r.Checked, r.LastID, r.LastHash)
	return nil
}
