package accounts

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
)

// phoneSends bounds how many codes one account can have sent, so nobody can
// use the portal to flood a phone.
var phoneSends = credential.Limit{Max: 5, Window: time.Hour}

// ParseUSPhone accepts a 10-digit US number with any punctuation, and an
// optional leading 1 or +1.
func ParseUSPhone(raw string) (string, bool) {
	var b strings.Builder
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" -().+", r):
		default:
			return "", false
		}
	}
	d := b.String()
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	if len(d) != 10 || d[0] == '0' || d[0] == '1' {
		return "", false
	}
	return d, true
}

// StartPhoneEnrollment sends a code to a new phone number. The number comes
// back sealed, to be kept in the session until the code confirms it.
func (s *Service) StartPhoneEnrollment(ctx context.Context, acct *models.Account, raw string, voice bool) ([]byte, error) {
	digits, ok := ParseUSPhone(raw)
	if !ok {
		return nil, InputErrors{{Field: "phone", Message: messages.PhoneInvalid}}
	}
	sealed, err := s.Vault.SealString(models.ColumnFactorPhone, digits)
	if err != nil {
		return nil, err
	}
	return sealed, s.sendPhoneCode(ctx, acct, digits, voice)
}

// ConfirmPhone saves the phone number once its code is typed back.
func (s *Service) ConfirmPhone(ctx context.Context, acct *models.Account, sealed []byte, voice bool, code, name string, c Client) (*models.SecondFactor, error) {
	digits, err := s.Vault.OpenString(models.ColumnFactorPhone, sealed)
	if err != nil {
		return nil, err
	}
	row, err := s.checkCode(ctx, acct.ID, models.PurposePhoneCode, code)
	if err != nil {
		return nil, err
	}
	if err := useCode(ctx, s.DB, row, s.now()); err != nil {
		return nil, ErrCodeInvalid
	}
	f := &models.SecondFactor{AccountID: acct.ID, Kind: models.FactorPhone, Name: factorName(name, "Phone ending in "+digits[6:]),
		SecretSealed: sealed, PhoneLast4: digits[6:], PhoneByVoice: voice}
	return f, s.addFactor(ctx, acct, f, c)
}

// SendSignInCode sends a code to one of the account's phones.
func (s *Service) SendSignInCode(ctx context.Context, acct *models.Account, factorID uint64) error {
	f, err := s.findFactor(ctx, acct.ID, factorID)
	if err != nil || f.Kind != models.FactorPhone {
		return ErrFactorUnknown
	}
	digits, err := s.Vault.OpenString(models.ColumnFactorPhone, f.SecretSealed)
	if err != nil {
		return err
	}
	return s.sendPhoneCode(ctx, acct, digits, f.PhoneByVoice)
}

func (s *Service) sendPhoneCode(ctx context.Context, acct *models.Account, digits string, voice bool) error {
	key := "phone:account:" + strconv.FormatUint(acct.ID, 10)
	d, err := s.take(ctx, key, phoneSends)
	if err != nil {
		return err
	}
	if !d.Allowed {
		return &LimitedError{d}
	}
	// The code and its message are one change; the send is already
	// counted against the limit.
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, code, err := s.issueCode(ctx, tx, acct.ID, models.PurposePhoneCode, "", s.Settings.PhoneCodeValid)
		if err != nil {
			return err
		}
		if voice {
			return s.Messages.Call(ctx, tx, digits, s.Brand.PhoneCodeSpoken(code, s.Settings.PhoneCodeValid))
		}
		return s.Messages.Text(ctx, tx, digits, s.Brand.PhoneCodeText(code, s.Settings.PhoneCodeValid))
	})
}

// VerifyPhoneCode checks a texted or spoken code at sign-in.
func (s *Service) VerifyPhoneCode(ctx context.Context, acct *models.Account, code string, c Client) (credential.Decision, error) {
	return s.verifyFactor(ctx, acct, c, func() (bool, error) {
		row, err := s.checkCode(ctx, acct.ID, models.PurposePhoneCode, code)
		if err == ErrCodeInvalid {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return useCode(ctx, s.DB, row, s.now()) == nil, nil
	})
}
