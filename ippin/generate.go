package ippin

import (
	"crypto/rand"
	"encoding/binary"
)

// PINDigits is the length of an IP PIN.
const PINDigits = 6

// NewPIN draws a fresh IP PIN from crypto/rand: six digits, leading zeros
// kept, every PIN that is not Guessable equally likely.
//
// PINs need not differ between taxpayers. A PIN is only ever checked
// together with the SSN it was issued to, so two people who happen to
// hold the same one learn nothing about each other and cannot use it for
// each other. Demanding that they differ could not even be met: there are
// a million six-digit PINs, and more people than that may hold one.
func NewPIN() string { return newPIN(rand.Read) }

// pinSpace is how many six-digit strings there are.
const pinSpace = 1_000_000

// uint32Limit is the largest multiple of pinSpace a uint32 can hold: draws
// at or above it are thrown away, so n % pinSpace has no bias.
const uint32Limit = (1 << 32) / pinSpace * pinSpace

// newPIN is NewPIN with the source of randomness passed in, for tests.
func newPIN(read func([]byte) (int, error)) string {
	var b [4]byte
	for {
		if _, err := read(b[:]); err != nil {
			panic("ippin: reading random bytes: " + err.Error()) // crypto/rand does not fail since Go 1.24
		}
		n := binary.BigEndian.Uint32(b[:])
		if n >= uint32Limit {
			continue
		}
		pin := formatPIN(n % pinSpace)
		// Throwing a guessable draw away and drawing again keeps the
		// others equally likely.
		if !Guessable(pin) {
			return pin
		}
	}
}

func formatPIN(n uint32) string {
	var s [PINDigits]byte
	for i := PINDigits - 1; i >= 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	return string(s[:])
}

// Guessable reports whether a PIN of six digits is one a guesser would
// try first, and so is never issued. The list is short on purpose (30 of a
// million values), as every value refused makes the others a little more
// likely:
//
//   - one digit six times: 000000, 111111, ... 999999 (10 PINs);
//   - a run of digits going up by one, 9 followed by 0: 012345, 123456,
//     ... 456789, 567890, ... 901234 (10 PINs);
//   - the same going down: 987654, 876543, ... 543210, 432109, ... 098765
//     (10 PINs).
func Guessable(pin string) bool {
	if len(pin) != PINDigits {
		return false
	}
	for _, step := range []byte{0, 1, 9} { // 9 is one down, modulo 10
		run := true
		for i := 1; i < len(pin) && run; i++ {
			run = pin[i] == '0'+(pin[i-1]-'0'+step)%10
		}
		if run {
			return true
		}
	}
	return false
}
