package handlers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/views/forms"
	"github.com/taxportal/portal/views/verify"
)

// The confirm step proves the person holds the phone on the taxpayer's
// record (a texted code) or receives its mail (a letter with a code). The
// phone and address are the record's, never what the person typed: that is
// the point of the step.

// keyProofingCodeSent remembers, in the session, that a code was texted, so
// the page asks for it.
const keyProofingCodeSent = "proofing_code_sent"

// LetterCopier keeps a copy of each mailed letter where a developer can
// read it (the development outbox); nil in production.
type LetterCopier interface {
	Letter(ctx context.Context, to, subject, body string) error
}

// confirmInput is what the person typed, shown again with its error.
type confirmInput struct {
	code, codeErr     string
	letter, letterErr string
	notice            string
}

func (a *App) confirmTaxpayer(c echo.Context, vs *verifyState) (*models.Taxpayer, string, error) {
	tp, err := models.FindTaxpayer(c.Request().Context(), a.db, *vs.v.TaxpayerID)
	if err != nil {
		return nil, "", err
	}
	if !a.phoneCodes || len(tp.PhoneSealed) == 0 {
		return tp, "", nil
	}
	return tp, tp.PhoneLast4, nil
}

func (a *App) showConfirm(c echo.Context, vs *verifyState, in confirmInput) error {
	ctx := c.Request().Context()
	tp, last4, err := a.confirmTaxpayer(c, vs)
	if err != nil {
		return err
	}
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	sent, _ := s.Values[keyProofingCodeSent].(int64)
	phone, err := a.limiter.Check(ctx, proofing.KindPhone, vs.acct.ID, vs.now)
	if err != nil {
		return err
	}
	letters, err := a.letters.Allowed(ctx, vs.acct.ID, vs.now)
	if err != nil {
		return err
	}
	address := tp.Street1
	if tp.Street2 != "" {
		address += ", " + tp.Street2
	}
	address += ", " + tp.City + ", " + tp.State + " " + tp.ZIP
	v := verify.ConfirmView{Frame: a.verifyFrame(vs), Action: a.stepURL(proofing.StepConfirm),
		PhoneLast4: last4, CodeSent: sent != 0 && time.Unix(sent, 0).Add(a.accounts.Settings.PhoneCodeValid).After(vs.now),
		PhoneLimit: proofing.Explain(phone, vs.now, a.cfg.TimeZone),
		Code: forms.Field{ID: "code", Name: "code", Label: "Code from the text message", Value: in.code, Error: in.codeErr,
			InputMode: "numeric", Autocomplete: "one-time-code", Class: "usa-input--medium"},
		Address: address, LetterPending: proofing.LetterPending(vs.v), LetterAllowed: letters.Allowed,
		LetterLimit: a.flow.Settings.ExplainLetters(letters, vs.now, a.cfg.TimeZone),
		LetterCode: forms.Field{ID: "letter_code", Name: "letter_code", Label: "Code from the letter", Hint: "10 letters and numbers, like 7KD3M-QPX9T",
			Value: in.letter, Error: in.letterErr, Autocomplete: "off", Class: "usa-input--medium"},
		LetterHelpURL: a.reverse(RouteHelpArticle, "verify-by-letter"),
	}
	if v.LetterPending {
		last := a.flow.Settings.LetterLastDay(tp.State, *vs.v.LetterRequestedAt)
		v.LetterLastDay = last.Format("January 2, 2006")
	}
	if in.codeErr != "" {
		v.Errors.Add("code", in.codeErr)
	}
	if in.letterErr != "" {
		v.Errors.Add("letter_code", in.letterErr)
	}
	v.Notice = in.notice
	if !phone.Allowed && last4 != "" {
		v.OtherWays = a.otherWays(proofing.Alternatives(proofing.KindPhone))
	}
	status := http.StatusOK
	if v.Errors.Any() {
		status = invalid
	}
	return render(c, status, verify.Confirm(a.verifyPageOf(c, vs, "Confirm your phone or address"), v), nil)
}

func (a *App) answerConfirm(c echo.Context, vs *verifyState) error {
	switch c.FormValue("do") {
	case "send-code":
		return a.sendProofingCode(c, vs)
	case "phone-code":
		return a.checkProofingCode(c, vs)
	case "letter":
		return a.sendLetter(c, vs)
	case "letter-code":
		return a.checkLetterCode(c, vs)
	}
	return a.showConfirm(c, vs, confirmInput{})
}

func (a *App) sendProofingCode(c echo.Context, vs *verifyState) error {
	ctx := c.Request().Context()
	tp, last4, err := a.confirmTaxpayer(c, vs)
	if err != nil {
		return err
	}
	if last4 == "" {
		return echo.ErrNotFound
	}
	// Each code sent counts as a try: sending codes is how a phone is
	// pestered, and how a guesser gets fresh chances.
	try, d, err := a.limiter.Begin(ctx, proofing.KindPhone, vs.acct.ID, vs.now)
	if err != nil {
		return err
	}
	if try == nil {
		return a.showConfirm(c, vs, confirmInput{codeErr: proofing.Explain(d, vs.now, a.cfg.TimeZone)})
	}
	try.Keep()
	pd, err := tp.Unseal(a.vault)
	if err != nil {
		return err
	}
	if err := a.accounts.SendProofingCode(ctx, vs.acct, pd.Phone); err != nil {
		return err
	}
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	s.Values[keyProofingCodeSent] = vs.now.Unix()
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	a.auditVerification(c, vs, "verification.phone_code_sent", audit.OutcomeOK, "")
	return redirect(c, a.stepURL(proofing.StepConfirm)+"#code")
}

func (a *App) checkProofingCode(c echo.Context, vs *verifyState) error {
	ctx := c.Request().Context()
	code := strings.TrimSpace(c.FormValue("code"))
	if code == "" {
		return a.showConfirm(c, vs, confirmInput{codeErr: "Enter the 6-digit code from the text message."})
	}
	try, d, err := a.limiter.Begin(ctx, proofing.KindPhone, vs.acct.ID, vs.now)
	if err != nil {
		return err
	}
	if try == nil {
		return a.showConfirm(c, vs, confirmInput{code: code, codeErr: proofing.Explain(d, vs.now, a.cfg.TimeZone)})
	}
	err = a.accounts.CheckProofingCode(ctx, vs.acct, code)
	if errors.Is(err, accounts.ErrCodeInvalid) {
		d := try.Fail()
		a.auditVerification(c, vs, "verification.phone_code", audit.OutcomeFailed, "")
		return a.showConfirm(c, vs, confirmInput{code: code,
			codeErr: "That code is wrong or has expired. Check the newest text, or send a new code. " + proofing.Explain(d, vs.now, a.cfg.TimeZone)})
	}
	if ferr := try.Forget(context.WithoutCancel(ctx)); err != nil || ferr != nil {
		return cmp.Or(err, ferr)
	}
	if err := a.flow.ConfirmPhone(vs.v, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	return a.saveStep(c, vs, "verification.phone_confirmed")
}

func (a *App) sendLetter(c echo.Context, vs *verifyState) error {
	ctx := c.Request().Context()
	tp, _, err := a.confirmTaxpayer(c, vs)
	if err != nil {
		return err
	}
	letter, code, d, err := a.letters.Send(ctx, vs.acct.ID, vs.v.ID, tp, vs.now)
	if err != nil {
		return err
	}
	if !d.Allowed {
		return a.showConfirm(c, vs, confirmInput{notice: a.flow.Settings.ExplainLetters(d, vs.now, a.cfg.TimeZone)})
	}
	if a.letterCopies != nil {
		a.copyLetter(c, letter, code)
	}
	if err := a.flow.LetterSent(vs.v, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	return a.saveStep(c, vs, "verification.letter_sent")
}

// copyLetter puts the letter's text in the development outbox.
func (a *App) copyLetter(c echo.Context, l *models.Letter, code string) {
	to := l.Name + ", " + l.Street1 + ", " + l.City + ", " + l.State + " " + l.ZIP
	body := fmt.Sprintf("Your verification code is %s.\n\nEnter it at %s/verify by %s. If you did not ask for this letter, call 800-829-1040.",
		code, a.cfg.BaseURL.String(), l.LastDay.Format("January 2, 2006"))
	if err := a.letterCopies.Letter(c.Request().Context(), to, "Letter: your verification code", body); err != nil {
		a.log.Error("copying a letter to the outbox", slog.String("error", err.Error()))
	}
}

func (a *App) checkLetterCode(c echo.Context, vs *verifyState) error {
	ctx := c.Request().Context()
	typed := strings.TrimSpace(c.FormValue("letter_code"))
	if typed == "" {
		return a.showConfirm(c, vs, confirmInput{letterErr: "Enter the code from the letter."})
	}
	try, d, err := a.limiter.Begin(ctx, proofing.KindLetterCode, vs.acct.ID, vs.now)
	if err != nil {
		return err
	}
	if try == nil {
		return a.showConfirm(c, vs, confirmInput{letter: typed, letterErr: proofing.Explain(d, vs.now, a.cfg.TimeZone)})
	}
	err = a.letters.Confirm(ctx, vs.acct.ID, typed, vs.now)
	if errors.Is(err, proofing.ErrLetterCode) {
		d := try.Fail()
		a.auditVerification(c, vs, "verification.letter_code", audit.OutcomeFailed, "")
		return a.showConfirm(c, vs, confirmInput{letter: typed,
			letterErr: "That code doesn’t match your newest letter, or it has expired. Check it and try again. " + proofing.Explain(d, vs.now, a.cfg.TimeZone)})
	}
	if ferr := try.Forget(context.WithoutCancel(ctx)); err != nil || ferr != nil {
		return cmp.Or(err, ferr)
	}
	if err := a.flow.ConfirmLetter(vs.v, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	return a.saveStep(c, vs, "verification.letter_confirmed")
}
