package jobs

import (
	"context"
	"slices"
	"time"
)

// KindHealth is the state of one kind of job, for supervisors: counts
// only, never a recipient or a message.
type KindHealth struct {
	Kind    string
	Waiting int64 // queued or waiting for a retry, not yet done
	Running int64
	// Retried counts the jobs still in the table (done ones are kept for
	// Settings.KeepSent) that needed more than one try.
	Retried int64
	Failed  int64 // given up (River's discarded or cancelled)
	// OldestWaiting is the age of the oldest job still waiting; zero when
	// none waits.
	OldestWaiting time.Duration
}

// Label names a job kind for people.
func (h KindHealth) Label() string {
	switch h.Kind {
	case kindEmail:
		return "E-mail"
	case kindText:
		return "Text messages"
	case kindCall:
		return "Voice calls"
	case kindAccountRequest:
		return "Sign-up, reset and e-mail change requests"
	case kindCleanUp:
		return "Clean-up"
	case kindRollover:
		return "IP PIN rollover"
	}
	return h.Kind
}

var waitingStates = []string{"available", "scheduled", "retryable", "pending"}

// Health counts the jobs of each kind by state, messages first. Every kind
// the portal runs is listed, even with nothing in the table.
func (q *Queue) Health(ctx context.Context, now time.Time) ([]KindHealth, error) {
	var rows []struct {
		Kind    string
		State   string
		N       int64
		Retried int64
	}
	err := q.db.WithContext(ctx).Table("river_job").
		Select("kind, state, COUNT(*) AS n, SUM(CASE WHEN attempt > 1 THEN 1 ELSE 0 END) AS retried").
		Group("kind, state").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	kinds := []string{kindEmail, kindText, kindCall, kindAccountRequest, kindCleanUp, kindRollover}
	byKind := map[string]*KindHealth{}
	for _, k := range kinds {
		byKind[k] = &KindHealth{Kind: k}
	}
	for _, r := range rows {
		h := byKind[r.Kind]
		if h == nil {
			kinds = append(kinds, r.Kind)
			h = &KindHealth{Kind: r.Kind}
			byKind[r.Kind] = h
		}
		h.Retried += r.Retried
		switch {
		case slices.Contains(waitingStates, r.State):
			h.Waiting += r.N
		case r.State == "running":
			h.Running += r.N
		case r.State == "discarded" || r.State == "cancelled":
			h.Failed += r.N
		}
	}
	out := make([]KindHealth, 0, len(kinds))
	for _, k := range kinds {
		h := byKind[k]
		if h.Waiting > 0 {
			// The column is typed, so both drivers give a time.
			var oldest []time.Time
			err := q.db.WithContext(ctx).Table("river_job").Where("kind = ? AND state IN ?", k, waitingStates).
				Order("created_at").Limit(1).Pluck("created_at", &oldest).Error
			if err != nil {
				return nil, err
			}
			if len(oldest) == 1 {
				h.OldestWaiting = max(now.Sub(oldest[0]), 0)
			}
		}
		out = append(out, *h)
	}
	return out, nil
}
