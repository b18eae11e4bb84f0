package handlers

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/views/verify"
)

// The photo step: one upload per side (a phone's camera photo is several
// megabytes, and one failed side must not cost the others), each checked
// at once; Continue when every side the ID needs is there.

// uploadPath is the route that takes photos: the only one allowed a body
// larger than a form's (see limitBody).
const uploadPath = "/verify/documents/:side"

// uploadOverhead is what a multipart form adds around a photo.
const uploadOverhead = 64 << 10

var sideNames = map[models.DocumentSide]string{
	models.SideFront: "front", models.SideBack: "back", models.SideSelfie: "selfie",
}

func idName(t models.IDType) string {
	switch t {
	case models.IDDriversLicense:
		return "driver’s license"
	case models.IDStateID:
		return "state ID"
	case models.IDPassport:
		return "passport"
	case models.IDPassportCard:
		return "passport card"
	}
	return "ID"
}

func sideHeading(t models.IDType, side models.DocumentSide) string {
	switch side {
	case models.SideFront:
		if t == models.IDPassport {
			return "The passport page with your photo"
		}
		return "Front of your " + idName(t)
	case models.SideBack:
		return "Back of your " + idName(t)
	}
	return "A photo of your face"
}

func sideHint(side models.DocumentSide) string {
	if side == models.SideSelfie {
		return "Face the camera in good light, without a hat or sunglasses. Your whole face must be in the picture."
	}
	return "Hold the camera straight above the ID. Every corner must show, with no glare on the text."
}

func (a *App) showDocuments(c echo.Context, vs *verifyState, errSide models.DocumentSide, errMsg string) error {
	ctx := c.Request().Context()
	stored, err := a.docs.Sides(ctx, vs.v.ID)
	if err != nil {
		return err
	}
	have := map[models.DocumentSide]bool{}
	for _, s := range stored {
		have[s.Side] = true
	}
	d, err := a.limiter.Check(ctx, proofing.KindDocuments, vs.acct.ID, vs.now)
	if err != nil {
		return err
	}
	v := verify.DocumentsView{Frame: a.verifyFrame(vs), IDName: idName(vs.v.IDType), Rejection: vs.v.DocumentsRejected,
		MaxMB: int(a.checker.Settings().MaxBytes >> 20), Limit: proofing.Explain(d, vs.now, a.cfg.TimeZone),
		ContinueURL: a.stepURL(proofing.StepDocuments), ChangeIDURL: a.stepURL(proofing.StepIDType),
		PhoneAction: a.reverse(RouteVerifyHandoff)}
	v.Sides, v.AllPresent = a.photoSides(vs.v, stored, RouteVerifyUpload, RouteVerifyImage, errSide, errMsg)
	if errMsg != "" {
		v.Errors.Add("photo-"+string(errSide), errMsg)
	}
	status := http.StatusOK
	if !d.Allowed {
		v.Notice, v.Warning = proofing.Explain(d, vs.now, a.cfg.TimeZone), true
		v.OtherWays = a.otherWays(proofing.Alternatives(proofing.KindDocuments))
	}
	if v.Rejection != "" {
		v.OtherWays = a.otherWays(proofing.Alternatives(proofing.KindDocuments))
	}
	if errMsg != "" {
		status = invalid
	}
	if added := models.DocumentSide(c.QueryParam("added")); have[added] && errMsg == "" && v.Notice == "" {
		v.Notice = "Added: " + strings.ToLower(sideHeading(vs.v.IDType, added)) + "."
	}
	return render(c, status, verify.Documents(a.verifyPageOf(c, vs, "Add photos of your ID"), v), nil)
}

// photoSides is a card for each side the ID needs: what to photograph,
// which camera to open, where to send it, and the photo kept, if any
// (served from imageRoute). errSide's card carries errMsg. all says every
// side has a photo.
func (a *App) photoSides(v *models.IdentityVerification, stored []models.DocumentImage, uploadRoute, imageRoute string,
	errSide models.DocumentSide, errMsg string) (sides []verify.SideView, all bool) {
	all = true
	for _, side := range documents.RequiredSides(v.IDType) {
		sv := verify.SideView{Side: string(side), Heading: sideHeading(v.IDType, side), Hint: sideHint(side),
			Capture: "environment", Action: a.reverse(uploadRoute, side)}
		if side == models.SideSelfie {
			sv.Capture = "user"
		}
		// The query string changes with each new photo, so a browser never
		// shows the one it replaced.
		if version := storedVersion(stored, side); version != "" {
			sv.ImageURL = a.reverse(imageRoute, side) + "?v=" + version
		} else {
			all = false
		}
		if side == errSide {
			sv.Error = errMsg
		}
		sides = append(sides, sv)
	}
	return sides, all
}

func storedVersion(stored []models.DocumentImage, side models.DocumentSide) string {
	for _, s := range stored {
		if s.Side == side {
			return s.Fingerprint[:8]
		}
	}
	return ""
}

// uploadSide takes one photo. A script sends it with a progress bar and
// asks for JSON; a plain form gets the page again.
func (a *App) uploadSide(c echo.Context) error {
	side := models.DocumentSide(c.Param("side"))
	vs, err := a.loadVerify(c, proofing.StepDocuments)
	if vs == nil {
		return err
	}
	if !slices.Contains(documents.RequiredSides(vs.v.IDType), side) {
		return echo.ErrNotFound
	}
	msg, err := a.acceptPhoto(c, vs, side, "")
	if err != nil {
		return err
	}
	if msg != "" {
		if wantsJSON(c) {
			return c.JSON(invalid, map[string]string{"error": msg})
		}
		return a.showDocuments(c, vs, side, msg)
	}
	// The side in the query string lets the page say what was added; it
	// also makes the address new, so a script's load is a real navigation.
	return photoAdded(c, a.stepURL(proofing.StepDocuments)+"?added="+string(side)+"#photo-"+string(side))
}

// photoAdded answers a photo that was kept: JSON for the script, a
// redirect for a plain form.
func photoAdded(c echo.Context, next string) error {
	if wantsJSON(c) {
		return c.JSON(http.StatusOK, map[string]string{"next": next})
	}
	return redirect(c, next)
}

// acceptPhoto checks and keeps the photo of one side, from this computer
// or from a phone that continues the step (via, for the audit trail). A
// refusal comes back as the message to show; err is for failures of ours.
func (a *App) acceptPhoto(c echo.Context, vs *verifyState, side models.DocumentSide, via string) (string, error) {
	ctx := c.Request().Context()
	d, err := a.limiter.Check(ctx, proofing.KindDocuments, vs.acct.ID, vs.now)
	if err != nil {
		return "", err
	}
	if !d.Allowed {
		return proofing.Explain(d, vs.now, a.cfg.TimeZone), nil
	}
	data, err := readPhoto(c, a.checker.Settings().MaxBytes)
	if err != nil {
		return uploadMessage(err, side, a.checker.Settings()), nil
	}
	img, err := a.checker.Check(ctx, side, data)
	if err == nil {
		err = a.docs.Save(ctx, vs.v.ID, side, img)
	}
	detail := string(side) + via
	if documents.CodeOf(err) != "" {
		// A photo refused here is a mistake to fix, not a try at the
		// document check: only sets the check rejects count against the
		// limit, as they do where identity is proven this way elsewhere.
		a.auditVerification(c, vs, "verification.photo_refused", audit.OutcomeFailed, detail+": "+string(documents.CodeOf(err)))
		return uploadMessage(err, side, a.checker.Settings()), nil
	}
	if err != nil {
		return "", err
	}
	a.auditVerification(c, vs, "verification.photo_added", audit.OutcomeOK, detail)
	return "", nil
}

// readPhoto reads the "photo" file of a multipart upload, refusing more
// than max bytes without reading them.
func readPhoto(c echo.Context, max int64) ([]byte, error) {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, max+uploadOverhead)
	fh, err := c.FormFile("photo")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, &documents.Error{Code: documents.CodeTooLarge, Size: r.ContentLength, Limit: max}
	case errors.Is(err, http.ErrMissingFile):
		return nil, errNoFile
	case err != nil:
		return nil, errNoFile
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer func(f multipart.File) { _ = f.Close() }(f)
	return io.ReadAll(io.LimitReader(f, max+1))
}

var errNoFile = errors.New("no file chosen")

// uploadMessage says what was wrong with a photo and what to do.
func uploadMessage(err error, side models.DocumentSide, s documents.Settings) string {
	if errors.Is(err, errNoFile) {
		return "Choose a photo first."
	}
	var e *documents.Error
	if !errors.As(err, &e) {
		return "We couldn’t read that photo. Try again."
	}
	mb := func(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
	switch e.Code {
	case documents.CodeEmpty:
		return "That file is empty. Choose the photo again."
	case documents.CodeTooLarge:
		if e.Size > 0 {
			return "That file is " + mb(e.Size) + "; the largest we accept is " + mb(e.Limit) + ". Take the photo again at a lower resolution, or send a smaller copy."
		}
		return "That file is larger than " + mb(e.Limit) + ", the largest we accept. Send a smaller copy."
	case documents.CodeNotAnImage:
		return "That file isn’t a photo. Choose a JPEG, PNG or WebP picture."
	case documents.CodeHEIC:
		return "We can’t read iPhone HEIC photos yet. In Settings, Camera, Formats, choose “Most Compatible”, then take the photo again; or send a screenshot of it."
	case documents.CodeUnsupportedType:
		return "We can’t use that kind of picture. Choose a JPEG, PNG or WebP photo."
	case documents.CodeTruncated:
		return "The photo arrived incomplete, perhaps because the connection dropped. Send it again."
	case documents.CodeCannotDecode:
		return "The photo is damaged and can’t be opened. Take it again."
	case documents.CodeTooSmall:
		return fmt.Sprintf("The photo is too small to read (%d×%d pixels; at least %d×%d are needed). Move closer or use a better camera setting.",
			e.Width, e.Height, e.MinWidth, e.MinHeight)
	case documents.CodeTooManyPixels:
		return "The photo is too large to process. Send a smaller copy."
	case documents.CodeSameAsFront, documents.CodeSameAsBack, documents.CodeSameAsSelfie:
		other := strings.TrimPrefix(string(e.Code), "document.same_as_")
		return "This is the same picture as the " + other + ". Take a separate photo of the " + sideNames[side] + "."
	}
	return "We couldn’t use that photo. Take it again."
}

// wantsJSON reports whether a script asked for a JSON answer.
func wantsJSON(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON)
}

// sideImage serves one of the person's own photos. Only the owner's
// newest attempt is ever looked at: there is no id in the URL to change.
func (a *App) sideImage(c echo.Context) error {
	acct := account(c)
	v, err := a.latestAttempt(c.Request().Context(), acct.ID)
	if err != nil {
		return err
	}
	if v == nil {
		return echo.ErrNotFound
	}
	return a.servePhoto(c, v.ID, models.DocumentSide(c.Param("side")))
}

// servePhoto sends a stored photo, never to be cached.
func (a *App) servePhoto(c echo.Context, verificationID uint64, side models.DocumentSide) error {
	data, ctype, err := a.docs.Load(c.Request().Context(), verificationID, side)
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

// answerDocuments is Continue: every side the ID needs must be there.
func (a *App) answerDocuments(c echo.Context, vs *verifyState) error {
	err := a.docs.Complete(c.Request().Context(), vs.v.ID)
	var missing *documents.MissingError
	if errors.As(err, &missing) {
		side := missing.Sides[0]
		return a.showDocuments(c, vs, side, "Add "+strings.ToLower(sideHeading(vs.v.IDType, side)[:1])+sideHeading(vs.v.IDType, side)[1:]+" before you continue.")
	}
	if err != nil {
		return err
	}
	if vs.v.DocumentsAt != nil && vs.v.DocumentsRejected == "" {
		// Already submitted and unchanged since: nothing to record again.
		return redirect(c, a.stepURL(proofing.Current(vs.v, vs.now)))
	}
	if err := a.flow.DocumentsSubmitted(vs.v, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	// The photos are in: a phone that was taking them has nothing more to add.
	if err := a.handoffs.End(c.Request().Context(), vs.v.ID, vs.now); err != nil {
		return err
	}
	return a.saveStep(c, vs, "verification.photos_submitted")
}
