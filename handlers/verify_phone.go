package handlers

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/views/forms"
	"github.com/taxportal/portal/views/verify"
)

// Taking the photos on a phone. On a computer without a camera, the person
// asks for a one-time link (a QR code on screen, or a text). The phone that
// opens it holds the hand-off in its own session and may add photos to that
// one attempt for a while; it is not signed in and can do nothing else.
// The computer's page shows the photos as they arrive.

// phoneUploadPath takes photos from the phone: like uploadPath, it is
// allowed a photo-sized body (see limitBody).
const phoneUploadPath = "/verify/phone/photos/:side"

// keyHandoff is the phone session's hand-off id.
const keyHandoff = "handoff"

// startHandoff makes a new link and shows its code.
func (a *App) startHandoff(c echo.Context) error {
	vs, err := a.loadVerify(c, proofing.StepDocuments)
	if vs == nil {
		return err
	}
	token, err := a.handoffs.Create(c.Request().Context(), vs.acct.ID, vs.v.ID, vs.now)
	if err != nil {
		return err
	}
	a.auditVerification(c, vs, "verification.handoff_started", audit.OutcomeOK, "")
	return a.showHandoff(c, vs, http.StatusOK, token, forms.Field{}, "")
}

// handoffPage is the computer's page after a reload (the code is not shown
// again: only a hash of the link is kept), and, for htmx, the photos
// received so far.
func (a *App) handoffPage(c echo.Context) error {
	vs, err := a.loadVerify(c, proofing.StepDocuments)
	if vs == nil {
		return err
	}
	if isHTMX(c) {
		st, err := a.handoffStatus(c, vs)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if st.AllPresent {
			status = htmxStopPolling
		}
		return render(c, status, nil, verify.HandoffReceived(st))
	}
	return a.showHandoff(c, vs, http.StatusOK, "", forms.Field{}, "")
}

// textHandoff texts a new link to the number typed.
func (a *App) textHandoff(c echo.Context) error {
	vs, err := a.loadVerify(c, proofing.StepDocuments)
	if vs == nil {
		return err
	}
	if !a.handoffTexts {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	raw := strings.TrimSpace(c.FormValue("phone"))
	// A refused text still leaves a code to scan: the one shown before
	// went away with the page.
	refuse := func(msg string) error {
		token, err := a.handoffs.Create(ctx, vs.acct.ID, vs.v.ID, vs.now)
		if err != nil {
			return err
		}
		return a.showHandoff(c, vs, invalid, token, forms.Field{Value: raw, Error: msg}, "")
	}
	digits, ok := accounts.ParseUSPhone(raw)
	if !ok {
		return refuse(messages.Get(messages.PhoneInvalid).Body)
	}
	number := a.vault.Index("handoff-text", digits) // the limit per number keeps no number
	d, err := a.handoffs.TakeText(ctx, vs.acct.ID, number, vs.now)
	if err != nil {
		return err
	}
	if !d.Allowed {
		return refuse("We can’t text more links right now. " + credential.Explain(d, a.cfg.TimeZone) + " You can scan the code instead.")
	}
	// The link and the text that carries it are one change; the text is
	// already counted against both limits.
	var token string
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		handoffs := proofing.Handoffs{DB: tx, Settings: a.handoffs.Settings}
		var err error
		if token, err = handoffs.Create(ctx, vs.acct.ID, vs.v.ID, vs.now); err != nil {
			return err
		}
		body := fmt.Sprintf("%s: to take your ID photos on this phone, open %s — it works once, for %d minutes. If you didn’t ask for it, ignore this text.",
			a.brand.Product, a.phoneLink(token), int(a.flow.Settings.HandoffValid.Minutes()))
		return a.messages.Text(ctx, tx, digits, body)
	})
	if err != nil {
		return err
	}
	a.auditVerification(c, vs, "verification.handoff_texted", audit.OutcomeOK, "")
	notice := "We texted the link to the number ending in " + digits[len(digits)-4:] + ". It replaces the code shown before."
	return a.showHandoff(c, vs, http.StatusOK, token, forms.Field{Value: raw}, notice)
}

// phoneLink is the absolute address a link's token opens.
func (a *App) phoneLink(token string) string {
	return a.absolute(a.reverse(RouteVerifyPhone)) + "?" + url.Values{"token": {token}}.Encode()
}

func (a *App) showHandoff(c echo.Context, vs *verifyState, status int, token string, phone forms.Field, notice string) error {
	st, err := a.handoffStatus(c, vs)
	if err != nil {
		return err
	}
	v := verify.HandoffView{Frame: a.verifyFrame(vs), NewAction: a.reverse(RouteVerifyHandoff), Status: st,
		ValidFor: fmt.Sprintf("%d minutes", int(a.flow.Settings.HandoffValid.Minutes()))}
	v.Notice = notice
	if token != "" {
		png, err := credential.QRCodePNG(a.phoneLink(token), 440)
		if err != nil {
			return err
		}
		v.QR = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	}
	if a.handoffTexts {
		v.TextAction = a.reverse(RouteVerifyHandoffText)
		phone.ID, phone.Name, phone.Label = "phone", "phone", "Mobile phone number"
		phone.Hint, phone.Type, phone.Autocomplete, phone.InputMode = "U.S. numbers only, for example 202-555-0143.", "tel", "tel", "tel"
		phone.Class = "usa-input--lg"
		if phone.Error != "" {
			v.Errors.Add("phone", phone.Error)
		}
		v.Phone = phone
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, verify.Handoff(a.verifyPageOf(c, vs, "Take the photos on your phone"), v), nil)
}

// handoffStatus is which photos of the ID have arrived.
func (a *App) handoffStatus(c echo.Context, vs *verifyState) (verify.HandoffStatusView, error) {
	stored, err := a.docs.Sides(c.Request().Context(), vs.v.ID)
	if err != nil {
		return verify.HandoffStatusView{}, err
	}
	st := verify.HandoffStatusView{URL: a.reverse(RouteVerifyHandoff), DocumentsURL: a.stepURL(proofing.StepDocuments), AllPresent: true}
	for _, side := range documents.RequiredSides(vs.v.IDType) {
		got := slices.ContainsFunc(stored, func(d models.DocumentImage) bool { return d.Side == side })
		st.Sides = append(st.Sides, verify.HandoffSide{Heading: sideHeading(vs.v.IDType, side), Received: got})
		st.AllPresent = st.AllPresent && got
	}
	return st, nil
}

// phoneStartForm is where the link lands: a button, so that a link preview
// does not use the link up.
func (a *App) phoneStartForm(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	v := verify.PhoneStartView{Action: a.reverse(RouteVerifyPhone), Token: c.QueryParam("token")}
	return render(c, http.StatusOK, verify.PhoneStart(a.page(c, "Continue on this phone"), v), nil)
}

// phoneStart opens the link and gives this phone's session the hand-off.
func (a *App) phoneStart(c echo.Context) error {
	h, err := a.handoffs.Open(c.Request().Context(), c.FormValue("token"), a.now())
	if errors.Is(err, proofing.ErrHandoffInvalid) {
		return a.handoffGone(c)
	}
	if err != nil {
		return err
	}
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	s.Values[keyHandoff] = h.ID
	// A new session id: one planted on the phone before is worth nothing.
	if err := a.sessions.Renew(c.Request(), c.Response(), s); err != nil {
		return err
	}
	vs, err := a.loadHandoff(c)
	if err != nil || vs == nil {
		return err
	}
	a.auditVerification(c, vs, "verification.handoff_opened", audit.OutcomeOK, "")
	return redirect(c, a.reverse(RouteVerifyPhonePhotos))
}

// loadHandoff is the attempt this phone may add photos to, or nil after
// answering with the page that says the link no longer works.
func (a *App) loadHandoff(c echo.Context) (*verifyState, error) {
	s, err := a.sessionOf(c)
	if err != nil {
		return nil, err
	}
	id, _ := s.Values[keyHandoff].(uint64)
	ctx := c.Request().Context()
	now := a.now().UTC()
	h, err := a.handoffs.Active(ctx, id, now)
	if errors.Is(err, proofing.ErrHandoffInvalid) {
		return nil, a.handoffGone(c)
	}
	if err != nil {
		return nil, err
	}
	var acct models.Account
	if err := a.db.WithContext(ctx).Take(&acct, h.AccountID).Error; err != nil {
		return nil, err
	}
	v, err := a.latestAttempt(ctx, acct.ID)
	if err != nil {
		return nil, err
	}
	// A newer attempt, or one past the photo step, has no use for it.
	if v == nil || v.ID != h.VerificationID || acct.LockedAt != nil || !proofing.Allowed(v, proofing.StepDocuments, now) {
		return nil, a.handoffGone(c)
	}
	return &verifyState{acct: &acct, v: v, step: proofing.StepDocuments, now: now}, nil
}

func (a *App) handoffGone(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	v := verify.MessageView{Heading: "This link no longer works",
		Intro:      fmt.Sprintf("A link to take photos on your phone works once, for %d minutes, and only until you continue on your computer.", int(a.flow.Settings.HandoffValid.Minutes())),
		Paragraphs: []string{"On your computer, choose “Take the photos on my phone” again for a new code, or add the photos there."}}
	return render(c, http.StatusGone, verify.Message(a.page(c, v.Heading), v), nil)
}

func (a *App) phonePhotos(c echo.Context) error {
	vs, err := a.loadHandoff(c)
	if vs == nil {
		return err
	}
	return a.showPhonePhotos(c, vs, "", "")
}

func (a *App) showPhonePhotos(c echo.Context, vs *verifyState, errSide models.DocumentSide, errMsg string) error {
	stored, err := a.docs.Sides(c.Request().Context(), vs.v.ID)
	if err != nil {
		return err
	}
	v := verify.PhonePhotosView{Account: notify.MaskEmail(vs.acct.Email), IDName: idName(vs.v.IDType), MaxMB: int(a.checker.Settings().MaxBytes >> 20)}
	v.Sides, v.AllPresent = a.photoSides(vs.v, stored, RouteVerifyPhoneUpload, RouteVerifyPhoneImage, errSide, errMsg)
	if errMsg != "" {
		v.Errors.Add("photo-"+string(errSide), errMsg)
	}
	if added := models.DocumentSide(c.QueryParam("added")); added != "" && errMsg == "" {
		v.Notice = "Added: " + strings.ToLower(sideHeading(vs.v.IDType, added)) + "."
	}
	status := http.StatusOK
	if errMsg != "" {
		status = invalid
	}
	p := a.page(c, "Add photos of your ID")
	p.Scripts = []string{uploadScript}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, verify.PhonePhotos(p, v), nil)
}

func (a *App) phoneUpload(c echo.Context) error {
	vs, err := a.loadHandoff(c)
	if vs == nil {
		return err
	}
	side := models.DocumentSide(c.Param("side"))
	if !slices.Contains(documents.RequiredSides(vs.v.IDType), side) {
		return echo.ErrNotFound
	}
	msg, err := a.acceptPhoto(c, vs, side, " (from a phone)")
	if err != nil {
		return err
	}
	if msg != "" {
		if wantsJSON(c) {
			return c.JSON(invalid, map[string]string{"error": msg})
		}
		return a.showPhonePhotos(c, vs, side, msg)
	}
	return photoAdded(c, a.reverse(RouteVerifyPhonePhotos)+"?added="+string(side)+"#photo-"+string(side))
}

// phoneImage shows the phone the photos it added, for the preview.
func (a *App) phoneImage(c echo.Context) error {
	vs, err := a.loadHandoff(c)
	if vs == nil {
		return err
	}
	return a.servePhoto(c, vs.v.ID, models.DocumentSide(c.Param("side")))
}
