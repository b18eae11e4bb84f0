package accounts

import (
	"context"

	"github.com/taxportal/portal/models"
)

// IPPINViewed e-mails the holder that their IP PIN was just shown, with a
// "This wasn't me" link: a view nobody expected means someone else is in
// the account.
func (s *Service) IPPINViewed(ctx context.Context, acct *models.Account) {
	s.send(ctx, s.Brand.IPPINViewed(acct.Email, s.wasntMe(ctx, acct), s.now(), s.Location))
}

// IPPINOptedOut e-mails the holder that they opted out of the IP PIN
// program, and from which year no PIN is issued.
func (s *Service) IPPINOptedOut(ctx context.Context, acct *models.Account, firstYearWithout int) {
	s.send(ctx, s.Brand.IPPINOptedOut(acct.Email, s.wasntMe(ctx, acct), firstYearWithout, s.now(), s.Location))
}
