package documents

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// Store keeps checked images sealed at rest, one per side of a
// verification. It does not check who asks: the handlers serve an image only
// to its owner and to agents working the case.
type Store struct {
	DB    *gorm.DB
	Vault *pii.Vault
}

// sealColumn binds a sealed image to its row: an image copied to another
// verification or side fails to open instead of showing the wrong person's ID.
func sealColumn(verificationID uint64, side models.DocumentSide) string {
	return fmt.Sprintf("%s/%d/%s", models.ColumnDocumentImage, verificationID, side)
}

// sides are the image sides in the order they are taken.
var sides = []models.DocumentSide{models.SideFront, models.SideBack, models.SideSelfie}

func knownSide(side models.DocumentSide) bool { return slices.Contains(sides, side) }

// sameAs is the refusal for a picture already stored as side.
func sameAs(side models.DocumentSide) error {
	switch side {
	case models.SideFront:
		return &Error{Code: CodeSameAsFront}
	case models.SideBack:
		return &Error{Code: CodeSameAsBack}
	}
	return &Error{Code: CodeSameAsSelfie}
}

// Save stores img as side of the verification, replacing the image that side
// had. A picture matching another side's (the front sent again as the back)
// is refused with ErrSameAsFront, ErrSameAsBack or ErrSameAsSelfie.
//
// A new image withdraws the set from review and clears any decision on it,
// so an approval always covers exactly the images stored.
func (s *Store) Save(ctx context.Context, verificationID uint64, side models.DocumentSide, img Image) error {
	if !knownSide(side) {
		return ErrUnknownSide
	}
	if len(img.Data) == 0 || img.Fingerprint == "" {
		return errors.New("documents: Save needs an Image from Check")
	}
	sealed, err := s.Vault.Seal(sealColumn(verificationID, side), img.Data)
	if err != nil {
		return err
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Locking the verification makes concurrent saves of its sides take
		// turns, so two uploads of one picture cannot both pass the check.
		var v models.IdentityVerification
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id").
			Where("id = ?", verificationID).Take(&v).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNoVerification
		}
		if err != nil {
			return err
		}
		var others []models.DocumentImage
		if err := tx.Select("side", "fingerprint").
			Where("verification_id = ? AND side <> ?", verificationID, side).
			Find(&others).Error; err != nil {
			return err
		}
		sortSides(others)
		for _, o := range others {
			if SameImage(o.Fingerprint, img.Fingerprint) {
				return sameAs(o.Side)
			}
		}
		row := models.DocumentImage{
			VerificationID: verificationID,
			Side:           side,
			ContentType:    img.ContentType,
			Width:          img.Width,
			Height:         img.Height,
			Fingerprint:    img.Fingerprint,
			Sealed:         sealed,
		}
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "verification_id"}, {Name: "side"}},
			DoUpdates: clause.AssignmentColumns([]string{"content_type", "width", "height", "fingerprint", "sealed", "created_at"}),
		}).Create(&row).Error; err != nil {
			return err
		}
		return tx.Model(&models.IdentityVerification{}).Where("id = ?", verificationID).
			Updates(map[string]any{
				"documents_at": nil, "documents_queued_at": nil, "documents_approved_at": nil,
				"documents_decided_at": nil, "documents_rejected": "",
			}).Error
	})
}

// Complete checks that every side the verification's ID type needs is
// stored, or says which are missing (a MissingError).
func (s *Store) Complete(ctx context.Context, verificationID uint64) error {
	var v models.IdentityVerification
	err := s.DB.WithContext(ctx).Select("id", "id_type").Where("id = ?", verificationID).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNoVerification
	}
	if err != nil {
		return err
	}
	var have []models.DocumentSide
	if err := s.DB.WithContext(ctx).Model(&models.DocumentImage{}).Where("verification_id = ?", verificationID).
		Pluck("side", &have).Error; err != nil {
		return err
	}
	var missing []models.DocumentSide
	for _, side := range RequiredSides(v.IDType) {
		if !slices.Contains(have, side) {
			missing = append(missing, side)
		}
	}
	if len(missing) > 0 {
		return &MissingError{Sides: missing}
	}
	return nil
}

// Load opens the image stored for side: the JPEG bytes and their type.
func (s *Store) Load(ctx context.Context, verificationID uint64, side models.DocumentSide) ([]byte, string, error) {
	var row models.DocumentImage
	err := s.DB.WithContext(ctx).Select("content_type", "sealed").
		Where("verification_id = ? AND side = ?", verificationID, side).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, "", ErrNotFound
	}
	if err != nil {
		return nil, "", err
	}
	data, err := s.Vault.Open(sealColumn(verificationID, side), row.Sealed)
	if err != nil {
		return nil, "", err
	}
	return data, row.ContentType, nil
}

// Sides lists the images stored for a verification, front, back, selfie,
// without their bytes.
func (s *Store) Sides(ctx context.Context, verificationID uint64) ([]models.DocumentImage, error) {
	var rows []models.DocumentImage
	err := s.DB.WithContext(ctx).Omit("sealed").Where("verification_id = ?", verificationID).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	sortSides(rows)
	return rows, nil
}

// DeleteFor deletes every image of a verification.
func (s *Store) DeleteFor(ctx context.Context, verificationID uint64) error {
	return s.DB.WithContext(ctx).Where("verification_id = ?", verificationID).
		Delete(&models.DocumentImage{}).Error
}

// DeleteAbandoned deletes the images of verifications that expired before
// the given time without being completed, and says how many went. A
// scheduled job runs it; the verification rows themselves are the flow's.
func (s *Store) DeleteAbandoned(ctx context.Context, before time.Time) (int64, error) {
	db := s.DB.WithContext(ctx)
	abandoned := db.Model(&models.IdentityVerification{}).Select("id").
		Where("expires_at < ? AND completed_at IS NULL", before.UTC())
	res := db.Where("verification_id IN (?)", abandoned).Delete(&models.DocumentImage{})
	return res.RowsAffected, res.Error
}

func sortSides(rows []models.DocumentImage) {
	slices.SortFunc(rows, func(a, b models.DocumentImage) int {
		return slices.Index(sides, a.Side) - slices.Index(sides, b.Side)
	})
}
