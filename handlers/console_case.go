package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/casework"
	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/console"
	"github.com/taxportal/portal/views/forms"
)

// caseChecklist is what an agent confirms before approving a set.
var caseChecklist = []console.CheckItem{
	{ID: "genuine", Label: "The ID looks genuine: no signs of editing, every corner shows, the security features are there."},
	{ID: "current", Label: "The ID has not expired."},
	{ID: "face", Label: "The face in the selfie is the face on the ID."},
	{ID: "name", Label: "The name on the ID is the name on the master record."},
	{ID: "dob", Label: "The date of birth on the ID is the one on the master record."},
}

// reviewCase finds a set still waiting for review, by the id in the URL.
func (a *App) reviewCase(c echo.Context) (*models.IdentityVerification, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return nil, echo.ErrNotFound
	}
	var v models.IdentityVerification
	err = a.pendingReviews(c.Request().Context(), a.now()).Where("id = ?", id).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, echo.ErrNotFound
	}
	return &v, err
}

// claimCase gives the case to the agent and opens it; the look is audited.
func (a *App) claimCase(c echo.Context) error {
	ctx, acct := c.Request().Context(), account(c)
	v, err := a.reviewCase(c)
	if errors.Is(err, echo.ErrNotFound) {
		return a.toQueue(c, "problem", "gone", caseParam(c))
	}
	if err != nil {
		return err
	}
	err = a.claims().Claim(ctx, caseSubject(v.ID), acct.ID, a.now())
	if errors.Is(err, casework.ErrTaken) {
		return a.toQueue(c, "problem", "taken", v.ID)
	}
	if err != nil {
		return err
	}
	_, err = a.audit.Append(ctx, audit.Entry{Actor: actor(acct), Action: audit.ActionDocumentsReviewed,
		AccountID: &v.AccountID, TaxpayerID: v.TaxpayerID, Subject: caseSubject(v.ID),
		Reason: fmt.Sprintf("Document review, verification %d", v.ID)})
	if err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteConsoleCase, v.ID))
}

// heldCase is the set in the URL if the agent holds its claim, which the
// visit keeps alive.
func (a *App) heldCase(c echo.Context) (*models.IdentityVerification, error) {
	v, err := a.reviewCase(c)
	if err != nil {
		return nil, err
	}
	if err := a.claims().Touch(c.Request().Context(), caseSubject(v.ID), account(c).ID, a.now()); err != nil {
		if errors.Is(err, casework.ErrNotHeld) {
			return nil, echo.ErrNotFound
		}
		return nil, err
	}
	return v, nil
}

func (a *App) consoleCase(c echo.Context) error {
	v, err := a.heldCase(c)
	if errors.Is(err, echo.ErrNotFound) {
		return a.toQueue(c, "problem", "notheld", caseParam(c))
	}
	if err != nil {
		return err
	}
	cv, err := a.caseView(c, v)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, console.Case(a.casePage(c, cv), cv), nil)
}

func (a *App) casePage(c echo.Context, cv console.CaseView) views.Page {
	return a.consolePage(c, cv.Heading, views.Crumb{Label: "Review queue", URL: a.reverse(RouteConsole)}, views.Crumb{Label: cv.Heading})
}

// caseView lays the photos beside the entries and the master record.
// Only what the decision needs is in the clear: the name, date of birth
// and address printed on an ID; the SSN shows its last four digits.
func (a *App) caseView(c echo.Context, v *models.IdentityVerification) (console.CaseView, error) {
	ctx := c.Request().Context()
	cv := console.CaseView{
		Heading: fmt.Sprintf("Verification %d", v.ID), IDType: capitalize(idName(v.IDType)),
		Waiting: duration(a.now().Sub(*v.DocumentsQueuedAt)), Checklist: slices.Clone(caseChecklist),
		Reasons: map[string]string{}, Action: a.reverse(RouteConsoleDecide, v.ID),
		Release: a.reverse(RouteConsoleRelease, v.ID), QueueURL: a.reverse(RouteConsole),
	}
	sides, err := a.docs.Sides(ctx, v.ID)
	if err != nil {
		return cv, err
	}
	for _, s := range sides {
		caption := strings.Replace(sideHeading(v.IDType, s.Side), "your", "the", 1)
		cv.Images = append(cv.Images, console.CaseImage{Side: string(s.Side), Caption: caption,
			URL: a.reverse(RouteConsoleCaseImage, v.ID, s.Side), Alt: caption + " as uploaded"})
	}
	cv.Matched = v.TaxpayerID != nil && v.MatchedAt != nil
	if cv.Compare, err = a.compareWithRecord(ctx, v); err != nil {
		return cv, err
	}
	return cv, nil
}

// compareWithRecord sets what the person entered beside the master record
// they matched (SSN masked), field by field, for an agent's decision.
func (a *App) compareWithRecord(ctx context.Context, v *models.IdentityVerification) ([]console.CompareRow, error) {
	in, err := a.flow.Input(v)
	if err != nil {
		return nil, err
	}
	entered := []string{joinName(in.Info.FirstName, in.Info.MiddleName, in.Info.LastName), dateOf(in.Info.DOB.Format("January 2, 2006")),
		address(in.Info.Street1, in.Info.Street2, in.Info.City, in.Info.State, in.Info.ZIP), in.SSN.Masked()}
	record := []string{"No record matched", "", "", ""}
	same := make([]bool, 4)
	if v.TaxpayerID != nil {
		tp, err := models.FindTaxpayer(ctx, a.db, *v.TaxpayerID)
		if err != nil {
			return nil, err
		}
		pd, err := tp.Unseal(a.vault)
		if err != nil {
			return nil, err
		}
		record = []string{joinName(tp.FirstName, tp.MiddleName, tp.LastName), pd.DOB.Format("January 2, 2006"),
			address(tp.Street1, tp.Street2, tp.City, tp.State, tp.ZIP), pd.SSN.Masked()}
		diff := proofing.Compare(in.Info, tp, pd.DOB)
		same = []bool{!slices.Contains(diff, proofing.FieldName), !slices.Contains(diff, proofing.FieldDOB),
			!slices.Contains(diff, proofing.FieldAddress), in.SSN.Digits() == pd.SSN.Digits()}
	}
	var rows []console.CompareRow
	for i, label := range []string{"Name", "Date of birth", "Address", "Social Security number"} {
		rows = append(rows, console.CompareRow{Label: label, Entered: entered[i], Record: record[i], Same: same[i]})
	}
	return rows, nil
}

func dateOf(s string) string {
	if strings.HasPrefix(s, "January 1, 0001") {
		return "Not entered"
	}
	return s
}

func joinName(parts ...string) string {
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func address(street1, street2, city, state, zip string) string {
	return joinName(street1, street2) + ", " + city + ", " + state + " " + zip
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// caseImage serves one photo of a case to the agent holding it, and to
// nobody else.
func (a *App) caseImage(c echo.Context) error {
	v, err := a.heldCase(c)
	if err != nil {
		return err
	}
	data, ctype, err := a.docs.Load(c.Request().Context(), v.ID, models.DocumentSide(c.Param("side")))
	if errors.Is(err, documents.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Content-Disposition", "inline")
	return c.Blob(http.StatusOK, ctype, data)
}

// releaseCase hands the case back to the queue.
func (a *App) releaseCase(c echo.Context) error {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	if err := a.claims().Release(c.Request().Context(), caseSubject(id), account(c).ID); err != nil {
		return err
	}
	return a.toQueue(c, "done", "released", id)
}

// decideCase records the agent's decision through the one decision path.
func (a *App) decideCase(c echo.Context) error {
	acct := account(c)
	v, err := a.heldCase(c)
	if errors.Is(err, echo.ErrNotFound) {
		return a.toQueue(c, "problem", "notheld", caseParam(c))
	}
	if err != nil {
		return err
	}
	cv, err := a.caseView(c, v)
	if err != nil {
		return err
	}
	form, _ := c.FormParams()
	checked := form["check"]
	for i := range cv.Checklist {
		cv.Checklist[i].Checked = slices.Contains(checked, cv.Checklist[i].ID)
	}
	cv.Decision = c.FormValue("decision")
	reasons := map[models.DocumentSide]string{}
	for _, img := range cv.Images {
		r := strings.Join(strings.Fields(c.FormValue("reason-"+img.Side)), " ")
		cv.Reasons[img.Side] = r
		if r != "" {
			reasons[models.DocumentSide(img.Side)] = r
		}
	}
	cv.Another = strings.Join(strings.Fields(c.FormValue("another")), " ")
	var errs forms.Errors
	d := documentDecision{ClaimedBy: acct.ID, AuditReason: fmt.Sprintf("Document review, verification %d", v.ID)}
	switch cv.Decision {
	case "approve":
		for _, item := range cv.Checklist {
			if !item.Checked {
				errs.Add("check-"+item.ID, "To approve, confirm every item of the checklist: “"+item.Label+"”")
				break
			}
		}
		d.Approve, d.Detail = true, "approved in the review queue"
	case "reject":
		switch {
		case len(cv.Images) == 0: // the photos were removed while the set waited
			errs.Add("another", "There are no photos to turn down: ask for another document instead.")
		case len(reasons) == 0:
			errs.Add("reason-"+cv.Images[0].Side, "Say what is wrong with at least one photo, so the person knows what to retake.")
		}
		d.Reason, d.Detail = rejectionText(reasons), "photos turned down in the review queue"
	case "another":
		if cv.Another == "" {
			errs.Add("another", "Say which document the person should send instead, and why.")
		}
		d.Reason, d.Detail = "We need a different ID: "+cv.Another, "another document asked for in the review queue"
	default:
		errs.Add("decision-approve", "Choose a decision.")
	}
	fields := map[string]string{"another": cv.Another}
	for side, r := range cv.Reasons {
		fields["reason-"+side] = r
	}
	for field, text := range fields {
		if len([]rune(text)) > maxReasonChars {
			errs.Add(field, fmt.Sprintf("Keep each reason to %d characters.", maxReasonChars))
		}
	}
	if errs.Any() {
		cv.Errors = errs
		return render(c, invalid, console.Case(a.casePage(c, cv), cv), nil)
	}
	err = a.decideDocuments(c.Request().Context(), v.ID, d, actor(acct))
	switch {
	case errors.Is(err, casework.ErrNotHeld):
		return a.toQueue(c, "problem", "notheld", v.ID)
	case errors.Is(err, errNotInReview):
		return a.toQueue(c, "problem", "gone", v.ID)
	case err != nil:
		return err
	}
	return a.toQueue(c, "done", cv.Decision, v.ID)
}

// caseParam is the case id in the URL, 0 when it is not a number.
func caseParam(c echo.Context) uint64 {
	id, _ := strconv.ParseUint(c.Param("id"), 10, 64)
	return id
}

// maxReasonChars keeps the three photos' reasons within the column that
// holds them together.
const maxReasonChars = 120
