package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/textproto"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/taxportal/portal/notify"
)

// Job kinds of messages, as stored in river_job.kind and shown on the
// console.
const (
	kindEmail = "email"
	kindText  = "text_message"
	kindCall  = "voice_call"
)

// Each kind's message is sealed under a purpose of its own, so a sealed
// text cannot be replayed as an e-mail.
const (
	sealEmail = "river_job.args.email"
	sealText  = "river_job.args.text_message"
	sealCall  = "river_job.args.voice_call"
)

// The arguments River stores: only the sealed message. JSON turns the bytes
// into base64.
type emailArgs struct {
	Sealed []byte `json:"sealed"`
}

func (emailArgs) Kind() string { return kindEmail }

type textArgs struct {
	Sealed []byte `json:"sealed"`
}

func (textArgs) Kind() string { return kindText }

type callArgs struct {
	Sealed []byte `json:"sealed"`
}

func (callArgs) Kind() string { return kindCall }

// phoneMessage is what a text or call job carries, once opened.
type phoneMessage struct {
	To   string `json:"to"`
	Body string `json:"body"`
}

// ErrNoPhone means no phone provider is configured, so texts and calls
// cannot be queued.
var ErrNoPhone = errors.New("jobs: no phone provider to send texts and calls")

// Mail queues an e-mail in tx. A message that could never be sent (see
// notify.Message.Validate) is refused here, not retried for hours.
func (q *Queue) Mail(ctx context.Context, tx *gorm.DB, m notify.Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	sealed, err := q.seal(sealEmail, m)
	if err != nil {
		return err
	}
	_, err = q.insert(ctx, tx, emailArgs{Sealed: sealed}, nil)
	return err
}

// Text queues a text message in tx.
func (q *Queue) Text(ctx context.Context, tx *gorm.DB, toDigits, body string) error {
	sealed, err := q.sealPhone(sealText, toDigits, body)
	if err != nil {
		return err
	}
	_, err = q.insert(ctx, tx, textArgs{Sealed: sealed}, nil)
	return err
}

// Call queues an automated voice call in tx.
func (q *Queue) Call(ctx context.Context, tx *gorm.DB, toDigits, spokenBody string) error {
	sealed, err := q.sealPhone(sealCall, toDigits, spokenBody)
	if err != nil {
		return err
	}
	_, err = q.insert(ctx, tx, callArgs{Sealed: sealed}, nil)
	return err
}

func (q *Queue) sealPhone(purpose, toDigits, body string) ([]byte, error) {
	if q.phone == nil {
		return nil, ErrNoPhone
	}
	if err := notify.CheckDigits(toDigits); err != nil {
		return nil, err
	}
	if strings.TrimSpace(body) == "" {
		return nil, fmt.Errorf("%w: empty text or call", notify.ErrInvalidMessage)
	}
	return q.seal(purpose, phoneMessage{To: toDigits, Body: body})
}

func (q *Queue) seal(purpose string, v any) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return q.vault.Seal(purpose, plain)
}

func (q *Queue) open(purpose string, sealed []byte, v any) error {
	plain, err := q.vault.Open(purpose, sealed)
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, v)
}

// emailWorker hands an e-mail to the mailer (SMTP, or the development
// outbox).
type emailWorker struct {
	river.WorkerDefaults[emailArgs]
	q *Queue
}

func (w *emailWorker) Work(ctx context.Context, job *river.Job[emailArgs]) error {
	var m notify.Message
	if err := w.q.open(sealEmail, job.Args.Sealed, &m); err != nil {
		return w.q.failed(job.JobRow, river.JobCancel(err))
	}
	err := w.q.mailer.Send(ctx, m)
	return w.q.failed(job.JobRow, classify(redact(err, m.To)))
}

// textWorker and callWorker hand a text or a call to the phone provider.
type textWorker struct {
	river.WorkerDefaults[textArgs]
	q *Queue
}

func (w *textWorker) Work(ctx context.Context, job *river.Job[textArgs]) error {
	return w.q.sendPhone(ctx, job.JobRow, sealText, job.Args.Sealed, notify.Phone.SendText)
}

type callWorker struct {
	river.WorkerDefaults[callArgs]
	q *Queue
}

func (w *callWorker) Work(ctx context.Context, job *river.Job[callArgs]) error {
	return w.q.sendPhone(ctx, job.JobRow, sealCall, job.Args.Sealed, notify.Phone.Call)
}

func (q *Queue) sendPhone(ctx context.Context, job *rivertype.JobRow, purpose string, sealed []byte,
	send func(notify.Phone, context.Context, string, string) error) error {
	var m phoneMessage
	if err := q.open(purpose, sealed, &m); err != nil {
		return q.failed(job, river.JobCancel(err))
	}
	if q.phone == nil {
		return q.failed(job, ErrNoPhone)
	}
	err := send(q.phone, ctx, m.To, m.Body)
	return q.failed(job, classify(redact(err, m.To, notify.FormatPhone(m.To))))
}

// failed logs a job that will not be tried again (its last attempt,
// or an error no retry can mend), by kind and job id: never the recipient
// or the text. River keeps the error, redacted too, on the job's row.
func (q *Queue) failed(job *rivertype.JobRow, err error) error {
	if err == nil {
		return nil
	}
	var cancel *river.JobCancelError
	if errors.As(err, &cancel) || job.Attempt >= job.MaxAttempts {
		q.log.Error("message given up, not sent", // or the request that leads to one slog.String("kind", job.Kind), slog.Int64("job", job.ID),
			slog.Int("attempts", job.Attempt), slog.String("error", err.Error()))
	}
	return err
}

// classify stops the retries for errors that no retry can mend: a message
// the sender refuses as malformed, or an SMTP answer in the 5xx range (the
// server refuses the recipient or the message for good). Everything else,
// a refused connection, a timeout, a 4xx answer, is tried again.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var tp *textproto.Error
	if errors.Is(err, notify.ErrInvalidMessage) || errors.Is(err, notify.ErrCleartextAuth) || (errors.As(err, &tp) && tp.Code >= 500) {
		return river.JobCancel(err)
	}
	return err
}

// redact takes the recipient out of an error before it is logged or stored
// on the job's row: a mail server's refusal often quotes the address.
func redact(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "[recipient]")
		}
	}
	if text == err.Error() {
		return err
	}
	return redactedError{text: text, err: err}
}

// redactedError shows the redacted text but keeps the original for
// errors.Is and errors.As (classify needs the SMTP code).
type redactedError struct {
	text string
	err  error
}

func (e redactedError) Error() string { return e.text }
func (e redactedError) Unwrap() error { return e.err }

// Timeout bounds one try; the SMTP mailer has its own, shorter bound.
func (w *emailWorker) Timeout(*river.Job[emailArgs]) time.Duration { return time.Minute }
