package credential

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	qrcode "github.com/skip2/go-qrcode"
)

// TOTP settings (RFC 6238). SHA-1, 6 digits and 30 seconds are what every
// authenticator app supports; other values are silently ignored by some.
const (
	TOTPSecretLen = 20 // bytes: 160 bits, the length RFC 4226 recommends
	TOTPDigits    = 6
	TOTPPeriod    = 30 * time.Second
	// TOTPDrift is how many steps either side of now are accepted, for phones
	// whose clocks are a little off and people who type slowly.
	TOTPDrift = 1
)

var totpBase32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a fresh random secret. Store it sealed (pii.Vault):
// unlike a password hash, it is what an attacker needs to make codes.
func NewTOTPSecret() ([]byte, error) {
	secret := make([]byte, TOTPSecretLen)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("credential: reading random TOTP secret: %w", err)
	}
	return secret, nil
}

// TOTPSecretText is the secret as upper-case base32 without padding, for
// people who type it into their app instead of scanning the QR code.
func TOTPSecretText(secret []byte) string { return totpBase32.EncodeToString(secret) }

// TOTPURI is the otpauth:// URI that authenticator apps read from the QR code:
// otpauth://totp/<issuer>:<account>?secret=..&issuer=..&algorithm=SHA1&digits=6&period=30
func TOTPURI(issuer, account string, secret []byte) string {
	return "otpauth://totp/" + uriEscape(issuer) + ":" + uriEscape(account) +
		"?secret=" + TOTPSecretText(secret) +
		"&issuer=" + uriEscape(issuer) +
		fmt.Sprintf("&algorithm=SHA1&digits=%d&period=%d", TOTPDigits, int(TOTPPeriod/time.Second))
}

// uriEscape escapes spaces as %20, not "+": the key URI format asks for %20
// and some apps show a literal "+".
func uriEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// TOTPStep is the RFC 6238 time step t falls in.
func TOTPStep(t time.Time) int64 {
	return floorDiv(t.Unix(), int64(TOTPPeriod/time.Second))
}

// TOTPCode is the code an authenticator app shows at t. The portal never
// needs it to sign people in; tests and demo accounts do.
func TOTPCode(secret []byte, t time.Time) string {
	return hotp(secret, TOTPStep(t))
}

// VerifyTOTP checks a code typed by the person (spaces allowed: "123 456")
// against the steps from one before now to one after. A code is good once
// only: pass the step returned by the last accepted code as lastUsedStep (0
// if none), and store the step returned now when ok. Codes for that step or
// earlier ones are refused, so a code seen over someone's shoulder or caught
// by a phishing page cannot be replayed.
func VerifyTOTP(secret []byte, code string, now time.Time, lastUsedStep int64) (step int64, ok bool) {
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, code)
	if len(code) != TOTPDigits || strings.Trim(code, "0123456789") != "" || len(secret) == 0 {
		return 0, false
	}
	current := TOTPStep(now)
	// Check every candidate step, not stopping at the first match, so the time
	// taken says nothing about which step matched.
	for s := current - TOTPDrift; s <= current+TOTPDrift; s++ {
		match := subtle.ConstantTimeCompare([]byte(hotp(secret, s)), []byte(code)) == 1
		if match && s > lastUsedStep && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}

// hotp is RFC 4226 HOTP with HMAC-SHA1 and dynamic truncation.
func hotp(secret []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	return fmt.Sprintf("%06d", bin%1_000_000) // TOTPDigits
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// QRCodePNG draws text as a QR code in a size x size PNG with the white
// border scanners need. Error correction is medium (15%), enough for a screen.
// A size too small for the text is rounded up.
func QRCodePNG(text string, size int) ([]byte, error) {
	if text == "" || size <= 0 || size > 4096 {
		return nil, errors.New("credential: QR code needs some text and a size from 1 to 4096 pixels")
	}
	png, err := qrcode.Encode(text, qrcode.Medium, size)
	if err != nil {
		return nil, fmt.Errorf("credential: QR code: %w", err)
	}
	return png, nil
}
