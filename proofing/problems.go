package proofing

// Problem is why an answer was refused: an id for the message catalogue
// and a plain-English text a screen can show until the catalogue has it.
type Problem struct {
	ID   string
	Text string
}

func (p *Problem) Error() string { return p.ID }

// Problems with what was typed. Each is a distinct value: compare with
// errors.Is.
var (
	ErrFirstNameMissing = &Problem{"proofing.first_name_missing", "Enter your first name."}
	ErrLastNameMissing  = &Problem{"proofing.last_name_missing", "Enter your last name."}
	ErrNameCharacters   = &Problem{"proofing.name_characters", "Use only letters, spaces, hyphens (-) and apostrophes (')."}
	ErrTooLong          = &Problem{"proofing.too_long", "This is too long: shorten it or use abbreviations."}
	ErrDOBMissing       = &Problem{"proofing.dob_missing", "Enter your date of birth, like 3 14 1986."}
	ErrDOBMonth         = &Problem{"proofing.dob_month", "Enter the month as a number from 1 to 12, or its name."}
	ErrDOBDay           = &Problem{"proofing.dob_day", "Enter the day as a number from 1 to 31."}
	ErrDOBYear          = &Problem{"proofing.dob_year", "Enter the year with four digits, like 1986."}
	ErrDOBNotADate      = &Problem{"proofing.dob_not_a_date", "That month does not have that many days: check the date."}
	ErrDOBFuture        = &Problem{"proofing.dob_future", "Your date of birth must be in the past."}
	ErrDOBTooYoung      = &Problem{"proofing.dob_too_young", "You must be at least 13 years old to verify your identity here."}
	ErrDOBTooOld        = &Problem{"proofing.dob_too_old", "Check the year of your date of birth."}
	ErrStreetMissing    = &Problem{"proofing.street_missing", "Enter your street address."}
	ErrAddressChars     = &Problem{"proofing.address_characters", "Use only letters, numbers, spaces and . , # - ' / &."}
	ErrCityMissing      = &Problem{"proofing.city_missing", "Enter your city or town."}
	ErrCityCharacters   = &Problem{"proofing.city_characters", "Use only letters, spaces, hyphens (-), periods and apostrophes (')."}
	ErrStateMissing     = &Problem{"proofing.state_missing", "Choose your state or territory."}
	ErrZIPFormat        = &Problem{"proofing.zip_format", "Enter a ZIP code with 5 digits, like 43215, or 9, like 43215-1234."}
	ErrSSNFormat        = &Problem{"proofing.ssn_format", "Enter the nine digits of your Social Security number or ITIN, like 123-45-6789."}
	ErrSSNNeverIssued   = &Problem{"proofing.ssn_never_issued", "That is not a number that is issued to people. Check your Social Security card or ITIN letter."}
)
