package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode"
)

// Backup code shape: 12 characters from an alphabet without look-alikes
// (no 0/O, 1/I/L), shown in groups of 4. 31^12 is about 2^59.
const (
	backupAlphabet  = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	backupLen       = 12
	backupGroup     = 4
	BackupCodeCount = 10 // how many NewBackupCodes(0) makes, as DOMAIN.md asks
)

// NewNumericCode returns a code of the given number of digits (1 to 18) for a
// person to type, such as the 6-digit code in a text message. Every value is
// equally likely and leading zeros are kept. It panics on an out-of-range
// digit count, which is a programming error.
func NewNumericCode(digits int) string {
	if digits < 1 || digits > 18 {
		panic(fmt.Sprintf("credential: NewNumericCode(%d): digits must be 1 to 18", digits))
	}
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)
	n, err := rand.Int(rand.Reader, limit) // rejection sampling: no modulo bias
	if err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return fmt.Sprintf("%0*d", digits, n)
}

// NewLinkToken returns 32 random bytes as unpadded base64url (43 characters),
// for links sent by e-mail.
func NewLinkToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how codes and tokens are stored: SHA-256 as 64 hex digits, so
// a copy of the database does not hold working links or codes. It does not
// normalise: pass typed backup codes through NormalizeBackupCode first, and
// strip spaces from typed numeric codes.
func HashToken(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// NewBackupCodes returns n fresh backup codes (BackupCodeCount if n <= 0), in
// the form people see, such as "H7KD-3MQP-X9TR". Store
// HashToken(NormalizeBackupCode(code)) for each, show them once, and delete
// the old set when a new one is made.
func NewBackupCodes(n int) []string {
	if n <= 0 {
		n = BackupCodeCount
	}
	codes := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for len(codes) < n {
		c := newBackupCode()
		if !seen[c] { // a repeat is astronomically unlikely, but must not halve the set
			seen[c] = true
			codes = append(codes, c)
		}
	}
	return codes
}

func newBackupCode() string {
	var sb strings.Builder
	limit := big.NewInt(int64(len(backupAlphabet)))
	for i := range backupLen {
		if i > 0 && i%backupGroup == 0 {
			sb.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			panic(err) // crypto/rand does not fail on supported systems
		}
		sb.WriteByte(backupAlphabet[n.Int64()])
	}
	return sb.String()
}

// NormalizeBackupCode turns what a person typed (" h7kd 3mqp-x9tr ") into the
// form to hash and compare ("H7KD3MQPX9TR"). It returns "" when the input
// cannot be a backup code (wrong length or a character outside the alphabet),
// so such input is refused without a database look-up, but still counts as a
// failed try.
func NormalizeBackupCode(input string) string {
	return NormalizeCode(input, backupLen, backupAlphabet)
}

// NormalizeCode reads back a code typed by hand: spaces and dashes of every
// kind dropped, letters upper-cased. It returns "" when the result is not
// length characters of alphabet, so such input needs no look-up.
func NormalizeCode(input string, length int, alphabet string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) { // every kind of dash
			return -1
		}
		return unicode.ToUpper(r)
	}, input)
	if len(s) != length || strings.Trim(s, alphabet) != "" {
		return ""
	}
	return s
}

// BackupCodesText is the text file people download or print with their backup
// codes. created is shown in its own location.
func BackupCodesText(codes []string, issuer, email string, created time.Time) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s backup codes\n", issuer)
	fmt.Fprintf(&sb, "Account: %s\n", email)
	fmt.Fprintf(&sb, "Created: %s\n\n", created.Format("January 2, 2006 at 3:04 PM MST"))
	sb.WriteString("Use a backup code to sign in when you can't use your other second factor,\n" +
		"such as when your phone is lost. Each code works once: cross it off when\n" +
		"you use it. Keep this file somewhere safe, like a password manager or a\n" +
		"printed copy at home, and never share the codes with anyone, even if they\n" +
		"say they work for us. If you make new codes, these ones stop working.\n\n")
	for i, c := range codes {
		fmt.Fprintf(&sb, "%2d. %s\n", i+1, c)
	}
	return sb.String()
}
