package ippin

import (
	"context"
	"database/sql"
	"time"

	"github.com/taxportal/portal/models"
)

// Status describes the taxpayer's place in the program at now.
func (s *Service) Status(ctx context.Context, taxpayerID uint64, now time.Time) (Status, error) {
	st := Status{Year: yearOf(now)}
	var e enrollmentColumns
	found, err := s.scanRow(ctx, queryStatus, []any{st.Year, taxpayerID}, e.dests()...)
	if err == nil && found {
		e.decide(&st)
	} else {
		st.CanOptIn = true
	}
	return st, err
}

// StatusAndAlert is Status together with the newest return stopped in the
// taxpayer's name after since (nil when there is none): the dashboard shows
// both on every visit, so they come from one statement, scanned by hand.
func (s *Service) StatusAndAlert(ctx context.Context, taxpayerID uint64, now, since time.Time) (Status, *models.IPPINAlert, error) {
	st := Status{Year: yearOf(now), CanOptIn: true}
	var (
		e             enrollmentColumns
		id, year, key sql.NullInt64
		code          sql.NullString
		notified      sql.NullBool
		at            sql.NullTime
	)
	found, err := s.scanRow(ctx, queryStatusAndAlert, []any{st.Year, since.UTC(), taxpayerID},
		append(e.dests(), &id, &year, &code, &key, &notified, &at)...)
	if err != nil || !found {
		return st, nil, err
	}
	if e.kind.Valid {
		e.decide(&st)
	}
	if !id.Valid {
		return st, nil, nil
	}
	return st, &models.IPPINAlert{ID: uint64(id.Int64), TaxpayerID: taxpayerID, TaxYear: int(year.Int64), Code: code.String,
		APIKeyID: uint64(key.Int64), Notified: notified.Bool, At: at.Time}, nil
}

// enrollmentColumns are the enrollment's columns as the status statements
// read them; all NULL for a taxpayer who never enrolled.
type enrollmentColumns struct {
	kind    sql.NullString
	optOut  sql.NullInt64
	flagged sql.NullTime
	pins    int64 // PINs issued for the year asked about
}

func (e *enrollmentColumns) dests() []any { return []any{&e.kind, &e.optOut, &e.flagged, &e.pins} }

// decide fills in st (its Year set) for an enrolled taxpayer.
func (e *enrollmentColumns) decide(st *Status) {
	enrol := models.IPPINEnrollment{Kind: models.IPPINEnrollmentKind(e.kind.String)}
	if e.optOut.Valid {
		y := int(e.optOut.Int64)
		enrol.OptOutYear = &y
	}
	st.Kind, st.HasPIN, st.Flagged = enrol.Kind, e.pins > 0, e.flagged.Valid
	// A PIN issued for the year is required whatever the enrollment says now.
	st.Enrolled = enrol.ActiveIn(st.Year) || st.HasPIN
	if enrol.OptOutYear != nil && st.Enrolled {
		st.OptOutPending, st.OptOutYear = true, *enrol.OptOutYear
	}
	st.CanOptOut = st.Enrolled && enrol.Kind == models.IPPINVoluntary && !st.OptOutPending
	st.CanOptIn = !st.Enrolled || st.OptOutPending
}

// scanRow runs a statement expected to give at most one row and scans it
// into dests; found is false when there was none.
func (s *Service) scanRow(ctx context.Context, query string, args []any, dests ...any) (found bool, err error) {
	rows, err := s.DB.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return false, rows.Err()
	}
	return true, rows.Scan(dests...)
}

// queryStatus reads the enrollment with the count of the year's PINs; no
// row when the taxpayer never enrolled.
const queryStatus = "SELECT e.kind, e.opt_out_year, e.flagged_at, " +
	"(SELECT COUNT(*) FROM ip_pins p WHERE p.taxpayer_id = e.taxpayer_id AND p.year = ?) " +
	"FROM ip_pin_enrollments e WHERE e.taxpayer_id = ?"

// queryStatusAndAlert adds the newest alert after a time. It starts from
// the taxpayer, so there is a row whether or not they enrolled.
const queryStatusAndAlert = "SELECT e.kind, e.opt_out_year, e.flagged_at, " +
	"(SELECT COUNT(*) FROM ip_pins p WHERE p.taxpayer_id = t.id AND p.year = ?), " +
	"a.id, a.tax_year, a.code, a.api_key_id, a.notified, a.at " +
	"FROM taxpayers t LEFT JOIN ip_pin_enrollments e ON e.taxpayer_id = t.id " +
	"LEFT JOIN ip_pin_alerts a ON a.id = (SELECT x.id FROM ip_pin_alerts x " +
	"WHERE x.taxpayer_id = t.id AND x.at > ? ORDER BY x.at DESC, x.id DESC LIMIT 1) " +
	"WHERE t.id = ?"
