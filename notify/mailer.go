// Package notify sends the portal's messages: e-mail through SMTP, text and
// voice codes through a phone provider, and, in development, into the
// outbox table that the development outbox page shows.
//
// Flows put messages on a Queue (package jobs) in their own transaction;
// the queue's workers hand them to the senders. Senders are interfaces
// (Mailer, Phone) so nothing else knows which one is wired in; tests use
// notifytest.Capture. The messages themselves are built by Brand's methods
// in messages.go, each with a plain-text and an HTML part from the same
// content, so the two can never say different things.
package notify

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// Message is one e-mail to one person. To is a bare address
// ("name@example.com"); the sender adds From, Date and the rest.
type Message struct {
	To, Subject, Text, HTML string
}

// Mailer sends e-mail. Send returns once the message is handed over (to the
// SMTP server, or into the outbox); it does not retry: the queue does.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// ErrInvalidMessage wraps every reason a message is refused before sending.
var ErrInvalidMessage = errors.New("notify: invalid message")

// Validate checks what every sender relies on: one bare, well-formed
// recipient, a subject on one line, and both parts present. Line breaks are
// refused in headers so a crafted value can never add one of its own.
func (m Message) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidMessage, fmt.Sprintf(format, args...))
	}
	if strings.ContainsAny(m.To, "\r\n") || strings.ContainsAny(m.Subject, "\r\n") {
		return bad("line break in To or Subject")
	}
	a, err := mail.ParseAddress(m.To)
	if err != nil || a.Address != m.To || a.Name != "" {
		return bad("To %q is not a bare e-mail address", m.To)
	}
	if strings.TrimSpace(m.Subject) == "" {
		return bad("empty subject")
	}
	if m.Text == "" || m.HTML == "" {
		return bad("both a text and an HTML part are required")
	}
	return nil
}
