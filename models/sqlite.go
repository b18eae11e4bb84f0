package models

import (
	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
)

// sqliteDialector is glebarez's GORM dialector with one correction to its
// migrator, needed since the driver underneath is modernc.org/sqlite (see
// third_party/go-sqlite).
//
// That driver reports the length of a TEXT column as "unlimited" once the
// table holds a row, and GORM then takes every column with a size tag
// (`size:254`) for a changed column and rebuilds the whole table on each
// AutoMigrate. A rebuild drops the old table, and inside a migration's
// transaction SQLite cannot switch foreign keys off, so the drop cascades
// into the rows that point at it. SQLite ignores declared lengths anyway,
// so the migrator is told there is none to compare.
type sqliteDialector struct{ sqlite.Dialector }

func (d sqliteDialector) Migrator(db *gorm.DB) gorm.Migrator {
	return sqliteMigrator{d.Dialector.Migrator(db).(sqlite.Migrator)}
}

type sqliteMigrator struct{ sqlite.Migrator }

func (m sqliteMigrator) ColumnTypes(value any) ([]gorm.ColumnType, error) {
	types, err := m.Migrator.ColumnTypes(value)
	for i, t := range types {
		types[i] = noLength{t}
	}
	return types, err
}

// noLength is a column type without a declared length. (The interface
// has a method named ColumnType, hence the alias for the embedded field.)
type noLength struct{ column }

type column = gorm.ColumnType

func (noLength) Length() (int64, bool) { return 0, false }
