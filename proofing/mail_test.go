package proofing_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
)

func TestLettersGoToTheAddressOfRecordAndTheirCodesWorkOnce(t *testing.T) {
	db, vault := seeded(t)
	ctx := t.Context()
	var tp models.Taxpayer
	if err := db.Take(&tp, taxpayerID(t, db, vault, "987-65-4324")).Error; err != nil { // Honolulu: 30 days
		t.Fatal(err)
	}
	acct := models.Account{Email: "l@example.com", PasswordHash: "x", PasswordChangedAt: time.Now()}
	db.Create(&acct)
	l := proofing.Letters{DB: db, Vault: vault, Settings: proofing.DefaultSettings()}
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

	letter, code, d, err := l.Send(ctx, acct.ID, 1, &tp, now)
	if err != nil || !d.Allowed || letter == nil {
		t.Fatalf("first letter: %v %+v", err, d)
	}
	if letter.State != "HI" || letter.Street1 != tp.Street1 || !strings.Contains(letter.Name, tp.LastName) {
		t.Errorf("letter not addressed to the record: %+v", letter)
	}
	if got := letter.ExpiresAt.Sub(now); got < 30*24*time.Hour || got > 32*24*time.Hour {
		t.Errorf("a Hawaii letter lasts %s, want about 30 days", got)
	}
	if opened, err := vault.OpenString(models.ColumnLetterCode, letter.CodeSealed); err != nil || opened != code {
		t.Error("the print vendor cannot read the code")
	}
	if _, _, d, _ := l.Send(ctx, acct.ID, 1, &tp, now.Add(time.Hour)); d.Allowed {
		t.Error("a second letter within 24 hours was allowed")
	}
	second, code2, _, err := l.Send(ctx, acct.ID, 1, &tp, now.Add(25*time.Hour))
	if err != nil || second == nil {
		t.Fatalf("second letter a day later: %v", err)
	}
	if err := l.Confirm(ctx, acct.ID, code, now.Add(26*time.Hour)); !errors.Is(err, proofing.ErrLetterCode) {
		t.Error("the first letter's code still works after a second letter")
	}
	if err := l.Confirm(ctx, acct.ID, strings.ToLower(code2), now.Add(26*time.Hour)); err != nil {
		t.Errorf("the newest code typed in lower case: %v", err)
	}
	if err := l.Confirm(ctx, acct.ID, code2, now.Add(27*time.Hour)); !errors.Is(err, proofing.ErrLetterCode) {
		t.Error("a code worked twice")
	}
}
