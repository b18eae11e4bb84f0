package accounts

import (
	"context"

	"github.com/taxportal/portal/models"
)

// WasntMeLink is a fresh "This wasn't me" link for a notice about a change
// made for the holder by someone else (an agent on the phone), so they can
// lock the account if they never asked for it.
func (s *Service) WasntMeLink(ctx context.Context, acct *models.Account) string {
	return s.wasntMe(ctx, acct)
}
