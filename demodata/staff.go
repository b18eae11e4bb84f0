package demodata

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// StaffMember is a demo agent or supervisor: a known password and a known
// authentication-app secret, so a newcomer can sign in to the console (the
// development page /dev shows the current code). Development only: seeding
// is refused in production.
type StaffMember struct {
	Email    string
	Role     models.Role
	Password string
	secret   string
}

// Secret is the member's authentication-app secret.
func (m StaffMember) Secret() []byte {
	sum := sha256.Sum256([]byte("demo staff totp " + m.secret))
	return sum[:20]
}

// Staff are the demo console accounts.
var Staff = []StaffMember{
	{Email: "agent@example.com", Role: models.RoleAgent, Password: "review-queue-demo-2026", secret: "agent"},
	{Email: "supervisor@example.com", Role: models.RoleSupervisor, Password: "supervise-queue-demo-2026", secret: "supervisor"},
}

// StaffWith is the demo staff member with a role.
func StaffWith(role models.Role) (StaffMember, bool) {
	for _, m := range Staff {
		if m.Role == role {
			return m, true
		}
	}
	return StaffMember{}, false
}

// SeedStaff makes sure the demo agent and supervisor exist, each with an
// authentication app. Existing accounts are left as they are.
func SeedStaff(ctx context.Context, db *gorm.DB, vault *pii.Vault) error {
	for _, m := range Staff {
		_, err := models.FindAccountByEmail(ctx, db, m.Email)
		if err == nil {
			continue
		}
		if !errors.Is(err, models.ErrNotFound) {
			return err
		}
		hash, err := demoHash(m.Password)
		if err != nil {
			return err
		}
		sealed, err := vault.Seal(models.ColumnTOTPSecret, m.Secret())
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			acct := models.Account{Email: m.Email, EmailConfirmedAt: &now, PasswordHash: hash, PasswordChangedAt: now, Role: m.Role}
			if err := tx.Create(&acct).Error; err != nil {
				return err
			}
			return tx.Create(&models.SecondFactor{AccountID: acct.ID, Kind: models.FactorTOTP, Name: "Demo authentication app",
				SecretSealed: sealed, CreatedAt: now}).Error
		})
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			continue // a seed running at the same time created it first
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// hashes keeps each demo password's hash for the process: tests seed many
// databases, and a password hash is deliberately slow.
var hashes sync.Map

func demoHash(pw string) (string, error) {
	if h, ok := hashes.Load(pw); ok {
		return h.(string), nil
	}
	h, err := credential.HashPassword(pw)
	if err == nil {
		hashes.Store(pw, h)
	}
	return h, err
}

// StaffCode is the member's current authentication-app code.
func (m StaffMember) StaffCode(now time.Time) string { return credential.TOTPCode(m.Secret(), now) }
