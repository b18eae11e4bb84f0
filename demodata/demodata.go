// Package demodata builds a deterministic, synthetic taxpayer master file for
// development, demonstrations and load tests.
package demodata

import (
	"context"
	"log/slog"

	"gorm.io/gorm"

	"github.com/taxportal/portal/pii"
)

// Options control a seeding run.
type Options struct {
	Taxpayers int          // total wanted, featured ones included
	Log       *slog.Logger // progress lines; nil for none
}

// Result says what a run did.
type Result struct {
	Created  int // taxpayers created by this run
	Existing int // taxpayers that were already there
}

// Seed makes sure the first opts.Taxpayers synthetic taxpayers exist.
func Seed(ctx context.Context, db *gorm.DB, vault *pii.Vault, opts Options) (Result, error) {
	panic("demodata.Seed is being written")
}

// DefaultTaxpayers is how many taxpayers `go run .` loads.
const DefaultTaxpayers = 1000

// Welcome is what the server prints at start in development.
func Welcome(baseURL string) string { return "" }
