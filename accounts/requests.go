package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// Sign-up, forgot-password and e-mail change are asked with an address that
// may or may not have an account. Whatever the request does in its own
// time, a stranger can measure: so each of them does the same work for any
// address (the checks of the form, the limits, for sign-up the password's
// hash) and then writes one request to the job queue, in one transaction.
// A worker carries it out a moment later (CarryOut): looks the address
// up, issues the code, records the event and queues the e-mail, in one
// transaction of its own. Nothing the requester can time depends on the
// address.

// Requests carried out by CarryOut.
const (
	opSignUp        = "sign_up"
	opResetPassword = "reset_password"
	opChangeEmail   = "change_email"
)

// request is a deferred request, as queued (the queue seals it).
type request struct {
	Op        string `json:"op"`
	Email     string `json:"email"`
	Hash      string `json:"hash,omitempty"`    // sign-up: the new password's hash
	AccountID uint64 `json:"account,omitempty"` // e-mail change: whose
	IP        string `json:"ip,omitempty"`
	UserAgent string `json:"user_agent,omitempty"`
}

// deferRequest queues r in tx.
func (s *Service) deferRequest(ctx context.Context, tx *gorm.DB, r request, c Client) error {
	r.IP, r.UserAgent = c.IP, truncate(c.UserAgent, 200)
	payload, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.Messages.Defer(ctx, tx, payload)
}

// CarryOut does a deferred request: the queue's worker calls it with what
// deferRequest queued. Everything it writes, the e-mail included, is one
// transaction, so a failed try leaves nothing behind and the queue tries
// again.
func (s *Service) CarryOut(ctx context.Context, payload []byte) error {
	var r request
	if err := json.Unmarshal(payload, &r); err != nil {
		return err
	}
	c := Client{IP: r.IP, UserAgent: r.UserAgent}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		switch r.Op {
		case opSignUp:
			return s.signUp(ctx, tx, r, c)
		case opResetPassword:
			return s.sendResetLink(ctx, tx, r, c)
		case opChangeEmail:
			return s.sendEmailChangeLink(ctx, tx, r)
		}
		return fmt.Errorf("accounts: unknown request %q", r.Op)
	})
}

// signUp creates the account, or gives an unconfirmed one the new
// password (so nobody can hold an address with a password of their own),
// and e-mails a link and code; an address that already has a confirmed
// account is told so instead, and nothing changes.
func (s *Service) signUp(ctx context.Context, tx *gorm.DB, r request, c Client) error {
	now := s.now()
	acct, err := models.FindAccountByEmail(ctx, tx, r.Email)
	switch {
	case errors.Is(err, models.ErrNotFound):
		acct = &models.Account{Email: r.Email, PasswordHash: r.Hash, PasswordChangedAt: now, Role: models.RoleTaxpayer}
		if err := tx.Create(acct).Error; err != nil {
			return err
		}
	case err != nil:
		return err
	case acct.EmailConfirmedAt != nil:
		return s.Messages.Mail(ctx, tx, s.Brand.AccountExists(r.Email, s.Links.SignIn(), s.Links.ResetPassword("")))
	default:
		if err := tx.Model(acct).Updates(map[string]any{"password_hash": r.Hash, "password_changed_at": now}).Error; err != nil {
			return err
		}
	}
	token, code, err := s.issueCode(ctx, tx, acct.ID, models.PurposeConfirmEmail, "", s.Settings.ConfirmEmailValid)
	if err != nil {
		return err
	}
	if err := s.recordIn(ctx, tx, acct.ID, EventAccountCreated, "", c); err != nil {
		return err
	}
	return s.Messages.Mail(ctx, tx, s.Brand.ConfirmEmail(r.Email, s.Links.ConfirmEmail(token), code, now.Add(s.Settings.ConfirmEmailValid), s.Location))
}

// sendResetLink e-mails a reset link if the address has a confirmed
// account; any other address gets nothing.
func (s *Service) sendResetLink(ctx context.Context, tx *gorm.DB, r request, c Client) error {
	acct, err := models.FindAccountByEmail(ctx, tx, r.Email)
	if errors.Is(err, models.ErrNotFound) || (err == nil && acct.EmailConfirmedAt == nil) {
		return nil
	}
	if err != nil {
		return err
	}
	token, _, err := s.issueCode(ctx, tx, acct.ID, models.PurposeResetPassword, "", s.Settings.ResetPasswordValid)
	if err != nil {
		return err
	}
	if err := s.recordIn(ctx, tx, acct.ID, EventPasswordReset, "", c); err != nil {
		return err
	}
	return s.Messages.Mail(ctx, tx, s.Brand.ResetPassword(acct.Email, s.Links.ResetPassword(token), s.now().Add(s.Settings.ResetPasswordValid), s.Location))
}

// sendEmailChangeLink e-mails a link and code to the new address; if the
// address has an account meanwhile, its holder is told instead.
func (s *Service) sendEmailChangeLink(ctx context.Context, tx *gorm.DB, r request) error {
	if _, err := models.FindAccountByEmail(ctx, tx, r.Email); err == nil {
		return s.Messages.Mail(ctx, tx, s.Brand.AccountExists(r.Email, s.Links.SignIn(), s.Links.ResetPassword("")))
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	token, code, err := s.issueCode(ctx, tx, r.AccountID, models.PurposeChangeEmail, r.Email, s.Settings.ConfirmEmailValid)
	if err != nil {
		return err
	}
	return s.Messages.Mail(ctx, tx, s.Brand.EmailChangeRequested(r.Email, s.Links.ConfirmEmailChange(token), code, s.now().Add(s.Settings.ConfirmEmailValid), s.Location))
}

// recordIn adds a line to an account's security history in tx.
func (s *Service) recordIn(ctx context.Context, tx *gorm.DB, accountID uint64, kind models.SecurityEventKind, detail string, c Client) error {
	ev := models.SecurityEvent{AccountID: accountID, Kind: kind, Detail: detail, IP: c.IP, UserAgent: truncate(c.UserAgent, 200), At: s.now()}
	return tx.WithContext(ctx).Create(&ev).Error
}
