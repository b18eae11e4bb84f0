package accounts

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/models"
)

// Errors of security keys and passkeys. The sign-in ones wrap ErrWrongCode:
// to the limits, a refused key is a wrong code like any other.
var (
	ErrWebAuthnNone       = errors.New("the account has no security key")
	ErrWebAuthnCeremony   = errors.New("no security key request is under way, or it expired")
	ErrWebAuthnDuplicate  = errors.New("that security key is already registered")
	ErrWebAuthnRefused    = errors.New("the security key's answer was refused")
	ErrWebAuthnUnknownKey = fmt.Errorf("%w: the key is not registered to this account", ErrWrongCode)
	ErrWebAuthnCloned     = fmt.Errorf("%w: the key's signature counter went backwards", ErrWrongCode)
)

// webauthnTimeout is how long the browser waits for the key, and how long
// the server keeps the challenge.
const webauthnTimeout = 5 * time.Minute

// relyingParty describes the portal to authenticators: its host is the
// relying-party id, its origin the only one accepted. Browsers refuse IP
// addresses as relying-party ids, so a portal on a loopback address (a
// developer's machine, the tests) is one on "localhost" for security keys.
func (s *Service) relyingParty() (*webauthn.WebAuthn, error) {
	u, err := url.Parse(s.Brand.BaseURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("webauthn: base URL %q has no host", s.Brand.BaseURL)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		host = "localhost"
	}
	origin := u.Scheme + "://" + host
	if p := u.Port(); p != "" {
		origin = u.Scheme + "://" + net.JoinHostPort(host, p)
	}
	timeouts := webauthn.TimeoutConfig{Enforce: true, Timeout: webauthnTimeout, TimeoutUVD: webauthnTimeout}
	return webauthn.New(&webauthn.Config{
		RPID:          host,
		RPDisplayName: s.Brand.Product,
		RPOrigins:     []string{origin},
		// Passkeys welcome, any kind of authenticator, no attestation: the
		// portal trusts the key because its holder added it, not its maker.
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementPreferred,
			RequireResidentKey: protocol.ResidentKeyNotRequired(),
			UserVerification:   protocol.VerificationPreferred,
		},
		Timeouts: webauthn.TimeoutsConfig{Login: timeouts, Registration: timeouts},
	})
}

// webauthnUser is an account as the WebAuthn library sees it.
type webauthnUser struct {
	acct    *models.Account
	handle  []byte
	creds   []webauthn.Credential
	factors []models.SecondFactor // in the order of creds
}

func (u *webauthnUser) WebAuthnID() []byte                         { return u.handle }
func (u *webauthnUser) WebAuthnName() string                       { return u.acct.Email }
func (u *webauthnUser) WebAuthnDisplayName() string                { return u.acct.Email }
func (u *webauthnUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// userHandle is the account's id for authenticators: a keyed hash of the
// account id, stable, meaningless outside the portal, and never the e-mail
// (authenticators may show or sync it).
func (s *Service) userHandle(acct *models.Account) []byte {
	h, _ := hex.DecodeString(s.Vault.Index("webauthn-user-handle", strconv.FormatUint(acct.ID, 10)))
	return h
}

// webauthnUserOf loads the account's security keys.
func (s *Service) webauthnUserOf(ctx context.Context, acct *models.Account) (*webauthnUser, error) {
	var fs []models.SecondFactor
	err := s.DB.WithContext(ctx).Where("account_id = ? AND kind = ?", acct.ID, models.FactorWebAuthn).Order("id").Find(&fs).Error
	if err != nil {
		return nil, err
	}
	u := &webauthnUser{acct: acct, handle: s.userHandle(acct)}
	for _, f := range fs {
		var c webauthn.Credential
		if err := json.Unmarshal(f.Credential, &c); err != nil {
			return nil, fmt.Errorf("webauthn: credential of factor %d: %w", f.ID, err)
		}
		u.creds = append(u.creds, c)
		u.factors = append(u.factors, f)
	}
	return u, nil
}

// BeginWebAuthnRegistration starts adding a security key. The options go
// to the browser; the ceremony (JSON) stays on the server, in the session,
// until FinishWebAuthnRegistration. Keys already on the account are
// excluded, so the browser says so instead of registering one twice.
func (s *Service) BeginWebAuthnRegistration(ctx context.Context, acct *models.Account) (*protocol.CredentialCreation, []byte, error) {
	rp, err := s.relyingParty()
	if err != nil {
		return nil, nil, err
	}
	u, err := s.webauthnUserOf(ctx, acct)
	if err != nil {
		return nil, nil, err
	}
	exclude := make([]protocol.CredentialDescriptor, len(u.creds))
	for i, c := range u.creds {
		exclude[i] = c.Descriptor()
	}
	options, ceremony, err := rp.BeginRegistration(u, webauthn.WithExclusions(exclude))
	if err != nil {
		return nil, nil, err
	}
	data, err := json.Marshal(ceremony)
	return options, data, err
}

// FinishWebAuthnRegistration checks the browser's answer against the
// ceremony and saves the key as a second factor (telling the holder by
// e-mail, like every added factor).
func (s *Service) FinishWebAuthnRegistration(ctx context.Context, acct *models.Account, ceremony, response []byte, name string, c Client) (*models.SecondFactor, error) {
	rp, err := s.relyingParty()
	if err != nil {
		return nil, err
	}
	var session webauthn.SessionData
	if len(ceremony) == 0 || json.Unmarshal(ceremony, &session) != nil {
		return nil, ErrWebAuthnCeremony
	}
	u, err := s.webauthnUserOf(ctx, acct)
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, s.refused("registration", err)
	}
	cred, err := rp.CreateCredential(u, session, parsed)
	if err != nil {
		return nil, s.refused("registration", err)
	}
	var n int64
	if err := s.DB.WithContext(ctx).Model(&models.SecondFactor{}).
		Where("kind = ? AND credential_id = ?", models.FactorWebAuthn, cred.ID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, ErrWebAuthnDuplicate
	}
	data, err := json.Marshal(cred)
	if err != nil {
		return nil, err
	}
	f := &models.SecondFactor{AccountID: acct.ID, Kind: models.FactorWebAuthn, Name: factorName(name, "Security key"), CredentialID: cred.ID, Credential: data}
	return f, s.addFactor(ctx, acct, f, c)
}

// refused logs why the library turned an answer down (for support; the
// person only hears that it did not work) and returns ErrWebAuthnRefused.
func (s *Service) refused(what string, err error) error {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		s.Log.Info("webauthn "+what+" refused", slog.String("error", pe.Details), slog.String("info", pe.DevInfo))
	} else {
		s.Log.Info("webauthn "+what+" refused", slog.String("error", err.Error()))
	}
	return ErrWebAuthnRefused
}

// BeginWebAuthnLogin starts the second factor with a security key: the
// options name the account's keys, the ceremony stays on the server.
func (s *Service) BeginWebAuthnLogin(ctx context.Context, acct *models.Account) (*protocol.CredentialAssertion, []byte, error) {
	rp, err := s.relyingParty()
	if err != nil {
		return nil, nil, err
	}
	u, err := s.webauthnUserOf(ctx, acct)
	if err != nil {
		return nil, nil, err
	}
	if len(u.creds) == 0 {
		return nil, nil, ErrWebAuthnNone
	}
	options, ceremony, err := rp.BeginLogin(u)
	if err != nil {
		return nil, nil, err
	}
	data, err := json.Marshal(ceremony)
	return options, data, err
}

// FinishWebAuthnLogin checks a security key's answer at sign-in under the
// same limits as typed codes. A key that is not the account's, a signature
// that does not verify, or a counter that did not move forward (a copied
// key, or a replayed answer) count as a wrong code.
func (s *Service) FinishWebAuthnLogin(ctx context.Context, acct *models.Account, ceremony, response []byte, c Client) (credential.Decision, error) {
	rp, err := s.relyingParty()
	if err != nil {
		return credential.Decision{}, err
	}
	var session webauthn.SessionData
	if len(ceremony) == 0 || json.Unmarshal(ceremony, &session) != nil {
		return credential.Decision{}, ErrWebAuthnCeremony
	}
	var why error // the specific refusal, for the person's message
	d, err := s.verifyFactor(ctx, acct, c, func() (bool, error) {
		u, err := s.webauthnUserOf(ctx, acct)
		if err != nil {
			return false, err
		}
		parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
		if err != nil {
			s.refused("sign-in", err)
			return false, nil
		}
		i := credentialIndex(u.creds, parsed.RawID)
		if i < 0 {
			why = ErrWebAuthnUnknownKey
			s.Log.Info("webauthn sign-in refused", slog.String("error", "credential not registered to the account"))
			return false, nil
		}
		cred, err := rp.ValidateLogin(u, session, parsed)
		if err != nil {
			s.refused("sign-in", err)
			return false, nil
		}
		if cred.Authenticator.CloneWarning {
			why = ErrWebAuthnCloned
			s.Log.Warn("webauthn sign-in refused: signature counter did not increase", slog.Uint64("account_id", acct.ID),
				slog.Uint64("stored", uint64(u.creds[i].Authenticator.SignCount)), slog.Uint64("sent", uint64(parsed.Response.AuthenticatorData.Counter)))
			return false, nil
		}
		data, err := json.Marshal(cred)
		if err != nil {
			return false, err
		}
		// Compare-and-swap on the stored credential: of two requests racing
		// with one answer, only the first moves the counter.
		f := u.factors[i]
		res := s.DB.WithContext(ctx).Model(&models.SecondFactor{}).Where("id = ? AND credential = ?", f.ID, f.Credential).
			Updates(map[string]any{"credential": data, "last_used_at": s.now()})
		return res.RowsAffected == 1, res.Error
	})
	if errors.Is(err, ErrWrongCode) && why != nil {
		return d, why
	}
	return d, err
}

// credentialIndex finds the credential with an id.
func credentialIndex(creds []webauthn.Credential, id []byte) int {
	for i, c := range creds {
		if bytes.Equal(c.ID, id) {
			return i
		}
	}
	return -1
}
