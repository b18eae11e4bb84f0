package models

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"
)

// letterV4 is the letters table before migration 10: account_id NOT NULL.
type letterV4 struct {
	letterV10
	AccountID uint64 `gorm:"not null;index:idx_letters_account_sent,priority:1"`
}

func (letterV4) TableName() string { return "letters" }

// Migration 10 turns a letters table that demands an account, with rows
// in it, into one that does not, keeping the rows and the indexes.
func TestMigrationV10LetsLettersGoWithoutAnAccount(t *testing.T) {
	url := filepath.Join(t.TempDir(), "portal.db")
	if base := os.Getenv("PORTAL_TEST_POSTGRES_URL"); base != "" {
		admin, err := Open(base)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		schema := "test_" + hex.EncodeToString(b)
		if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); Close(admin) })
		url = base + "&search_path=" + schema
	}
	db, err := Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	for _, m := range migrations {
		if m.Version < 10 {
			if err := m.Up(db); err != nil {
				t.Fatalf("migration %d: %v", m.Version, err)
			}
		}
	}
	// Put the table back as it was before account_id became optional.
	if db.Dialector.Name() == "postgres" {
		err = db.Exec("ALTER TABLE letters ALTER COLUMN account_id SET NOT NULL").Error
	} else {
		err = db.Migrator().AlterColumn(&letterV4{}, "AccountID")
	}
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	acct := Account{Email: "a@example.com", PasswordHash: "x", PasswordChangedAt: now}
	if err := db.Create(&acct).Error; err != nil {
		t.Fatal(err)
	}
	letter := func(account *uint64) *Letter {
		return &Letter{AccountID: account, TaxpayerID: 1, Kind: LetterIPPINNotice, Name: "A B", Street1: "1 Main St",
			City: "Springfield", State: "IL", ZIP: "62701", ExpiresAt: now, SentAt: now}
	}
	if err := db.Create(letter(&acct.ID)).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(letter(nil)).Error; err == nil {
		t.Fatal("the old table took a letter without an account")
	}
	if err := db.Transaction(func(tx *gorm.DB) error { return migrateV10(tx) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Create(letter(nil)).Error; err != nil {
		t.Fatalf("letter without an account after migration 10: %v", err)
	}
	var n int64
	if err := db.Model(&Letter{}).Where("account_id = ?", acct.ID).Count(&n).Error; err != nil || n != 1 {
		t.Errorf("%d letters kept for the account, %v", n, err)
	}
	for _, idx := range []string{"idx_letters_account_sent", "idx_letters_code_hash"} {
		if !db.Migrator().HasIndex(&Letter{}, idx) {
			t.Errorf("index %s lost", idx)
		}
	}
}
