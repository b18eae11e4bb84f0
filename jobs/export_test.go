package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// EnqueuePeriodic enqueues p's job now, through q, as q would if it were
// River's leader when p's period came round: two instances that both
// believe they lead, during a change of leader, both do this.
func EnqueuePeriodic(ctx context.Context, q *Queue, p Periodic) (inserted bool, err error) {
	var args river.JobArgs
	var opts *river.InsertOpts
	switch p := p.(type) {
	case *rollover:
		args, opts = p.next()
	case *cleanUp:
		args, opts = cleanUpArgs{}, p.insertOpts()
	}
	if args == nil {
		return false, nil
	}
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return false, err
	}
	return !res.UniqueSkippedAsDuplicate, nil
}
