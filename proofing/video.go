package proofing

import (
	"time"

	"github.com/taxportal/portal/models"
)

// SwitchToVideo moves an online attempt to the video-call route, for a
// person who would rather book a call than wait for the document review
// or try the photos again. Unlike choosing the method anew, it keeps the
// answers both routes share (the number, the information and the match),
// so the person goes straight to booking; what only the online route uses
// (the ID type, the photos and their review, the phone or letter code) is
// cleared. The caller deletes the photos.
func (f Flow) SwitchToVideo(v *models.IdentityVerification, now time.Time) error {
	if Expired(v, now) {
		return ErrExpired
	}
	switch {
	case v.Method == models.MethodVideo:
		return nil
	case v.Method != models.MethodOnline, v.CompletedAt != nil:
		return ErrNotAllowed
	}
	v.Method = models.MethodVideo
	v.IDType = ""
	clearDocuments(v)
	v.PhoneConfirmedAt, v.LetterRequestedAt, v.LetterConfirmedAt = nil, nil, nil
	v.ExpiresAt = now.Add(f.Settings.Inactivity)
	return nil
}
