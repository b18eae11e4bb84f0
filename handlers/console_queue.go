package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/appointments"
	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/casework"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/views/console"
)

// Console routes beyond the navigation's own (see routes.go).
const (
	RouteConsoleClaim        = "console.case.claim"
	RouteConsoleCase         = "console.case"
	RouteConsoleCaseImage    = "console.case.image"
	RouteConsoleRelease      = "console.case.release"
	RouteConsoleDecide       = "console.case.decide"
	RouteConsoleOpenTaxpayer = "console.taxpayer.open"
	RouteConsoleTaxpayer     = "console.taxpayer"
	RouteConsoleDisableAgent = "console.agents.disable"
)

// queuePoll is how often an open queue page refreshes its list.
const queuePoll = "every 15s"

// queueLimit caps each section: the oldest cases are the ones to work.
const queueLimit = 100

// actor is the signed-in staff member, as the audit trail names them.
func actor(acct *models.Account) audit.Actor {
	return audit.By(acct.ID, acct.Role, models.AgentNumber(acct.ID))
}

func (a *App) claims() casework.Claims { return casework.Claims{DB: a.db} }

// consoleQueue is the review queue. An htmx poll gets the list alone.
func (a *App) consoleQueue(c echo.Context) error {
	v, err := a.queueView(c)
	if err != nil {
		return err
	}
	// Only fixed texts are shown: a link cannot put words on this page.
	id, _ := strconv.ParseUint(c.QueryParam("case"), 10, 64)
	if text, ok := queueNotices[c.QueryParam("done")]; ok {
		v.Notice = fmt.Sprintf(text, id)
	}
	if text, ok := queueProblems[c.QueryParam("problem")]; ok {
		v.Error = fmt.Sprintf(text, id)
	}
	p := a.consolePage(c, "Review queue")
	return render(c, http.StatusOK, console.Queue(p, v), console.QueueList(p, v))
}

func (a *App) queueView(c echo.Context) (console.QueueView, error) {
	ctx := c.Request().Context()
	acct, now := account(c), a.now().UTC()
	sections, err := a.queueSections(ctx, acct, now)
	if err != nil {
		return console.QueueView{}, err
	}
	v := console.QueueView{Sections: sections, PollURL: a.reverse(RouteConsole), Every: queuePoll}
	if acct.Role == models.RoleSupervisor {
		m, err := a.queueMetrics(ctx, now)
		if err != nil {
			return v, err
		}
		v.Metrics = &m
	}
	return v, nil
}

// queueSections is every kind of work waiting for a person, each its own
// section: document sets here; other kinds (booked video calls) add theirs
// by appending to this list.
func (a *App) queueSections(ctx context.Context, acct *models.Account, now time.Time) ([]console.QueueSection, error) {
	docs, err := a.documentQueue(ctx, acct, now)
	if err != nil {
		return nil, err
	}
	calls, err := a.callQueue(ctx, acct, now)
	if err != nil {
		return nil, err
	}
	return []console.QueueSection{docs, calls}, nil
}

// callQueue lists the booked video calls still to hold or to decide,
// soonest first. A call is its agent's: the others see who has it.
func (a *App) callQueue(ctx context.Context, acct *models.Account, now time.Time) (console.QueueSection, error) {
	s := console.QueueSection{ID: "video-calls", Heading: "Booked video calls", Empty: "No video calls are booked."}
	slots, err := appointments.Upcoming(ctx, a.db, now, queueLimit)
	if err != nil {
		return s, err
	}
	for _, sl := range slots {
		when := "Starts at " + a.when(sl.StartsAt)
		if !sl.StartsAt.After(now) {
			when = "Started at " + a.when(sl.StartsAt) + ", no outcome yet"
		}
		s.Items = append(s.Items, console.QueueItem{
			Label: fmt.Sprintf("Video call %d", sl.ID), Waiting: when,
			Holder: models.AgentNumber(sl.AgentID), Mine: sl.AgentID == acct.ID,
			OpenURL: a.reverse(RouteConsoleAppointment, sl.ID),
		})
	}
	return s, nil
}

// documentQueue lists the document sets waiting for review, oldest first.
func (a *App) documentQueue(ctx context.Context, acct *models.Account, now time.Time) (console.QueueSection, error) {
	s := console.QueueSection{ID: "document-sets", Heading: "ID documents to review", Empty: "No document sets are waiting."}
	var rows []models.IdentityVerification
	err := a.pendingReviews(ctx, now).Select("id", "id_type", "documents_queued_at").
		Order("documents_queued_at, id").Limit(queueLimit).Find(&rows).Error
	if err != nil {
		return s, err
	}
	subjects := make([]string, len(rows))
	for i, r := range rows {
		subjects[i] = caseSubject(r.ID)
	}
	holders, err := a.claims().Holders(ctx, subjects, now)
	if err != nil {
		return s, err
	}
	for _, r := range rows {
		it := console.QueueItem{
			Label:   fmt.Sprintf("Verification %d · %s", r.ID, idName(r.IDType)),
			Waiting: duration(now.Sub(*r.DocumentsQueuedAt)), Since: a.when(*r.DocumentsQueuedAt),
			ClaimAction: a.reverse(RouteConsoleClaim, r.ID), OpenURL: a.reverse(RouteConsoleCase, r.ID),
		}
		if holder, ok := holders[caseSubject(r.ID)]; ok {
			it.Mine, it.Holder = holder == acct.ID, models.AgentNumber(holder)
		}
		s.Items = append(s.Items, it)
	}
	return s, nil
}

// queueMetrics are the supervisor's numbers: what waits, and how fast
// decisions come today (in the portal's time zone).
func (a *App) queueMetrics(ctx context.Context, now time.Time) (console.QueueMetrics, error) {
	var m console.QueueMetrics
	var waiting int64
	if err := a.pendingReviews(ctx, now).Count(&waiting).Error; err != nil {
		return m, err
	}
	m.Waiting, m.Oldest = int(waiting), "Nobody waiting"
	var oldest models.IdentityVerification
	err := a.pendingReviews(ctx, now).Select("id", "documents_queued_at").Order("documents_queued_at, id").Limit(1).Find(&oldest).Error
	if err != nil {
		return m, err
	}
	if oldest.DocumentsQueuedAt != nil {
		m.Oldest = duration(now.Sub(*oldest.DocumentsQueuedAt))
	}
	local := now.In(a.cfg.TimeZone)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, a.cfg.TimeZone).UTC()
	var decided []models.IdentityVerification
	err = a.db.WithContext(ctx).Select("id", "documents_queued_at", "documents_decided_at").
		Where("documents_decided_at >= ? AND documents_queued_at IS NOT NULL", midnight).Find(&decided).Error
	if err != nil {
		return m, err
	}
	m.DecidedToday, m.MedianDecision = len(decided), "No decisions yet"
	if len(decided) > 0 {
		times := make([]time.Duration, len(decided))
		for i, d := range decided {
			times[i] = d.DocumentsDecidedAt.Sub(*d.DocumentsQueuedAt)
		}
		slices.Sort(times)
		mid := times[len(times)/2]
		if len(times)%2 == 0 {
			mid = (times[len(times)/2-1] + mid) / 2
		}
		m.MedianDecision = duration(mid)
	}
	return m, nil
}

// duration says how long, in the largest two units that matter.
func duration(d time.Duration) string {
	if d < time.Minute {
		return "under a minute"
	}
	mins := int(d.Minutes())
	days, hours, mins := mins/(24*60), mins/60%24, mins%60
	switch {
	case days > 0:
		return plural(days, "day") + " " + plural(hours, "hour")
	case hours > 0:
		return plural(hours, "hour") + " " + plural(mins, "minute")
	}
	return plural(mins, "minute")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// What the queue page says after an action, by the code in its URL.
var (
	queueNotices = map[string]string{
		"approve":  "Approved verification %d. The person has been e-mailed.",
		"reject":   "Turned down verification %d. The person has been e-mailed why.",
		"another":  "Asked for another document on verification %d. The person has been e-mailed.",
		"released": "Verification %d is back in the queue.",
	}
	queueProblems = map[string]string{
		"gone":    "Verification %d was decided or withdrawn meanwhile.",
		"taken":   "Another agent claimed verification %d first.",
		"notheld": "You don’t hold verification %d (any more), so nothing was recorded. Claim it from the queue.",
	}
)

// toQueue goes back to the queue, which says what happened (key "done")
// or what went wrong ("problem") with the case.
func (a *App) toQueue(c echo.Context, key, code string, caseID uint64) error {
	q := url.Values{key: {code}, "case": {strconv.FormatUint(caseID, 10)}}
	return redirect(c, a.reverse(RouteConsole)+"?"+q.Encode())
}
