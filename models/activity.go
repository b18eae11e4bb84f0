package models

import "gorm.io/gorm"

// migrateV13 adds accounts.activity_version and the triggers that move it.
//
// The dashboard shows, on every visit, an account's latest security events
// and its taxpayer's IP PIN enrolment, PINs and stopped returns. Instances
// keep that in memory per account and reuse it while the version they read
// with the session is the one they cached it under. Any change to those
// rows, by any instance, command or batch, moves the version in the same
// transaction: triggers, so that no writer can forget.
//
// SQLite drops a table's triggers when GORM rebuilds the table (to alter a
// column): a later migration that alters one of these tables must create
// its triggers again (TestActivityVersionMoves fails otherwise).
func migrateV13(tx *gorm.DB) error {
	if !tx.Migrator().HasColumn(&Account{}, "ActivityVersion") {
		if err := tx.Exec("ALTER TABLE accounts ADD COLUMN activity_version BIGINT NOT NULL DEFAULT 0").Error; err != nil {
			return err
		}
	}
	if tx.Dialector.Name() == "postgres" {
		return activityTriggersPostgres(tx)
	}
	return activityTriggersSQLite(tx)
}

// activityTables are the tables whose rows a dashboard shows live, with
// the column that finds the account to bump.
var activityTables = []struct{ table, by string }{
	{"security_events", "account"},
	{"ip_pin_enrollments", "taxpayer"},
	{"ip_pins", "taxpayer"},
	{"ip_pin_alerts", "taxpayer"},
}

func activityTriggersSQLite(tx *gorm.DB) error {
	for _, t := range activityTables {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			row := "NEW"
			if op == "DELETE" {
				row = "OLD"
			}
			where := "id = " + row + ".account_id"
			if t.by == "taxpayer" {
				where = "taxpayer_id = " + row + ".taxpayer_id"
			}
			name := "activity_" + t.table + "_" + op
			err := tx.Exec("CREATE TRIGGER IF NOT EXISTS " + name + " AFTER " + op + " ON " + t.table +
				" BEGIN UPDATE accounts SET activity_version = activity_version + 1 WHERE " + where + "; END").Error
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func activityTriggersPostgres(tx *gorm.DB) error {
	for _, by := range []string{"account", "taxpayer"} {
		where := "id = r.account_id"
		if by == "taxpayer" {
			where = "taxpayer_id = r.taxpayer_id"
		}
		err := tx.Exec("CREATE OR REPLACE FUNCTION activity_by_" + by + "() RETURNS trigger AS $$ " +
			"DECLARE r record; BEGIN " +
			"IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF; " +
			"UPDATE accounts SET activity_version = activity_version + 1 WHERE " + where + "; " +
			"RETURN NULL; END $$ LANGUAGE plpgsql").Error
		if err != nil {
			return err
		}
	}
	for _, t := range activityTables {
		name := "activity_" + t.table
		if err := tx.Exec("DROP TRIGGER IF EXISTS " + name + " ON " + t.table).Error; err != nil {
			return err
		}
		err := tx.Exec("CREATE TRIGGER " + name + " AFTER INSERT OR UPDATE OR DELETE ON " + t.table +
			" FOR EACH ROW EXECUTE FUNCTION activity_by_" + t.by + "()").Error
		if err != nil {
			return err
		}
	}
	return nil
}
