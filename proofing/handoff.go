package proofing

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/limits"
	"github.com/taxportal/portal/models"
)

// Handing off the photo step to a phone: someone verifying on a computer
// asks for a one-time link (shown as a QR code, or texted to them), opens it
// on their phone, and takes the photos there with the camera. The link
// gives that phone the photo step of that one attempt for a short while,
// and nothing else: no sign-in, no other step, no other attempt.

// ErrHandoffInvalid is a link that is unknown, already opened, replaced by
// a newer one, or past its time. The page says only that it no longer works.
var ErrHandoffInvalid = errors.New("proofing: the link to continue on a phone no longer works")

// Handoffs issues and checks the links.
type Handoffs struct {
	DB       *gorm.DB
	Settings Settings
}

// Create issues a new link for an attempt and returns its token. Older
// links of the attempt stop working, and so does a phone that opened one:
// only the phone that opens the newest link can add photos.
func (h Handoffs) Create(ctx context.Context, accountID, verificationID uint64, now time.Time) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now = now.UTC()
	err := h.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := voidAll(tx, verificationID, now); err != nil {
			return err
		}
		return tx.Create(&models.DocumentHandoff{
			AccountID: accountID, VerificationID: verificationID, TokenHash: handoffHash(token),
			CreatedAt: now, ExpiresAt: now.Add(h.Settings.HandoffValid),
		}).Error
	})
	return token, err
}

// Open uses a link, once: the first phone to open it gets it. It returns
// the hand-off for the phone's session to hold.
func (h Handoffs) Open(ctx context.Context, token string, now time.Time) (models.DocumentHandoff, error) {
	var row models.DocumentHandoff
	if token == "" {
		return row, ErrHandoffInvalid
	}
	now = now.UTC()
	err := h.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.DocumentHandoff{}).
			Where("token_hash = ? AND opened_at IS NULL AND voided_at IS NULL AND expires_at > ?", handoffHash(token), now).
			Update("opened_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrHandoffInvalid
		}
		return tx.Where("token_hash = ?", handoffHash(token)).Take(&row).Error
	})
	return row, err
}

// Active returns an opened hand-off the phone may still use.
func (h Handoffs) Active(ctx context.Context, id uint64, now time.Time) (models.DocumentHandoff, error) {
	var row models.DocumentHandoff
	err := h.DB.WithContext(ctx).
		Where("id = ? AND opened_at IS NOT NULL AND voided_at IS NULL", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, ErrHandoffInvalid
	}
	if err != nil {
		return row, err
	}
	if !now.Before(row.OpenedAt.Add(h.Settings.HandoffSession)) {
		return row, ErrHandoffInvalid
	}
	return row, nil
}

// End stops every link of an attempt, opened or not: the person went on
// from the computer, so the phone has nothing more to add.
func (h Handoffs) End(ctx context.Context, verificationID uint64, now time.Time) error {
	return voidAll(h.DB.WithContext(ctx), verificationID, now.UTC())
}

// TakeText counts a link texted from the account to a number, when both
// the account's limit and the number's allow it, and returns the decision:
// the account's own while allowed, so the page tells nothing of what others
// sent to the number. number is a keyed hash of the number, never the
// number itself. A refused text is not counted.
func (h Handoffs) TakeText(ctx context.Context, accountID uint64, number string, now time.Time) (credential.Decision, error) {
	keys := textKeys(h.Settings, accountID, number)
	try, d, err := limits.Begin(ctx, h.DB, now,
		limits.Gate{Key: keys[0].key, Limit: keys[0].limit}, limits.Gate{Key: keys[1].key, Limit: keys[1].limit})
	if try == nil || err != nil {
		return d, err
	}
	try.Keep()
	st := try.Others(0)
	return keys[0].limit.Decide(st.Count, st.Oldest, st.Newest, now), nil
}

type textKey struct {
	key   string
	limit credential.Limit
}

func textKeys(s Settings, accountID uint64, number string) [2]textKey {
	return [2]textKey{
		{"proofing:handoff-text:account:" + strconv.FormatUint(accountID, 10), s.HandoffTexts},
		{"proofing:handoff-text:number:" + number, s.HandoffTextsTo},
	}
}

func voidAll(tx *gorm.DB, verificationID uint64, now time.Time) error {
	return tx.Model(&models.DocumentHandoff{}).
		Where("verification_id = ? AND voided_at IS NULL", verificationID).
		Update("voided_at", now).Error
}

func handoffHash(token string) string { return credential.HashToken(token) }
