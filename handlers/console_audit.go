package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	accountviews "github.com/taxportal/portal/views/account"
	"github.com/taxportal/portal/views/console"
)

// consoleAudit lists the audit trail for supervisors, filtered by agent,
// taxpayer, action and dates. The filters are in the URL: they hold no
// personal data (numbers of records, not SSNs or names).
func (a *App) consoleAudit(c echo.Context) error {
	q := c.QueryParams()
	v := console.AuditView{Action: a.reverse(RouteConsoleAudit), Agent: strings.TrimSpace(q.Get("agent")),
		Taxpayer: strings.TrimSpace(q.Get("taxpayer")), Filter: strings.TrimSpace(q.Get("action")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	f := audit.Filter{Action: v.Filter, Limit: audit.DefaultLimit}
	if v.Agent != "" {
		digits := strings.TrimLeft(strings.TrimPrefix(strings.ToUpper(v.Agent), "A-"), "0")
		id, err := strconv.ParseUint(digits, 10, 64)
		if err != nil {
			v.Errors.Add("agent", "Enter an agent number such as A-0042.")
		} else {
			f.ActorAccountID = &id
		}
	}
	if v.Taxpayer != "" {
		id, err := strconv.ParseUint(strings.TrimPrefix(v.Taxpayer, "taxpayer:"), 10, 64)
		if err != nil {
			v.Errors.Add("taxpayer", "Enter the taxpayer’s record number, digits only.")
		} else {
			f.TaxpayerID = &id
		}
	}
	if v.Filter != "" && !validActionFilter(v.Filter) {
		v.Errors.Add("action", "Use lower-case words joined by dots, such as agent.taxpayer_opened.")
	}
	for _, d := range []struct {
		field, value string
		set          *time.Time
		plus         time.Duration
	}{{"from", v.From, &f.From, 0}, {"to", v.To, &f.To, 24 * time.Hour}} {
		if d.value == "" {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, d.value, a.cfg.TimeZone)
		if err != nil {
			v.Errors.Add(d.field, "Enter the date as year-month-day, such as 2026-11-22.")
			continue
		}
		*d.set = day.Add(d.plus)
	}
	if before, err := strconv.ParseUint(q.Get("before"), 10, 64); err == nil {
		f.BeforeID = before
	}
	p := a.consolePage(c, "Audit trail")
	if v.Errors.Any() {
		return render(c, invalid, console.Audit(p, v), nil)
	}
	entries, err := a.audit.Query(c.Request().Context(), f)
	if err != nil {
		return err
	}
	for _, e := range entries {
		row := console.AuditRow{ID: strconv.FormatUint(e.ID, 10), When: a.when(e.At), Who: who(e), Action: e.Action,
			Subject: e.Subject, Outcome: e.Outcome, Reason: e.Reason, Detail: e.Detail}
		if e.TaxpayerID != nil {
			row.Taxpayer = "Record " + strconv.FormatUint(*e.TaxpayerID, 10)
			filter := url.Values{"taxpayer": {strconv.FormatUint(*e.TaxpayerID, 10)}}
			row.TaxpayerURL = a.reverse(RouteConsoleAudit) + "?" + filter.Encode()
		}
		v.Entries = append(v.Entries, row)
	}
	if len(entries) == f.Limit {
		older := c.QueryParams()
		older.Set("before", strconv.FormatUint(entries[len(entries)-1].ID, 10))
		v.OlderURL = a.reverse(RouteConsoleAudit) + "?" + older.Encode()
	}
	return render(c, http.StatusOK, console.Audit(p, v), nil)
}

// who names an entry's actor for the supervisor.
func who(e models.AuditEntry) string {
	switch {
	case e.ActorRole == models.RoleSystem:
		return "The portal"
	case e.ActorNumber != "":
		return capitalize(string(e.ActorRole)) + " " + e.ActorNumber
	case e.ActorAccountID != nil:
		return capitalize(string(e.ActorRole)) + " (account " + strconv.FormatUint(*e.ActorAccountID, 10) + ")"
	}
	return capitalize(string(e.ActorRole))
}

// validActionFilter accepts an action id or a prefix ending in a dot.
func validActionFilter(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 64 {
		return false
	}
	for _, word := range strings.Split(s, ".") {
		if word == "" || strings.Trim(word, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			return false
		}
	}
	return true
}

// whoLooked lists, for the holder's account page, what staff did with
// their records or account: when, which role and agent number, and why.
func (a *App) whoLooked(ctx context.Context, acct *models.Account) ([]accountviews.LookRow, error) {
	accesses, err := a.audit.AccessesTo(ctx, acct.TaxpayerID, acct.ID, 50)
	if err != nil {
		return nil, err
	}
	rows := make([]accountviews.LookRow, len(accesses))
	for i, x := range accesses {
		reason := x.Reason
		if reason == "" {
			reason = "Not recorded"
		}
		rows[i] = accountviews.LookRow{When: a.when(x.When), Role: x.Role + " " + x.ActorNumber, What: x.Action, Reason: reason}
	}
	return rows, nil
}
