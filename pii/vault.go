// Package pii protects sensitive values at rest: SSNs, dates of birth, and
// later identity documents and IP PINs.
//
// Values are sealed with AES-256-GCM. The column a value belongs to is bound
// in as additional data, so a ciphertext copied into another column (say, a
// DOB pasted over an SSN) fails to open instead of leaking. SSNs are looked up
// through a keyed HMAC, never by decrypting rows.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// version prefixes every ciphertext so keys or algorithms can be rotated later.
const version byte = 1

// ErrCannotOpen means a sealed value was tampered with, truncated, belongs to
// another column, or was sealed with another key.
var ErrCannotOpen = errors.New("pii: sealed value cannot be opened")

// Vault seals and opens sensitive values and computes lookup hashes.
type Vault struct {
	aead     cipher.AEAD
	indexKey []byte
}

// NewVault derives its keys from the portal's master secret.
func NewVault(master []byte) (*Vault, error) {
	if len(master) < 32 {
		return nil, errors.New("pii: master key must be at least 32 bytes")
	}
	encKey, err := DeriveKey(master, "pii-encryption-v1")
	if err != nil {
		return nil, err
	}
	indexKey, err := DeriveKey(master, "pii-lookup-index-v1")
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Vault{aead: aead, indexKey: indexKey}, nil
}

// DeriveKey gives each purpose (encryption, CSRF, lookups) its own 32-byte key,
// so one leaked key never unlocks another purpose.
func DeriveKey(master []byte, purpose string) ([]byte, error) {
	return hkdf.Key(sha256.New, master, nil, purpose, 32)
}

// Seal encrypts plaintext for the named column.
func (v *Vault) Seal(column string, plaintext []byte) ([]byte, error) {
	out := make([]byte, 1, 1+v.aead.NonceSize()+len(plaintext)+v.aead.Overhead())
	out[0] = version
	nonce := make([]byte, v.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("pii: reading random nonce: %w", err)
	}
	out = append(out, nonce...)
	return v.aead.Seal(out, nonce, plaintext, []byte(column)), nil
}

// SealString is Seal for text values.
func (v *Vault) SealString(column, plaintext string) ([]byte, error) {
	return v.Seal(column, []byte(plaintext))
}

// Open decrypts a value sealed for the named column.
func (v *Vault) Open(column string, sealed []byte) ([]byte, error) {
	n := v.aead.NonceSize()
	if len(sealed) < 1+n+v.aead.Overhead() || sealed[0] != version {
		return nil, ErrCannotOpen
	}
	plain, err := v.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(column))
	if err != nil {
		return nil, ErrCannotOpen
	}
	return plain, nil
}

// OpenString is Open for text values.
func (v *Vault) OpenString(column string, sealed []byte) (string, error) {
	b, err := v.Open(column, sealed)
	return string(b), err
}

// Index returns the keyed hash used to find a row by an exact value (an SSN
// in its nine-digit form). Without the key, the index cannot be reversed by
// hashing all billion possible SSNs.
func (v *Vault) Index(kind, value string) string {
	m := hmac.New(sha256.New, v.indexKey)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
