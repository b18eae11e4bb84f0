package proofing_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
	"github.com/taxportal/portal/proofing"
)

func TestHandoffLinks(t *testing.T) {
	db := portaltest.DB(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC)
	acct := models.Account{Email: "h@example.com", PasswordHash: "x", PasswordChangedAt: now}
	if err := db.Create(&acct).Error; err != nil {
		t.Fatal(err)
	}
	v := models.IdentityVerification{AccountID: acct.ID, ExpiresAt: now.Add(time.Hour)}
	if err := db.Create(&v).Error; err != nil {
		t.Fatal(err)
	}
	h := proofing.Handoffs{DB: db, Settings: proofing.DefaultSettings()}

	first, err := h.Create(ctx, acct.ID, v.ID, now)
	if err != nil || len(first) < 40 {
		t.Fatalf("token %q, %v", first, err)
	}
	second, _ := h.Create(ctx, acct.ID, v.ID, now)
	if _, err := h.Open(ctx, first, now); !errors.Is(err, proofing.ErrHandoffInvalid) {
		t.Errorf("a replaced link opened: %v", err)
	}
	for _, bad := range []string{"", "nonsense", second + "x"} {
		if _, err := h.Open(ctx, bad, now); !errors.Is(err, proofing.ErrHandoffInvalid) {
			t.Errorf("token %q opened: %v", bad, err)
		}
	}
	opened, err := h.Open(ctx, second, now.Add(time.Minute))
	if err != nil || opened.VerificationID != v.ID || opened.AccountID != acct.ID {
		t.Fatalf("open: %+v, %v", opened, err)
	}
	if _, err := h.Open(ctx, second, now.Add(time.Minute)); !errors.Is(err, proofing.ErrHandoffInvalid) {
		t.Errorf("a link opened twice: %v", err)
	}
	if _, err := h.Active(ctx, opened.ID, now.Add(30*time.Minute)); err != nil {
		t.Errorf("still active 29 minutes after opening: %v", err)
	}
	if _, err := h.Active(ctx, opened.ID, now.Add(31*time.Minute)); !errors.Is(err, proofing.ErrHandoffInvalid) {
		t.Errorf("active 30 minutes after opening: %v", err)
	}

	// A new link cuts off the phone that opened an earlier one.
	if _, err := h.Create(ctx, acct.ID, v.ID, now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Active(ctx, opened.ID, now.Add(3*time.Minute)); !errors.Is(err, proofing.ErrHandoffInvalid) {
		t.Errorf("a phone stays connected after a new link was made: %v", err)
	}

	late, _ := h.Create(ctx, acct.ID, v.ID, now)
	if _, err := h.Open(ctx, late, now.Add(15*time.Minute)); !errors.Is(err, proofing.ErrHandoffInvalid) {
		t.Errorf("opened after 15 minutes: %v", err)
	}

	third, _ := h.Create(ctx, acct.ID, v.ID, now)
	o, _ := h.Open(ctx, third, now)
	if err := h.End(ctx, v.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Active(ctx, o.ID, now); !errors.Is(err, proofing.ErrHandoffInvalid) {
		t.Errorf("active after the attempt went on: %v", err)
	}
}

func TestHandoffTextsAreLimited(t *testing.T) {
	db := portaltest.DB(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC)
	h := proofing.Handoffs{DB: db, Settings: proofing.DefaultSettings()}
	for i := range 5 {
		d, err := h.TakeText(ctx, 7, "number-"+strconv.Itoa(i), now)
		if err != nil || !d.Allowed || d.Remaining != 5-i {
			t.Fatalf("text %d: %+v %v", i+1, d, err)
		}
	}
	if d, _ := h.TakeText(ctx, 7, "number-9", now); d.Allowed || !d.RetryAt.Equal(now.Add(time.Hour)) {
		t.Errorf("sixth text in an hour: %+v", d)
	}
	if d, _ := h.TakeText(ctx, 8, "number-9", now); !d.Allowed {
		t.Error("another account is limited too")
	}
	// One number gets at most three links a day, whichever accounts send them.
	for acct := uint64(20); acct < 23; acct++ {
		if d, err := h.TakeText(ctx, acct, "target", now); err != nil || !d.Allowed {
			t.Fatal(d, err)
		}
	}
	if d, _ := h.TakeText(ctx, 23, "target", now); d.Allowed || !d.RetryAt.Equal(now.Add(24*time.Hour)) {
		t.Errorf("a fourth link to one number in a day, from a fresh account: %+v", d)
	}
}
