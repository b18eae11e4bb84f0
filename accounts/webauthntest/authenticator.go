// Package webauthntest is a software security key for tests: it answers the
// portal's WebAuthn options as a browser and a real key together would
// (ES256 key, "none" attestation, user present and verified), so the
// sign-in can be tested without a browser.
package webauthntest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"

	"github.com/fxamacker/cbor/v2"
)

// ErrExcluded is the InvalidStateError a browser raises when the key is
// already registered (it is in the options' excludeCredentials).
var ErrExcluded = errors.New("webauthntest: this key is excluded")

// Authenticator flags (WebAuthn §6.1).
const (
	flagUP = 0x01 // user present
	flagUV = 0x04 // user verified
	flagAT = 0x40 // attested credential data included
)

// Authenticator holds one credential: a P-256 key with its id and counter.
type Authenticator struct {
	Origin  string // the page's origin, as the browser would put it in clientDataJSON
	ID      []byte
	Counter uint32 // signature counter; set it back to play a copied key
	key     *ecdsa.PrivateKey
	handle  []byte // user handle, kept at registration as a passkey would
}

// New makes a key for pages at origin ("https://portal.example.gov").
func New(origin string) *Authenticator {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	return &Authenticator{Origin: origin, ID: id, key: key}
}

// Clone is a copy of the key, counter included: what an attacker who
// extracted it would hold.
func (a *Authenticator) Clone() *Authenticator {
	c := *a
	return &c
}

var b64 = base64.RawURLEncoding

// b64url decodes JSON base64url strings into bytes.
type b64url []byte

func (b *b64url) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	v, err := b64.DecodeString(s)
	*b = v
	return err
}

type descriptor struct {
	ID b64url `json:"id"`
}

// Create answers registration options (the JSON the portal sends, with
// its "publicKey" member), giving the JSON the browser would post back.
func (a *Authenticator) Create(options []byte) ([]byte, error) {
	var o struct {
		PublicKey struct {
			RP        struct{ ID string } `json:"rp"`
			User      struct{ ID b64url } `json:"user"`
			Challenge b64url              `json:"challenge"`
			Exclude   []descriptor        `json:"excludeCredentials"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, err
	}
	pk := o.PublicKey
	if slices.ContainsFunc(pk.Exclude, func(d descriptor) bool { return string(d.ID) == string(a.ID) }) {
		return nil, ErrExcluded
	}
	a.handle = pk.User.ID
	point, err := a.key.PublicKey.Bytes() // 0x04 | X | Y
	if err != nil {
		return nil, err
	}
	// COSE key: EC2, ES256, P-256, x, y.
	cose, err := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: point[1:33], -3: point[33:]})
	if err != nil {
		return nil, err
	}
	auth := a.authData(pk.RP.ID, flagUP|flagUV|flagAT)
	auth = append(auth, make([]byte, 16)...) // AAGUID: none
	auth = binary.BigEndian.AppendUint16(auth, uint16(len(a.ID)))
	auth = append(auth, a.ID...)
	auth = append(auth, cose...)
	att, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": auth})
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.ID), "rawId": b64.EncodeToString(a.ID), "type": "public-key",
		"authenticatorAttachment": "cross-platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(a.clientData("webauthn.create", pk.Challenge)),
			"attestationObject": b64.EncodeToString(att),
			"transports":        []string{"usb"},
		},
	})
}

// Get answers sign-in options with a signed assertion. It signs whatever
// the allow list says, as a key tried against another account would.
func (a *Authenticator) Get(options []byte) ([]byte, error) {
	var o struct {
		PublicKey struct {
			RPID      string `json:"rpId"`
			Challenge b64url `json:"challenge"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, err
	}
	a.Counter++
	auth := a.authData(o.PublicKey.RPID, flagUP|flagUV)
	client := a.clientData("webauthn.get", o.PublicKey.Challenge)
	clientHash := sha256.Sum256(client)
	digest := sha256.Sum256(append(slices.Clone(auth), clientHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, digest[:])
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.ID), "rawId": b64.EncodeToString(a.ID), "type": "public-key",
		"authenticatorAttachment": "cross-platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(client),
			"authenticatorData": b64.EncodeToString(auth),
			"signature":         b64.EncodeToString(sig),
			"userHandle":        b64.EncodeToString(a.handle),
		},
	})
}

// authData is the fixed start of authenticator data: the relying party's
// hash, the flags and the counter.
func (a *Authenticator) authData(rpID string, flags byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append(h[:], flags)
	return binary.BigEndian.AppendUint32(out, a.Counter)
}

func (a *Authenticator) clientData(typ string, challenge []byte) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": b64.EncodeToString(challenge), "origin": a.Origin, "crossOrigin": false})
	return b
}
