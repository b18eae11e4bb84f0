// Package proofing holds the rules of identity verification (NIST SP 800-63A,
// IAL2): the steps of each way to verify and their order, what each step
// needs and what changing it clears, when an attempt expires, the attempt
// limits, matching what a person typed against the taxpayer master file, and
// the codes mailed in letters. It has no HTTP: handlers ask it which step to
// show and record answers through it, then save the row.
//
// The state of an attempt is not a column: it is derived from the answers the
// row holds (models.IdentityVerification), so a row can never claim a step
// whose answers are missing.
package proofing

import (
	"slices"
	"time"

	"github.com/taxportal/portal/models"
)

// Step is one screen of the flow. The zero value is no step.
type Step int

// The steps in order. A route (see Route) uses some of them: the online
// route all but the video call and in-person ones; the video route skips the
// ID, the phone or letter and the review; the in-person route goes from the
// method straight to its reference code.
const (
	StepConsent   Step = iota + 1 // what to expect, and consent
	StepMethod                    // online, video call, or in person
	StepIDType                    // online: which ID will be photographed
	StepDocuments                 // online: photos of the ID and a selfie that pass the image checks
	StepSSN                       // SSN or ITIN
	StepInfo                      // review and edit name, date of birth and address
	StepMatch                     // against the master file
	StepConfirm                   // online: a code to the phone of record, or a letter
	StepReview                    // online: the document check decides on the photos
	StepBookCall                  // video: book a call with an agent, who approves the documents on it
	StepInPerson                  // in person: the reference code to bring to an office
	StepPassword                  // re-enter the password
	StepDone                      // verified
	StepExpired                   // not a step of any route: the attempt lapsed and must start again
)

// stepRule is what one step declares.
type stepRule struct {
	slug  string // for URLs and logs
	title string // the page's heading
	// methods lists the routes the step belongs to; nil means every route.
	methods []models.VerificationMethod
	// done reports whether the row holds the step's answer; the step's
	// precondition is that every earlier step of the route is done.
	done func(v *models.IdentityVerification) bool
	// clear removes the step's answer.
	clear func(v *models.IdentityVerification)
	// keeps lists earlier steps whose change leaves this answer standing.
	keeps []Step
}

var (
	online   = models.MethodOnline
	video    = models.MethodVideo
	inPerson = models.MethodInPerson
)

var rules = map[Step]stepRule{
	StepConsent: {
		slug: "consent", title: "What to expect",
		done:  func(v *models.IdentityVerification) bool { return v.ConsentedAt != nil },
		clear: func(v *models.IdentityVerification) { v.ConsentedAt = nil },
	},
	StepMethod: {
		slug: "method", title: "Choose how to verify",
		done:  func(v *models.IdentityVerification) bool { return validMethod(v.Method) },
		clear: func(v *models.IdentityVerification) { v.Method = "" },
	},
	StepIDType: {
		slug: "id-type", title: "Choose your ID", methods: []models.VerificationMethod{online},
		done:  func(v *models.IdentityVerification) bool { return validIDType(v.IDType) },
		clear: func(v *models.IdentityVerification) { v.IDType = "" },
	},
	StepDocuments: {
		slug: "documents", title: "Add photos of your ID", methods: []models.VerificationMethod{online},
		// Photos that passed the image checks let the person go on while
		// the document check waits for StepReview; a rejection brings them
		// back here.
		done:  func(v *models.IdentityVerification) bool { return v.DocumentsAt != nil && v.DocumentsRejected == "" },
		clear: clearDocuments,
	},
	StepSSN: {
		slug: "ssn", title: "Enter your Social Security number", methods: []models.VerificationMethod{online, video},
		done:  func(v *models.IdentityVerification) bool { return len(v.SSNSealed) > 0 },
		clear: func(v *models.IdentityVerification) { v.SSNSealed = nil },
		keeps: keepsThroughPhotos,
	},
	StepInfo: {
		slug: "information", title: "Check your information", methods: []models.VerificationMethod{online, video},
		done:  func(v *models.IdentityVerification) bool { return v.InfoAt != nil },
		clear: clearInfo,
		// Name, date of birth and address do not depend on the number:
		// fixing a typo in the SSN must not make anyone type them again.
		keeps: append([]Step{StepSSN}, keepsThroughPhotos...),
	},
	StepMatch: {
		slug: "match", title: "Checking your information", methods: []models.VerificationMethod{online, video},
		done: func(v *models.IdentityVerification) bool { return v.MatchedAt != nil && v.TaxpayerID != nil },
		clear: func(v *models.IdentityVerification) {
			v.TaxpayerID, v.MatchedAt = nil, nil
		},
		keeps: keepsThroughPhotos,
	},
	StepConfirm: {
		slug: "confirm", title: "Confirm your phone or address", methods: []models.VerificationMethod{online},
		done: func(v *models.IdentityVerification) bool {
			return v.PhoneConfirmedAt != nil || (v.LetterRequestedAt != nil && v.LetterConfirmedAt != nil)
		},
		clear: func(v *models.IdentityVerification) {
			v.PhoneConfirmedAt, v.LetterRequestedAt, v.LetterConfirmedAt = nil, nil, nil
		},
		keeps: keepsThroughPhotos,
	},
	StepReview: {
		slug: "review", title: "Your documents are being checked", methods: []models.VerificationMethod{online},
		// The set joins the queue only here, once the information matched:
		// the reviewer compares the photos with it and with the record.
		// Any earlier change takes the approval back, so it always covers
		// the person the attempt now names.
		done: func(v *models.IdentityVerification) bool { return v.DocumentsApprovedAt != nil },
		clear: func(v *models.IdentityVerification) {
			v.DocumentsQueuedAt, v.DocumentsApprovedAt, v.DocumentsDecidedAt = nil, nil, nil
		},
	},
	StepBookCall: {
		slug: "video-call", title: "Book a video call", methods: []models.VerificationMethod{video},
		// The agent (trusted referee) approves the documents on the call.
		done:  func(v *models.IdentityVerification) bool { return v.DocumentsApprovedAt != nil },
		clear: clearDocuments,
	},
	StepInPerson: {
		slug: "in-person", title: "Verify in person", methods: []models.VerificationMethod{inPerson},
		// The office completes the attempt; until then the step shows the
		// reference code and what to bring.
		done: func(v *models.IdentityVerification) bool { return v.CompletedAt != nil },
		clear: func(v *models.IdentityVerification) {
			v.ReferenceCode, v.CompletedAt = "", nil
			v.TaxpayerID, v.MatchedAt = nil, nil
			clearDocuments(v)
		},
	},
	StepPassword: {
		slug: "password", title: "Re-enter your password", methods: []models.VerificationMethod{online, video},
		done:  func(v *models.IdentityVerification) bool { return v.CompletedAt != nil },
		clear: func(v *models.IdentityVerification) { v.CompletedAt = nil },
	},
	StepDone: {
		slug: "done", title: "Your identity is verified",
		done:  func(*models.IdentityVerification) bool { return false },
		clear: func(*models.IdentityVerification) {},
	},
}

// keepsThroughPhotos: the number, information, match and confirmation do
// not depend on which ID was photographed, so new photos (after a
// rejection, say) do not make anyone type them again.
var keepsThroughPhotos = []Step{StepIDType, StepDocuments}

func clearDocuments(v *models.IdentityVerification) {
	v.DocumentsAt, v.DocumentsQueuedAt, v.DocumentsApprovedAt, v.DocumentsDecidedAt = nil, nil, nil, nil
	v.DocumentsRejected = ""
}

func clearInfo(v *models.IdentityVerification) {
	v.FirstName, v.MiddleName, v.LastName, v.DOBSealed = "", "", "", nil
	v.Street1, v.Street2, v.City, v.State, v.ZIP = "", "", "", "", ""
	v.InfoAt = nil
}

// order is every step of every route, in order.
var order = []Step{
	StepConsent, StepMethod, StepIDType, StepDocuments, StepSSN, StepInfo, StepMatch,
	StepConfirm, StepReview, StepBookCall, StepInPerson, StepPassword, StepDone,
}

// Route is the steps of one way to verify, in order, ending with StepDone.
// Before a method is chosen (or for an unknown one) it is the first two
// steps: nothing after the choice can be reached yet.
func Route(m models.VerificationMethod) []Step {
	if !validMethod(m) {
		return []Step{StepConsent, StepMethod}
	}
	var out []Step
	for _, s := range order {
		if ms := rules[s].methods; ms == nil || slices.Contains(ms, m) {
			out = append(out, s)
		}
	}
	return out
}

// Expired reports whether an unfinished attempt has lapsed: it lives until
// ExpiresAt, which each completed step pushes back (Settings.Inactivity). A
// finished attempt is the record of a verification and never expires.
func Expired(v *models.IdentityVerification, now time.Time) bool {
	return v.CompletedAt == nil && !now.Before(v.ExpiresAt)
}

// Current is the furthest step the person may reach: the first step of
// their route whose answer is missing, StepDone when none is, or
// StepExpired. Handlers send every request for a later step here.
func Current(v *models.IdentityVerification, now time.Time) Step {
	if Expired(v, now) {
		return StepExpired
	}
	for _, s := range Route(v.Method) {
		if !rules[s].done(v) {
			return s
		}
	}
	return StepDone // unreachable: StepDone is never done
}

// Allowed reports whether the person may see a step now: one of their
// route's steps up to Current, to review or change an answer. A finished
// attempt shows only StepDone, an expired one only StepExpired.
func Allowed(v *models.IdentityVerification, step Step, now time.Time) bool {
	cur := Current(v, now)
	switch cur {
	case StepExpired, StepDone:
		return step == cur
	}
	route := Route(v.Method)
	i := slices.Index(route, step)
	return i >= 0 && i <= slices.Index(route, cur)
}

// Clear removes the answer of step from and of every later step that depends
// on it, so the person goes back to from: changing the ID type clears the
// documents and all after them; changing the SSN clears the match and what
// follows but keeps the personal information; changing the information
// clears the match and the confirmation.
func Clear(v *models.IdentityVerification, from Step) {
	clearSteps(v, from, true)
}

// invalidate clears what depends on step, but not its own answer: for a
// step whose answer is about to be replaced.
func invalidate(v *models.IdentityVerification, step Step) {
	clearSteps(v, step, false)
}

func clearSteps(v *models.IdentityVerification, from Step, self bool) {
	// Once the method is gone, every later answer goes, whatever route it
	// belonged to. Otherwise only the route's own steps: two routes may
	// keep one answer in the same column (the documents' approval).
	steps := order
	if from > StepMethod {
		steps = Route(v.Method)
	}
	for _, s := range steps {
		r := rules[s]
		switch {
		case s < from, s == from && !self, s > from && slices.Contains(r.keeps, from):
			continue
		}
		r.clear(v)
	}
}

// DocumentStatus is where the online route's document check stands.
type DocumentStatus int

const (
	DocumentsNeeded   DocumentStatus = iota // nothing uploaded yet, or cleared
	DocumentsReady                          // the images passed their checks; not yet sent to the document check
	DocumentsInReview                       // sent to the document check, which has not decided
	DocumentsRejected                       // rejected: DocumentsRejected says why; upload again or book a call
	DocumentsApproved
)

// Documents says where the document check stands, for the documents step
// (and the video call's approval).
func Documents(v *models.IdentityVerification) DocumentStatus {
	switch {
	case v.DocumentsApprovedAt != nil:
		return DocumentsApproved
	case v.DocumentsRejected != "":
		return DocumentsRejected
	case v.DocumentsQueuedAt != nil:
		return DocumentsInReview
	case v.DocumentsAt != nil:
		return DocumentsReady
	}
	return DocumentsNeeded
}

// LetterPending reports whether a letter was sent and its code not yet
// entered: the confirm step then asks for the code.
func LetterPending(v *models.IdentityVerification) bool {
	return v.LetterRequestedAt != nil && v.LetterConfirmedAt == nil && v.PhoneConfirmedAt == nil
}

func validMethod(m models.VerificationMethod) bool {
	return m == models.MethodOnline || m == models.MethodVideo || m == models.MethodInPerson
}

func validIDType(t models.IDType) bool {
	switch t {
	case models.IDDriversLicense, models.IDStateID, models.IDPassport, models.IDPassportCard:
		return true
	}
	return false
}

// HasBack reports whether an ID type has a back to photograph: a passport
// book's photo page has none.
func HasBack(t models.IDType) bool { return t != models.IDPassport }
