package accounts

import (
	"context"
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
)

// FieldError is a problem with one field of a form: a catalogue message,
// or for passwords the policy's own explanation.
type FieldError struct {
	Field   string
	Message messages.ID
	Text    string // set instead of Message when the text is computed
}

// InputErrors is what was wrong with a submitted form.
type InputErrors []FieldError

func (e InputErrors) Error() string { return "the form has problems" }

// ErrCodeInvalid covers a wrong, used or expired code or link. Which of the
// three is never said: a guesser learns nothing from the answer.
var ErrCodeInvalid = errors.New("code invalid")

// ValidateEmail checks the shape of an e-mail address.
func ValidateEmail(field, raw string) *FieldError {
	email := strings.TrimSpace(raw)
	switch {
	case email == "":
		return &FieldError{Field: field, Message: messages.EmailMissing}
	case len(email) > 254:
		return &FieldError{Field: field, Message: messages.EmailInvalid}
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return &FieldError{Field: field, Message: messages.EmailInvalid}
	}
	at := strings.LastIndexByte(email, '@')
	if domain := email[at+1:]; !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return &FieldError{Field: field, Message: messages.EmailInvalid}
	}
	return nil
}

// CheckNewPassword applies the password policy, with the address and the
// portal's names as words a password must not contain.
func (s *Service) CheckNewPassword(field, password, email string) InputErrors {
	context := []string{email, s.Brand.Product, s.Brand.Agency}
	if at := strings.IndexByte(email, '@'); at > 0 {
		context = append(context, email[:at])
	}
	var errs InputErrors
	for _, p := range s.Policy.Check(password, context) {
		errs = append(errs, FieldError{Field: field, Text: p.Message})
		break // one problem at a time reads better than a list about one field
	}
	return errs
}

// Register starts an account. Whether or not the address already has one,
// the person sees the same "check your e-mail" screen, and the request does
// the same work (see requests.go): the account is created, or an
// unconfirmed one gets the new password, by the queue a moment later; an
// existing holder is told by e-mail instead, so neither the screen nor its
// timing reveals who has an account. An unconfirmed account's password is
// replaced, so nobody can claim an address in advance with a password of
// their own.
func (s *Service) Register(ctx context.Context, emailRaw, password string, c Client) error {
	var errs InputErrors
	if fe := ValidateEmail("email", emailRaw); fe != nil {
		errs = append(errs, *fe)
	}
	email := models.NormalizeEmail(emailRaw)
	errs = append(errs, s.CheckNewPassword("password", password, email)...)
	if len(errs) > 0 {
		return errs
	}
	// Each sign-up e-mails an address someone typed: bound how many one
	// client can start, so the form cannot be used to flood inboxes.
	key := "signup:ip:" + c.IP
	if d, err := s.take(ctx, key, s.Settings.SignUpsPerIP); err != nil {
		return err
	} else if !d.Allowed {
		return &LimitedError{d}
	}
	// Hashed here for every address: the slow part happens on every path.
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	return s.deferRequest(ctx, s.DB, request{Op: opSignUp, Email: email, Hash: hash}, c)
}

// issueCode makes a new link token and six-digit code, stored hashed. It
// retires any live code of the same purpose, so only the newest e-mail
// works, except "This wasn't me" links: every notice's link keeps working.
func (s *Service) issueCode(ctx context.Context, tx *gorm.DB, accountID uint64, purpose models.CodePurpose, target string, valid time.Duration) (token, code string, err error) {
	now := s.now()
	if purpose != models.PurposeLockAccount {
		if err := tx.WithContext(ctx).Model(&models.OneTimeCode{}).
			Where("account_id = ? AND purpose = ? AND used_at IS NULL", accountID, purpose).
			Update("used_at", now).Error; err != nil {
			return "", "", err
		}
	}
	token, code = credential.NewLinkToken(), credential.NewNumericCode(6)
	row := models.OneTimeCode{
		AccountID: accountID, Purpose: purpose, Target: target,
		TokenHash: credential.HashToken(token), CodeHash: credential.HashToken(code),
		ExpiresAt: now.Add(valid),
	}
	return token, code, tx.WithContext(ctx).Create(&row).Error
}

// ErrPasswordNeeded means a confirmation link was followed outside the
// browser that signed up: the account's password must come with it.
var ErrPasswordNeeded = errors.New("confirming here needs the account's password")

// LinkProof is what the browser following a confirmation link shows: the
// address it signed up with, if it did (the handler keeps it in the
// session), and a password typed on the page.
type LinkProof struct {
	SignedUpWith string
	Password     string
}

// ConfirmEmailByLink confirms the address whose link was followed. In the
// browser that signed up, the link is enough. Anywhere else the password
// chosen at sign-up must come with it: otherwise someone who signed up
// with another person's address and a password of their own would have
// the account confirmed, with their password, by the owner's click (a
// pre-account hijack). A wrong password counts against the link like a
// wrong code; after a few it stops working.
func (s *Service) ConfirmEmailByLink(ctx context.Context, token string, proof LinkProof, c Client) (*models.Account, error) {
	row, err := s.findLiveCode(ctx, s.DB, "token_hash = ? AND purpose = ?", credential.HashToken(token), models.PurposeConfirmEmail)
	if err != nil {
		return nil, err
	}
	acct, err := models.FindAccount(ctx, s.DB, row.AccountID)
	if err != nil {
		return nil, err
	}
	if acct.EmailConfirmedAt == nil && models.NormalizeEmail(proof.SignedUpWith) != acct.Email {
		if proof.Password == "" {
			return nil, ErrPasswordNeeded
		}
		var ok bool
		var verr error
		if err := s.withHashSlot(ctx, func() { ok, _, verr = credential.VerifyPassword(acct.PasswordHash, proof.Password) }); err != nil {
			return nil, err
		}
		if verr != nil {
			return nil, verr
		}
		if !ok {
			err := s.DB.WithContext(ctx).Model(&models.OneTimeCode{}).Where("id = ?", row.ID).
				Update("attempts", gorm.Expr("attempts + 1")).Error
			if err != nil {
				return nil, err
			}
			return nil, ErrWrongPassword
		}
	}
	return s.confirmEmail(ctx, row, c)
}

// ConfirmLinkNeedsPassword tells the link's page whether to ask for the
// password (see ConfirmEmailByLink). A dead link needs none: using it fails
// whatever is typed.
func (s *Service) ConfirmLinkNeedsPassword(ctx context.Context, token, signedUpWith string) bool {
	row, err := s.findLiveCode(ctx, s.DB, "token_hash = ? AND purpose = ?", credential.HashToken(token), models.PurposeConfirmEmail)
	if err != nil {
		return false
	}
	acct, err := models.FindAccount(ctx, s.DB, row.AccountID)
	return err == nil && acct.EmailConfirmedAt == nil && models.NormalizeEmail(signedUpWith) != acct.Email
}

// ConfirmEmailByCode confirms an address with the code typed by hand. A
// wrong code counts against the code; after a few it stops working.
func (s *Service) ConfirmEmailByCode(ctx context.Context, emailRaw, code string, c Client) (*models.Account, error) {
	acct, err := models.FindAccountByEmail(ctx, s.DB, emailRaw)
	if err != nil {
		return nil, ErrCodeInvalid
	}
	row, err := s.checkCode(ctx, acct.ID, models.PurposeConfirmEmail, code)
	if err != nil {
		return nil, err
	}
	return s.confirmEmail(ctx, row, c)
}

// checkCode compares a typed code with the account's live code of that
// purpose. The try is counted against the code first, in one conditional
// statement, so of many tries sent at once only CodeAttempts are compared.
func (s *Service) checkCode(ctx context.Context, accountID uint64, purpose models.CodePurpose, code string) (*models.OneTimeCode, error) {
	row, err := s.findLiveCode(ctx, s.DB, "account_id = ? AND purpose = ?", accountID, purpose)
	if err != nil {
		return nil, err
	}
	res := s.DB.WithContext(ctx).Model(&models.OneTimeCode{}).
		Where("id = ? AND used_at IS NULL AND attempts < ?", row.ID, s.Settings.CodeAttempts).
		Update("attempts", gorm.Expr("attempts + 1"))
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 || row.CodeHash != credential.HashToken(normalizeCode(code)) {
		return nil, ErrCodeInvalid
	}
	return row, nil
}

func normalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
}

func (s *Service) confirmEmail(ctx context.Context, row *models.OneTimeCode, c Client) (*models.Account, error) {
	var acct models.Account
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now()
		if err := useCode(ctx, tx, row, now); err != nil {
			return err
		}
		if err := tx.Take(&acct, row.AccountID).Error; err != nil {
			return err
		}
		if acct.EmailConfirmedAt == nil {
			acct.EmailConfirmedAt = &now
			return tx.Model(&acct).Update("email_confirmed_at", now).Error
		}
		return nil
	})
	if errors.Is(err, errCodeSpent) {
		return nil, ErrCodeInvalid
	}
	if err != nil {
		return nil, err
	}
	s.Record(ctx, acct.ID, EventEmailConfirmed, "", c)
	return &acct, nil
}

// findLiveCode finds an unused, unexpired code.
func (s *Service) findLiveCode(ctx context.Context, tx *gorm.DB, where string, args ...any) (*models.OneTimeCode, error) {
	var row models.OneTimeCode
	err := tx.WithContext(ctx).Where(where, args...).Where("used_at IS NULL AND expires_at > ? AND attempts < ?", s.now(), s.Settings.CodeAttempts).
		Order("id DESC").Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrCodeInvalid
	}
	return &row, err
}

var errCodeSpent = errors.New("code already used")

// useCode marks a code used, atomically: of two requests racing with one
// code, only one succeeds.
func useCode(ctx context.Context, tx *gorm.DB, row *models.OneTimeCode, now time.Time) error {
	res := tx.WithContext(ctx).Model(&models.OneTimeCode{}).Where("id = ? AND used_at IS NULL", row.ID).Update("used_at", now)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return errCodeSpent
	}
	return nil
}

// ResendConfirmation sends a fresh link and code to an address that signed
// up and has not confirmed yet; for any other address it does nothing.
func (s *Service) ResendConfirmation(ctx context.Context, emailRaw string, c Client) error {
	acct, err := models.FindAccountByEmail(ctx, s.DB, emailRaw)
	if errors.Is(err, models.ErrNotFound) || (err == nil && acct.EmailConfirmedAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	key := "resend:account:" + strconv.FormatUint(acct.ID, 10)
	if d, err := s.take(ctx, key, resetRequests); err != nil || !d.Allowed {
		return err // quietly: the person already has several messages
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		token, code, err := s.issueCode(ctx, tx, acct.ID, models.PurposeConfirmEmail, "", s.Settings.ConfirmEmailValid)
		if err != nil {
			return err
		}
		return s.Messages.Mail(ctx, tx, s.Brand.ConfirmEmail(acct.Email, s.Links.ConfirmEmail(token), code, s.now().Add(s.Settings.ConfirmEmailValid), s.Location))
	})
}
