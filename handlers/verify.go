package handlers

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/components"
	"github.com/taxportal/portal/views/forms"
	"github.com/taxportal/portal/views/verify"
)

// Identity verification: one URL per step (/verify/<slug>). Every request
// loads the account's newest attempt and lets the rules of package
// proofing decide what may be shown: a step out of reach sends the person
// to the furthest one they may take, so a bookmark, the back button or a
// second device all land in the right place.

// verifyState is what every step's handler works from.
type verifyState struct {
	acct *models.Account
	v    *models.IdentityVerification // nil before consent
	step proofing.Step                // the step asked for
	now  time.Time
	// lapsed is an expired attempt that consent replaces.
	lapsed *models.IdentityVerification
}

// latestAttempt is the account's newest attempt, or nil.
func (a *App) latestAttempt(ctx context.Context, accountID uint64) (*models.IdentityVerification, error) {
	var v models.IdentityVerification
	err := a.db.WithContext(ctx).Where("account_id = ?", accountID).Order("id DESC").Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// verifyStart sends the person to where they are in verification.
func (a *App) verifyStart(c echo.Context) error {
	acct := account(c)
	if acct.VerifiedAt != nil {
		return redirect(c, a.reverse(RouteVerifyStep, proofing.StepDone.String()))
	}
	v, err := a.latestAttempt(c.Request().Context(), acct.ID)
	if err != nil {
		return err
	}
	if v == nil {
		return redirect(c, a.reverse(RouteVerifyStep, proofing.StepConsent.String()))
	}
	return redirect(c, a.stepURL(proofing.Current(v, a.now())))
}

// uploadScript previews and uploads photos, and prints the reference page.
const uploadScript = "js/upload.js"

func (a *App) stepURL(s proofing.Step) string { return a.reverse(RouteVerifyStep, s.String()) }

// loadVerify finds the attempt and checks the step asked for may be seen
// now. When it may not, it answers with a redirect and returns nil.
func (a *App) loadVerify(c echo.Context, step proofing.Step) (*verifyState, error) {
	acct := account(c)
	vs := &verifyState{acct: acct, step: step, now: a.now().UTC()}
	v, err := a.latestAttempt(c.Request().Context(), acct.ID)
	if err != nil {
		return nil, err
	}
	// An expired attempt shows only its own page; consent starts afresh.
	if v != nil && proofing.Expired(v, vs.now) && step == proofing.StepConsent {
		vs.lapsed, v = v, nil
	}
	vs.v = v
	switch {
	case acct.VerifiedAt != nil:
		if step == proofing.StepDone {
			return vs, nil
		}
		return nil, redirect(c, a.stepURL(proofing.StepDone))
	case v == nil:
		if step == proofing.StepConsent {
			return vs, nil
		}
		return nil, redirect(c, a.stepURL(proofing.StepConsent))
	case !proofing.Allowed(v, step, vs.now):
		return nil, redirect(c, a.stepURL(proofing.Current(v, vs.now)))
	}
	return vs, nil
}

// verifyPage answers GET /verify/:step.
func (a *App) verifyPage(c echo.Context) error {
	step, ok := proofing.StepBySlug(c.Param("step"))
	if !ok {
		return echo.ErrNotFound
	}
	vs, err := a.loadVerify(c, step)
	if vs == nil {
		return err
	}
	switch step {
	case proofing.StepConsent:
		return a.showConsent(c, vs, forms.Errors{})
	case proofing.StepMethod:
		return a.showMethod(c, vs, "")
	case proofing.StepIDType:
		return a.showIDType(c, vs, "")
	case proofing.StepDocuments:
		return a.showDocuments(c, vs, "", "")
	case proofing.StepSSN:
		return a.showSSN(c, vs, "", "")
	case proofing.StepInfo:
		return a.showInfo(c, vs, nil, nil)
	case proofing.StepMatch:
		return a.showMatch(c, vs, "")
	case proofing.StepConfirm:
		return a.showConfirm(c, vs, confirmInput{})
	case proofing.StepReview:
		return a.showReview(c, vs)
	case proofing.StepBookCall:
		return a.showBookCall(c, vs)
	case proofing.StepInPerson:
		return a.showInPerson(c, vs)
	case proofing.StepPassword:
		return a.showPassword(c, vs, "")
	case proofing.StepDone:
		return a.showVerified(c, vs)
	case proofing.StepExpired:
		return a.showExpired(c, vs)
	}
	return echo.ErrNotFound
}

// verifyAnswer answers POST /verify/:step.
func (a *App) verifyAnswer(c echo.Context) error {
	step, ok := proofing.StepBySlug(c.Param("step"))
	if !ok {
		return echo.ErrNotFound
	}
	vs, err := a.loadVerify(c, step)
	if vs == nil {
		return err
	}
	switch step {
	case proofing.StepConsent:
		return a.answerConsent(c, vs)
	case proofing.StepMethod:
		return a.answerMethod(c, vs)
	case proofing.StepIDType:
		return a.answerIDType(c, vs)
	case proofing.StepDocuments:
		return a.answerDocuments(c, vs)
	case proofing.StepSSN:
		return a.answerSSN(c, vs)
	case proofing.StepInfo:
		return a.answerInfo(c, vs)
	case proofing.StepMatch:
		return a.answerMatch(c, vs)
	case proofing.StepConfirm:
		return a.answerConfirm(c, vs)
	case proofing.StepBookCall:
		return a.answerVideoCall(c, vs)
	case proofing.StepPassword:
		return a.answerPassword(c, vs)
	}
	return echo.NewHTTPError(http.StatusMethodNotAllowed)
}

// saveStep saves the attempt after an answer and goes to the step now due.
func (a *App) saveStep(c echo.Context, vs *verifyState, action string) error {
	if err := a.db.WithContext(c.Request().Context()).Save(vs.v).Error; err != nil {
		return err
	}
	a.auditVerification(c, vs, action, "ok", "")
	return redirect(c, a.stepURL(proofing.Current(vs.v, vs.now)))
}

// flowError turns a refusal by the rules into where to go instead.
func (a *App) flowError(c echo.Context, vs *verifyState, err error) error {
	if errors.Is(err, proofing.ErrNotAllowed) || errors.Is(err, proofing.ErrExpired) {
		return redirect(c, a.stepURL(proofing.Current(vs.v, vs.now)))
	}
	return err
}

// verifyFrame is what every step page shares: the step indicator, a Back
// link to the previous step of the route, and the other ways to verify
// when the person is stuck.
func (a *App) verifyFrame(vs *verifyState) verify.Frame {
	var f verify.Frame
	if vs.v == nil {
		return f
	}
	for _, it := range proofing.Indicator(vs.v, vs.step, vs.now) {
		st := components.Step{Label: it.Label}
		switch it.State {
		case proofing.SegmentCurrent:
			st.State = "current"
		case proofing.SegmentComplete:
			st.State = "complete"
		}
		f.Steps = append(f.Steps, st)
	}
	route := proofing.Route(vs.v.Method)
	for i, s := range route {
		if s == vs.step && i > 0 && vs.step != proofing.StepDone && proofing.Allowed(vs.v, route[i-1], vs.now) {
			f.BackURL = a.stepURL(route[i-1])
		}
	}
	return f
}

// otherWays links to the routes that need no wait, for a limit reached.
func (a *App) otherWays(alts []proofing.Alternative) []verify.Way {
	var out []verify.Way
	for _, alt := range alts {
		switch alt {
		case proofing.AlternativeVideo:
			out = append(out, verify.Way{Label: "Verify on a video call with an agent", URL: a.reverse(RouteVerifyVideoInstead)})
		case proofing.AlternativeInPerson:
			out = append(out, verify.Way{Label: "Verify in person at an office", URL: a.stepURL(proofing.StepMethod)})
		case proofing.AlternativeLetter:
			out = append(out, verify.Way{Label: "Get a code by mail instead", URL: a.stepURL(proofing.StepConfirm) + "#by-mail"})
		}
	}
	return out
}

// verifyPageOf is the layout's model for a step page.
func (a *App) verifyPageOf(c echo.Context, vs *verifyState, title string) views.Page {
	p := a.page(c, title, views.Crumb{Label: "Your account", URL: a.reverse(RouteAccount)},
		views.Crumb{Label: "Verify your identity"})
	switch vs.step {
	case proofing.StepDocuments, proofing.StepInPerson:
		p.Scripts = []string{uploadScript}
	}
	return p
}
