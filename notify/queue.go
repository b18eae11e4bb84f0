package notify

import (
	"context"

	"gorm.io/gorm"
)

// Queue puts a message on the durable job queue (package jobs) in the
// caller's transaction tx: it goes out only if that transaction commits,
// and then at least once, retried while the mail server or phone provider
// is down. Flows never send directly, so a request never waits on SMTP.
// tx may be the database itself for a message that follows no write.
type Queue interface {
	Mail(ctx context.Context, tx *gorm.DB, m Message) error
	Text(ctx context.Context, tx *gorm.DB, toDigits, body string) error
	Call(ctx context.Context, tx *gorm.DB, toDigits, spokenBody string) error
}
