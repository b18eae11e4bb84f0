package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/forms"
	ippinviews "github.com/taxportal/portal/views/ippin"
)

// Route names of the IP PIN screens and the e-file check API (RouteIPPIN,
// the status page, is declared in routes.go for the dashboard's link).
const (
	RouteIPPINEnrol  = "ippin.enrol"
	RouteIPPINView   = "ippin.view"
	RouteIPPINOptOut = "ippin.optout"
	RouteIPPINLost   = "ippin.lost"
	RouteAPICheck    = "api.ippin.check"
	RouteAPIOpenAPI  = "api.openapi"
)

// Security events of the IP PIN screens, shown in the account's history.
const (
	EventIPPINEnrolled models.SecurityEventKind = "ip_pin_enrolled"
	EventIPPINViewed   models.SecurityEventKind = "ip_pin_viewed"
	EventIPPINOptedOut models.SecurityEventKind = "ip_pin_opted_out"
)

// Audit actions of the IP PIN screens: the taxpayer acting on their own
// PIN. The trail says which year, never the PIN.
const (
	actionIPPINEnrolled = "taxpayer.ip_pin_enrolled"
	actionIPPINViewed   = "taxpayer.ip_pin_viewed"
	actionIPPINOptedOut = "taxpayer.ip_pin_opted_out"
)

// ippinScript is the copy button.
const ippinScript = "js/ippin.js"

// ippinStatus is the IP PIN page: where the taxpayer stands and what they
// can do. Nothing on it is the PIN itself, so it needs no fresh sign-in.
func (a *App) ippinStatus(c echo.Context) error {
	ctx, now, id := c.Request().Context(), a.now(), taxpayerOf(c)
	st, err := a.ippin.Status(ctx, id, now)
	if err != nil {
		return err
	}
	flash, err := a.takeFlash(c)
	if err != nil {
		return err
	}
	v := ippinviews.StatusView{
		Year: st.Year, Flash: flash, Enrolled: st.Enrolled, Assigned: st.Kind == models.IPPINAssigned,
		HasPIN: st.HasPIN, OptOutPending: st.OptOutPending, OptOutYear: st.OptOutYear,
		CanOptOut: st.CanOptOut, CanOptIn: st.CanOptIn, Flagged: st.Flagged,
		EnrolURL: a.reverse(RouteIPPINEnrol), ViewURL: a.reverse(RouteIPPINView), OptOutURL: a.reverse(RouteIPPINOptOut),
		HelpURL: a.helpURL("what-is-an-ip-pin"), LostHelpURL: a.helpURL("lost-ip-pin"),
		StoppedHelpURL: a.helpURL("return-stopped-by-ip-pin"),
	}
	if st.Enrolled {
		next, err := a.ippin.Issued(ctx, id, st.Year+1)
		if err != nil {
			return err
		}
		if next {
			v.NextYear = st.Year + 1
		}
	}
	return render(c, http.StatusOK, ippinviews.Status(a.page(c, "Identity Protection PIN", a.dashboardCrumbs(views.Crumb{Label: "IP PIN"})...), v), nil)
}

// ippinEnrolForm explains what enrolling commits the taxpayer to. Someone
// already enrolled (with no opt-out to cancel) goes back to the IP PIN page.
func (a *App) ippinEnrolForm(c echo.Context) error {
	st, err := a.ippin.Status(c.Request().Context(), taxpayerOf(c), a.now())
	if err != nil {
		return err
	}
	if !st.CanOptIn {
		return redirect(c, a.reverse(RouteIPPIN))
	}
	return a.renderEnrol(c, http.StatusOK, st, forms.Errors{})
}

func (a *App) renderEnrol(c echo.Context, status int, st ippin.Status, errs forms.Errors) error {
	v := ippinviews.EnrolView{
		Year: st.Year, Rejoining: st.OptOutPending, Errors: errs,
		Action: a.reverse(RouteIPPINEnrol), BackURL: a.reverse(RouteIPPIN), HelpURL: a.helpURL("what-is-an-ip-pin"),
	}
	title := "Get an IP PIN"
	if errs.Any() {
		title = "Error: " + title
	}
	p := a.page(c, title, a.dashboardCrumbs(views.Crumb{Label: "IP PIN", URL: a.reverse(RouteIPPIN)}, views.Crumb{Label: "Get an IP PIN"})...)
	return render(c, status, ippinviews.Enrol(p, v), nil)
}

// ippinEnrol issues this year's PIN once the taxpayer confirms the
// commitment, then shows it (behind the fresh sign-in the view needs).
func (a *App) ippinEnrol(c echo.Context) error {
	ctx, now, acct := c.Request().Context(), a.now(), account(c)
	id := taxpayerOf(c)
	st, err := a.ippin.Status(ctx, id, now)
	if err != nil {
		return err
	}
	if !st.CanOptIn {
		return redirect(c, a.reverse(RouteIPPIN))
	}
	if c.FormValue("commit") != "yes" {
		return a.renderEnrol(c, invalid, st, fieldError("commit", messages.IPPINCommitMissing))
	}
	issued, err := a.ippin.Enrol(ctx, id, now)
	if err != nil {
		return err
	}
	detail := "For " + strconv.Itoa(issued.Year)
	if st.OptOutPending {
		detail = "Opt-out cancelled"
	}
	a.accounts.Record(ctx, acct.ID, EventIPPINEnrolled, detail, a.clientOf(c))
	a.auditIPPIN(c, actionIPPINEnrolled, issued.Year, detail)
	return a.flashTo(c, a.reverse(RouteIPPINView), "You’re enrolled. Here is your IP PIN for "+strconv.Itoa(issued.Year)+".")
}

// ippinView shows the PIN: only after a sign-in in the last 20 minutes
// (the route's guard), never cached, and every view is written to the
// account's history and the audit trail and announced by e-mail.
func (a *App) ippinView(c echo.Context) error {
	ctx, now, acct := c.Request().Context(), a.now(), account(c)
	id := taxpayerOf(c)
	st, err := a.ippin.Status(ctx, id, now)
	if err != nil {
		return err
	}
	cur, err := a.ippin.Current(ctx, id, st.Year)
	if errors.Is(err, ippin.ErrNoPIN) {
		return redirect(c, a.reverse(RouteIPPIN))
	}
	if err != nil {
		return err
	}
	v := ippinviews.ViewView{Current: pinView(cur), Assigned: st.Kind == models.IPPINAssigned, BackURL: a.reverse(RouteIPPIN)}
	shown := strconv.Itoa(cur.Year)
	if next, err := a.ippin.Current(ctx, id, st.Year+1); err == nil {
		n := pinView(next)
		v.Next = &n
		shown += " and " + strconv.Itoa(next.Year)
	} else if !errors.Is(err, ippin.ErrNoPIN) {
		return err
	}
	if v.Flash, err = a.takeFlash(c); err != nil {
		return err
	}
	a.accounts.Record(ctx, acct.ID, EventIPPINViewed, "For "+shown, a.clientOf(c))
	a.auditIPPIN(c, actionIPPINViewed, cur.Year, "Shown for "+shown)
	a.accounts.IPPINViewed(ctx, a.db, acct)
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	p := a.page(c, "Your IP PIN", a.dashboardCrumbs(views.Crumb{Label: "IP PIN", URL: a.reverse(RouteIPPIN)}, views.Crumb{Label: "Your IP PIN"})...)
	p.Scripts = []string{ippinScript}
	return render(c, http.StatusOK, ippinviews.View(p, v), nil)
}

// pinView lays a PIN out for the screen: a box per digit, and the digits
// spaced for screen readers, which would otherwise read a number.
func pinView(i ippin.Issued) ippinviews.PIN {
	d := i.PIN.Digits()
	digits := strings.Split(d, "")
	return ippinviews.PIN{Year: i.Year, Digits: digits, Plain: d,
		Spoken: "IP PIN for " + strconv.Itoa(i.Year) + ": " + strings.Join(digits, " ")}
}

// ippinOptOutForm asks a voluntary enrollee to confirm, saying from which
// year it takes effect; an assigned holder is told why they cannot.
func (a *App) ippinOptOutForm(c echo.Context) error {
	v, ok, err := a.optOutView(c)
	if err != nil || !ok {
		return err
	}
	return a.renderOptOut(c, http.StatusOK, v)
}

// optOutView describes opting out for the taxpayer now; ok is false (and
// the browser sent back to the IP PIN page) when there is nothing to opt
// out of.
func (a *App) optOutView(c echo.Context) (ippinviews.OptOutView, bool, error) {
	ctx, now, id := c.Request().Context(), a.now(), taxpayerOf(c)
	st, err := a.ippin.Status(ctx, id, now)
	if err != nil {
		return ippinviews.OptOutView{}, false, err
	}
	v := ippinviews.OptOutView{
		Year: st.Year, Assigned: st.Kind == models.IPPINAssigned && st.Enrolled,
		Action: a.reverse(RouteIPPINOptOut), BackURL: a.reverse(RouteIPPIN), HelpURL: a.helpURL("opt-out-of-ip-pin"),
	}
	if !v.Assigned && !st.CanOptOut {
		return v, false, redirect(c, a.reverse(RouteIPPIN))
	}
	// The same rule as ippin.OptOut: the first year without a PIN is the
	// first for which none has been issued yet.
	v.FirstWithout = st.Year + 1
	if st.HasPIN {
		v.StillRequired = append(v.StillRequired, st.Year)
	}
	next, err := a.ippin.Issued(ctx, id, st.Year+1)
	if err != nil {
		return v, false, err
	}
	if next {
		v.StillRequired = append(v.StillRequired, st.Year+1)
		v.FirstWithout = st.Year + 2
	}
	return v, true, nil
}

func (a *App) renderOptOut(c echo.Context, status int, v ippinviews.OptOutView) error {
	title := "Opt out of the IP PIN program"
	if v.Assigned {
		title = "Your IP PIN can’t be turned off"
	}
	if v.Errors.Any() {
		title = "Error: " + title
	}
	p := a.page(c, title, a.dashboardCrumbs(views.Crumb{Label: "IP PIN", URL: a.reverse(RouteIPPIN)}, views.Crumb{Label: "Opt out"})...)
	return render(c, status, ippinviews.OptOut(p, v), nil)
}

// ippinOptOut opts a voluntary enrollee out once they confirm.
func (a *App) ippinOptOut(c echo.Context) error {
	ctx, now, acct := c.Request().Context(), a.now(), account(c)
	v, ok, err := a.optOutView(c)
	if err != nil || !ok {
		return err
	}
	if v.Assigned {
		return a.renderOptOut(c, http.StatusForbidden, v)
	}
	if c.FormValue("confirm") != "yes" {
		v.Errors = fieldError("confirm", messages.IPPINOptOutUnchosen)
		return a.renderOptOut(c, invalid, v)
	}
	first, err := a.ippin.OptOut(ctx, taxpayerOf(c), now)
	switch {
	case errors.Is(err, ippin.ErrAssigned), errors.Is(err, ippin.ErrNotEnrolled):
		return redirect(c, a.reverse(RouteIPPIN)) // changed in another tab or by an agent
	case err != nil:
		return err
	}
	detail := "No PIN from " + strconv.Itoa(first)
	a.accounts.Record(ctx, acct.ID, EventIPPINOptedOut, detail, a.clientOf(c))
	a.auditIPPIN(c, actionIPPINOptedOut, first, detail)
	a.accounts.IPPINOptedOut(ctx, a.db, acct, first)
	return a.flashTo(c, a.reverse(RouteIPPIN), "You opted out. We won’t issue you an IP PIN for "+strconv.Itoa(first)+" or later.")
}

// ippinLost is the public screen for a lost PIN. A verified taxpayer who
// is signed in is offered their PIN straight away.
func (a *App) ippinLost(c echo.Context) error {
	acct := signedIn(c)
	// Sign in leads to the IP PIN page, which sends the visitor through
	// sign-in (and verification, if need be) and back.
	v := ippinviews.LostView{
		SignedIn: acct != nil && acct.IsVerifiedTaxpayer(),
		IPPINURL: a.reverse(RouteIPPIN), SignInURL: a.reverse(RouteIPPIN), SignUpURL: a.reverse(RouteSignUp),
		HelpURL: a.helpURL("lost-ip-pin"),
	}
	p := a.page(c, "Lost your IP PIN?", views.Crumb{Label: "Help", URL: a.reverse(RouteHelp)}, views.Crumb{Label: "Lost IP PIN"})
	return render(c, http.StatusOK, ippinviews.Lost(p, v), nil)
}

// auditIPPIN writes a taxpayer's own IP PIN action to the audit trail.
func (a *App) auditIPPIN(c echo.Context, action string, year int, detail string) {
	acct := account(c)
	id := taxpayerOf(c)
	e := audit.Entry{
		Actor: audit.By(acct.ID, acct.Role, ""), Action: action, AccountID: &acct.ID, TaxpayerID: &id,
		Subject: "ip_pin:" + strconv.Itoa(year), Detail: detail,
	}
	if _, err := a.audit.Append(c.Request().Context(), e); err != nil {
		a.log.Error("writing the audit trail", slog.String("action", action), slog.String("error", err.Error()))
	}
}
