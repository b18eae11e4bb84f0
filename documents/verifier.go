package documents

import (
	"context"
	"strings"

	"github.com/taxportal/portal/models"
)

// DocumentVerifier judges a verification's stored document set once every
// image passed Check and the person's information matched a taxpayer. The
// built-in ReviewQueue leaves the judgement to an agent; a commercial
// document-authentication service would implement the same interface and
// may decide at once. A verifier reads the set; the caller records the
// outcome on the attempt (proofing.Flow) and saves it.
type DocumentVerifier interface {
	Submit(ctx context.Context, verificationID uint64) (Outcome, error)
}

// Outcome is what Submit answers.
type Outcome struct {
	Decided  bool // false: waiting for review; the decision comes later
	Approved bool // when Decided
	// Reasons says, per side, why a rejected set failed, in plain words, so
	// the person knows which photo to take again.
	Reasons map[models.DocumentSide]string
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

// ReviewQueue is the built-in DocumentVerifier: a set it accepts waits in
// the agents' review queue (the attempts whose DocumentsQueuedAt is set and
// that have no decision), and the agent console decides.
type ReviewQueue struct {
	Store *Store
}

// Submit checks that the set is complete and leaves it undecided: an agent
// will judge it.
func (q ReviewQueue) Submit(ctx context.Context, verificationID uint64) (Outcome, error) {
	return Outcome{}, q.Store.Complete(ctx, verificationID)
}
