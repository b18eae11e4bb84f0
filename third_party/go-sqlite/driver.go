// Package sqlite stands in for github.com/glebarez/go-sqlite, the driver
// that the GORM dialector github.com/glebarez/sqlite is built for, and
// hands its work to modernc.org/sqlite, which that fork was taken from.
//
// Why: the fork compiles every statement again on every run, even a
// prepared one; modernc.org/sqlite keeps a prepared statement compiled, and
// compiling was the largest single cost of a page's queries (see
// docs/performance.md). Both register the database/sql driver name
// "sqlite", so they cannot be linked into one program side by side; the
// replace directive in the portal's go.mod puts this package in the fork's
// place. The dialector uses two things from the fork, named here.
//
// modernc.org/sqlite writes times in the fork's format only when the DSN
// says _time_format=sqlite, which models.Open does.
package sqlite

import msqlite "modernc.org/sqlite"

type (
	// Driver is the database/sql driver, registered as "sqlite".
	Driver = msqlite.Driver
	// Error is a SQLite error; Code gives its extended result code.
	Error = msqlite.Error
)
