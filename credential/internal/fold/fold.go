// Package fold gives a password the single spelling under which the breached
// list stores it. It is shared by the list generator and the lookup, so the two
// can never disagree about what "the same password" means.
package fold

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Fold trims surrounding white space, lowercases, and normalises to NFC.
// NFC runs last because lowercasing can leave a string that is not in NFC.
func Fold(s string) string {
	return norm.NFC.String(strings.ToLower(strings.TrimSpace(s)))
}
