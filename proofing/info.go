package proofing

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Info is the personal information a person reviews and the match compares:
// nothing is asked that the match does not use. Values are as typed, tidied
// (spaces collapsed, the state as its code, the ZIP as 12345 or 12345-6789).
type Info struct {
	FirstName  string
	MiddleName string // optional
	LastName   string
	DOB        time.Time // a date, at midnight UTC
	Street1    string
	Street2    string // optional: apartment, suite, unit
	City       string
	State      string // USPS code, see States
	ZIP        string
}

// InfoForm is the review screen's form as submitted: the date of birth in
// the three fields of a USWDS memorable date.
type InfoForm struct {
	FirstName, MiddleName, LastName string
	DOBMonth, DOBDay, DOBYear       string
	Street1, Street2, City, State   string
	ZIP                             string
}

// Names of the form's fields, which field errors carry: the id of the input
// an error summary links to.
const (
	FormFirstName  = "first_name"
	FormMiddleName = "middle_name"
	FormLastName   = "last_name"
	FormDOBMonth   = "dob_month"
	FormDOBDay     = "dob_day"
	FormDOBYear    = "dob_year"
	FormStreet1    = "street1"
	FormStreet2    = "street2"
	FormCity       = "city"
	FormState      = "state"
	FormZIP        = "zip"
	FormSSN        = "ssn"
)

// The ages that may verify here: younger people verify through a parent, and
// an older date of birth is a typing mistake.
const (
	MinAge = 13
	MaxAge = 120
)

// FieldError is a problem with one field of a form.
type FieldError struct {
	Field string // one of the Form... names
	Err   error
}

func (e FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e FieldError) Unwrap() error { return e.Err }

// InputErrors is what was wrong with a submitted form, in the order of its
// fields, at most one per field.
type InputErrors []FieldError

func (e InputErrors) Error() string { return "the form has problems" }

func (e *InputErrors) add(field string, err error) {
	if err != nil {
		*e = append(*e, FieldError{field, err})
	}
}

// Validate checks the form at now and returns the information, tidied, or
// what to correct.
func (f InfoForm) Validate(now time.Time) (Info, InputErrors) {
	var errs InputErrors
	var in Info
	var err error
	in.FirstName, err = cleanName(f.FirstName, ErrFirstNameMissing)
	errs.add(FormFirstName, err)
	in.MiddleName, err = cleanName(f.MiddleName, nil)
	errs.add(FormMiddleName, err)
	in.LastName, err = cleanName(f.LastName, ErrLastNameMissing)
	errs.add(FormLastName, err)
	if in.DOB, err = ParseDOB(f.DOBMonth, f.DOBDay, f.DOBYear, now); err != nil {
		var fe FieldError
		errors.As(err, &fe)
		errs = append(errs, fe)
	}
	in.Street1, err = cleanStreet(f.Street1, ErrStreetMissing)
	errs.add(FormStreet1, err)
	in.Street2, err = cleanStreet(f.Street2, nil)
	errs.add(FormStreet2, err)
	in.City, err = cleanCity(f.City)
	errs.add(FormCity, err)
	if in.State = NormalizeState(f.State); in.State == "" {
		errs.add(FormState, ErrStateMissing)
	}
	in.ZIP, err = cleanZIP(f.ZIP)
	errs.add(FormZIP, err)
	if len(errs) > 0 {
		return Info{}, errs
	}
	return in, nil
}

// Form fills the review form from information already given or on record.
func (in Info) Form() InfoForm {
	f := InfoForm{
		FirstName: in.FirstName, MiddleName: in.MiddleName, LastName: in.LastName,
		Street1: in.Street1, Street2: in.Street2, City: in.City, State: in.State, ZIP: in.ZIP,
	}
	if !in.DOB.IsZero() {
		f.DOBMonth, f.DOBDay, f.DOBYear = strconv.Itoa(int(in.DOB.Month())), strconv.Itoa(in.DOB.Day()), strconv.Itoa(in.DOB.Year())
	}
	return f
}

// tidy trims, collapses runs of spaces and composes accents (NFC), so what
// is stored looks as typed but has one spelling.
func tidy(s string) string { return strings.Join(strings.Fields(norm.NFC.String(s)), " ") }

// cleanName accepts letters (of any script), spaces, hyphens, apostrophes
// and periods (for initials and "Jr."); missing is the error for an empty
// name, nil when the name is optional.
func cleanName(s string, missing error) (string, error) {
	s = tidy(s)
	if s == "" {
		return "", missing
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Mc, r), r == ' ', r == '.',
			r == '-', r == '‐', r == '–', r == '\'', r == '’', r == 'ʼ':
		default:
			return "", ErrNameCharacters
		}
	}
	if letters == 0 {
		return "", ErrNameCharacters
	}
	if len(s) > 80 {
		return "", ErrTooLong
	}
	return s, nil
}

func cleanStreet(s string, missing error) (string, error) {
	s = tidy(s)
	if s == "" {
		return "", missing
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !strings.ContainsRune(" .,#-'’/&", r) {
			return "", ErrAddressChars
		}
	}
	if len(fold(s)) == 0 {
		return "", ErrAddressChars
	}
	if len(s) > 120 {
		return "", ErrTooLong
	}
	return s, nil
}

func cleanCity(s string) (string, error) {
	s = tidy(s)
	if s == "" {
		return "", ErrCityMissing
	}
	if _, err := cleanName(s, nil); err != nil {
		if errors.Is(err, ErrTooLong) {
			return "", err
		}
		return "", ErrCityCharacters
	}
	return s, nil
}

// cleanZIP accepts 5 or 9 digits, with a dash or space before the last 4.
func cleanZIP(s string) (string, error) {
	var digits []byte
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case (r == '-' || r == ' ') && len(digits) == 5 && i == 5:
		default:
			return "", ErrZIPFormat
		}
	}
	switch len(digits) {
	case 5:
		return string(digits), nil
	case 9:
		return string(digits[:5]) + "-" + string(digits[5:]), nil
	}
	return "", ErrZIPFormat
}

// ParseDOB reads a date of birth from the three fields of a memorable date:
// the month as a number or a name ("3", "03", "Mar", "March"), the day as a
// number ("5", "05", "5th"), the year with four digits. The date must be a
// real one, in the past, of someone MinAge to MaxAge years old at now. An
// error is a FieldError naming the field to correct.
func ParseDOB(month, day, year string, now time.Time) (time.Time, error) {
	month, day, year = strings.TrimSpace(month), strings.TrimSpace(day), strings.TrimSpace(year)
	if month == "" && day == "" && year == "" {
		return time.Time{}, FieldError{FormDOBMonth, ErrDOBMissing}
	}
	m := parseMonth(month)
	if m == 0 {
		return time.Time{}, FieldError{FormDOBMonth, ErrDOBMonth}
	}
	d, ok := number(strings.TrimRight(strings.ToLower(day), "stndrh"), 1, 2)
	if !ok || d < 1 || d > 31 {
		return time.Time{}, FieldError{FormDOBDay, ErrDOBDay}
	}
	y, ok := number(year, 4, 4)
	if !ok || y < 1000 {
		return time.Time{}, FieldError{FormDOBYear, ErrDOBYear}
	}
	dob := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if dob.Day() != d {
		return time.Time{}, FieldError{FormDOBDay, ErrDOBNotADate}
	}
	ny, nm, nd := now.UTC().Date()
	today := time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)
	age := ny - y
	if nm < m || nm == m && nd < d {
		age--
	}
	switch {
	case dob.After(today):
		return time.Time{}, FieldError{FormDOBYear, ErrDOBFuture}
	case age < MinAge:
		return time.Time{}, FieldError{FormDOBYear, ErrDOBTooYoung}
	case age > MaxAge:
		return time.Time{}, FieldError{FormDOBYear, ErrDOBTooOld}
	}
	return dob, nil
}

var monthNames = [...]string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// parseMonth reads 1 to 12, or a month's name or its first three letters
// or more ("Sept"); 0 when it is neither.
func parseMonth(s string) time.Month {
	if n, ok := number(s, 1, 2); ok {
		if n >= 1 && n <= 12 {
			return time.Month(n)
		}
		return 0
	}
	w := strings.Join(fold(s), "")
	if len(w) < 3 {
		return 0
	}
	for i, name := range monthNames {
		if strings.HasPrefix(name, w) {
			return time.Month(i + 1)
		}
	}
	return 0
}

// number reads min to max ASCII digits.
func number(s string, min, max int) (int, bool) {
	if len(s) < min || len(s) > max {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

// SplitDate reads a date typed or pasted into one box into the three fields
// of a memorable date, in the United States order: "03/14/1986",
// "3-14-1986", "1986-03-14", "March 14, 1986", "14 March 1986", "03141986".
// ok is false when the text is not one of these shapes; the fields are then
// for ParseDOB to judge, not yet checked.
func SplitDate(s string) (month, day, year string, ok bool) {
	w := fold(s)
	switch {
	case len(w) == 1 && len(w[0]) == 8 && isDigits(w[0]):
		if y, _ := number(w[0][:4], 4, 4); y >= 1800 && y <= 2100 { // 19860314
			return w[0][4:6], w[0][6:], w[0][:4], true
		}
		return w[0][:2], w[0][2:4], w[0][4:], true
	case len(w) != 3:
		return "", "", "", false
	case len(w[0]) == 4 && isDigits(w[0]):
		return w[1], w[2], w[0], true
	case isDigits(strings.TrimRight(w[0], "stndrh")) && !isDigits(w[1]): // 14th March 1986
		return w[1], w[0], w[2], true
	}
	return w[0], w[1], w[2], true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
