package ippin_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
)

func TestCreateAndAuthenticateKeys(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	secret, key, err := f.svc.CreateKey(ctx, " Acme Tax ")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^ipk_[a-z2-7]{8}_[a-z2-7]{32}$`).MatchString(secret) || !strings.HasPrefix(secret, key.Prefix+"_") {
		t.Errorf("secret %q, prefix %q", secret, key.Prefix)
	}
	if key.Name != "Acme Tax" || strings.Contains(key.SecretHash, secret[len(key.Prefix)+1:]) || len(key.SecretHash) != 64 {
		t.Errorf("key row %+v", key)
	}
	if _, _, err := f.svc.CreateKey(ctx, "  "); !errors.Is(err, ippin.ErrKeyName) {
		t.Errorf("a key without a name: %v, want ErrKeyName", err)
	}
	other, _, _ := f.svc.CreateKey(ctx, "Other")
	if other == secret {
		t.Fatal("two keys with one secret")
	}

	got, err := f.svc.Authenticate(ctx, secret)
	if err != nil || got.ID != key.ID || got.LastUsedAt == nil || !got.LastUsedAt.Equal(start) {
		t.Fatalf("Authenticate = %+v, %v", got, err)
	}
	last := "a"
	if strings.HasSuffix(secret, "a") {
		last = "b"
	}
	wrong := secret[:len(secret)-1] + last
	for _, bad := range []string{"", "ipk_", wrong, "xyz" + secret[3:], secret + "a", other[:13] + secret[13:]} {
		if _, err := f.svc.Authenticate(ctx, bad); !errors.Is(err, ippin.ErrBadKey) {
			t.Errorf("Authenticate(%q) = %v, want ErrBadKey", bad, err)
		}
	}
}

func TestLastUseIsWrittenAtMostOnceAMinute(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	secret, key, _ := f.svc.CreateKey(ctx, "Acme Tax")
	lastUsed := func() time.Time {
		var k models.IPPINAPIKey
		f.db.Take(&k, key.ID)
		return k.LastUsedAt.UTC()
	}
	f.svc.Authenticate(ctx, secret)
	f.clock.Advance(59 * time.Second)
	f.svc.Authenticate(ctx, secret)
	if got := lastUsed(); !got.Equal(start) {
		t.Errorf("last used %v, want %v", got, start)
	}
	f.clock.Advance(time.Second)
	f.svc.Authenticate(ctx, secret)
	if got := lastUsed(); !got.Equal(start.Add(time.Minute)) {
		t.Errorf("last used %v, want a minute on", got)
	}
}

func TestRevokedKeysAreRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, keyA, _ := f.svc.CreateKey(ctx, "A")
	b, keyB, _ := f.svc.CreateKey(ctx, "B")
	if err := f.svc.RevokeKey(ctx, keyA.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RevokeKeyByPrefix(ctx, keyB.Prefix); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{a, b} {
		if _, err := f.svc.Authenticate(ctx, s); !errors.Is(err, ippin.ErrKeyRevoked) {
			t.Errorf("revoked key: %v, want ErrKeyRevoked", err)
		}
	}
	if err := f.svc.RevokeKey(ctx, keyA.ID); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	if err := f.svc.RevokeKeyByPrefix(ctx, "ipk_nosuchke"); !errors.Is(err, ippin.ErrNoKey) {
		t.Errorf("revoking an unknown key: %v, want ErrNoKey", err)
	}
	keys, err := f.svc.Keys(ctx)
	if err != nil || len(keys) != 2 || keys[0].RevokedAt == nil || keys[1].RevokedAt == nil {
		t.Errorf("Keys = %+v, %v", keys, err)
	}
}

// Each key has its own allowance of calls per window, and gets it back as
// calls leave the window.
func TestAllowCallLimitsEachKey(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.svc.Settings.APIRate.Max, f.svc.Settings.APIRate.Window = 3, time.Minute
	_, busy, _ := f.svc.CreateKey(ctx, "Busy")
	_, quiet, _ := f.svc.CreateKey(ctx, "Quiet")
	for i := range 3 {
		if d, err := f.svc.AllowCall(ctx, busy); err != nil || !d.Allowed {
			t.Fatalf("call %d: %+v, %v", i+1, d, err)
		}
		f.clock.Advance(10 * time.Second)
	}
	d, err := f.svc.AllowCall(ctx, busy)
	if err != nil || d.Allowed || !d.RetryAt.Equal(start.Add(time.Minute)) {
		t.Errorf("fourth call: %+v, %v; want refused until a minute after the first", d, err)
	}
	if d, _ := f.svc.AllowCall(ctx, quiet); !d.Allowed {
		t.Error("another key was refused")
	}
	f.clock.Advance(time.Minute)
	if d, _ := f.svc.AllowCall(ctx, busy); !d.Allowed {
		t.Errorf("a minute later: %+v", d)
	}
}
