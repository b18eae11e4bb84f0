package ippin

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/taxportal/portal/models"
)

// PIN is an IP PIN in the clear. Like pii.SSN it has no String method and
// prints as a mask with every fmt verb and in structured logs, so a PIN
// that strays into a log line or an error leaks nothing.
type PIN struct{ digits string }

// Digits is the PIN itself, for its holder's eyes and for a letter.
func (p PIN) Digits() string { return p.digits }

// Format prints the mask.
func (p PIN) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("******")) }

// LogValue keeps structured logs masked too.
func (p PIN) LogValue() slog.Value { return slog.StringValue("******") }

// Issued is one year's PIN as its holder sees it.
type Issued struct {
	PIN      PIN
	Year     int
	IssuedAt time.Time
	Delivery models.IPPINDelivery
}
