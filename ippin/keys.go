package ippin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/limits"
	"github.com/taxportal/portal/models"
)

// Errors about API keys.
var (
	ErrBadKey     = errors.New("ippin: API key not recognised")
	ErrKeyRevoked = errors.New("ippin: API key revoked")
	ErrNoKey      = errors.New("ippin: no such API key")
	ErrKeyName    = errors.New("ippin: an API key needs a name")
)

// An API key reads "ipk_" + 8 characters + "_" + 32 characters, all
// lower-case base32: "ipk_7fq2mxa4_...". The first part, the prefix, is
// stored and shown to people to tell keys apart (40 bits, so prefixes
// rarely repeat); the second is the secret, 160 bits from crypto/rand, of
// which only a SHA-256 is stored. A secret that long cannot be guessed, so
// a fast hash is enough.
const (
	keyTag       = "ipk_"
	prefixBytes  = 5  // 8 base32 characters
	secretBytes  = 20 // 32 base32 characters
	prefixLength = len(keyTag) + prefixBytes*8/5
)

var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func randomBase32(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails since Go 1.24
	return keyEncoding.EncodeToString(b)
}

// CreateKey makes a key for a piece of tax software and returns its
// secret, to be shown once and never again, and its row. The name says
// whose software it is, for the people who manage keys.
func (s *Service) CreateKey(ctx context.Context, name string) (string, *models.IPPINAPIKey, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil, ErrKeyName
	}
	for try := 0; ; try++ {
		prefix := keyTag + randomBase32(prefixBytes)
		secret := prefix + "_" + randomBase32(secretBytes)
		key := &models.IPPINAPIKey{Name: name, Prefix: prefix, SecretHash: credential.HashToken(secret), CreatedAt: s.now()}
		err := s.DB.WithContext(ctx).Create(key).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) && try < 3 {
			continue // a prefix drawn twice: draw again
		}
		if err != nil {
			return "", nil, err
		}
		return secret, key, nil
	}
}

// Keys lists every key, newest first, revoked ones included.
func (s *Service) Keys(ctx context.Context) ([]models.IPPINAPIKey, error) {
	var out []models.IPPINAPIKey
	err := s.DB.WithContext(ctx).Order("id DESC").Find(&out).Error
	return out, err
}

// RevokeKey revokes a key by id, for good. Revoking twice is harmless;
// ErrNoKey when there is no such key.
func (s *Service) RevokeKey(ctx context.Context, id uint64) error {
	return s.revoke(ctx, "id = ?", id)
}

// RevokeKeyByPrefix revokes a key by the prefix people see ("ipk_7fq2mxa4").
func (s *Service) RevokeKeyByPrefix(ctx context.Context, prefix string) error {
	return s.revoke(ctx, "prefix = ?", strings.TrimSpace(prefix))
}

func (s *Service) revoke(ctx context.Context, where string, arg any) error {
	db := s.DB.WithContext(ctx)
	res := db.Model(&models.IPPINAPIKey{}).Where(where, arg).Where("revoked_at IS NULL").Update("revoked_at", s.now())
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	var n int64
	if err := db.Model(&models.IPPINAPIKey{}).Where(where, arg).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrNoKey
	}
	return nil
}

// Authenticate finds the key a secret belongs to: ErrBadKey for anything
// that is not a live key's secret, ErrKeyRevoked for a revoked key's. The
// key's last use is written at most once per Settings.KeyTouchEvery.
func (s *Service) Authenticate(ctx context.Context, secret string) (*models.IPPINAPIKey, error) {
	secret = strings.TrimSpace(secret)
	if len(secret) != prefixLength+1+secretBytes*8/5 || !strings.HasPrefix(secret, keyTag) || secret[prefixLength] != '_' {
		return nil, ErrBadKey
	}
	db := s.DB.WithContext(ctx)
	var key models.IPPINAPIKey
	err := db.Where("prefix = ?", secret[:prefixLength]).Take(&key).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrBadKey
	}
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(credential.HashToken(secret)), []byte(key.SecretHash)) != 1 {
		return nil, ErrBadKey
	}
	if key.RevokedAt != nil {
		return nil, ErrKeyRevoked
	}
	now := s.now()
	if stale := now.Add(-s.Settings.KeyTouchEvery); key.LastUsedAt == nil || !key.LastUsedAt.After(stale) {
		// The condition is repeated in SQL so that instances answering at
		// the same moment write it once between them.
		if err := db.Model(&models.IPPINAPIKey{}).
			Where("id = ? AND (last_used_at IS NULL OR last_used_at <= ?)", key.ID, stale).
			Update("last_used_at", now).Error; err != nil {
			return nil, err
		}
		key.LastUsedAt = &now
	}
	return &key, nil
}

// AllowCall says whether a call made with the key is within
// Settings.APIRate and, if it is, counts it. Only allowed calls are kept,
// so a window holds at most Max rows however hard a client pushes, and a
// call is counted before it is allowed (package limits), so calls sent at
// once never pass the rate together. The count is kept in the attempts
// table, so every instance of the portal sees the same one.
func (s *Service) AllowCall(ctx context.Context, key *models.IPPINAPIKey) (credential.Decision, error) {
	lim := s.Settings.APIRate
	if lim.Max <= 0 {
		return credential.Decision{Allowed: true}, nil
	}
	name := "ippin:api:" + strconv.FormatUint(key.ID, 10)
	return limits.Take(ctx, s.DB, s.now(), limits.Gate{Key: name, Limit: lim})
}
