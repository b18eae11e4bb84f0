package accounts_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/accounts/webauthntest"
	"github.com/taxportal/portal/models"
)

// The fixture's portal is https://portal.test.
const testOrigin = "https://portal.test"

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// userHandle reads user.id (base64url) from registration options.
func userHandle(t *testing.T, options string) string {
	t.Helper()
	var o struct {
		PublicKey struct {
			User struct{ ID string } `json:"user"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal([]byte(options), &o); err != nil {
		t.Fatal(err)
	}
	return o.PublicKey.User.ID
}

// addKey registers a new software key on the account.
func (f fixture) addKey(t *testing.T, acct *models.Account, name string) *webauthntest.Authenticator {
	t.Helper()
	key := webauthntest.New(testOrigin)
	options, ceremony, err := f.svc.BeginWebAuthnRegistration(t.Context(), acct)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := key.Create(mustJSON(t, options))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.FinishWebAuthnRegistration(t.Context(), acct, ceremony, answer, name, client); err != nil {
		t.Fatalf("registering a key: %v", err)
	}
	return key
}

// signInWith runs one sign-in ceremony with a key.
func (f fixture) signInWith(t *testing.T, acct *models.Account, key *webauthntest.Authenticator) (ceremony, answer []byte, err error) {
	t.Helper()
	options, ceremony, err := f.svc.BeginWebAuthnLogin(t.Context(), acct)
	if err != nil {
		t.Fatal(err)
	}
	answer, err = key.Get(mustJSON(t, options))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.FinishWebAuthnLogin(t.Context(), acct, ceremony, answer, client)
	return ceremony, answer, err
}

func TestSecurityKeyRegistersAndSignsIn(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	if _, _, err := f.svc.BeginWebAuthnLogin(ctx, acct); !errors.Is(err, accounts.ErrWebAuthnNone) {
		t.Errorf("sign-in options for an account without a key: %v", err)
	}
	key := f.addKey(t, acct, "Blue key")

	fs, _ := f.svc.Factors(ctx, acct.ID)
	if len(fs) != 1 || fs[0].Kind != models.FactorWebAuthn || fs[0].Name != "Blue key" || string(fs[0].CredentialID) != string(key.ID) {
		t.Fatalf("factors after registering: %+v", fs)
	}
	if m, ok := f.mail.Last("a@example.com"); !ok || !strings.Contains(m.Subject, "added") {
		t.Errorf("no notice of the added key: %+v", m)
	}
	if h, _ := f.svc.History(ctx, acct.ID, 10); len(h) == 0 || h[0].Kind != accounts.EventFactorAdded || h[0].Detail != "security key or passkey" {
		t.Errorf("history: %+v", h)
	}

	// The user handle is stable and says nothing about the person.
	options, _, err := f.svc.BeginWebAuthnRegistration(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	raw := string(mustJSON(t, options))
	again, _, _ := f.svc.BeginWebAuthnRegistration(ctx, acct)
	if h := userHandle(t, raw); len(h) != 43 || h != userHandle(t, string(mustJSON(t, again))) || strings.Contains(raw, "YUBleGFtcGxl") {
		t.Errorf("the user handle is not a stable opaque id: %q", h)
	}
	if !strings.Contains(raw, `"rp":{"name":"Taxpayer Portal","id":"portal.test"}`) {
		t.Errorf("registration options: %s", raw)
	}
	for _, want := range []string{`"residentKey":"preferred"`, `"userVerification":"preferred"`, `"attestation":"none"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("registration options lack %s: %s", want, raw)
		}
	}
	if strings.Contains(raw, "authenticatorAttachment") {
		t.Errorf("registration options restrict the kind of authenticator: %s", raw)
	}
	// The same key again is excluded, so the browser says it is already there.
	if _, err := key.Create(mustJSON(t, options)); !errors.Is(err, webauthntest.ErrExcluded) {
		t.Errorf("the registered key is not excluded: %v", err)
	}

	if _, _, err := f.signInWith(t, acct, key); err != nil {
		t.Fatalf("signing in with the key: %v", err)
	}
	fs, _ = f.svc.Factors(ctx, acct.ID)
	if fs[0].LastUsedAt == nil || !fs[0].LastUsedAt.Equal(f.clock.T) {
		t.Errorf("last used: %v", fs[0].LastUsedAt)
	}
	if !strings.Contains(string(fs[0].Credential), `"signCount":1`) {
		t.Errorf("the sign count was not saved: %s", fs[0].Credential)
	}
	if _, _, err := f.signInWith(t, acct, key); err != nil {
		t.Errorf("signing in a second time: %v", err)
	}
}

func TestSecurityKeyAnswerToAnotherChallengeIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	key := f.addKey(t, acct, "")

	_, ceremony, err := f.svc.BeginWebAuthnLogin(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := f.svc.BeginWebAuthnLogin(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := key.Get(mustJSON(t, other))
	if _, err := f.svc.FinishWebAuthnLogin(ctx, acct, ceremony, answer, client); !errors.Is(err, accounts.ErrWrongCode) {
		t.Errorf("an answer to another challenge: %v", err)
	}
	if _, err := f.svc.FinishWebAuthnLogin(ctx, acct, nil, answer, client); !errors.Is(err, accounts.ErrWebAuthnCeremony) {
		t.Errorf("an answer without a ceremony: %v", err)
	}

	// Registration too: an answer made for other options is refused.
	regOptions, _, _ := f.svc.BeginWebAuthnRegistration(ctx, acct)
	_, regCeremony, _ := f.svc.BeginWebAuthnRegistration(ctx, acct)
	created, _ := webauthntest.New(testOrigin).Create(mustJSON(t, regOptions))
	if _, err := f.svc.FinishWebAuthnRegistration(ctx, acct, regCeremony, created, "", client); !errors.Is(err, accounts.ErrWebAuthnRefused) {
		t.Errorf("a registration for another challenge: %v", err)
	}
	// And one made on another site (a phishing page) is refused.
	regOptions, regCeremony, _ = f.svc.BeginWebAuthnRegistration(ctx, acct)
	created, _ = webauthntest.New("https://portal-test.example").Create(mustJSON(t, regOptions))
	if _, err := f.svc.FinishWebAuthnRegistration(ctx, acct, regCeremony, created, "", client); !errors.Is(err, accounts.ErrWebAuthnRefused) {
		t.Errorf("a registration from another origin: %v", err)
	}
}

func TestReplayedOrClonedSecurityKeyAnswersAreRefused(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	key := f.addKey(t, acct, "")
	copied := key.Clone()

	ceremony, answer, err := f.signInWith(t, acct, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.FinishWebAuthnLogin(ctx, acct, ceremony, answer, client); !errors.Is(err, accounts.ErrWebAuthnCloned) {
		t.Errorf("the same answer twice: %v", err)
	}
	if _, _, err := f.signInWith(t, acct, copied); !errors.Is(err, accounts.ErrWebAuthnCloned) {
		t.Errorf("a copy of the key whose counter is behind: %v", err)
	}
	if _, _, err := f.signInWith(t, acct, key); err != nil {
		t.Errorf("the real key after the refusals: %v", err)
	}
}

func TestAnotherAccountsSecurityKeyIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	alice := f.confirmed(t, "alice@example.com")
	bob := f.confirmed(t, "bob@example.com")
	f.addKey(t, alice, "")
	bobsKey := f.addKey(t, bob, "")

	_, _, err := f.signInWith(t, alice, bobsKey)
	if !errors.Is(err, accounts.ErrWebAuthnUnknownKey) || !errors.Is(err, accounts.ErrWrongCode) {
		t.Errorf("bob's key on alice's account: %v", err)
	}
	// Alice's ceremony cannot be finished on Bob's account either.
	options, ceremony, _ := f.svc.BeginWebAuthnLogin(ctx, alice)
	answer, _ := bobsKey.Get(mustJSON(t, options))
	if _, err := f.svc.FinishWebAuthnLogin(ctx, bob, ceremony, answer, client); !errors.Is(err, accounts.ErrWrongCode) {
		t.Errorf("alice's ceremony finished on bob's account: %v", err)
	}
	// A key registered to Bob cannot be added to Alice's account as well.
	regOptions, regCeremony, _ := f.svc.BeginWebAuthnRegistration(ctx, alice)
	created, err := bobsKey.Create(mustJSON(t, regOptions))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.FinishWebAuthnRegistration(ctx, alice, regCeremony, created, "", client); !errors.Is(err, accounts.ErrWebAuthnDuplicate) {
		t.Errorf("bob's key added to alice's account: %v", err)
	}
}

func TestTenRefusedSecurityKeyAnswersLockOut(t *testing.T) {
	f := newFixture(t)
	acct := f.confirmed(t, "a@example.com")
	key := f.addKey(t, acct, "")
	stranger := webauthntest.New(testOrigin)
	for i := range 10 {
		if _, _, err := f.signInWith(t, acct, stranger); !errors.Is(err, accounts.ErrWrongCode) {
			t.Fatalf("try %d with an unknown key: %v", i+1, err)
		}
	}
	var lim *accounts.LimitedError
	if _, _, err := f.signInWith(t, acct, key); !errors.As(err, &lim) {
		t.Errorf("the right key during the lockout: %v", err)
	}
	f.clock.Advance(10*time.Minute + time.Second)
	if _, _, err := f.signInWith(t, acct, key); err != nil {
		t.Errorf("the right key after the lockout: %v", err)
	}
}
