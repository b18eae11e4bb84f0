// Package notifytest records what the portal would send, for tests in other
// packages: wire a Capture in as both the Mailer and the Phone of the job
// queue, run a flow, drain the queue, then read the link or code out of the
// last message. SMTPServer is a real SMTP server for tests that go through
// notify.SMTPMailer.
package notifytest

import (
	"context"
	"regexp"
	"strings"
	"sync"

	"github.com/taxportal/portal/notify"
)

// PhoneMessage is one text message or call, as recorded.
type PhoneMessage struct {
	Channel  string // notify.ChannelSMS or notify.ChannelVoice
	ToDigits string
	Body     string
}

// Capture is a notify.Mailer and notify.Phone that keeps every message in
// memory. It is safe for concurrent use; the zero value is ready.
type Capture struct {
	mu     sync.Mutex
	mails  []notify.Message
	phones []PhoneMessage
	err    error
}

var (
	_ notify.Mailer = (*Capture)(nil)
	_ notify.Phone  = (*Capture)(nil)
)

// Send records m after checking it as a real sender would.
func (c *Capture) Send(_ context.Context, m notify.Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.mails = append(c.mails, m)
	return nil
}

// SendText records a text message.
func (c *Capture) SendText(_ context.Context, toDigits, body string) error {
	return c.phone(notify.ChannelSMS, toDigits, body)
}

// Call records what a voice call would say.
func (c *Capture) Call(_ context.Context, toDigits, spokenBody string) error {
	return c.phone(notify.ChannelVoice, toDigits, spokenBody)
}

func (c *Capture) phone(channel, toDigits, body string) error {
	if err := notify.CheckDigits(toDigits); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.phones = append(c.phones, PhoneMessage{Channel: channel, ToDigits: toDigits, Body: body})
	return nil
}

// FailWith makes every later send return err (nil restores success), to test
// how a flow copes when mail or the phone provider is down.
func (c *Capture) FailWith(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
}

// Last returns the newest e-mail to an address, compared case-insensitively.
func (c *Capture) Last(to string) (notify.Message, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.mails) - 1; i >= 0; i-- {
		if strings.EqualFold(c.mails[i].To, strings.TrimSpace(to)) {
			return c.mails[i], true
		}
	}
	return notify.Message{}, false
}

// LastPhone returns the newest text or call to a number.
func (c *Capture) LastPhone(toDigits string) (PhoneMessage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.phones) - 1; i >= 0; i-- {
		if c.phones[i].ToDigits == toDigits {
			return c.phones[i], true
		}
	}
	return PhoneMessage{}, false
}

// Mails returns a copy of every e-mail, oldest first.
func (c *Capture) Mails() []notify.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]notify.Message(nil), c.mails...)
}

// Phones returns a copy of every text and call, oldest first.
func (c *Capture) Phones() []PhoneMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]PhoneMessage(nil), c.phones...)
}

// Reset forgets everything recorded.
func (c *Capture) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mails, c.phones = nil, nil
}

var (
	urlRE = regexp.MustCompile(`https?://[^\s<>"']+`)
	// A code stands alone: six digits, or ten capitals and digits with an
	// optional hyphen in the middle ("7K3QX-9MWPA").
	codeRE = regexp.MustCompile(`\b(?:[0-9]{6}|[A-Z0-9]{5}-?[A-Z0-9]{5})\b`)
)

// LinkIn returns the first URL in text (a message's Text part) that starts
// with prefix, or "" if there is none.
func LinkIn(text, prefix string) string {
	for _, u := range urlRE.FindAllString(text, -1) {
		u = strings.TrimRight(u, ".,;:!?)")
		if strings.HasPrefix(u, prefix) {
			return u
		}
	}
	return ""
}

// CodeIn returns the first code in text: six digits, or ten characters of
// capitals and digits (at least one digit, so a shouted word is not a code).
// URLs are skipped, since tokens in links can look like codes. It returns ""
// if there is none.
func CodeIn(text string) string {
	text = urlRE.ReplaceAllString(text, " ")
	for _, c := range codeRE.FindAllString(text, -1) {
		if strings.ContainsAny(c, "0123456789") {
			return c
		}
	}
	return ""
}
