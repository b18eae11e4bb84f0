package handlers

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/jobs"
	"github.com/taxportal/portal/views/console"
)

// JobsHealth is what the console reads of the job queue.
type JobsHealth interface {
	Health(ctx context.Context, now time.Time) ([]jobs.KindHealth, error)
}

// stuckAfter is how long a job may wait before the page flags it: longer
// than the first few retries of a message.
const stuckAfter = 15 * time.Minute

// consoleJobs shows supervisors the job queue's health: counts by kind and
// state, and the oldest waiting job's age; never a recipient or a message.
func (a *App) consoleJobs(c echo.Context) error {
	kinds, err := a.jobs.Health(c.Request().Context(), time.Now())
	if err != nil {
		return err
	}
	var v console.JobsView
	for _, k := range kinds {
		row := console.JobsRow{
			Kind: k.Kind, Label: k.Label(), Waiting: count(k.Waiting), Running: count(k.Running),
			Retried: count(k.Retried), Failed: count(k.Failed), OldestWaiting: "—",
		}
		if k.Waiting > 0 {
			row.OldestWaiting = age(k.OldestWaiting)
			row.Stuck = k.OldestWaiting > stuckAfter
		}
		v.Trouble = v.Trouble || row.Stuck || k.Failed > 0
		v.Kinds = append(v.Kinds, row)
	}
	return render(c, http.StatusOK, console.Jobs(a.consolePage(c, "Outgoing messages and jobs"), v), nil)
}

func count(n int64) string { return strconv.FormatInt(n, 10) }

// age says how long in a way a person reads at a glance.
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + " h " + strconv.Itoa(int(d.Minutes())%60) + " min"
	}
	return strconv.Itoa(int(d.Hours()/24)) + " days"
}
