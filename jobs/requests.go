package jobs

import (
	"context"
	"errors"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
)

// An account request is work a request asked for but left to the queue,
// so that the request itself does the same work whatever the address it
// was given (see accounts/requests.go). Its payload is sealed like a
// message: it carries an address, and for a sign-up a password hash.
const (
	kindAccountRequest = "account_request"
	sealAccountRequest = "river_job.args.account_request"
)

type accountRequestArgs struct {
	Sealed []byte `json:"sealed"`
}

func (accountRequestArgs) Kind() string { return kindAccountRequest }

// HandleAccountRequests names what carries out account requests
// (accounts.Service.CarryOut). Call it before Start.
func (q *Queue) HandleAccountRequests(carryOut func(ctx context.Context, payload []byte) error) {
	q.carryOut = carryOut
}

// Defer queues an account request in tx.
func (q *Queue) Defer(ctx context.Context, tx *gorm.DB, payload []byte) error {
	sealed, err := q.vault.Seal(sealAccountRequest, payload)
	if err != nil {
		return err
	}
	_, err = q.insert(ctx, tx, accountRequestArgs{Sealed: sealed}, nil)
	return err
}

type accountRequestWorker struct {
	river.WorkerDefaults[accountRequestArgs]
	q *Queue
}

func (w *accountRequestWorker) Work(ctx context.Context, job *river.Job[accountRequestArgs]) error {
	payload, err := w.q.vault.Open(sealAccountRequest, job.Args.Sealed)
	if err != nil {
		return w.q.failed(job.JobRow, river.JobCancel(err))
	}
	if w.q.carryOut == nil {
		return w.q.failed(job.JobRow, errors.New("jobs: nothing carries out account requests"))
	}
	return w.q.failed(job.JobRow, w.q.carryOut(ctx, payload))
}
