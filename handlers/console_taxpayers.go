package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/phonecalls"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/records"
	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/console"
)

// openedFor is how long opening a taxpayer's records lasts in the agent's
// session before a new reason is asked: about one call or one case.
const openedFor = 30 * time.Minute

// keyOpened prefixes the session value that remembers, per taxpayer, when
// the agent opened the records and why.
const keyOpened = "opened_taxpayer:"

func (a *App) findTaxpayerForm(c echo.Context) error {
	v := console.FindView{Action: a.reverse(RouteConsoleTaxpayers), By: "name"}
	return render(c, http.StatusOK, console.FindTaxpayer(a.consolePage(c, "Find a taxpayer"), v), nil)
}

// findTaxpayer searches by POST, so that no name or number is ever in a
// URL (or a log line of one).
func (a *App) findTaxpayer(c echo.Context) error {
	ctx := c.Request().Context()
	v := console.FindView{Action: a.reverse(RouteConsoleTaxpayers), By: c.FormValue("by"),
		LastName: strings.Join(strings.Fields(c.FormValue("last_name")), " "), Last4: strings.TrimSpace(c.FormValue("last4"))}
	q := phonecalls.Query{LastName: v.LastName, Last4: v.Last4}
	switch v.By {
	case "ssn":
		q = phonecalls.Query{SSN: c.FormValue("ssn")}
		if _, err := pii.ParseSSN(q.SSN); err != nil {
			v.Errors.Add("ssn", "Enter the 9 digits of the SSN or ITIN.")
		}
	default:
		v.By = "name"
		if v.LastName == "" {
			v.Errors.Add("last_name", "Enter the last name.")
		}
		if len(v.Last4) != 4 || strings.Trim(v.Last4, "0123456789") != "" {
			v.Errors.Add("last4", "Enter the last four digits of the SSN.")
		}
	}
	var found []models.Taxpayer
	if !v.Errors.Any() {
		var err error
		// The phone line's search: the same people are found either way.
		if found, err = phonecalls.Find(ctx, a.db, a.vault, q); err != nil {
			return err
		}
	}
	p := a.consolePage(c, "Find a taxpayer")
	if v.Errors.Any() {
		return render(c, invalid, console.FindTaxpayer(p, v), nil)
	}
	v.Searched = true
	for _, t := range found {
		v.Results = append(v.Results, console.FoundTaxpayer{Name: t.FullName(),
			SSN: records.MaskSSN(t.SSNLast4), Place: t.City + ", " + t.State, OpenURL: a.reverse(RouteConsoleTaxpayer, t.ID)})
	}
	return render(c, http.StatusOK, console.FindTaxpayer(p, v), nil)
}

// consoleTaxpayer shows the records read-only once the agent said why;
// until then, it asks.
func (a *App) consoleTaxpayer(c echo.Context) error {
	tp, err := a.consoleTaxpayerOf(c)
	if err != nil {
		return err
	}
	reason, ok, err := a.openedReason(c, tp.ID)
	if err != nil {
		return err
	}
	if !ok {
		v := a.openView(tp)
		return render(c, http.StatusOK, console.OpenTaxpayer(a.taxpayerPage(c, "Why are you opening these records?"), v), nil)
	}
	v, err := a.taxpayerView(c, tp, reason)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, console.Taxpayer(a.taxpayerPage(c, v.Name), v), nil)
}

func (a *App) taxpayerPage(c echo.Context, title string) views.Page {
	return a.consolePage(c, title, views.Crumb{Label: "Find a taxpayer", URL: a.reverse(RouteConsoleTaxpayers)}, views.Crumb{Label: title})
}

func (a *App) consoleTaxpayerOf(c echo.Context) (*models.Taxpayer, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return nil, echo.ErrNotFound
	}
	tp, err := models.FindTaxpayer(c.Request().Context(), a.db, id)
	if errors.Is(err, models.ErrNotFound) {
		return nil, echo.ErrNotFound
	}
	return tp, err
}

func (a *App) openView(tp *models.Taxpayer) console.OpenView {
	return console.OpenView{Name: joinName(tp.FirstName, tp.LastName), SSN: records.MaskSSN(tp.SSNLast4),
		Action: a.reverse(RouteConsoleOpenTaxpayer, tp.ID)}
}

// openTaxpayer records why the agent opens the records, in the audit
// trail the taxpayer reads, then shows them.
func (a *App) openTaxpayer(c echo.Context) error {
	ctx, acct := c.Request().Context(), account(c)
	tp, err := a.consoleTaxpayerOf(c)
	if err != nil {
		return err
	}
	v := a.openView(tp)
	v.Kind, v.Reference = c.FormValue("kind"), strings.Join(strings.Fields(c.FormValue("reference")), " ")
	if v.Kind != "call" && v.Kind != "case" {
		v.Errors.Add("kind-call", "Choose whether this is for a call or a case.")
	}
	switch n := utf8.RuneCountInString(v.Reference); {
	case n == 0:
		v.Errors.Add("reference", "Give the call or case reference and the reason.")
	case n > audit.MaxReason-6:
		v.Errors.Add("reference", fmt.Sprintf("Keep the reason to %d characters.", audit.MaxReason-6))
	}
	if v.Errors.Any() {
		return render(c, invalid, console.OpenTaxpayer(a.taxpayerPage(c, "Why are you opening these records?"), v), nil)
	}
	reason := map[string]string{"call": "Call: ", "case": "Case: "}[v.Kind] + v.Reference
	entry := audit.Entry{Actor: actor(acct), Action: audit.ActionTaxpayerOpened, TaxpayerID: &tp.ID,
		Subject: "taxpayer:" + strconv.FormatUint(tp.ID, 10), Reason: reason}
	var holder models.Account
	if err := a.db.WithContext(ctx).Select("id").Where("taxpayer_id = ?", tp.ID).Limit(1).Find(&holder).Error; err != nil {
		return err
	}
	if holder.ID != 0 {
		entry.AccountID = &holder.ID
	}
	if _, err := a.audit.Append(ctx, entry); err != nil {
		return err
	}
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	// Reasons that lapsed are dropped, so a long shift does not grow the
	// session with every taxpayer opened.
	for k, v := range s.Values {
		if name, _ := k.(string); strings.HasPrefix(name, keyOpened) {
			if _, live := a.liveReason(v); !live {
				delete(s.Values, k)
			}
		}
	}
	s.Values[keyOpened+strconv.FormatUint(tp.ID, 10)] = strconv.FormatInt(a.now().Unix(), 10) + " " + reason
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteConsoleTaxpayer, tp.ID))
}

// openedReason is the reason the agent gave in this session for opening
// the taxpayer's records, while it lasts.
func (a *App) openedReason(c echo.Context, taxpayerID uint64) (string, bool, error) {
	s, err := a.sessionOf(c)
	if err != nil {
		return "", false, err
	}
	reason, live := a.liveReason(s.Values[keyOpened+strconv.FormatUint(taxpayerID, 10)])
	return reason, live, nil
}

// liveReason reads a remembered "unix-time reason" value: the reason, and
// whether it was given less than openedFor ago.
func (a *App) liveReason(v any) (string, bool) {
	val, _ := v.(string)
	at, reason, ok := strings.Cut(val, " ")
	if !ok {
		return "", false
	}
	unix, err := strconv.ParseInt(at, 10, 64)
	if err != nil || a.now().Sub(time.Unix(unix, 0)) > openedFor {
		return "", false
	}
	return reason, true
}

// taxpayerView is the taxpayer's own overview, as they would see it.
func (a *App) taxpayerView(c echo.Context, tp *models.Taxpayer, reason string) (console.TaxpayerView, error) {
	ctx, now := c.Request().Context(), a.now()
	v := console.TaxpayerView{Name: tp.FullName(), SSN: records.MaskSSN(tp.SSNLast4),
		Place: tp.City + ", " + tp.State, Reason: reason, Online: "No online account", SearchURL: a.reverse(RouteConsoleTaxpayers)}
	var holder models.Account
	if err := a.db.WithContext(ctx).Where("taxpayer_id = ?", tp.ID).Limit(1).Find(&holder).Error; err != nil {
		return v, err
	}
	if holder.ID != 0 {
		v.Online = "Has an online account"
		if holder.VerifiedAt != nil {
			v.Online = "Identity verified online " + a.when(*holder.VerifiedAt)
		}
		if holder.LockedAt != nil {
			v.Online += "; the account is locked"
		}
	}
	d, err := a.records.Dashboard(ctx, tp.ID, now)
	if err != nil {
		return v, err
	}
	v.Refund = console.RefundLine{Year: d.Refund.TaxYear, Headline: d.Refund.Headline, Reason: d.Refund.Reason, WhatToDo: d.Refund.WhatToDo}
	for _, y := range d.Years {
		v.Years = append(v.Years, console.YearLine{Year: y.TaxYear, Form: y.Form, FilingStatus: y.FilingStatus, Filed: y.Filed, Refund: y.Refund})
	}
	st, err := a.ippin.Status(ctx, tp.ID, now)
	if err != nil {
		return v, err
	}
	switch {
	case st.Enrolled && st.HasPIN:
		v.IPPIN = fmt.Sprintf("Enrolled; a PIN is issued for %d (never shown here)", st.Year)
	case st.Enrolled:
		v.IPPIN = fmt.Sprintf("Enrolled; no PIN issued for %d yet", st.Year)
	default:
		v.IPPIN = "Not enrolled"
	}
	if st.OptOutPending {
		v.IPPIN += fmt.Sprintf("; opting out from %d", st.OptOutYear)
	}
	if st.Flagged {
		v.IPPIN += "; flagged for suspected guessing"
	}
	return v, nil
}
