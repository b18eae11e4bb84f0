package handlers

import (
	"context"
	"errors"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/casework"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
)

// errNotInReview means a set is not waiting for a decision (decided
// already, replaced, or the attempt ended).
var errNotInReview = errors.New("the documents are not waiting for review")

// documentDecision is what a reviewer decided on a document set.
type documentDecision struct {
	Approve bool
	// Reason tells the person, per document, what was wrong; empty on approval.
	Reason string
	// Detail and AuditReason are for the audit trail (never the person's
	// data); the reason is shown to the taxpayer as why staff looked.
	Detail      string
	AuditReason string
	// ClaimedBy, when set, is the agent who must hold the case's claim for
	// the decision to count; the claim ends with the decision.
	ClaimedBy uint64
}

// decideDocuments records a decision on a document set in review, as the
// reviewer (actor) made it: the flow moves on or back, the decision is
// audited in the same transaction (with the claim checked and closed when
// one is named), a rejection counts against the person's document limit,
// and the person is told by e-mail.
func (a *App) decideDocuments(ctx context.Context, verificationID uint64, d documentDecision, actor audit.Actor) error {
	approve, reason := d.Approve, d.Reason
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
		subject := caseSubject(v.ID)
		if d.ClaimedBy != 0 {
			var held int64
			err := tx.Model(&models.CaseClaim{}).Where("subject = ? AND agent_id = ? AND touched_at >= ?",
				subject, d.ClaimedBy, now.Add(-casework.ClaimTimeout)).Count(&held).Error
			if err != nil {
				return err
			}
			if held == 0 {
				return casework.ErrNotHeld
			}
		}
		if err := tx.Save(&v).Error; err != nil {
			return err
		}
		if err := (casework.Claims{DB: a.db}).Close(ctx, tx, subject); err != nil {
			return err
		}
		_, err = a.audit.AppendTx(ctx, tx, audit.Entry{Actor: actor, Action: action, AccountID: &v.AccountID,
			TaxpayerID: v.TaxpayerID, Subject: subject, Detail: d.Detail, Reason: d.AuditReason})
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
	link := a.absolute(a.reverse(RouteVerify))
	msg := a.accounts.Brand.DocumentsApproved(acct.Email, link)
	if !approve {
		msg = a.accounts.Brand.DocumentsRejected(acct.Email, v.DocumentsRejected, link)
	}
	a.sendMail(ctx, a.db, "the review decision", msg)
	return nil
}

// caseSubject names a document set as a case: in claims and in the audit
// trail alike.
func caseSubject(verificationID uint64) string {
	return "verification:" + strconv.FormatUint(verificationID, 10)
}
