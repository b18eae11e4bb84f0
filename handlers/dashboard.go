package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/records"
	recordviews "github.com/taxportal/portal/views/records"
	"github.com/taxportal/portal/views/refund"
)

// stoppedAlertFor is how long the dashboard warns about a return stopped
// for a wrong IP PIN.
const stoppedAlertFor = 30 * 24 * time.Hour

// dashboardActivity is how many security events the dashboard lists.
const dashboardActivity = 5

// dashboard is the verified taxpayer's home: balance, latest refund, IP
// PIN, notices and recent activity.
func (a *App) dashboard(c echo.Context) error {
	ctx, now, id, acct := c.Request().Context(), a.recordsNow(), taxpayerOf(c), account(c)
	o, err := a.records.Overview(ctx, id, now)
	if err != nil {
		return err
	}
	d, sum := o.Dashboard, o.Account
	live, err := a.dashboardLive(ctx, acct, id, a.now())
	if err != nil {
		return err
	}
	pin, events, stopped := live.pin, live.events, live.stopped
	if stopped != nil && !stopped.At.After(a.now().Add(-stoppedAlertFor)) {
		stopped = nil // kept as history, no longer an alert
	}
	v := recordviews.DashboardView{
		Name: o.Name, Balance: sum, Links: a.recordLinks(),
		Refund: a.trackerView(d.Refund, "Your "+strconv.Itoa(d.Refund.TaxYear)+" refund"),
		IPPIN:  a.ippinCard(pin),
	}
	if stopped != nil {
		v.Stopped = &recordviews.StoppedAlert{
			Heading: ippin.Alert{Code: ippin.RejectCode(stopped.Code)}.Message(),
			When:    "On " + a.when(stopped.At), Detail: ippin.StoppedDetail(*stopped),
			IPPINURL: a.reverse(RouteIPPIN), HelpURL: a.helpURL("if-you-shared-information"),
		}
	}
	for i, n := range sum.Notices {
		if i == 3 {
			break
		}
		v.Notices = append(v.Notices, recordviews.NoticeLink{Title: n.Title, Date: n.Date, Plain: n.Plain, URL: a.reverse(RouteNotice, n.ID), TaxYear: n.TaxYear})
	}
	for _, e := range events {
		row := recordviews.ActivityRow{When: a.when(e.At), What: eventWord(e.Kind)}
		if e.Detail != "" {
			row.Detail = " · " + e.Detail
		}
		v.Activity = append(v.Activity, row)
	}
	for _, y := range d.Years {
		v.Years = append(v.Years, recordviews.YearLink{YearSummary: y, URL: a.reverse(RouteRecords) + "#year-" + strconv.Itoa(y.TaxYear)})
	}
	return render(c, http.StatusOK, recordviews.Dashboard(a.page(c, "Dashboard"), v), nil)
}

func (a *App) ippinCard(s ippin.Status) recordviews.IPPINCard {
	y := strconv.Itoa(s.Year)
	card := recordviews.IPPINCard{URL: a.reverse(RouteIPPIN)}
	switch {
	case s.Enrolled && s.HasPIN:
		card.Enrolled, card.Text, card.Action = true, "You are enrolled. Your "+y+" IP PIN is ready: use it on every return you file this year.", "See your IP PIN"
	case s.Enrolled:
		card.Enrolled, card.Text, card.Action = true, "You are enrolled. Your "+y+" IP PIN will be issued soon.", "About your IP PIN"
	default:
		card.Text, card.Action = "An IP PIN stops anyone else from filing a return with your SSN. It’s free and takes a minute.", "Get an IP PIN"
	}
	return card
}

func (a *App) trackerView(s records.RefundStatus, heading string) refund.TrackerView {
	return refund.TrackerView{Status: s, HelpURL: a.helpURL(s.HelpSlug), Heading: heading}
}
