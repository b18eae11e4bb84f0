package credential

import (
	"encoding/base64"
	"math"
	"strings"
	"testing"
	"time"
)

func TestNewNumericCode(t *testing.T) {
	for _, d := range []int{1, 6, 10, 18} {
		c := NewNumericCode(d)
		if len(c) != d || strings.Trim(c, "0123456789") != "" {
			t.Errorf("NewNumericCode(%d) = %q", d, c)
		}
	}
	// Uniform over the digits, leading zeros kept: a chi-squared test on the
	// first digit of 20,000 codes (9 degrees of freedom; 40 is p < 0.00001, so
	// the test is not flaky).
	var counts [10]int
	const n = 20000
	for range n {
		counts[NewNumericCode(6)[0]-'0']++
	}
	chi := 0.0
	for _, c := range counts {
		chi += math.Pow(float64(c)-n/10, 2) / (n / 10)
	}
	if chi > 40 || counts[0] == 0 {
		t.Errorf("first digits %v are not uniform (chi² %.1f)", counts, chi)
	}
	for _, bad := range []int{0, -1, 19} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewNumericCode(%d) did not panic", bad)
				}
			}()
			NewNumericCode(bad)
		}()
	}
}

func TestNewLinkTokenAndHash(t *testing.T) {
	a, b := NewLinkToken(), NewLinkToken()
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 32 || len(a) != 43 || a == b {
		t.Errorf("tokens %q %q: want distinct 43-character base64url of 32 bytes (%v)", a, b, err)
	}
	if got := HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken(abc) = %s", got)
	}
	if HashToken(a) == HashToken(b) || len(HashToken(a)) != 64 {
		t.Error("token hashes collide or are not 64 hex digits")
	}
}

func TestBackupCodes(t *testing.T) {
	codes := NewBackupCodes(0)
	if len(codes) != 10 {
		t.Fatalf("%d codes, want 10", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 14 || c[4] != '-' || c[9] != '-' {
			t.Errorf("code %q is not XXXX-XXXX-XXXX", c)
		}
		if strings.ContainsAny(c, "0O1IL") {
			t.Errorf("code %q has a look-alike character", c)
		}
		n := NormalizeBackupCode(c)
		if len(n) != 12 || strings.Contains(n, "-") {
			t.Errorf("NormalizeBackupCode(%q) = %q", c, n)
		}
		if seen[n] {
			t.Errorf("duplicate code %q", c)
		}
		seen[n] = true
	}
	if got := len(NewBackupCodes(3)); got != 3 {
		t.Errorf("NewBackupCodes(3) made %d", got)
	}
	// Every alphabet character turns up in 100 codes (1,200 draws of 31).
	all := strings.Join(NewBackupCodes(100), "")
	for _, r := range backupAlphabet {
		if !strings.ContainsRune(all, r) {
			t.Errorf("%c never drawn", r)
		}
	}
}

func TestNormalizeBackupCode(t *testing.T) {
	for _, in := range []string{"H7KD-3MQP-X9TR", "h7kd-3mqp-x9tr", "h7kd 3mqp x9tr", " H7KD3MQPX9TR ", "h7kd–3mqp—x9tr", "H7K D3M QPX 9TR"} {
		if got := NormalizeBackupCode(in); got != "H7KD3MQPX9TR" {
			t.Errorf("NormalizeBackupCode(%q) = %q", in, got)
		}
	}
	for _, in := range []string{"", "H7KD-3MQP", "H7KD-3MQP-X9TR-A", "H7KD-3MQP-X9T0", "H7KD-3MQP-X9TO", "H7KD_3MQP_X9TR", "H7KD-3MQP-X9TRß"} {
		if got := NormalizeBackupCode(in); got != "" {
			t.Errorf("NormalizeBackupCode(%q) = %q, want \"\"", in, got)
		}
	}
}

func TestBackupCodesText(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	codes := []string{"H7KD-3MQP-X9TR", "ABCD-EFGH-JKMN"}
	txt := BackupCodesText(codes, "Taxpayer Portal", "jane@example.com", time.Date(2026, 3, 5, 15, 41, 0, 0, ny))
	for _, want := range []string{
		"Taxpayer Portal backup codes\n",
		"Account: jane@example.com\n",
		"Created: March 5, 2026 at 3:41 PM EST\n",
		"Each code works once",
		" 1. H7KD-3MQP-X9TR\n 2. ABCD-EFGH-JKMN\n",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	for _, line := range strings.Split(txt, "\n") {
		if len(line) > 80 {
			t.Errorf("line longer than 80 characters: %q", line)
		}
	}
}
