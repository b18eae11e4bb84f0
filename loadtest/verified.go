package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
)

// transcriptTaxYear is the tax year whose account transcript is measured:
// the newest year of the demo data, which most seeded taxpayers filed for.
var transcriptTaxYear = demodata.Today.Year() - 1

var transcriptPath = "/records/" + strconv.Itoa(transcriptTaxYear) + "/account"

// linker links load-test accounts to seeded taxpayers, directly in the
// portal's database: the load test measures the records pages, not identity
// verification, which needs documents and a person.
type linker struct {
	db        database
	once      sync.Once
	gdb       *gorm.DB
	err       error
	mu        sync.Mutex // one writer at a time on SQLite
	taxpayers int
}

func (l *linker) open() (*gorm.DB, error) {
	l.once.Do(func() { l.gdb, l.err = models.Open(l.db.URL) })
	return l.gdb, l.err
}

// close releases the connection pool, if one was opened.
func (l *linker) close() {
	if l.gdb != nil {
		models.Close(l.gdb)
	}
}

// setup signs a connection's client up and links its account to a random
// seeded taxpayer with a return for transcriptTaxYear.
func (l *linker) setup(ctx context.Context, c *http.Client, base string) error {
	email := newEmail()
	if err := signUpAs(ctx, c, base, email); err != nil {
		return err
	}
	db, err := l.open()
	if err != nil {
		return err
	}
	db = db.WithContext(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	for range 100 {
		id := uint64(1 + rand.IntN(l.taxpayers))
		var n int64
		if err := db.Model(&models.TaxReturn{}).Where("taxpayer_id = ? AND tax_year = ?", id, transcriptTaxYear).Count(&n).Error; err != nil {
			return err
		}
		var linked int64
		if err := db.Model(&models.Account{}).Where("taxpayer_id = ?", id).Count(&linked).Error; err != nil {
			return err
		}
		if n == 0 || linked > 0 {
			continue
		}
		return db.Model(&models.Account{}).Where("email = ?", email).
			Updates(map[string]any{"verified_at": time.Now().UTC(), "taxpayer_id": id}).Error
	}
	return fmt.Errorf("no taxpayer with a %d return found to link", transcriptTaxYear)
}

// setupStaff signs a connection's client up and makes the account an agent.
func (l *linker) setupStaff(ctx context.Context, c *http.Client, base string) error {
	email := newEmail()
	if err := signUpAs(ctx, c, base, email); err != nil {
		return err
	}
	db, err := l.open()
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return db.WithContext(ctx).Model(&models.Account{}).Where("email = ?", email).Update("role", models.RoleAgent).Error
}

// withVerifiedSetup gives the pages that need a verified account or an
// agent a Setup that makes one.
func withVerifiedSetup(list []page, l *linker) []page {
	out := make([]page, len(list))
	for i, p := range list {
		if p.Verified {
			p.Setup = l.setup
		}
		if p.Staff {
			p.Setup = l.setupStaff
		}
		out[i] = p
	}
	return out
}
