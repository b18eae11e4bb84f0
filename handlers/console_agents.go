package handlers

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/casework"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/views/components"
	"github.com/taxportal/portal/views/console"
)

// staffFactor says whether a kind of second factor may sign in a staff
// account: only an authentication app or a security key. Codes sent to a
// phone can be redirected by a SIM swap, and backup codes are a lifeline
// staff do not need (a supervisor resets a lost factor).
func staffFactor(k models.FactorKind) bool {
	return k == models.FactorTOTP || k == models.FactorWebAuthn
}

// usableFactors drops, for staff accounts, the factors staff may not use.
func usableFactors(acct *models.Account, factors []models.SecondFactor) []models.SecondFactor {
	if !acct.IsStaff() {
		return factors
	}
	var out []models.SecondFactor
	for _, f := range factors {
		if staffFactor(f.Kind) {
			out = append(out, f)
		}
	}
	return out
}

func (a *App) consoleAgents(c echo.Context) error {
	v, err := a.agentsView(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseUint(c.QueryParam("agent"), 10, 64)
	if text, ok := agentNotices[c.QueryParam("done")]; ok && err == nil {
		v.Notice = fmt.Sprintf(text, models.AgentNumber(id))
	}
	return render(c, http.StatusOK, console.Agents(a.consolePage(c, "Agents"), v), nil)
}

func (a *App) agentsView(c echo.Context) (console.AgentsView, error) {
	v := console.AgentsView{Action: a.reverse(RouteConsoleAgents)}
	staff, err := casework.Staff(c.Request().Context(), a.db)
	if err != nil {
		return v, err
	}
	me := account(c).ID
	for _, s := range staff {
		row := console.StaffRow{Number: models.AgentNumber(s.ID), Email: s.Email, Role: capitalize(string(s.Role)), Status: "Active"}
		switch {
		case s.DisabledAt != nil:
			row.Status = "Disabled " + a.when(*s.DisabledAt)
		case s.ID != me:
			row.DisableAction = a.reverse(RouteConsoleDisableAgent, s.ID)
		}
		v.Staff = append(v.Staff, row)
	}
	return v, nil
}

// createAgent adds a staff account and e-mails its holder the link to
// choose a password.
func (a *App) createAgent(c echo.Context) error {
	ctx := c.Request().Context()
	email, role := c.FormValue("email"), c.FormValue("role")
	acct, token, err := casework.CreateStaff(ctx, a.db, email, models.Role(role), a.now(), func(tx *gorm.DB, acct *models.Account) error {
		_, err := a.audit.AppendTx(ctx, tx, audit.Entry{Actor: actor(account(c)), Action: audit.ActionStaffCreated,
			AccountID: &acct.ID, Subject: "account:" + strconv.FormatUint(acct.ID, 10), Detail: "role " + string(acct.Role)})
		return err
	})
	var invalidEmail casework.InvalidEmail
	if err != nil {
		v, verr := a.agentsView(c)
		if verr != nil {
			return verr
		}
		v.Email, v.Role = email, role
		switch {
		case errors.As(err, &invalidEmail):
			v.Errors.Add("email", messages.Get(invalidEmail.Message).Body)
		case errors.Is(err, casework.ErrEmailInUse):
			v.Errors.Add("email", "An account already uses this address. Staff need an address of their own, not a taxpayer account.")
		case errors.Is(err, casework.ErrBadRole):
			v.Errors.Add("role-agent", "Choose agent or supervisor.")
		default:
			return err
		}
		return render(c, invalid, console.Agents(a.consolePage(c, "Agents"), v), nil)
	}
	link := a.accounts.Links.ResetPassword(token)
	a.sendMail(ctx, a.db, "a new agent's link", staffWelcome(a.cfg.ProductName, acct, link))
	return redirect(c, a.reverse(RouteConsoleAgents)+"?"+url.Values{"done": {"added"}, "agent": {strconv.FormatUint(acct.ID, 10)}}.Encode())
}

// setupValidFor says how long a new staff member's password link works.
var setupValidFor = strconv.Itoa(int(casework.SetupValid.Hours()/24)) + " days"

// agentNotices are what the Agents page says after an action.
var agentNotices = map[string]string{
	"added":    "Added %s. A link to choose a password was e-mailed to them; it works for " + setupValidFor + ".",
	"disabled": "Disabled %s. Their sessions ended and their cases went back to the queue.",
}

// staffWelcome is the e-mail with a new staff member's password link.
func staffWelcome(product string, acct *models.Account, link string) notify.Message {
	text := fmt.Sprintf("You have been added to the %s agent console as %s (agent number %s).\n\n"+
		"Choose your password here within "+setupValidFor+":\n%s\n\n"+
		"Then sign in and set up an authentication app or a security key. If you did not expect this, tell your supervisor.",
		product, acct.Role, models.AgentNumber(acct.ID), link)
	body := fmt.Sprintf("<p>You have been added to the %s agent console as %s (agent number %s).</p>"+
		"<p><a href=\"%s\">Choose your password</a> within "+setupValidFor+".</p>"+
		"<p>Then sign in and set up an authentication app or a security key. If you did not expect this, tell your supervisor.</p>",
		html.EscapeString(product), html.EscapeString(string(acct.Role)), models.AgentNumber(acct.ID), html.EscapeString(link))
	return notify.Message{To: acct.Email, Subject: "Your " + product + " agent console account", Text: text, HTML: body}
}

// disableAgent takes a staff account out of service. A supervisor cannot
// disable themselves: someone must be left to manage the rest.
func (a *App) disableAgent(c echo.Context) error {
	ctx, me := c.Request().Context(), account(c)
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == me.ID {
		return echo.ErrNotFound
	}
	err = casework.Disable(ctx, a.db, id, a.now(), func(tx *gorm.DB) error {
		_, err := a.audit.AppendTx(ctx, tx, audit.Entry{Actor: actor(me), Action: audit.ActionStaffDisabled, AccountID: &id,
			Subject: "account:" + strconv.FormatUint(id, 10)})
		return err
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteConsoleAgents)+"?"+url.Values{"done": {"disabled"}, "agent": {strconv.FormatUint(id, 10)}}.Encode())
}

// choicesFor is the second factors offered to an account: staff see only
// those they may use.
func (a *App) choicesFor(acct *models.Account) []components.Choice {
	choices := a.factorChoices()
	if acct == nil || !acct.IsStaff() {
		return choices
	}
	var out []components.Choice
	for _, ch := range choices {
		if staffFactor(models.FactorKind(ch.Value)) {
			out = append(out, ch)
		}
	}
	return out
}
