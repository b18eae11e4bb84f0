package casework

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
)

// SetupValid is how long a new staff member's password-setup link works:
// long enough to reach someone starting on Monday, short enough that a
// forgotten link is not a standing way in.
const SetupValid = 72 * time.Hour

// ErrEmailInUse means an account (staff or taxpayer) already has the address.
var ErrEmailInUse = errors.New("casework: an account already uses this address")

// ErrBadRole means the role is not a staff role.
var ErrBadRole = errors.New("casework: the role must be agent or supervisor")

// InvalidEmail wraps the reason an address was refused.
type InvalidEmail struct{ Message messages.ID }

func (e InvalidEmail) Error() string { return "casework: invalid address" }

// ParseRole accepts the two staff roles.
func ParseRole(s string) (models.Role, error) {
	switch r := models.Role(s); r {
	case models.RoleAgent, models.RoleSupervisor:
		return r, nil
	}
	return "", ErrBadRole
}

// CreateStaff opens an agent or supervisor account and returns it with a
// one-time token for the password page (the reset-password link), valid
// for SetupValid. Nobody, not even whoever created it, ever knows the
// account's password: it starts as a random one that is thrown away, and
// the new holder chooses theirs through the link, then sets up an
// authentication app or security key at first sign-in. also, when not nil,
// runs in the same transaction once the account exists (its audit entry).
func CreateStaff(ctx context.Context, db *gorm.DB, emailRaw string, role models.Role, now time.Time, also func(tx *gorm.DB, acct *models.Account) error) (*models.Account, string, error) {
	if fe := accounts.ValidateEmail("email", emailRaw); fe != nil {
		return nil, "", InvalidEmail{fe.Message}
	}
	if _, err := ParseRole(string(role)); err != nil {
		return nil, "", err
	}
	hash, err := credential.HashPassword(credential.NewLinkToken())
	if err != nil {
		return nil, "", err
	}
	now = now.UTC()
	acct := &models.Account{Email: models.NormalizeEmail(emailRaw), EmailConfirmedAt: &now, PasswordHash: hash,
		PasswordChangedAt: now, Role: role}
	token := credential.NewLinkToken()
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.Account{}).Where("email = ?", acct.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrEmailInUse
		}
		if err := tx.Create(acct).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) { // created at the same moment by someone else
				return ErrEmailInUse
			}
			return err
		}
		if err := tx.Create(&models.OneTimeCode{AccountID: acct.ID, Purpose: models.PurposeResetPassword,
			TokenHash: credential.HashToken(token), ExpiresAt: now.Add(SetupValid)}).Error; err != nil {
			return err
		}
		if also != nil {
			return also(tx, acct)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return acct, token, nil
}

// Staff lists agents and supervisors, newest first.
func Staff(ctx context.Context, db *gorm.DB) ([]models.Account, error) {
	var out []models.Account
	err := db.WithContext(ctx).Where("role IN ?", []models.Role{models.RoleAgent, models.RoleSupervisor}).
		Order("id DESC").Find(&out).Error
	return out, err
}

// Disable takes a staff account out of service at once: it is locked, its
// sessions end, and the claims it held go back to the queue. A password
// reset does not bring it back (it unlocks, but sign-in refuses a disabled
// account). also, when not nil, runs in the same transaction.
func Disable(ctx context.Context, db *gorm.DB, accountID uint64, now time.Time, also func(tx *gorm.DB) error) error {
	now = now.UTC()
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.Account{}).
			Where("id = ? AND role IN ? AND disabled_at IS NULL", accountID, []models.Role{models.RoleAgent, models.RoleSupervisor}).
			Updates(map[string]any{"disabled_at": now, "locked_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		if err := tx.Where("account_id = ?", accountID).Delete(&models.Session{}).Error; err != nil {
			return err
		}
		if err := tx.Where("agent_id = ?", accountID).Delete(&models.CaseClaim{}).Error; err != nil {
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
}
