package accounts

import (
	"context"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// IPPINViewed e-mails the holder that their IP PIN was just shown, with a
// "This wasn't me" link: a view nobody expected means someone else is in
// the account. The link and the message are queued in tx.
func (s *Service) IPPINViewed(ctx context.Context, tx *gorm.DB, acct *models.Account) {
	s.send(ctx, tx, s.Brand.IPPINViewed(acct.Email, s.wasntMe(ctx, tx, acct), s.now(), s.Location))
}

// IPPINOptedOut e-mails the holder that they opted out of the IP PIN
// program, and from which year no PIN is issued.
func (s *Service) IPPINOptedOut(ctx context.Context, tx *gorm.DB, acct *models.Account, firstYearWithout int) {
	s.send(ctx, tx, s.Brand.IPPINOptedOut(acct.Email, s.wasntMe(ctx, tx, acct), firstYearWithout, s.now(), s.Location))
}
