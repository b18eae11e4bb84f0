package ippin

import (
	"encoding/binary"
	"fmt"
	"testing"
)

func TestNewPINIsSixDigits(t *testing.T) {
	leadingZero := false
	for range 20_000 {
		pin := NewPIN()
		if len(pin) != PINDigits {
			t.Fatalf("%q has %d characters", pin, len(pin))
		}
		for _, c := range pin {
			if c < '0' || c > '9' {
				t.Fatalf("%q is not all digits", pin)
			}
		}
		leadingZero = leadingZero || pin[0] == '0'
	}
	if !leadingZero {
		t.Error("no PIN in 20,000 began with 0: leading zeros are lost")
	}
}

// Every digit is equally likely in every position, and no guessable PIN
// comes out: a chi-squared test per position over many draws.
func TestNewPINIsUniformAndNeverGuessable(t *testing.T) {
	const draws = 200_000
	var counts [PINDigits][10]int
	for range draws {
		pin := NewPIN()
		if Guessable(pin) {
			t.Fatalf("issued guessable PIN %s", pin)
		}
		for i := range PINDigits {
			counts[i][pin[i]-'0']++
		}
	}
	// 9 degrees of freedom: 40 is exceeded by chance about once in 200,000
	// runs, so a failure means bias, not bad luck.
	const limit = 40.0
	expected := float64(draws) / 10
	for i, row := range counts {
		chi2 := 0.0
		for _, n := range row {
			d := float64(n) - expected
			chi2 += d * d / expected
		}
		if chi2 > limit {
			t.Errorf("position %d: chi-squared %.1f over %v, counts %v", i, chi2, limit, row)
		}
	}
}

func TestGuessablePatterns(t *testing.T) {
	var refused []string
	for d := range 10 {
		same, up, down := "", "", ""
		for i := range PINDigits {
			same += fmt.Sprint(d)
			up += fmt.Sprint((d + i) % 10)
			down += fmt.Sprint((d + 10 - i) % 10)
		}
		refused = append(refused, same, up, down)
	}
	for _, p := range []string{"000000", "999999", "123456", "654321", "012345", "987654", "890123", "210987"} {
		found := false
		for _, r := range refused {
			found = found || r == p
		}
		if !found {
			t.Fatalf("test list lacks %s", p)
		}
	}
	for _, p := range refused {
		if !Guessable(p) {
			t.Errorf("Guessable(%s) = false", p)
		}
	}
	for _, p := range []string{"123457", "112233", "121212", "000001", "024680", "135791", "102938", "12345", "1234567"} {
		if Guessable(p) {
			t.Errorf("Guessable(%s) = true", p)
		}
	}
	n := 0
	for v := range uint32(pinSpace) {
		if Guessable(formatPIN(v)) {
			n++
		}
	}
	if n != 30 {
		t.Errorf("%d guessable PINs, want the 30 documented", n)
	}
}

// A guessable draw, and one that would bias the modulo, are thrown away.
func TestNewPINDrawsAgain(t *testing.T) {
	draws := []uint32{123456, 0, uint32Limit, uint32Limit + 5, 1_000_000 + 7, 42}
	read := func(b []byte) (int, error) {
		binary.BigEndian.PutUint32(b, draws[0])
		draws = draws[1:]
		return 4, nil
	}
	if got := newPIN(read); got != "000007" {
		t.Errorf("newPIN = %s, want 000007", got)
	}
	if len(draws) != 1 {
		t.Errorf("%d draws left, want 1", len(draws))
	}
}

func TestStatementSizes(t *testing.T) {
	for _, n := range []int{0, 1, 5, 255, 256, 257, 1000, 5000} {
		total := 0
		for _, s := range statementSizes(n) {
			total += s
			if s > maxStatementRows || s&(s-1) != 0 {
				t.Errorf("statementSizes(%d) has a statement of %d rows", n, s)
			}
		}
		if total != n {
			t.Errorf("statementSizes(%d) adds up to %d", n, total)
		}
	}
}
