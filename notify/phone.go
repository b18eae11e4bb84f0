package notify

import (
	"context"
	"fmt"
	"strings"
)

// Phone sends one-time codes by text message or by an automated voice call.
// toDigits is the number as digits only: ten for a US number ("5550100123"),
// or more for an international one.
//
// The outbox is the only implementation so far. A real provider plugs in by
// implementing these two methods (typically one HTTPS request each to the
// provider's API, with the account's credentials) and being chosen at start
// from a setting such as PORTAL_PHONE_URL, the way PORTAL_SMTP_URL chooses
// SMTP over the outbox. Whatever the provider, bodies carry only the code
// and a short explanation: a text message is not private.
type Phone interface {
	SendText(ctx context.Context, toDigits, body string) error
	Call(ctx context.Context, toDigits, spokenBody string) error
}

// CheckDigits refuses a number that is not 10 to 15 digits (E.164 allows 15).
func CheckDigits(toDigits string) error {
	if len(toDigits) < 10 || len(toDigits) > 15 || strings.Trim(toDigits, "0123456789") != "" {
		return fmt.Errorf("%w: phone number must be 10 to 15 digits, got %d characters", ErrInvalidMessage, len(toDigits))
	}
	return nil
}

// FormatPhone shows a US number as "(555) 010-0123", dropping a leading 1;
// any other number is shown as +digits.
func FormatPhone(digits string) string {
	if len(digits) == 11 && digits[0] == '1' {
		digits = digits[1:]
	}
	if len(digits) == 10 && strings.Trim(digits, "0123456789") == "" {
		return "(" + digits[:3] + ") " + digits[3:6] + "-" + digits[6:]
	}
	return "+" + digits
}
