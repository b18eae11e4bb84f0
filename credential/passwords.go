package credential

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"github.com/taxportal/portal/credential/internal/fold"
)

// Password length defaults, in Unicode code points after NFC normalisation.
// NIST SP 800-63B asks for at least 8 and for accepting at least 64; like
// Login.gov we ask for 12 and accept 128.
const (
	DefaultMinLength = 12
	DefaultMaxLength = 128
)

// Problem ids are stable: handlers and tests may match on them.
const (
	ProblemTooShort        = "too_short"
	ProblemTooLong         = "too_long"
	ProblemCommon          = "common"
	ProblemContainsContext = "contains_context"
	ProblemRepeated        = "repeated"
)

// minContextWord is the shortest context word looked for in a password:
// shorter ones ("IRS") turn up inside ordinary words ("first").
const minContextWord = 4

// Problem is one reason a new password is refused, with text for the person
// that says what to do instead.
type Problem struct {
	ID      string
	Message string
}

// PasswordPolicy checks new passwords. It has no composition rules (no "one
// digit, one symbol"): NIST 800-63B found they make passwords weaker and harder
// to remember. Every character is allowed, spaces and emoji included, and
// nothing is ever truncated.
type PasswordPolicy struct {
	MinLength int // 0 means DefaultMinLength
	MaxLength int // 0 means DefaultMaxLength
	// Breached is the list of common and breached passwords. Nil skips that
	// check, which only tests should do: use DefaultPasswordPolicy.
	Breached *BreachedList
}

// DefaultPasswordPolicy is the policy from DOMAIN.md with the embedded list of
// breached passwords.
func DefaultPasswordPolicy() (PasswordPolicy, error) {
	list, err := LoadBreachedList()
	if err != nil {
		return PasswordPolicy{}, err
	}
	return PasswordPolicy{MinLength: DefaultMinLength, MaxLength: DefaultMaxLength, Breached: list}, nil
}

// Check returns every reason password cannot be used, or nil if it can.
// context holds words a guesser would try first: the person's e-mail address,
// the product and agency names. They are matched case-insensitively and only
// when 4 or more characters long; for an e-mail address its local part counts
// too, with and without dots, dashes and the like ("jane.doe" and "janedoe").
func (p PasswordPolicy) Check(password string, context []string) []Problem {
	minLen, maxLen := p.MinLength, p.MaxLength
	if minLen <= 0 {
		minLen = DefaultMinLength
	}
	if maxLen <= 0 {
		maxLen = DefaultMaxLength
	}
	pw := norm.NFC.String(password)
	n := utf8.RuneCountInString(pw)
	var problems []Problem
	if n < minLen {
		problems = append(problems, Problem{ProblemTooShort, fmt.Sprintf(
			"Use at least %d characters. A short sentence you can remember works well.", minLen)})
	}
	if n > maxLen {
		problems = append(problems, Problem{ProblemTooLong, fmt.Sprintf(
			"Use %d characters or fewer.", maxLen)})
		return problems // nothing else is worth saying about a password this long
	}
	if n == 0 {
		return problems
	}
	if p.Breached != nil && p.Breached.Contains(pw) {
		problems = append(problems, Problem{ProblemCommon,
			"This password is on a list of common or leaked passwords, so attackers try it early. " +
				"Choose something else, such as a few words that don't usually go together."})
	}
	if containsContext(pw, context) {
		problems = append(problems, Problem{ProblemContainsContext,
			"Don't use your email address or the name of this website in your password."})
	}
	if repeated(pw) {
		problems = append(problems, Problem{ProblemRepeated,
			"Don't repeat a single character. Try a few words that don't usually go together."})
	}
	return problems
}

func containsContext(pw string, context []string) bool {
	pw = fold.Fold(pw)
	squashedPW := squash(pw)
	for _, c := range context {
		c = fold.Fold(c)
		words := []string{c}
		if at := strings.LastIndexByte(c, '@'); at > 0 {
			local := c[:at]
			words = append(words, local)
			if plus := strings.IndexByte(local, '+'); plus > 0 {
				words = append(words, local[:plus]) // jane+tax@ -> jane
			}
		}
		for _, w := range words {
			if utf8.RuneCountInString(w) >= minContextWord && strings.Contains(pw, w) {
				return true
			}
			// "jane.doe" also matches "JaneDoe2024" and "jane doe ...". Only
			// squashed words that had separators are tried, so "portal" does
			// not match the squashed "sport alone".
			if s := squash(w); s != w && utf8.RuneCountInString(s) >= minContextWord && strings.Contains(squashedPW, s) {
				return true
			}
		}
	}
	return false
}

// squash keeps only letters and digits.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// repeated reports whether pw is one character over and over, ignoring case.
func repeated(pw string) bool {
	pw = fold.Fold(pw)
	first, size := utf8.DecodeRuneInString(pw)
	if size == 0 {
		return true // only spaces
	}
	for _, r := range pw[size:] {
		if r != first {
			return false
		}
	}
	return true
}

// Argon2Params are the argon2id settings for new password hashes. Hashes
// record their own settings, so changing these never breaks old hashes:
// VerifyPassword reports needsRehash and the caller re-hashes at sign-in.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultArgon2Params is one of OWASP's five equally strong argon2id
// settings: 19 MiB, 2 passes, 1 thread. On this project's 2-core machines it
// takes about 25 ms and 19 MiB per sign-in; the 64 MiB, 3-pass profile of
// RFC 9106 measured about 135 ms and 64 MiB, so a burst of sign-ins would
// queue behind the hashing and could run the server out of memory. One thread
// leaves the other core to serve pages meanwhile.
func DefaultArgon2Params() Argon2Params {
	return Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// ErrBadHash means a stored password hash is not an argon2id PHC string this
// package can check, or its settings are out of the sane range.
var ErrBadHash = errors.New("credential: malformed or unsupported password hash")

// Limits on settings read back from stored hashes, so a corrupted or planted
// hash cannot make one sign-in take gigabytes or minutes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
)

var phc = base64.RawStdEncoding // PHC strings use unpadded standard base64

// HashPassword hashes pw with DefaultArgon2Params. See Argon2Params.Hash.
func HashPassword(pw string) (string, error) { return DefaultArgon2Params().Hash(pw) }

// VerifyPassword checks pw against a hash from HashPassword. See
// Argon2Params.Verify.
func VerifyPassword(encoded, pw string) (ok, needsRehash bool, err error) {
	return DefaultArgon2Params().Verify(encoded, pw)
}

// DummyVerify spends as long as VerifyPassword and always fails. Call it when
// no account has the e-mail address given, so that an unknown address takes
// as long to refuse as a wrong password and timing cannot tell which it was.
func DummyVerify(pw string) { DefaultArgon2Params().DummyVerify(pw) }

// Hash returns a PHC string such as
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> with a fresh random salt.
// The password is NFC-normalised first, so the same password typed on
// systems that compose accents differently still matches.
func (p Argon2Params) Hash(pw string) (string, error) {
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("credential: reading random salt: %w", err)
	}
	key := argon2.IDKey([]byte(norm.NFC.String(pw)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return p.encode(salt, key), nil
}

// Verify checks pw against encoded in constant time. needsRehash is true when
// pw is right but encoded was made with settings other than p: store a fresh
// p.Hash(pw) then. err is set only for a hash that cannot be read, never for
// a wrong password.
func (p Argon2Params) Verify(encoded, pw string) (ok, needsRehash bool, err error) {
	stored, salt, key, err := decode(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(norm.NFC.String(pw)), salt, stored.Time, stored.Memory, stored.Threads, stored.KeyLen)
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, stored != p, nil
}

// DummyVerify is Verify against a hash made with p that nothing matches:
// the same work as checking a real password hashed with p.
func (p Argon2Params) DummyVerify(pw string) {
	_, _, _ = p.Verify(p.dummyHash(), pw)
}

// dummyHash is a hash with p's settings, an all-zero salt and key.
func (p Argon2Params) dummyHash() string {
	return p.encode(make([]byte, p.SaltLen), make([]byte, p.KeyLen))
}

func (p Argon2Params) check() error {
	if p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB || p.Time < 1 || p.Time > maxTime ||
		p.Threads < 1 || p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen || p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen {
		return fmt.Errorf("credential: argon2 settings out of range: %+v", p)
	}
	return nil
}

func (p Argon2Params) encode(salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, phc.EncodeToString(salt), phc.EncodeToString(key))
}

// decode parses a PHC argon2id string strictly: one spelling per hash.
func decode(encoded string) (p Argon2Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, ErrBadHash
	}
	var m, t, threads uint32
	n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &threads)
	if err != nil || n != 3 || parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", m, t, threads) || threads > 255 {
		return p, nil, nil, ErrBadHash
	}
	if salt, err = phc.Strict().DecodeString(parts[4]); err != nil {
		return p, nil, nil, ErrBadHash
	}
	if key, err = phc.Strict().DecodeString(parts[5]); err != nil {
		return p, nil, nil, ErrBadHash
	}
	p = Argon2Params{Memory: m, Time: t, Threads: uint8(threads), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if p.check() != nil {
		return p, nil, nil, ErrBadHash
	}
	return p, salt, key, nil
}
