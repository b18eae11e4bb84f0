package documents

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/models"
)

// DocumentVerifier judges a verification's stored document set once every
// image passed Check. The built-in ReviewQueue leaves the judgement to an
// agent; a commercial document-authentication service would implement the
// same interface and may decide at once.
type DocumentVerifier interface {
	Submit(ctx context.Context, verificationID uint64) (Outcome, error)
}

// Outcome is what Submit answers.
type Outcome struct {
	Decided  bool // false: waiting for review; the decision comes later
	Approved bool // when Decided
	// Reasons says, per side, why a rejected set failed, in plain words, so
	// the person knows which photo to take again.
	Reasons  map[models.DocumentSide]string
	QueuedAt time.Time // when the set joined the review queue, if it did
}

// MissingError is returned when a side the ID type needs has no image yet.
type MissingError struct{ Sides []models.DocumentSide }

func (e *MissingError) Error() string {
	names := make([]string, len(e.Sides))
	for i, s := range e.Sides {
		names[i] = string(s)
	}
	return "documents: missing " + strings.Join(names, ", ")
}

// NeedsBack reports whether an ID type has a back worth photographing: the
// cards carry a barcode there; a passport book has one photo page.
func NeedsBack(t models.IDType) bool { return t != models.IDPassport }

// RequiredSides are the images a set of the ID type needs.
func RequiredSides(t models.IDType) []models.DocumentSide {
	if NeedsBack(t) {
		return []models.DocumentSide{models.SideFront, models.SideBack, models.SideSelfie}
	}
	return []models.DocumentSide{models.SideFront, models.SideSelfie}
}

// ReviewQueue is the built-in DocumentVerifier: Submit puts the set in the
// agents' review queue (DocumentsAt set, no decision yet) and decides
// nothing. The agent console sets DocumentsApprovedAt or DocumentsRejected.
type ReviewQueue struct {
	DB  *gorm.DB
	Now func() time.Time // time.Now when nil
}

// Submit queues the set. Submitting again changes nothing: the answer is the
// set's current state, so a double click cannot push it to the back of the
// queue or undo a decision. Store.Save of a new image withdraws the set, and
// it can then be submitted afresh.
func (q ReviewQueue) Submit(ctx context.Context, verificationID uint64) (Outcome, error) {
	now := time.Now
	if q.Now != nil {
		now = q.Now
	}
	var out Outcome
	err := q.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var v models.IdentityVerification
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
			Select("id", "id_type", "documents_at", "documents_approved_at", "documents_rejected").
			Where("id = ?", verificationID).Take(&v).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNoVerification
		}
		if err != nil {
			return err
		}
		if v.DocumentsAt != nil {
			out = Outcome{
				Decided:  v.DocumentsApprovedAt != nil || v.DocumentsRejected != "",
				Approved: v.DocumentsApprovedAt != nil,
				QueuedAt: v.DocumentsAt.UTC(),
			}
			return nil
		}
		var have []models.DocumentSide
		if err := tx.Model(&models.DocumentImage{}).Where("verification_id = ?", verificationID).
			Pluck("side", &have).Error; err != nil {
			return err
		}
		var missing []models.DocumentSide
		for _, s := range RequiredSides(v.IDType) {
			if !slices.Contains(have, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) > 0 {
			return &MissingError{Sides: missing}
		}
		at := now().UTC()
		if err := tx.Model(&models.IdentityVerification{}).Where("id = ?", verificationID).
			Updates(map[string]any{"documents_at": at, "documents_approved_at": nil, "documents_rejected": ""}).Error; err != nil {
			return fmt.Errorf("queueing documents: %w", err)
		}
		out = Outcome{QueuedAt: at}
		return nil
	})
	return out, err
}
