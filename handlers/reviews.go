package handlers

import (
	"context"
	"errors"
	"log/slog"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
)

// errNotInReview means a set is not waiting for a decision (decided
// already, replaced, or the attempt ended).
var errNotInReview = errors.New("the documents are not waiting for review")

// decideDocuments records a decision on a document set in review, as the
// reviewer (actor) made it: the flow moves on or back, the decision is
// audited in the same transaction, a rejection counts against the
// person's document limit, and the person is told by e-mail.
func (a *App) decideDocuments(ctx context.Context, verificationID uint64, approve bool, reason string, actor audit.Actor) error {
	now := a.now().UTC()
	var v models.IdentityVerification
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&v, verificationID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errNotInReview
		}
		if err != nil {
			return err
		}
		if proofing.Documents(&v) != proofing.DocumentsInReview || proofing.Current(&v, now) != proofing.StepReview {
			return errNotInReview
		}
		action := audit.ActionDocumentsApproved
		if approve {
			err = a.flow.ApproveDocuments(&v, now)
		} else {
			action = audit.ActionDocumentsRejected
			err = a.flow.RejectDocuments(&v, reason, now)
		}
		if err != nil {
			return err
		}
		if err := tx.Save(&v).Error; err != nil {
			return err
		}
		_, err = a.audit.AppendTx(ctx, tx, audit.Entry{Actor: actor, Action: action, AccountID: &v.AccountID,
			TaxpayerID: v.TaxpayerID, Subject: "verification:" + strconv.FormatUint(v.ID, 10)})
		return err
	})
	if err != nil {
		return err
	}
	if !approve {
		if _, err := a.limiter.Fail(ctx, proofing.KindDocuments, v.AccountID, now); err != nil {
			return err
		}
	}
	acct, err := models.FindAccount(ctx, a.db, v.AccountID)
	if err != nil {
		return err
	}
	link := a.cfg.BaseURL.String() + a.reverse(RouteVerify)
	msg := a.accounts.Brand.DocumentsApproved(acct.Email, link)
	if !approve {
		msg = a.accounts.Brand.DocumentsRejected(acct.Email, v.DocumentsRejected, link)
	}
	if err := a.accounts.Mail.Send(ctx, msg); err != nil {
		a.log.Error("sending the review decision", slog.String("error", err.Error()))
	}
	return nil
}
