package proofing

import (
	"errors"
	"time"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
)

// Flow records answers on an attempt under the rules: each method checks
// that its step may be answered now, clears what a changed answer
// invalidates (see Clear), sets what completing the step sets, and gives
// the attempt Settings.Inactivity more to live. The caller saves the row.
type Flow struct {
	Settings Settings
	Vault    *pii.Vault // seals the SSN and date of birth on the row
}

var (
	// ErrExpired: the attempt lapsed; start a new one.
	ErrExpired = errors.New("proofing: the verification has expired")
	// ErrNotAllowed: the step is not open to this attempt now (an earlier
	// step is not done, the step is not on its route, or the attempt is
	// finished). Send the person to Current.
	ErrNotAllowed = errors.New("proofing: that step cannot be answered now")
	// ErrNoMatch: RecordMatch was given a result that did not match.
	ErrNoMatch = errors.New("proofing: the information did not match")
)

// Start begins an attempt for an account.
func (f Flow) Start(accountID uint64, now time.Time) *models.IdentityVerification {
	return &models.IdentityVerification{AccountID: accountID, ExpiresAt: now.Add(f.Settings.Inactivity)}
}

// answer checks that step may be answered, clears what depends on it when
// the answer changes, and runs set.
func (f Flow) answer(v *models.IdentityVerification, step Step, changed bool, now time.Time, set func()) error {
	if Expired(v, now) {
		return ErrExpired
	}
	if !Allowed(v, step, now) {
		return ErrNotAllowed
	}
	if changed {
		invalidate(v, step)
	}
	set()
	v.ExpiresAt = now.Add(f.Settings.Inactivity)
	return nil
}

// Consent records that the person read what to expect and agreed.
func (f Flow) Consent(v *models.IdentityVerification, now time.Time) error {
	return f.answer(v, StepConsent, false, now, func() {
		if v.ConsentedAt == nil {
			v.ConsentedAt = &now
		}
	})
}

// ChooseMethod records how the person will verify. A different method
// clears every later answer.
func (f Flow) ChooseMethod(v *models.IdentityVerification, m models.VerificationMethod, now time.Time) error {
	if !validMethod(m) {
		return ErrNotAllowed
	}
	return f.answer(v, StepMethod, v.Method != m, now, func() { v.Method = m })
}

// ChooseIDType records the kind of ID to photograph. A different one
// clears the documents and everything after them.
func (f Flow) ChooseIDType(v *models.IdentityVerification, t models.IDType, now time.Time) error {
	if !validIDType(t) {
		return ErrNotAllowed
	}
	return f.answer(v, StepIDType, v.IDType != t, now, func() { v.IDType = t })
}

// DocumentsSubmitted records that a new set of photos passed the image
// checks. It replaces any earlier set and its decision; the number,
// information, match and confirmation stay (see StepReview).
func (f Flow) DocumentsSubmitted(v *models.IdentityVerification, now time.Time) error {
	return f.answer(v, StepDocuments, true, now, func() {
		clearDocuments(v)
		v.DocumentsAt = &now
	})
}

// DocumentsQueued records that the set went to the document check, once:
// the person's place in the queue is kept when they come back to the page.
func (f Flow) DocumentsQueued(v *models.IdentityVerification, now time.Time) error {
	return f.answer(v, StepReview, false, now, func() {
		if v.DocumentsQueuedAt == nil {
			v.DocumentsQueuedAt = &now
		}
	})
}

// ApproveDocuments records the document check's approval: of the photos on
// the online route, or by the agent on the video call. The person goes on.
// Approving twice keeps the first approval.
func (f Flow) ApproveDocuments(v *models.IdentityVerification, now time.Time) error {
	var step Step
	switch v.Method {
	case models.MethodOnline:
		if v.DocumentsQueuedAt == nil {
			return ErrNotAllowed // nothing was sent to be checked
		}
		step = StepReview
	case models.MethodVideo:
		step = StepBookCall
	default:
		return ErrNotAllowed
	}
	return f.answer(v, step, false, now, func() {
		if v.DocumentsAt == nil {
			v.DocumentsAt = &now // the video call: the agent saw them on it
		}
		if v.DocumentsApprovedAt == nil {
			v.DocumentsApprovedAt, v.DocumentsDecidedAt, v.DocumentsRejected = &now, &now, ""
		}
	})
}

// RejectDocuments records why the documents failed, in plain words per
// document. On the online route the person takes new photos (their other
// answers stay); on the video route the call is booked again.
func (f Flow) RejectDocuments(v *models.IdentityVerification, reason string, now time.Time) error {
	var step Step
	switch v.Method {
	case models.MethodOnline:
		if v.DocumentsQueuedAt == nil {
			return ErrNotAllowed
		}
		step = StepDocuments
	case models.MethodVideo:
		step = StepBookCall
	default:
		return ErrNotAllowed
	}
	if reason == "" {
		reason = "The documents could not be accepted."
	}
	// Reversing an approval takes back what followed it.
	return f.answer(v, step, v.DocumentsApprovedAt != nil, now, func() {
		v.DocumentsApprovedAt, v.DocumentsDecidedAt, v.DocumentsRejected = nil, &now, reason
	})
}

// EnterSSN seals the number on the row. A different number clears the
// match and what follows, but keeps the personal information. The number
// must have passed Settings.ParseSSN; it is checked again here.
func (f Flow) EnterSSN(v *models.IdentityVerification, ssn pii.SSN, now time.Time) error {
	if err := f.Settings.CheckSSN(ssn); err != nil {
		return err
	}
	old, err := f.SSN(v)
	changed := err != nil || old.Digits() != ssn.Digits()
	var sealed []byte
	if changed {
		if sealed, err = f.Vault.SealString(models.ColumnVerificationSSN, ssn.Digits()); err != nil {
			return err
		}
	}
	return f.answer(v, StepSSN, changed, now, func() {
		if changed {
			v.SSNSealed = sealed
		}
	})
}

// ReviewInfo records the personal information as the person confirmed it
// (from InfoForm.Validate; it is checked again, as InputErrors). A change
// clears the match and what follows.
func (f Flow) ReviewInfo(v *models.IdentityVerification, in Info, now time.Time) error {
	if _, errs := in.Form().Validate(now); errs != nil {
		return errs
	}
	old, err := f.Info(v)
	changed := err != nil || v.InfoAt == nil || !sameInfo(old, in)
	var dob []byte
	if changed {
		if dob, err = f.Vault.SealString(models.ColumnVerificationDOB, in.DOB.Format(dateLayout)); err != nil {
			return err
		}
	}
	return f.answer(v, StepInfo, changed, now, func() {
		if changed {
			v.FirstName, v.MiddleName, v.LastName, v.DOBSealed = in.FirstName, in.MiddleName, in.LastName, dob
			v.Street1, v.Street2, v.City, v.State, v.ZIP = in.Street1, in.Street2, in.City, in.State, in.ZIP
		}
		v.InfoAt = &now
	})
}

// RecordMatch links the attempt to the taxpayer a successful Match found.
// A failed match changes nothing on the row (it is counted by the Limiter).
func (f Flow) RecordMatch(v *models.IdentityVerification, res Result, now time.Time) error {
	if !res.Matched || res.TaxpayerID == 0 {
		return ErrNoMatch
	}
	changed := v.TaxpayerID == nil || *v.TaxpayerID != res.TaxpayerID
	return f.answer(v, StepMatch, changed, now, func() {
		id := res.TaxpayerID
		v.TaxpayerID, v.MatchedAt = &id, &now
	})
}

// ConfirmPhone records that the code texted to the phone of record was
// entered. It completes the confirm step, letter or not.
func (f Flow) ConfirmPhone(v *models.IdentityVerification, now time.Time) error {
	return f.answer(v, StepConfirm, false, now, func() { v.PhoneConfirmedAt = &now })
}

// LetterSent records that a letter with a code went to the address of
// record (LetterAllowed says whether one may). The step stays current
// until the code is entered.
func (f Flow) LetterSent(v *models.IdentityVerification, now time.Time) error {
	return f.answer(v, StepConfirm, false, now, func() { v.LetterRequestedAt, v.LetterConfirmedAt = &now, nil })
}

// ConfirmLetter records that the code from the letter was entered.
func (f Flow) ConfirmLetter(v *models.IdentityVerification, now time.Time) error {
	if v.LetterRequestedAt == nil {
		return ErrNotAllowed
	}
	return f.answer(v, StepConfirm, false, now, func() { v.LetterConfirmedAt = &now })
}

// IssueReference gives an in-person attempt its reference code (see
// NewReferenceCode), once: the printed page shows the same code each time.
func (f Flow) IssueReference(v *models.IdentityVerification, code string, now time.Time) error {
	return f.answer(v, StepInPerson, false, now, func() {
		if v.ReferenceCode == "" {
			v.ReferenceCode = code
		}
	})
}

// Finish records that the person re-entered their password: the attempt is
// complete. The caller links the account to v.TaxpayerID in the same
// transaction.
func (f Flow) Finish(v *models.IdentityVerification, now time.Time) error {
	return f.answer(v, StepPassword, false, now, func() { v.CompletedAt = &now })
}

// FinishInPerson records the office's verification of an in-person
// attempt: the agent checked the documents and found the taxpayer.
func (f Flow) FinishInPerson(v *models.IdentityVerification, taxpayerID uint64, now time.Time) error {
	if taxpayerID == 0 {
		return ErrNoMatch
	}
	return f.answer(v, StepInPerson, false, now, func() {
		v.TaxpayerID, v.MatchedAt = &taxpayerID, &now
		v.DocumentsAt, v.DocumentsApprovedAt = &now, &now
		v.CompletedAt = &now
	})
}

func sameInfo(a, b Info) bool {
	return a.DOB.Equal(b.DOB) && a.FirstName == b.FirstName && a.MiddleName == b.MiddleName && a.LastName == b.LastName &&
		a.Street1 == b.Street1 && a.Street2 == b.Street2 && a.City == b.City && a.State == b.State && a.ZIP == b.ZIP
}

// dateLayout is how dates of birth are sealed (as in the master file).
const dateLayout = "2006-01-02"

// SSN opens the number on the row, for the form or the match.
func (f Flow) SSN(v *models.IdentityVerification) (pii.SSN, error) {
	d, err := f.Vault.OpenString(models.ColumnVerificationSSN, v.SSNSealed)
	if err != nil {
		return pii.SSN{}, err
	}
	return pii.ParseSSN(d)
}

// Info opens the personal information on the row, to fill the form again.
func (f Flow) Info(v *models.IdentityVerification) (Info, error) {
	in := Info{
		FirstName: v.FirstName, MiddleName: v.MiddleName, LastName: v.LastName,
		Street1: v.Street1, Street2: v.Street2, City: v.City, State: v.State, ZIP: v.ZIP,
	}
	if len(v.DOBSealed) == 0 {
		return in, nil
	}
	d, err := f.Vault.OpenString(models.ColumnVerificationDOB, v.DOBSealed)
	if err != nil {
		return in, err
	}
	in.DOB, err = time.Parse(dateLayout, d)
	return in, err
}

// Input is what Match compares, from the row's answers.
func (f Flow) Input(v *models.IdentityVerification) (Input, error) {
	ssn, err := f.SSN(v)
	if err != nil {
		return Input{}, err
	}
	in, err := f.Info(v)
	return Input{SSN: ssn, Info: in}, err
}
