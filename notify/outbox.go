package notify

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/models"
)

// Outbox stores messages in the outbox_messages table instead of sending
// them, for development and tests: it is a Mailer and a Phone. It keeps
// live links and codes in clear, so production must not use it.
type Outbox struct {
	db *gorm.DB
}

// NewOutbox returns an outbox writing to db.
func NewOutbox(db *gorm.DB) *Outbox { return &Outbox{db: db} }

// Outbox channels, as stored in OutboxMessage.Channel.
const (
	ChannelEmail  = "email"
	ChannelSMS    = "sms"
	ChannelVoice  = "voice"
	ChannelLetter = "letter"
)

// Send stores an e-mail, its address normalised as accounts store theirs.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return o.insert(ctx, models.OutboxMessage{
		Channel: ChannelEmail, To: models.NormalizeEmail(m.To),
		Subject: m.Subject, Text: m.Text, HTML: m.HTML,
	})
}

// SendText stores a text message. The number is shown in full, formatted:
// the outbox exists so a developer can read the code.
func (o *Outbox) SendText(ctx context.Context, toDigits, body string) error {
	return o.phone(ctx, ChannelSMS, "Text message", toDigits, body)
}

// Call stores what an automated call would say.
func (o *Outbox) Call(ctx context.Context, toDigits, spokenBody string) error {
	return o.phone(ctx, ChannelVoice, "Voice call", toDigits, spokenBody)
}

// Letter stores a copy of a letter the print vendor will mail (its rows are
// in the letters table), so a developer can read the code without waiting
// for the post. to is the addressee and address on one line.
func (o *Outbox) Letter(ctx context.Context, to, subject, body string) error {
	if strings.TrimSpace(to) == "" || strings.TrimSpace(body) == "" {
		return fmt.Errorf("%w: a letter needs an address and a text", ErrInvalidMessage)
	}
	return o.insert(ctx, models.OutboxMessage{Channel: ChannelLetter, To: truncateRunes(to, 254), Subject: subject, Text: body})
}

func (o *Outbox) phone(ctx context.Context, channel, subject, toDigits, body string) error {
	if err := CheckDigits(toDigits); err != nil {
		return err
	}
	if strings.TrimSpace(body) == "" {
		return fmt.Errorf("%w: empty %s", ErrInvalidMessage, subject)
	}
	return o.insert(ctx, models.OutboxMessage{
		Channel: channel, To: FormatPhone(toDigits), Subject: subject, Text: body,
	})
}

func (o *Outbox) insert(ctx context.Context, row models.OutboxMessage) error {
	row.Subject = truncateRunes(row.Subject, 200) // the column's size
	if err := o.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("notify: storing %s in outbox: %w", row.Channel, err)
	}
	return nil
}

// Recent lists the newest messages first, at most limit (1 to 500, default 50).
func (o *Outbox) Recent(ctx context.Context, limit int) ([]models.OutboxMessage, error) {
	return o.list(ctx, o.db, limit)
}

// ForRecipient lists the newest messages to one address or phone number
// first. A phone number may be given as digits or as shown.
func (o *Outbox) ForRecipient(ctx context.Context, to string, limit int) ([]models.OutboxMessage, error) {
	to = strings.TrimSpace(to)
	if CheckDigits(to) == nil {
		to = FormatPhone(to)
	} else if strings.Contains(to, "@") {
		to = models.NormalizeEmail(to)
	}
	// TO is an SQL keyword: clause.Column has GORM quote it for each database.
	return o.list(ctx, o.db.Where(clause.Eq{Column: clause.Column{Name: "to"}, Value: to}), limit)
}

func (o *Outbox) list(ctx context.Context, q *gorm.DB, limit int) ([]models.OutboxMessage, error) {
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	var rows []models.OutboxMessage
	err := q.WithContext(ctx).Order("id DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("notify: listing outbox: %w", err)
	}
	return rows, nil
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
