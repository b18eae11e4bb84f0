package documents_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
)

type fixture struct {
	db    *gorm.DB
	store *documents.Store
	front documents.Image // a card's front, 1200×800
	back  documents.Image
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := portaltest.DB(t)
	vault, err := pii.NewVault(bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{
		db:    db,
		store: &documents.Store{DB: db, Vault: vault},
		front: checked(t, models.SideFront, encodeJPEG(t, card(1200, 800, 1, false), 90)),
		back:  checked(t, models.SideBack, encodeJPEG(t, card(1200, 800, 1, true), 90)),
	}
}

func checked(t *testing.T, side models.DocumentSide, data []byte) documents.Image {
	t.Helper()
	img, err := documents.Check(context.Background(), side, data)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

var accounts int

// verification adds an account and a verification attempt expiring at expires.
func (f *fixture) verification(t *testing.T, idType models.IDType, expires time.Time) *models.IdentityVerification {
	t.Helper()
	accounts++
	a := models.Account{Email: fmt.Sprintf("person%d@example.com", accounts), PasswordHash: "x", PasswordChangedAt: time.Now()}
	if err := f.db.Create(&a).Error; err != nil {
		t.Fatal(err)
	}
	v := models.IdentityVerification{AccountID: a.ID, IDType: idType, ExpiresAt: expires.UTC()}
	if err := f.db.Create(&v).Error; err != nil {
		t.Fatal(err)
	}
	return &v
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	v := f.verification(t, models.IDDriversLicense, time.Now().Add(time.Hour))

	if err := f.store.Save(ctx, v.ID, models.SideFront, f.front); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Save(ctx, v.ID, models.SideBack, f.back); err != nil {
		t.Fatal(err)
	}
	data, ct, err := f.store.Load(ctx, v.ID, models.SideFront)
	if err != nil || ct != "image/jpeg" || !bytes.Equal(data, f.front.Data) {
		t.Fatalf("Load: %v %q, %d bytes, equal %v", err, ct, len(data), bytes.Equal(data, f.front.Data))
	}

	sides, err := f.store.Sides(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sides) != 2 || sides[0].Side != models.SideFront || sides[1].Side != models.SideBack {
		t.Fatalf("Sides: %+v", sides)
	}
	for _, s := range sides {
		if s.Sealed != nil || s.Width != 1200 || s.Height != 800 || s.Fingerprint == "" || s.ContentType != "image/jpeg" || s.CreatedAt.IsZero() {
			t.Errorf("Sides row: %+v", s)
		}
	}

	if _, _, err := f.store.Load(ctx, v.ID, models.SideSelfie); !errors.Is(err, documents.ErrNotFound) {
		t.Errorf("Load of a missing side: %v", err)
	}
	if err := f.store.Save(ctx, v.ID+1000, models.SideFront, f.front); !errors.Is(err, documents.ErrNoVerification) {
		t.Errorf("Save to a missing verification: %v", err)
	}
	if err := f.store.Save(ctx, v.ID, "left", f.front); !errors.Is(err, documents.ErrUnknownSide) {
		t.Errorf("Save of an unknown side: %v", err)
	}
}

func TestStoreSealsImages(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	v := f.verification(t, models.IDDriversLicense, time.Now().Add(time.Hour))
	w := f.verification(t, models.IDDriversLicense, time.Now().Add(time.Hour))
	if err := f.store.Save(ctx, v.ID, models.SideFront, f.front); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Save(ctx, v.ID, models.SideBack, f.back); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Save(ctx, w.ID, models.SideFront, f.back); err != nil {
		t.Fatal(err)
	}

	var row models.DocumentImage
	if err := f.db.Where("verification_id = ? AND side = ?", v.ID, models.SideFront).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	plain := f.front.Data
	if len(row.Sealed) < len(plain) {
		t.Fatalf("sealed %d bytes for %d plain", len(row.Sealed), len(plain))
	}
	// No piece of the JPEG shows through: not its header, not any 32 bytes.
	if bytes.Contains(row.Sealed, []byte{0xFF, 0xD8, 0xFF, 0xDB}) {
		t.Error("the sealed bytes contain a JPEG header")
	}
	for i := 0; i+32 <= len(plain); i += len(plain) / 50 {
		if bytes.Contains(row.Sealed, plain[i:i+32]) {
			t.Fatalf("the sealed bytes contain the plain JPEG's bytes %d–%d", i, i+32)
		}
	}

	// A sealed image copied to another side or another person's row does not open.
	copyTo := func(id uint64, side models.DocumentSide) {
		if err := f.db.Model(&models.DocumentImage{}).Where("verification_id = ? AND side = ?", id, side).
			Update("sealed", row.Sealed).Error; err != nil {
			t.Fatal(err)
		}
	}
	copyTo(v.ID, models.SideBack)
	if _, _, err := f.store.Load(ctx, v.ID, models.SideBack); !errors.Is(err, pii.ErrCannotOpen) {
		t.Errorf("front copied over the back: %v", err)
	}
	copyTo(w.ID, models.SideFront)
	if _, _, err := f.store.Load(ctx, w.ID, models.SideFront); !errors.Is(err, pii.ErrCannotOpen) {
		t.Errorf("front copied to another verification: %v", err)
	}
}

func TestStoreReplacesASide(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	v := f.verification(t, models.IDPassport, time.Now().Add(time.Hour))
	retake := checked(t, models.SideFront, encodeJPEG(t, card(1000, 700, 5, false), 85))
	for _, img := range []documents.Image{f.front, retake} {
		if err := f.store.Save(ctx, v.ID, models.SideFront, img); err != nil {
			t.Fatal(err)
		}
	}
	data, _, err := f.store.Load(ctx, v.ID, models.SideFront)
	if err != nil || !bytes.Equal(data, retake.Data) {
		t.Fatalf("Load after a retake: %v, equal %v", err, bytes.Equal(data, retake.Data))
	}
	var n int64
	f.db.Model(&models.DocumentImage{}).Where("verification_id = ?", v.ID).Count(&n)
	sides, _ := f.store.Sides(ctx, v.ID)
	if n != 1 || len(sides) != 1 || sides[0].Width != 1000 {
		t.Fatalf("%d rows after a retake: %+v", n, sides)
	}
	// A retake of one side may look like the last one: it is not compared with itself.
	again := checked(t, models.SideFront, encodeJPEG(t, card(1000, 700, 5, false), 60))
	if err := f.store.Save(ctx, v.ID, models.SideFront, again); err != nil {
		t.Fatalf("same side again: %v", err)
	}
}

// The same photo sent as front and back (or as the selfie) is refused, even
// re-encoded and smaller.
func TestStoreRefusesTheSamePictureTwice(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	v := f.verification(t, models.IDDriversLicense, time.Now().Add(time.Hour))
	frontAgain := checked(t, models.SideBack, encodeJPEG(t, resized(card(1200, 800, 1, false), 900, 600), 70))
	backAgain := checked(t, models.SideFront, encodeJPEG(t, card(1200, 800, 1, true), 50))

	if err := f.store.Save(ctx, v.ID, models.SideFront, f.front); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		side models.DocumentSide
		img  documents.Image
		want error
	}{
		{models.SideBack, f.front, documents.ErrSameAsFront},
		{models.SideBack, frontAgain, documents.ErrSameAsFront},
		{models.SideSelfie, f.front, documents.ErrSameAsFront},
		{models.SideBack, f.back, nil},
		{models.SideFront, backAgain, documents.ErrSameAsBack},
		{models.SideSelfie, f.back, documents.ErrSameAsBack},
	}
	for i, tt := range tests {
		err := f.store.Save(ctx, v.ID, tt.side, tt.img)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%d: Save %s: %v, want %v", i, tt.side, err, tt.want)
		}
	}
	// The refused saves changed nothing.
	data, _, err := f.store.Load(ctx, v.ID, models.SideFront)
	if err != nil || !bytes.Equal(data, f.front.Data) {
		t.Fatalf("front after refusals: %v", err)
	}
	if _, _, err := f.store.Load(ctx, v.ID, models.SideSelfie); !errors.Is(err, documents.ErrNotFound) {
		t.Fatalf("selfie after refusals: %v", err)
	}
}

func TestStoreDeletes(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	now := time.Now()
	abandoned := f.verification(t, models.IDDriversLicense, now.Add(-time.Hour))
	completed := f.verification(t, models.IDDriversLicense, now.Add(-time.Hour))
	if err := f.db.Model(completed).Update("completed_at", now.Add(-2*time.Hour).UTC()).Error; err != nil {
		t.Fatal(err)
	}
	current := f.verification(t, models.IDDriversLicense, now.Add(time.Hour))
	other := f.verification(t, models.IDDriversLicense, now.Add(time.Hour))
	for _, v := range []*models.IdentityVerification{abandoned, completed, current, other} {
		for side, img := range map[models.DocumentSide]documents.Image{models.SideFront: f.front, models.SideBack: f.back} {
			if err := f.store.Save(ctx, v.ID, side, img); err != nil {
				t.Fatal(err)
			}
		}
	}
	count := func(v *models.IdentityVerification) int {
		sides, err := f.store.Sides(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(sides)
	}

	n, err := f.store.DeleteAbandoned(ctx, now)
	if err != nil || n != 2 {
		t.Fatalf("DeleteAbandoned: %d, %v; want 2 images", n, err)
	}
	if count(abandoned) != 0 || count(completed) != 2 || count(current) != 2 {
		t.Fatalf("left: abandoned %d, completed %d, current %d", count(abandoned), count(completed), count(current))
	}
	if n, err := f.store.DeleteAbandoned(ctx, now); err != nil || n != 0 {
		t.Fatalf("second run: %d, %v", n, err)
	}

	if err := f.store.DeleteFor(ctx, current.ID); err != nil {
		t.Fatal(err)
	}
	if count(current) != 0 || count(other) != 2 {
		t.Fatalf("DeleteFor left %d, and the other verification has %d", count(current), count(other))
	}
}
