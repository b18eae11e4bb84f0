package models

import (
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"
)

// AutoMigrate must leave a SQLite table that already matches alone, rows
// and all: a needless rebuild drops the table, and inside a transaction
// the drop cascades into every row that points at it.
func TestAutoMigrateKeepsSQLiteTablesWithRows(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	if _, err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	acct := Account{Email: "a@example.com", PasswordHash: "x", PasswordChangedAt: now}
	if err := db.Create(&acct).Error; err != nil {
		t.Fatal(err)
	}
	letter := Letter{AccountID: &acct.ID, TaxpayerID: 1, Kind: LetterIPPINNotice, Name: "A B", Street1: "1 Main St",
		City: "Springfield", State: "IL", ZIP: "62701", ExpiresAt: now, SentAt: now}
	if err := db.Create(&letter).Error; err != nil {
		t.Fatal(err)
	}
	var before, after string
	ddl := "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'accounts'"
	if err := db.Raw(ddl).Scan(&before).Error; err != nil {
		t.Fatal(err)
	}
	// Letters depend on accounts, so this migrates both, in a transaction
	// as migrations run.
	if err := db.Transaction(func(tx *gorm.DB) error { return tx.AutoMigrate(&Letter{}) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Raw(ddl).Scan(&after).Error; err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("accounts was rebuilt:\nbefore %s\nafter  %s", before, after)
	}
	var n int64
	if err := db.Model(&Letter{}).Where("account_id = ?", acct.ID).Count(&n).Error; err != nil || n != 1 {
		t.Errorf("%d letters left for the account, %v", n, err)
	}
}
