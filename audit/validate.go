package audit

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/taxportal/portal/models"
)

// Longest values, in characters, that the columns of models.AuditEntry hold.
// Forms that ask an agent for a reason use MaxReason.
const (
	MaxReason      = 200
	MaxDetail      = 400
	maxAction      = 64
	maxSubject     = 80
	maxOutcome     = 16
	maxRole        = 16
	maxActorNumber = 16
)

// ErrInvalidEntry is wrapped by every error about an entry's content.
var ErrInvalidEntry = errors.New("audit: invalid entry")

// validate refuses what a database would refuse or change, since the hash
// must cover exactly what is stored: text too long for its column (PostgreSQL
// rejects it, SQLite keeps it), text that is not UTF-8, and NUL characters.
func validate(e Entry) error {
	if e.Actor.Role == "" {
		return invalid("the actor has no role")
	}
	if (e.Actor.Role == models.RoleSystem) != (e.Actor.AccountID == nil) {
		return invalid("only the system acts without an account, and never with one")
	}
	if !isActionID(e.Action) {
		return invalid(fmt.Sprintf("action %q is not lower-case words joined by dots", e.Action))
	}
	for _, f := range []struct {
		name  string
		value string
		max   int
	}{
		{"actor role", string(e.Actor.Role), maxRole},
		{"actor number", e.Actor.Number, maxActorNumber},
		{"action", e.Action, maxAction},
		{"subject", e.Subject, maxSubject},
		{"outcome", e.Outcome, maxOutcome},
		{"reason", e.Reason, MaxReason},
		{"detail", e.Detail, MaxDetail},
	} {
		switch {
		case !utf8.ValidString(f.value):
			return invalid(f.name + " is not valid UTF-8")
		case strings.ContainsRune(f.value, 0):
			return invalid(f.name + " holds a NUL character")
		case utf8.RuneCountInString(f.value) > f.max:
			return invalid(fmt.Sprintf("%s is longer than %d characters", f.name, f.max))
		}
	}
	return nil
}

func invalid(why string) error { return fmt.Errorf("%w: %s", ErrInvalidEntry, why) }

// isActionID reports whether s is dot-separated words of a-z, 0-9 and
// underscores, such as "verification.ssn_entered". One case only keeps prefix
// filters alike on both databases (SQLite's LIKE ignores case).
func isActionID(s string) bool {
	if s == "" {
		return false
	}
	for word := range strings.SplitSeq(s, ".") {
		if word == "" {
			return false
		}
		for _, r := range word {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
				return false
			}
		}
	}
	return true
}
