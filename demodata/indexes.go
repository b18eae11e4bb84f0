package demodata

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm/schema"

	"github.com/taxportal/portal/models"
)

// dropIndexesAbove is the run size from which the taxpayer indexes with
// random keys are dropped during the load and built again after it.
const dropIndexesAbove = 100_000

// randomIndexes are the taxpayer indexes whose keys arrive in random order.
func (s *seeder) randomIndexes() ([]string, error) {
	sch, err := schema.Parse(&models.Taxpayer{}, &sync.Map{}, s.gdb.NamingStrategy)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, idx := range sch.ParseIndexes() {
		for _, f := range idx.Fields {
			if f.Name == "SSNIndex" || f.Name == "LastName" {
				names = append(names, idx.Name)
				break
			}
		}
	}
	return names, nil
}

// migratorMu serialises this package's use of GORM's Migrator, which is not
// safe for concurrent use on one *gorm.DB (it writes to the cached schema).
var migratorMu sync.Mutex

// hasIndex looks the index up in the catalogue, without GORM's Migrator.
func (s *seeder) hasIndex(ctx context.Context, name string) (bool, error) {
	q := "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = " + string(appendQuoted(nil, name))
	if s.t.pg {
		q = "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = " + string(appendQuoted(nil, name))
	}
	_, found, err := sqlRunner{s.db}.queryInt(ctx, q)
	return found, err
}

func (s *seeder) dropIndexes(ctx context.Context) error {
	names, err := s.randomIndexes()
	if err != nil {
		return err
	}
	migratorMu.Lock()
	defer migratorMu.Unlock()
	for _, n := range names {
		if ok, err := s.hasIndex(ctx, n); err != nil || !ok {
			continue
		}
		if err := s.gdb.WithContext(ctx).Migrator().DropIndex(&models.Taxpayer{}, n); err != nil {
			return fmt.Errorf("demodata: dropping index %s for the load: %w", n, err)
		}
	}
	return nil
}

// restoreIndexes builds the indexes dropIndexes dropped, if they are missing.
func (s *seeder) restoreIndexes(ctx context.Context) error {
	names, err := s.randomIndexes()
	if err != nil {
		return err
	}
	ctx = context.WithoutCancel(ctx)
	for _, n := range names {
		ok, err := s.hasIndex(ctx, n)
		if err != nil {
			return fmt.Errorf("demodata: looking for index %s: %w", n, err)
		}
		if ok {
			continue
		}
		start := time.Now()
		migratorMu.Lock()
		err = s.gdb.WithContext(ctx).Migrator().CreateIndex(&models.Taxpayer{}, n)
		migratorMu.Unlock()
		if err != nil {
			if ok, _ := s.hasIndex(ctx, n); ok {
				continue // another run built it meanwhile
			}
			return fmt.Errorf("demodata: building index %s: %w", n, err)
		}
		s.log.Info("demo data: index built", slog.String("index", n), slog.Duration("elapsed", time.Since(start).Round(time.Millisecond)))
	}
	return nil
}
