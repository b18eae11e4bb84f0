package accounts

import (
	"context"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// WasntMeLink is a fresh "This wasn't me" link for a notice about a change
// made for the holder by someone else (an agent on the phone), so they can
// lock the account if they never asked for it. It is issued in tx, the
// transaction that queues the notice.
func (s *Service) WasntMeLink(ctx context.Context, tx *gorm.DB, acct *models.Account) string {
	return s.wasntMe(ctx, tx, acct)
}
