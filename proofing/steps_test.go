package proofing_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
	"github.com/taxportal/portal/proofing"
)

var t0 = time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC)

var allSteps = []proofing.Step{
	proofing.StepConsent, proofing.StepMethod, proofing.StepIDType, proofing.StepDocuments, proofing.StepSSN,
	proofing.StepInfo, proofing.StepMatch, proofing.StepConfirm, proofing.StepReview, proofing.StepBookCall,
	proofing.StepInPerson, proofing.StepPassword, proofing.StepDone, proofing.StepExpired,
}

func newFlow(t testing.TB) proofing.Flow {
	t.Helper()
	vault, err := pii.NewVault(portaltest.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	s := proofing.DefaultSettings()
	s.AllowTestSSNs = true
	return proofing.Flow{Settings: s, Vault: vault}
}

var (
	mariaSSN  = pii.MustSSN("987-65-4320")
	mariaInfo = proofing.Info{
		FirstName: "Maria", MiddleName: "Elena", LastName: "Hernandez", DOB: time.Date(1986, 3, 14, 0, 0, 0, 0, time.UTC),
		Street1: "2417 Desert Willow Dr", City: "Phoenix", State: "AZ", ZIP: "85016",
	}
)

// answer completes a step the way its screen would.
func answer(t testing.TB, f proofing.Flow, v *models.IdentityVerification, m models.VerificationMethod, s proofing.Step, now time.Time) {
	t.Helper()
	var err error
	switch s {
	case proofing.StepConsent:
		err = f.Consent(v, now)
	case proofing.StepMethod:
		err = f.ChooseMethod(v, m, now)
	case proofing.StepIDType:
		err = f.ChooseIDType(v, models.IDDriversLicense, now)
	case proofing.StepDocuments:
		err = f.DocumentsSubmitted(v, now)
	case proofing.StepReview:
		if err = f.DocumentsQueued(v, now); err == nil {
			err = f.ApproveDocuments(v, now)
		}
	case proofing.StepSSN:
		err = f.EnterSSN(v, mariaSSN, now)
	case proofing.StepInfo:
		err = f.ReviewInfo(v, mariaInfo, now)
	case proofing.StepMatch:
		err = f.RecordMatch(v, proofing.Result{Matched: true, TaxpayerID: 7}, now)
	case proofing.StepConfirm:
		err = f.ConfirmPhone(v, now)
	case proofing.StepBookCall:
		err = f.ApproveDocuments(v, now)
	case proofing.StepInPerson:
		if err = f.IssueReference(v, proofing.NewReferenceCode(), now); err == nil {
			err = f.FinishInPerson(v, 7, now)
		}
	case proofing.StepPassword:
		err = f.Finish(v, now)
	default:
		t.Fatalf("no answer for %s", s)
	}
	if err != nil {
		t.Fatalf("answering %s: %v", s, err)
	}
}

// tryAnswer answers a step and returns the error, for steps that must refuse.
func tryAnswer(f proofing.Flow, v *models.IdentityVerification, m models.VerificationMethod, s proofing.Step, now time.Time) error {
	switch s {
	case proofing.StepConsent:
		return f.Consent(v, now)
	case proofing.StepMethod:
		return f.ChooseMethod(v, m, now)
	case proofing.StepIDType:
		return f.ChooseIDType(v, models.IDPassport, now)
	case proofing.StepDocuments:
		return f.DocumentsSubmitted(v, now)
	case proofing.StepSSN:
		return f.EnterSSN(v, mariaSSN, now)
	case proofing.StepInfo:
		return f.ReviewInfo(v, mariaInfo, now)
	case proofing.StepMatch:
		return f.RecordMatch(v, proofing.Result{Matched: true, TaxpayerID: 7}, now)
	case proofing.StepConfirm:
		return f.ConfirmPhone(v, now)
	case proofing.StepReview:
		return f.DocumentsQueued(v, now)
	case proofing.StepBookCall:
		if m != models.MethodVideo {
			return proofing.ErrNotAllowed // ApproveDocuments answers the review step there
		}
		return f.ApproveDocuments(v, now)
	case proofing.StepInPerson:
		return f.IssueReference(v, "ABCD-EFGH-JKMN", now)
	case proofing.StepPassword:
		return f.Finish(v, now)
	}
	return nil
}

var routes = map[models.VerificationMethod][]proofing.Step{
	models.MethodOnline: {proofing.StepConsent, proofing.StepMethod, proofing.StepIDType, proofing.StepDocuments,
		proofing.StepSSN, proofing.StepInfo, proofing.StepMatch, proofing.StepConfirm, proofing.StepReview,
		proofing.StepPassword, proofing.StepDone},
	models.MethodVideo: {proofing.StepConsent, proofing.StepMethod, proofing.StepSSN, proofing.StepInfo,
		proofing.StepMatch, proofing.StepBookCall, proofing.StepPassword, proofing.StepDone},
	models.MethodInPerson: {proofing.StepConsent, proofing.StepMethod, proofing.StepInPerson, proofing.StepDone},
}

func TestRoutes(t *testing.T) {
	for m, want := range routes {
		if got := proofing.Route(m); !slices.Equal(got, want) {
			t.Errorf("Route(%s) = %v, want %v", m, got, want)
		}
	}
	if got := proofing.Route(""); !slices.Equal(got, []proofing.Step{proofing.StepConsent, proofing.StepMethod}) {
		t.Errorf("before a method is chosen, Route = %v", got)
	}
}

// TestEveryTransitionAndGuard walks each route one step at a time. At each
// point the guard sends the person to the next step, every step up to it
// may be visited, and every other step is refused, both to view and to
// answer.
func TestEveryTransitionAndGuard(t *testing.T) {
	for m, route := range routes {
		t.Run(string(m), func(t *testing.T) {
			f := newFlow(t)
			now := t0
			v := f.Start(42, now)
			for k, step := range route {
				if got := proofing.Current(v, now); got != step {
					t.Fatalf("after %v: Current = %s, want %s", route[:k], got, step)
				}
				for _, s := range allSteps {
					want := slices.Contains(route[:k+1], s)
					if step == proofing.StepDone {
						want = s == proofing.StepDone // a finished attempt cannot be edited
					}
					if got := proofing.Allowed(v, s, now); got != want {
						t.Errorf("at %s: Allowed(%s) = %v, want %v", step, s, got, want)
					}
					if !want && s != proofing.StepDone && s != proofing.StepExpired {
						before := *v
						if err := tryAnswer(f, v, m, s, now); !errors.Is(err, proofing.ErrNotAllowed) {
							t.Errorf("at %s: answering %s gave %v, want ErrNotAllowed", step, s, err)
						}
						if !sameRow(before, *v) {
							t.Errorf("at %s: a refused answer to %s changed the row", step, s)
						}
					}
				}
				if step != proofing.StepDone {
					now = now.Add(time.Minute)
					answer(t, f, v, m, step, now)
				}
			}
			if v.CompletedAt == nil || v.TaxpayerID == nil || *v.TaxpayerID != 7 {
				t.Errorf("finished attempt: completed %v, taxpayer %v", v.CompletedAt, v.TaxpayerID)
			}
			if proofing.Expired(v, now.AddDate(1, 0, 0)) {
				t.Error("a finished attempt must never expire")
			}
		})
	}
}

// sameRow compares the answers of two rows.
func sameRow(a, b models.IdentityVerification) bool {
	ta, tb := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.String()
	}, func(p *uint64) uint64 {
		if p == nil {
			return 0
		}
		return *p
	}
	return ta(a.ConsentedAt) == ta(b.ConsentedAt) && a.Method == b.Method && a.IDType == b.IDType &&
		ta(a.DocumentsAt) == ta(b.DocumentsAt) && ta(a.DocumentsApprovedAt) == ta(b.DocumentsApprovedAt) &&
		ta(a.DocumentsQueuedAt) == ta(b.DocumentsQueuedAt) && ta(a.DocumentsDecidedAt) == ta(b.DocumentsDecidedAt) &&
		a.DocumentsRejected == b.DocumentsRejected && string(a.SSNSealed) == string(b.SSNSealed) &&
		a.FirstName == b.FirstName && a.LastName == b.LastName && ta(a.InfoAt) == ta(b.InfoAt) &&
		tb(a.TaxpayerID) == tb(b.TaxpayerID) && ta(a.MatchedAt) == ta(b.MatchedAt) &&
		ta(a.PhoneConfirmedAt) == ta(b.PhoneConfirmedAt) && ta(a.LetterRequestedAt) == ta(b.LetterRequestedAt) &&
		ta(a.LetterConfirmedAt) == ta(b.LetterConfirmedAt) && a.ReferenceCode == b.ReferenceCode &&
		ta(a.CompletedAt) == ta(b.CompletedAt) && a.ExpiresAt.Equal(b.ExpiresAt)
}

// upTo answers the steps of a route before stop.
func upTo(t *testing.T, f proofing.Flow, m models.VerificationMethod, stop proofing.Step) *models.IdentityVerification {
	t.Helper()
	v := f.Start(42, t0)
	for _, s := range routes[m] {
		if s == stop {
			break
		}
		answer(t, f, v, m, s, t0)
	}
	if got := proofing.Current(v, t0); got != stop {
		t.Fatalf("Current = %s, want %s", got, stop)
	}
	return v
}

func TestDocumentsWaitForTheirCheck(t *testing.T) {
	f := newFlow(t)
	v := upTo(t, f, models.MethodOnline, proofing.StepDocuments)
	if proofing.Documents(v) != proofing.DocumentsNeeded {
		t.Fatal("no documents yet")
	}
	must(t, f.DocumentsSubmitted(v, t0))
	if proofing.Documents(v) != proofing.DocumentsReady || proofing.Current(v, t0) != proofing.StepSSN {
		t.Fatal("photos that passed the image checks let the person go on")
	}
	if err := f.ApproveDocuments(v, t0); !errors.Is(err, proofing.ErrNotAllowed) {
		t.Errorf("approving documents never sent to be checked: %v", err)
	}
	if err := f.DocumentsQueued(v, t0); !errors.Is(err, proofing.ErrNotAllowed) {
		t.Errorf("the set joins the queue only once the information matched: %v", err)
	}
	for _, s := range []proofing.Step{proofing.StepSSN, proofing.StepInfo, proofing.StepMatch, proofing.StepConfirm} {
		answer(t, f, v, models.MethodOnline, s, t0)
	}
	if proofing.Current(v, t0) != proofing.StepReview {
		t.Fatal("the review waits at the end")
	}
	must(t, f.DocumentsQueued(v, t0))
	queued := *v.DocumentsQueuedAt
	must(t, f.DocumentsQueued(v, t0.Add(time.Hour)))
	if !v.DocumentsQueuedAt.Equal(queued) || proofing.Documents(v) != proofing.DocumentsInReview {
		t.Fatal("coming back keeps the place in the queue")
	}

	must(t, f.RejectDocuments(v, "The back of the license is blurry.", t0))
	if proofing.Documents(v) != proofing.DocumentsRejected || v.DocumentsRejected != "The back of the license is blurry." || v.DocumentsDecidedAt == nil {
		t.Fatal("a rejection says why")
	}
	if proofing.Current(v, t0) != proofing.StepDocuments {
		t.Fatal("after a rejection the person takes new photos")
	}
	must(t, f.DocumentsSubmitted(v, t0))
	if proofing.Documents(v) != proofing.DocumentsReady || v.DocumentsRejected != "" || v.DocumentsDecidedAt != nil {
		t.Fatal("a new set clears the old rejection")
	}
	if proofing.Current(v, t0) != proofing.StepReview || v.SSNSealed == nil || v.PhoneConfirmedAt == nil {
		t.Fatal("new photos keep the other answers: back to the review")
	}
	must(t, f.DocumentsQueued(v, t0))
	must(t, f.ApproveDocuments(v, t0))
	if proofing.Documents(v) != proofing.DocumentsApproved || proofing.Current(v, t0) != proofing.StepPassword {
		t.Fatal("approval continues the flow")
	}

	first := *v.DocumentsApprovedAt
	must(t, f.ApproveDocuments(v, t0.Add(time.Hour)))
	if !v.DocumentsApprovedAt.Equal(first) {
		t.Error("approving twice keeps the first approval")
	}

	// An approval reversed takes the person back to the photos.
	must(t, f.RejectDocuments(v, "", t0))
	if proofing.Current(v, t0) != proofing.StepDocuments || v.DocumentsRejected == "" || v.DocumentsApprovedAt != nil {
		t.Fatalf("after a reversed approval: %+v", v)
	}
	must(t, f.DocumentsSubmitted(v, t0))

	// After a new ID type, a late decision on the old set decides nothing.
	must(t, f.ChooseIDType(v, models.IDPassport, t0))
	if err := f.ApproveDocuments(v, t0); !errors.Is(err, proofing.ErrNotAllowed) {
		t.Errorf("approving a set that was replaced: %v", err)
	}
	if proofing.HasBack(models.IDPassport) || !proofing.HasBack(models.IDDriversLicense) {
		t.Error("a passport has no back to photograph; a license has")
	}
}

func TestAnApprovalCoversThePersonTheAttemptNames(t *testing.T) {
	f := newFlow(t)
	v := upTo(t, f, models.MethodOnline, proofing.StepPassword)
	must(t, f.EnterSSN(v, pii.MustSSN("987-65-4321"), t0))
	if v.DocumentsApprovedAt != nil || v.DocumentsQueuedAt != nil || v.DocumentsAt == nil {
		t.Fatalf("a new number takes the approval back but keeps the photos: %+v", v)
	}
}

func TestALetterKeepsTheConfirmStepOpenUntilItsCode(t *testing.T) {
	f := newFlow(t)
	v := upTo(t, f, models.MethodOnline, proofing.StepConfirm)
	if err := f.ConfirmLetter(v, t0); !errors.Is(err, proofing.ErrNotAllowed) {
		t.Errorf("confirming a letter never sent: %v", err)
	}
	must(t, f.LetterSent(v, t0))
	if !proofing.LetterPending(v) || proofing.Current(v, t0) != proofing.StepConfirm {
		t.Fatal("a letter on its way keeps the confirm step current")
	}
	must(t, f.ConfirmLetter(v, t0.Add(72*time.Hour)))
	if proofing.LetterPending(v) || proofing.Current(v, t0.Add(72*time.Hour)) != proofing.StepReview {
		t.Fatal("the letter's code completes the step")
	}
}

func TestAPhoneCodeCompletesTheStepEvenWithALetterOnItsWay(t *testing.T) {
	f := newFlow(t)
	v := upTo(t, f, models.MethodOnline, proofing.StepConfirm)
	must(t, f.LetterSent(v, t0))
	must(t, f.ConfirmPhone(v, t0))
	if proofing.LetterPending(v) || proofing.Current(v, t0) != proofing.StepReview {
		t.Fatal("phone confirmed")
	}
}

func TestInPersonReferenceIsIssuedOnce(t *testing.T) {
	f := newFlow(t)
	v := upTo(t, f, models.MethodInPerson, proofing.StepInPerson)
	code := proofing.NewReferenceCode()
	must(t, f.IssueReference(v, code, t0))
	must(t, f.IssueReference(v, proofing.NewReferenceCode(), t0))
	if v.ReferenceCode != code || proofing.Current(v, t0) != proofing.StepInPerson {
		t.Fatalf("the printed code stays the same until the office visit: %q", v.ReferenceCode)
	}
	if err := f.FinishInPerson(v, 0, t0); !errors.Is(err, proofing.ErrNoMatch) {
		t.Errorf("finishing without a taxpayer: %v", err)
	}
	must(t, f.FinishInPerson(v, 9, t0))
	if proofing.Current(v, t0) != proofing.StepDone || *v.TaxpayerID != 9 {
		t.Fatal("the office's verification completes the attempt")
	}
}

func TestAFailedMatchRecordsNothing(t *testing.T) {
	f := newFlow(t)
	v := upTo(t, f, models.MethodOnline, proofing.StepMatch)
	before := *v
	err := f.RecordMatch(v, proofing.Result{Fields: []proofing.Field{proofing.FieldDOB}}, t0)
	if !errors.Is(err, proofing.ErrNoMatch) || !sameRow(before, *v) {
		t.Fatalf("a failed match: %v", err)
	}
}

func TestChangingAnAnswerClearsWhatDependsOnIt(t *testing.T) {
	f := newFlow(t)
	ssn := func(v *models.IdentityVerification) string {
		n, err := f.SSN(v)
		if err != nil {
			return ""
		}
		return n.Digits()
	}

	t.Run("same answers again clear nothing", func(t *testing.T) {
		v := upTo(t, f, models.MethodOnline, proofing.StepPassword)
		for _, s := range []proofing.Step{proofing.StepConsent, proofing.StepMethod, proofing.StepIDType, proofing.StepSSN, proofing.StepInfo, proofing.StepMatch} {
			answer(t, f, v, models.MethodOnline, s, t0)
		}
		if got := proofing.Current(v, t0); got != proofing.StepPassword {
			t.Fatalf("Current = %s", got)
		}
	})
	t.Run("ID type clears the photos and their review, keeps the rest", func(t *testing.T) {
		v := upTo(t, f, models.MethodOnline, proofing.StepPassword)
		must(t, f.ChooseIDType(v, models.IDPassport, t0))
		if got := proofing.Current(v, t0); got != proofing.StepDocuments {
			t.Fatalf("Current = %s", got)
		}
		if v.DocumentsAt != nil || v.DocumentsApprovedAt != nil || v.DocumentsQueuedAt != nil {
			t.Errorf("left behind: %+v", v)
		}
		if v.SSNSealed == nil || v.InfoAt == nil || v.TaxpayerID == nil || v.PhoneConfirmedAt == nil {
			t.Error("the number, information, match and confirmation do not depend on the ID")
		}
		if v.ConsentedAt == nil || v.Method != models.MethodOnline || v.IDType != models.IDPassport {
			t.Error("earlier answers must stay")
		}
	})
	t.Run("SSN clears the match and confirmation, keeps the information", func(t *testing.T) {
		v := upTo(t, f, models.MethodOnline, proofing.StepPassword)
		must(t, f.EnterSSN(v, pii.MustSSN("987-65-4321"), t0))
		if got := proofing.Current(v, t0); got != proofing.StepMatch {
			t.Fatalf("Current = %s", got)
		}
		if v.TaxpayerID != nil || v.MatchedAt != nil || v.PhoneConfirmedAt != nil {
			t.Error("match and confirmation must go")
		}
		if v.InfoAt == nil || v.FirstName != "Maria" || v.DocumentsAt == nil || ssn(v) != "987654321" {
			t.Error("photos, information and the new number must stay")
		}
		if v.DocumentsApprovedAt != nil {
			t.Error("the approval covered another number")
		}
	})
	t.Run("information clears the match and confirmation", func(t *testing.T) {
		v := upTo(t, f, models.MethodOnline, proofing.StepPassword)
		in := mariaInfo
		in.Street1 = "2417 Desert Willow Drive"
		must(t, f.ReviewInfo(v, in, t0))
		if got := proofing.Current(v, t0); got != proofing.StepMatch {
			t.Fatalf("Current = %s", got)
		}
		if v.TaxpayerID != nil || v.PhoneConfirmedAt != nil || ssn(v) != "987654320" || v.Street1 != in.Street1 {
			t.Error("the match and confirmation go; the SSN stays")
		}
		got, err := f.Info(v)
		if err != nil || got != in {
			t.Errorf("Info = %+v, %v", got, err)
		}
	})
	t.Run("information is checked again", func(t *testing.T) {
		v := upTo(t, f, models.MethodOnline, proofing.StepInfo)
		var errs proofing.InputErrors
		if err := f.ReviewInfo(v, proofing.Info{FirstName: "Maria"}, t0); !errors.As(err, &errs) || v.InfoAt != nil {
			t.Fatalf("unchecked information: %v", err)
		}
	})
	t.Run("method clears everything after it", func(t *testing.T) {
		v := upTo(t, f, models.MethodOnline, proofing.StepPassword)
		must(t, f.ChooseMethod(v, models.MethodVideo, t0))
		if got := proofing.Current(v, t0); got != proofing.StepSSN {
			t.Fatalf("Current = %s", got)
		}
		if v.IDType != "" || v.DocumentsAt != nil || v.DocumentsApprovedAt != nil || v.SSNSealed != nil || v.InfoAt != nil {
			t.Error("answers of the old route must go")
		}
	})
	t.Run("new photos clear only their review", func(t *testing.T) {
		v := upTo(t, f, models.MethodOnline, proofing.StepPassword)
		must(t, f.DocumentsSubmitted(v, t0))
		if got := proofing.Current(v, t0); got != proofing.StepReview || v.SSNSealed == nil {
			t.Fatalf("Current = %s", got)
		}
	})
	t.Run("Clear from the SSN keeps the photos and the information", func(t *testing.T) {
		v := upTo(t, f, models.MethodOnline, proofing.StepPassword)
		proofing.Clear(v, proofing.StepSSN)
		if v.DocumentsAt == nil || v.DocumentsApprovedAt != nil || v.SSNSealed != nil || v.InfoAt == nil || v.TaxpayerID != nil {
			t.Fatalf("after Clear(SSN): %+v", v)
		}
		if got := proofing.Current(v, t0); got != proofing.StepSSN {
			t.Fatalf("Current = %s", got)
		}
		must(t, f.EnterSSN(v, mariaSSN, t0))
		if got := proofing.Current(v, t0); got != proofing.StepMatch {
			t.Fatalf("with the information kept, the SSN leads to the match: %s", got)
		}
	})
	t.Run("Clear from the information keeps the SSN", func(t *testing.T) {
		v := upTo(t, f, models.MethodVideo, proofing.StepPassword)
		proofing.Clear(v, proofing.StepInfo)
		if v.InfoAt != nil || v.FirstName != "" || v.DOBSealed != nil || v.ZIP != "" || v.DocumentsApprovedAt != nil || ssn(v) == "" {
			t.Fatalf("after Clear(Info): %+v", v)
		}
		if got := proofing.Current(v, t0); got != proofing.StepInfo {
			t.Fatalf("Current = %s", got)
		}
	})
	t.Run("Clear from the consent clears everything", func(t *testing.T) {
		v := upTo(t, f, models.MethodInPerson, proofing.StepInPerson)
		must(t, f.IssueReference(v, "ABCD-EFGH-JKMN", t0))
		proofing.Clear(v, proofing.StepConsent)
		if v.ConsentedAt != nil || v.Method != "" || v.ReferenceCode != "" || proofing.Current(v, t0) != proofing.StepConsent {
			t.Fatalf("after Clear(Consent): %+v", v)
		}
	})
	t.Run("a finished attempt cannot be edited", func(t *testing.T) {
		v := upTo(t, f, models.MethodVideo, proofing.StepPassword)
		must(t, f.Finish(v, t0))
		if err := f.EnterSSN(v, pii.MustSSN("987-65-4321"), t0); !errors.Is(err, proofing.ErrNotAllowed) {
			t.Errorf("editing a finished attempt: %v", err)
		}
	})
}

func TestAttemptsExpireAfterInactivity(t *testing.T) {
	f := newFlow(t)
	v := f.Start(42, t0)
	if !v.ExpiresAt.Equal(t0.Add(30 * 24 * time.Hour)) {
		t.Fatalf("ExpiresAt = %v", v.ExpiresAt)
	}
	later := t0.Add(20 * 24 * time.Hour)
	must(t, f.Consent(v, later))
	end := later.Add(30 * 24 * time.Hour)
	if !v.ExpiresAt.Equal(end) {
		t.Fatalf("a completed step extends the attempt: %v", v.ExpiresAt)
	}
	just := end.Add(-time.Nanosecond)
	if proofing.Expired(v, just) || proofing.Current(v, just) != proofing.StepMethod {
		t.Fatal("alive until ExpiresAt")
	}
	if !proofing.Expired(v, end) || proofing.Current(v, end) != proofing.StepExpired {
		t.Fatal("expired at ExpiresAt")
	}
	for _, s := range allSteps {
		if got := proofing.Allowed(v, s, end); got != (s == proofing.StepExpired) {
			t.Errorf("expired: Allowed(%s) = %v", s, got)
		}
	}
	if err := f.ChooseMethod(v, models.MethodOnline, end); !errors.Is(err, proofing.ErrExpired) {
		t.Errorf("answering an expired attempt: %v", err)
	}
	if proofing.Indicator(v, proofing.StepMethod, end) != nil {
		t.Error("an expired attempt has no step indicator")
	}
	// Waiting on the document check counts as inactivity too: joining the
	// queue extended the attempt, nothing since has.
	v = upTo(t, f, models.MethodOnline, proofing.StepReview)
	must(t, f.DocumentsQueued(v, t0))
	if !proofing.Expired(v, t0.Add(30*24*time.Hour)) {
		t.Error("expired")
	}
}

func TestStepIndicator(t *testing.T) {
	f := newFlow(t)
	type item = proofing.IndicatorItem
	const (
		up   = proofing.SegmentUpcoming
		cur  = proofing.SegmentCurrent
		done = proofing.SegmentComplete
	)
	cases := []struct {
		method models.VerificationMethod
		stop   proofing.Step // answered up to here
		show   proofing.Step // the page shown
		want   []item
	}{
		{"", proofing.StepConsent, proofing.StepConsent, []item{
			{"Getting started", cur}, {"Your ID", up}, {"Your information", up}, {"Phone or mail", up}, {"Document review", up}, {"Secure your account", up}}},
		{models.MethodOnline, proofing.StepSSN, proofing.StepSSN, []item{
			{"Getting started", done}, {"Your ID", done}, {"Your information", cur}, {"Phone or mail", up}, {"Document review", up}, {"Secure your account", up}}},
		{models.MethodOnline, proofing.StepSSN, proofing.StepIDType, []item{ // going back to edit
			{"Getting started", done}, {"Your ID", cur}, {"Your information", up}, {"Phone or mail", up}, {"Document review", up}, {"Secure your account", up}}},
		{models.MethodVideo, proofing.StepBookCall, proofing.StepBookCall, []item{
			{"Getting started", done}, {"Your information", done}, {"Video call", cur}, {"Secure your account", up}}},
		{models.MethodInPerson, proofing.StepInPerson, proofing.StepInPerson, []item{
			{"Getting started", done}, {"Visit an office", cur}}},
		{models.MethodInPerson, proofing.StepDone, proofing.StepDone, []item{
			{"Getting started", done}, {"Visit an office", done}}},
	}
	for _, c := range cases {
		var v *models.IdentityVerification
		if c.method == "" {
			v = f.Start(1, t0)
		} else {
			v = upTo(t, f, c.method, c.stop)
		}
		if got := proofing.Indicator(v, c.show, t0); !slices.Equal(got, c.want) {
			t.Errorf("%s at %s showing %s:\n got %v\nwant %v", c.method, c.stop, c.show, got, c.want)
		}
	}
	// Every step of a route is in exactly one segment, but StepDone.
	for m, route := range routes {
		var covered []proofing.Step
		for _, seg := range proofing.Segments(m) {
			covered = append(covered, seg.Steps...)
		}
		if !slices.Equal(covered, route[:len(route)-1]) {
			t.Errorf("%s: segments cover %v", m, covered)
		}
	}
}

func TestStepNamesRoundTrip(t *testing.T) {
	for _, s := range allSteps {
		got, ok := proofing.StepBySlug(s.String())
		if !ok || got != s || s.Title() == "" {
			t.Errorf("%d: slug %q title %q", s, s.String(), s.Title())
		}
	}
	if _, ok := proofing.StepBySlug("none"); ok {
		t.Error("no step is called none")
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
