package documents_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/models"
)

var _ documents.DocumentVerifier = documents.ReviewQueue{}

func TestReviewQueue(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	now := time.Date(2026, 4, 1, 15, 30, 0, 0, time.UTC)
	q := documents.ReviewQueue{Store: f.store}
	v := f.verification(t, models.IDDriversLicense, now.Add(time.Hour))
	selfie := checked(t, models.SideSelfie, encodeJPEG(t, quadrants(600, 800), 90))

	// Nothing can be queued until every side the ID type needs is there.
	if err := f.store.Save(ctx, v.ID, models.SideFront, f.front); err != nil {
		t.Fatal(err)
	}
	var missing *documents.MissingError
	if _, err := q.Submit(ctx, v.ID); !errors.As(err, &missing) ||
		!slices.Equal(missing.Sides, []models.DocumentSide{models.SideBack, models.SideSelfie}) {
		t.Fatalf("Submit with only the front: %v", err)
	}
	for side, img := range map[models.DocumentSide]documents.Image{models.SideBack: f.back, models.SideSelfie: selfie} {
		if err := f.store.Save(ctx, v.ID, side, img); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := q.Submit(ctx, v.ID); err != nil || out.Decided {
		t.Fatalf("Submit: %+v, %v", out, err)
	}

	// A new photo withdraws the set and any decision on it.
	if err := f.db.Model(&models.IdentityVerification{}).Where("id = ?", v.ID).Updates(map[string]any{
		"documents_at": now, "documents_queued_at": now, "documents_approved_at": now, "documents_decided_at": now,
	}).Error; err != nil {
		t.Fatal(err)
	}
	retake := checked(t, models.SideSelfie, encodeJPEG(t, quadrants(800, 600), 90))
	if err := f.store.Save(ctx, v.ID, models.SideSelfie, retake); err != nil {
		t.Fatal(err)
	}
	var r models.IdentityVerification
	if err := f.db.Take(&r, v.ID).Error; err != nil {
		t.Fatal(err)
	}
	if r.DocumentsAt != nil || r.DocumentsQueuedAt != nil || r.DocumentsApprovedAt != nil || r.DocumentsDecidedAt != nil {
		t.Fatalf("after a new photo: %+v", r)
	}

	if _, err := q.Submit(ctx, v.ID+1000); !errors.Is(err, documents.ErrNoVerification) {
		t.Fatalf("Submit of a missing verification: %v", err)
	}
}

func TestPassportNeedsNoBack(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	q := documents.ReviewQueue{Store: f.store}
	v := f.verification(t, models.IDPassport, time.Now().Add(time.Hour))
	if err := f.store.Save(ctx, v.ID, models.SideFront, f.front); err != nil {
		t.Fatal(err)
	}
	var missing *documents.MissingError
	if _, err := q.Submit(ctx, v.ID); !errors.As(err, &missing) || !slices.Equal(missing.Sides, []models.DocumentSide{models.SideSelfie}) {
		t.Fatalf("Submit: %v", err)
	}
	if err := f.store.Save(ctx, v.ID, models.SideSelfie, checked(t, models.SideSelfie, encodeJPEG(t, quadrants(600, 800), 90))); err != nil {
		t.Fatal(err)
	}
	if out, err := q.Submit(ctx, v.ID); err != nil || out.Decided {
		t.Fatalf("Submit: %+v, %v", out, err)
	}
	for idType, want := range map[models.IDType]bool{
		models.IDDriversLicense: true, models.IDStateID: true, models.IDPassportCard: true, models.IDPassport: false,
	} {
		if documents.NeedsBack(idType) != want {
			t.Errorf("NeedsBack(%s) = %v", idType, !want)
		}
	}
}
