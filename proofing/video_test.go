package proofing

import (
	"testing"
	"time"

	"github.com/taxportal/portal/models"
)

func TestSwitchToVideoKeepsSharedAnswers(t *testing.T) {
	f := Flow{Settings: DefaultSettings()}
	now := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	tp := uint64(7)
	v := &models.IdentityVerification{Method: models.MethodOnline, ConsentedAt: &now, IDType: models.IDPassport,
		DocumentsAt: &now, DocumentsQueuedAt: &now, SSNSealed: []byte{1}, InfoAt: &now, FirstName: "Maria",
		TaxpayerID: &tp, MatchedAt: &now, PhoneConfirmedAt: &now, ExpiresAt: now.Add(time.Hour)}
	if Current(v, now) != StepReview {
		t.Fatalf("fixture at %v", Current(v, now))
	}
	if err := f.SwitchToVideo(v, now); err != nil {
		t.Fatal(err)
	}
	if got := Current(v, now); got != StepBookCall {
		t.Errorf("after switching: %v, want the booking", got)
	}
	if v.DocumentsQueuedAt != nil || v.DocumentsAt != nil || v.IDType != "" || v.PhoneConfirmedAt != nil {
		t.Error("online-only answers kept")
	}
	if v.TaxpayerID == nil || v.FirstName != "Maria" || len(v.SSNSealed) == 0 {
		t.Error("shared answers lost")
	}
	if err := f.SwitchToVideo(v, now); err != nil {
		t.Errorf("switching twice: %v", err)
	}
	in := &models.IdentityVerification{Method: models.MethodInPerson, ExpiresAt: now.Add(time.Hour)}
	if err := f.SwitchToVideo(in, now); err != ErrNotAllowed {
		t.Errorf("from in person: %v", err)
	}
	old := &models.IdentityVerification{Method: models.MethodOnline, ExpiresAt: now.Add(-time.Hour)}
	if err := f.SwitchToVideo(old, now); err != ErrExpired {
		t.Errorf("expired: %v", err)
	}
}
