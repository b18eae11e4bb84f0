package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/views/dev"
)

// devIndex lists the demo taxpayers, for walking through the portal.
func (a *App) devIndex(c echo.Context) error {
	v := dev.IndexView{OutboxURL: a.reverse(RouteDevOutbox), ReviewsURL: a.reverse(RouteDevReviews)}
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

// devReviews lists the document sets waiting for review, so a developer
// can decide them as the agents' reviewers would.
func (a *App) devReviews(c echo.Context) error {
	var rows []models.IdentityVerification
	err := a.pendingReviews(c.Request().Context(), a.now()).Select("id", "id_type", "documents_queued_at").
		Order("documents_queued_at, id").Limit(50).Find(&rows).Error
	if err != nil {
		return err
	}
	v := dev.ReviewsView{Notice: c.QueryParam("done")}
	for _, r := range rows {
		v.Sets = append(v.Sets, dev.PendingSet{ID: strconv.FormatUint(r.ID, 10), IDType: idName(r.IDType),
			Queued: a.when(*r.DocumentsQueuedAt), Action: a.reverse(RouteDevReview, r.ID)})
	}
	return render(c, http.StatusOK, dev.Reviews(a.page(c, "Document review (development)"), v), nil)
}

func (a *App) devDecide(c echo.Context) error {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	approve := c.FormValue("decision") == "approve"
	reason := strings.TrimSpace(c.FormValue("reason"))
	err = a.decideDocuments(c.Request().Context(), id, approve, reason, audit.System)
	if errors.Is(err, errNotInReview) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	done := "Rejected verification " + c.Param("id") + "."
	if approve {
		done = "Accepted verification " + c.Param("id") + "."
	}
	return redirect(c, a.reverse(RouteDevReviews)+"?done="+url.QueryEscape(done))
}
