package handlers

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/views/dev"
)

// devIndex lists the demo taxpayers, for walking through the portal.
func (a *App) devIndex(c echo.Context) error {
	v := dev.IndexView{OutboxURL: a.reverse(RouteDevOutbox), ConsoleURL: a.reverse(RouteConsole)}
	for _, m := range demodata.Staff {
		v.Staff = append(v.Staff, dev.StaffMember{Role: capitalize(string(m.Role)), Email: m.Email, Password: m.Password,
			Code: m.StaffCode(a.now())})
	}
	for _, t := range demodata.Featured {
		v.Taxpayers = append(v.Taxpayers, dev.Taxpayer{
			Name: t.Name, SSN: t.SSN, DOB: t.DOB.Format("January 2, 2006"), Address: t.Address,
			Phone: notify.FormatPhone(t.Phone), Situation: t.Situation,
		})
	}
	return render(c, http.StatusOK, dev.Index(a.page(c, "Development tools"), v), nil)
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// devOutbox shows what the portal sent, links clickable.
func (a *App) devOutbox(c echo.Context) error {
	if a.outbox == nil {
		return echo.ErrNotFound // mail goes out over SMTP: there is no outbox
	}
	msgs, err := a.outbox.Recent(c.Request().Context(), 100)
	if err != nil {
		return err
	}
	var v dev.OutboxView
	for _, m := range msgs {
		row := dev.Message{ID: strconv.FormatUint(m.ID, 10), Channel: m.Channel, To: m.To, Subject: m.Subject, Sent: a.when(m.CreatedAt)}
		rest := m.Text
		for _, loc := range urlPattern.FindAllStringIndex(m.Text, -1) {
			start := loc[0] - (len(m.Text) - len(rest))
			end := loc[1] - (len(m.Text) - len(rest))
			row.Body = append(row.Body, dev.Segment{Text: rest[:start]}, dev.Segment{Text: rest[start:end], Link: true})
			rest = rest[end:]
		}
		row.Body = append(row.Body, dev.Segment{Text: rest})
		v.Messages = append(v.Messages, row)
	}
	return render(c, http.StatusOK, dev.Outbox(a.page(c, "Development outbox"), v), nil)
}
