package pii

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func TestSealOpenRoundTripAndColumnBinding(t *testing.T) {
	v, err := NewVault(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := v.SealString("taxpayers.ssn", "987654320")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("987654320")) {
		t.Fatal("plaintext visible in the sealed value")
	}
	got, err := v.OpenString("taxpayers.ssn", sealed)
	if err != nil || got != "987654320" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := v.Open("taxpayers.dob", sealed); !errors.Is(err, ErrCannotOpen) {
		t.Error("a value opened under another column's name")
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := v.Open("taxpayers.ssn", sealed); !errors.Is(err, ErrCannotOpen) {
		t.Error("a tampered value opened")
	}
	again, _ := v.SealString("taxpayers.ssn", "987654320")
	if bytes.Equal(again[:20], sealed[:20]) {
		t.Error("two seals of one value look alike: nonces must differ")
	}
	other, _ := NewVault([]byte("another key, 32 bytes long......"))
	if _, err := other.Open("taxpayers.ssn", again); err == nil {
		t.Error("another key opened the value")
	}
}

func TestIndexIsKeyedAndStable(t *testing.T) {
	a, _ := NewVault(key)
	b, _ := NewVault([]byte("another key, 32 bytes long......"))
	first, second := a.Index("ssn", "987654320"), a.Index("ssn", "987654320")
	if first != second {
		t.Error("index not stable")
	}
	if a.Index("ssn", "987654320") == b.Index("ssn", "987654320") {
		t.Error("index does not depend on the key")
	}
	if a.Index("ssn", "987654320") == a.Index("itin", "987654320") {
		t.Error("index does not separate kinds")
	}
}

func TestSSNParsingAndRanges(t *testing.T) {
	for _, ok := range []string{"987-65-4320", "987654320", "987 65 4320"} {
		if _, err := ParseSSN(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "98765432", "9876543201", "987-65-432O", "987/65/4320"} {
		if _, err := ParseSSN(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	never := []string{"000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "987-65-4320"}
	for _, s := range never {
		if !MustSSN(s).NeverIssued() {
			t.Errorf("%s should be never-issued", s)
		}
	}
	if MustSSN("123-45-6789").NeverIssued() {
		t.Error("123-45-6789 is an issuable number")
	}
	if !MustSSN("912-70-1234").IsITIN() || MustSSN("912-12-1234").IsITIN() || MustSSN("123-70-1234").IsITIN() {
		t.Error("ITIN ranges wrong")
	}
}

func TestSSNNeverPrintsInFull(t *testing.T) {
	n := MustSSN("987-65-4320")
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "ssn", n)
	for _, s := range []string{fmt.Sprint(n), fmt.Sprintf("%v %+v %#v %s %q", n, n, n, n, n), logs.String()} {
		if strings.Contains(s, "987") || strings.Contains(s, "65-43") {
			t.Errorf("full SSN leaked: %s", s)
		}
	}
	if n.Masked() != "XXX-XX-4320" || n.Dashed() != "987-65-4320" {
		t.Errorf("masked %s dashed %s", n.Masked(), n.Dashed())
	}
}
