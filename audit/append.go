package audit

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
)

// ErrNoTransaction means AppendTx was given a database handle outside a
// transaction, where the chain could not be held still while it grows.
var ErrNoTransaction = errors.New("audit: AppendTx needs a transaction")

// chainLockKey is the PostgreSQL advisory lock that queues appends, the
// same constant on every instance.
const chainLockKey = 0x61756469 // "audi"

// Append records an entry in a transaction of its own and returns the row
// as stored.
func (l *Log) Append(ctx context.Context, e Entry) (*models.AuditEntry, error) {
	var row *models.AuditEntry
	err := l.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		row, err = l.AppendTx(ctx, tx, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return row, nil
}

// AppendTx records an entry inside the caller's transaction, so the entry
// is kept exactly when the change it records is. Appends queue on a lock
// held until the transaction ends: call it last, just before committing,
// and keep the transaction at PostgreSQL's default isolation (read
// committed), where the last entry is read after the lock is taken.
func (l *Log) AppendTx(ctx context.Context, tx *gorm.DB, e Entry) (*models.AuditEntry, error) {
	if _, ok := tx.Statement.ConnPool.(gorm.TxCommitter); !ok {
		return nil, ErrNoTransaction
	}
	if e.Outcome == "" {
		e.Outcome = OutcomeOK
	}
	if err := validate(e); err != nil {
		return nil, err
	}
	// A fresh chain on the same connection: conditions the caller left on
	// tx must not leak into the queries below.
	tx = tx.Session(&gorm.Session{NewDB: true, Context: ctx})
	if err := lockChain(tx); err != nil {
		return nil, err
	}
	var last models.AuditEntry
	if err := tx.Select("id", "hash").Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return nil, err
	}
	// Stamped under the lock, so times rise with ids as far as the clock does.
	row := &models.AuditEntry{
		ID:             last.ID + 1,
		At:             l.now(),
		ActorAccountID: copyOf(e.Actor.AccountID),
		ActorRole:      e.Actor.Role,
		ActorNumber:    e.Actor.Number,
		Action:         e.Action,
		TaxpayerID:     copyOf(e.TaxpayerID),
		AccountID:      copyOf(e.AccountID),
		Subject:        e.Subject,
		Outcome:        e.Outcome,
		Reason:         e.Reason,
		Detail:         e.Detail,
		PrevHash:       Genesis,
	}
	if last.ID != 0 {
		row.PrevHash = last.Hash
	}
	row.Hash = hashOf(row)
	if err := tx.Create(row).Error; err != nil {
		return nil, err
	}
	return row, nil
}

// copyOf keeps the stored row apart from the caller's variables.
func copyOf(p *uint64) *uint64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// lockChain makes the transaction the only one appending until it ends, so
// no two entries chain onto the same one. PostgreSQL queues on an advisory
// lock. SQLite lets one writer in at a time, but a deferred transaction only
// becomes the writer at its first write, after the last entry would have
// been read: a write that changes nothing claims the lock first. (Databases
// from models.Open begin transactions immediate, which makes it redundant
// there; any other handle is covered too.)
func lockChain(tx *gorm.DB) error {
	if tx.Dialector.Name() == "postgres" {
		return tx.Exec("SELECT pg_advisory_xact_lock(?)", chainLockKey).Error
	}
	return tx.Exec("UPDATE audit_entries SET id = id WHERE 0").Error
}
