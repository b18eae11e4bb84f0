package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/views/components"
	"github.com/taxportal/portal/views/forms"
	"github.com/taxportal/portal/views/verify"
)

// The steps that are a single form: consent, method, ID type, SSN,
// information, the match, the password; and the pages that only inform.

func (a *App) showConsent(c echo.Context, vs *verifyState, errs forms.Errors) error {
	v := verify.ConsentView{Frame: a.verifyFrame(vs), Action: a.stepURL(proofing.StepConsent),
		HelpURL: a.reverse(RouteHelpArticle, "documents-to-have-ready")}
	v.Errors = errs
	status := http.StatusOK
	if errs.Any() {
		status = invalid
	}
	return render(c, status, verify.Consent(a.verifyPageOf(c, vs, "Verify your identity"), v), nil)
}

func (a *App) answerConsent(c echo.Context, vs *verifyState) error {
	if c.FormValue("consent") != "yes" {
		var errs forms.Errors
		errs.Add("consent", "Check the box to agree, so we can check your information.")
		return a.showConsent(c, vs, errs)
	}
	ctx := c.Request().Context()
	if vs.v == nil {
		if vs.lapsed != nil {
			// A lapsed attempt's photos go now rather than at the next sweep.
			if err := a.docs.DeleteFor(ctx, vs.lapsed.ID); err != nil {
				return err
			}
		}
		vs.v = a.flow.Start(vs.acct.ID, vs.now)
		if err := a.db.WithContext(ctx).Create(vs.v).Error; err != nil {
			return err
		}
	}
	if err := a.flow.Consent(vs.v, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	return a.saveStep(c, vs, "verification.consented")
}

var methodChoices = []components.Choice{
	{Value: string(models.MethodOnline), Label: "Online, now",
		Description: "About 15 minutes. Take photos of your ID and of your face with your phone, or upload them from a computer; an agent checks them, usually within a day."},
	{Value: string(models.MethodVideo), Label: "On a video call with an agent",
		Description: "Book a time, then show your ID to an agent on camera. Good if you have no phone in your name or the online checks didn’t work."},
	{Value: string(models.MethodInPerson), Label: "In person at an office",
		Description: "Get a reference code to bring, with your ID, to a Taxpayer Assistance Center."},
}

func (a *App) showMethod(c echo.Context, vs *verifyState, errMsg string) error {
	v := verify.ChoiceView{Frame: a.verifyFrame(vs), Heading: "How do you want to verify?",
		Intro:  "All three are equally secure. You can change your mind later, but the answers after this step would start again.",
		Legend: "Choose one", Name: "method", Choices: checked(methodChoices, string(vs.v.Method)),
		Action: a.stepURL(proofing.StepMethod), Button: "Continue"}
	return a.renderChoice(c, vs, v, errMsg)
}

func (a *App) answerMethod(c echo.Context, vs *verifyState) error {
	m := models.VerificationMethod(c.FormValue("method"))
	if err := a.flow.ChooseMethod(vs.v, m, vs.now); err != nil {
		if errors.Is(err, proofing.ErrNotAllowed) && proofing.Allowed(vs.v, proofing.StepMethod, vs.now) {
			return a.showMethod(c, vs, "Choose how you want to verify.")
		}
		return a.flowError(c, vs, err)
	}
	return a.saveStep(c, vs, "verification.method_chosen")
}

var idChoices = []components.Choice{
	{Value: string(models.IDDriversLicense), Label: "Driver’s license", Description: "Front and back, from any U.S. state or territory."},
	{Value: string(models.IDStateID), Label: "State ID card", Description: "Front and back."},
	{Value: string(models.IDPassport), Label: "U.S. passport book", Description: "The page with your photo."},
	{Value: string(models.IDPassportCard), Label: "U.S. passport card", Description: "Front and back."},
}

func (a *App) showIDType(c echo.Context, vs *verifyState, errMsg string) error {
	v := verify.ChoiceView{Frame: a.verifyFrame(vs), Heading: "Which ID will you use?",
		Intro:  "It must be current, not expired, and show your photo.",
		Legend: "Choose your ID", Name: "id_type", Choices: checked(idChoices, string(vs.v.IDType)),
		Action: a.stepURL(proofing.StepIDType), Button: "Continue"}
	return a.renderChoice(c, vs, v, errMsg)
}

func (a *App) answerIDType(c echo.Context, vs *verifyState) error {
	t := models.IDType(c.FormValue("id_type"))
	if err := a.flow.ChooseIDType(vs.v, t, vs.now); err != nil {
		if errors.Is(err, proofing.ErrNotAllowed) && proofing.Allowed(vs.v, proofing.StepIDType, vs.now) {
			return a.showIDType(c, vs, "Choose the ID you will photograph.")
		}
		return a.flowError(c, vs, err)
	}
	return a.saveStep(c, vs, "verification.id_type_chosen")
}

func (a *App) renderChoice(c echo.Context, vs *verifyState, v verify.ChoiceView, errMsg string) error {
	status := http.StatusOK
	if errMsg != "" {
		v.Errors.Add(v.Name, errMsg)
		status = invalid
	}
	return render(c, status, verify.Choice(a.verifyPageOf(c, vs, v.Heading), v), nil)
}

func checked(choices []components.Choice, value string) []components.Choice {
	out := make([]components.Choice, len(choices))
	for i, ch := range choices {
		ch.Checked = ch.Value == value
		out[i] = ch
	}
	return out
}

func (a *App) showSSN(c echo.Context, vs *verifyState, typed, errMsg string) error {
	hint := "The 9 digits on your Social Security card, or your ITIN. For example: 123-45-6789."
	if n, err := a.flow.SSN(vs.v); err == nil {
		hint = "You entered the number ending in " + n.Last4() + ". Leave this empty to keep it, or enter it again to change it."
	}
	v := verify.FieldsView{Frame: a.verifyFrame(vs), Heading: "Enter your Social Security number",
		Intro: "We use it to find your tax record. We never show it in full, and we don’t share it.",
		Fields: []forms.Field{{ID: proofing.FormSSN, Name: proofing.FormSSN, Label: "Social Security number or ITIN", Hint: hint,
			Value: typed, Error: errMsg, InputMode: "numeric", Autocomplete: "off", Class: "usa-input--medium"}},
		Action: a.stepURL(proofing.StepSSN), Button: "Continue"}
	status := http.StatusOK
	if errMsg != "" {
		v.Errors.Add(proofing.FormSSN, errMsg)
		status = invalid
	}
	return render(c, status, verify.Fields(a.verifyPageOf(c, vs, v.Heading), v), nil)
}

func (a *App) answerSSN(c echo.Context, vs *verifyState) error {
	typed := strings.TrimSpace(c.FormValue(proofing.FormSSN))
	if typed == "" && len(vs.v.SSNSealed) > 0 {
		return redirect(c, a.stepURL(proofing.Current(vs.v, vs.now)))
	}
	n, err := a.flow.Settings.ParseSSN(typed)
	var p *proofing.Problem
	if errors.As(err, &p) {
		return a.showSSN(c, vs, typed, p.Text)
	}
	if err != nil {
		return err
	}
	if err := a.flow.EnterSSN(vs.v, n, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	return a.saveStep(c, vs, "verification.ssn_entered")
}

func (a *App) showInfo(c echo.Context, vs *verifyState, form *proofing.InfoForm, errs proofing.InputErrors) error {
	if form == nil {
		in, err := a.flow.Info(vs.v)
		if err != nil {
			return err
		}
		f := in.Form()
		form = &f
	}
	v := verify.InfoView{Frame: a.verifyFrame(vs), Action: a.stepURL(proofing.StepInfo),
		FirstName: form.FirstName, MiddleName: form.MiddleName, LastName: form.LastName,
		DOBMonth: form.DOBMonth, DOBDay: form.DOBDay, DOBYear: form.DOBYear,
		Street1: form.Street1, Street2: form.Street2, City: form.City, State: proofing.NormalizeState(form.State), ZIP: form.ZIP}
	for _, s := range proofing.StatesByName() {
		v.States = append(v.States, verify.Option{Value: s.Code, Label: s.Name})
	}
	status := http.StatusOK
	for _, fe := range errs {
		text := fe.Err.Error()
		var p *proofing.Problem
		if errors.As(fe.Err, &p) {
			text = p.Text
		}
		v.Errors.Add(fe.Field, text)
		status = invalid
	}
	return render(c, status, verify.Info(a.verifyPageOf(c, vs, "Your name, date of birth and address"), v), nil)
}

func (a *App) answerInfo(c echo.Context, vs *verifyState) error {
	form := proofing.InfoForm{
		FirstName: c.FormValue(proofing.FormFirstName), MiddleName: c.FormValue(proofing.FormMiddleName),
		LastName: c.FormValue(proofing.FormLastName), DOBMonth: c.FormValue(proofing.FormDOBMonth),
		DOBDay: c.FormValue(proofing.FormDOBDay), DOBYear: c.FormValue(proofing.FormDOBYear),
		Street1: c.FormValue(proofing.FormStreet1), Street2: c.FormValue(proofing.FormStreet2),
		City: c.FormValue(proofing.FormCity), State: c.FormValue(proofing.FormState), ZIP: c.FormValue(proofing.FormZIP),
	}
	in, errs := form.Validate(vs.now)
	if errs != nil {
		return a.showInfo(c, vs, &form, errs)
	}
	if err := a.flow.ReviewInfo(vs.v, in, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	return a.saveStep(c, vs, "verification.information_entered")
}

// matchDecision is the strictest of the limits on the next match.
func (a *App) matchDecision(c echo.Context, vs *verifyState) (proofing.Decision, error) {
	n, err := a.flow.SSN(vs.v)
	if err != nil {
		return proofing.Decision{}, err
	}
	return a.limiter.CheckMatch(c.Request().Context(), vs.acct.ID, proofing.SSNAttemptKey(a.vault, n), vs.now)
}

func (a *App) showMatch(c echo.Context, vs *verifyState, problem string) error {
	in, err := a.flow.Input(vs.v)
	if err != nil {
		return err
	}
	d, err := a.matchDecision(c, vs)
	if err != nil {
		return err
	}
	info := in.Info
	address := info.Street1
	if info.Street2 != "" {
		address += ", " + info.Street2
	}
	address += ", " + info.City + ", " + info.State + " " + info.ZIP
	name := strings.Join(strings.Fields(info.FirstName+" "+info.MiddleName+" "+info.LastName), " ")
	v := verify.SummaryView{Frame: a.verifyFrame(vs), Action: a.stepURL(proofing.StepMatch),
		Limit: proofing.Explain(d, vs.now, a.cfg.TimeZone), Blocked: !d.Allowed,
		Rows: []verify.SummaryRow{
			{Label: "Social Security number", Value: in.SSN.Masked(), EditURL: a.stepURL(proofing.StepSSN), EditLabel: "Social Security number"},
			{Label: "Name", Value: name, EditURL: a.stepURL(proofing.StepInfo) + "#first_name", EditLabel: "name"},
			{Label: "Date of birth", Value: info.DOB.Format("January 2, 2006"), EditURL: a.stepURL(proofing.StepInfo) + "#dob_month", EditLabel: "date of birth"},
			{Label: "Address", Value: address, EditURL: a.stepURL(proofing.StepInfo) + "#street1", EditLabel: "address"},
		}}
	status := http.StatusOK
	switch {
	case problem != "":
		v.Notice, v.Warning = problem, true
		status = invalid
	case !d.Allowed:
		v.Notice, v.Warning = proofing.Explain(d, vs.now, a.cfg.TimeZone), true
		status = http.StatusTooManyRequests
	}
	if !d.Allowed {
		v.OtherWays = a.otherWays(proofing.Alternatives(d.Kind))
	}
	return render(c, status, verify.Summary(a.verifyPageOf(c, vs, "Check your information"), v), nil)
}

func (a *App) answerMatch(c echo.Context, vs *verifyState) error {
	ctx := c.Request().Context()
	in, err := a.flow.Input(vs.v)
	if err != nil {
		return err
	}
	key := proofing.SSNAttemptKey(a.vault, in.SSN)
	try, _, err := a.limiter.BeginMatch(ctx, vs.acct.ID, key, vs.now)
	if err != nil {
		return err
	}
	if try == nil {
		a.auditVerification(c, vs, "verification.match", audit.OutcomeRefused, "limit reached")
		return a.showMatch(c, vs, "")
	}
	res, err := proofing.Match(ctx, a.db, a.vault, in)
	if err != nil {
		_ = try.Forget(context.WithoutCancel(ctx))
		return err
	}
	if !res.Matched {
		d, err := try.FailMatch(ctx, res)
		if err != nil {
			return err
		}
		a.auditVerification(c, vs, "verification.match", audit.OutcomeFailed, "did not match: "+fieldList(res.Fields))
		if !d.Allowed {
			return a.showMatch(c, vs, "")
		}
		return a.showMatch(c, vs, mismatchText(res.Fields)+" "+proofing.Explain(d, vs.now, a.cfg.TimeZone))
	}
	if err := try.Forget(ctx); err != nil {
		return err
	}
	taken, err := a.accounts.TaxpayerLinked(ctx, vs.acct, res.TaxpayerID)
	if err != nil {
		return err
	}
	if taken {
		a.auditVerification(c, vs, "verification.match", audit.OutcomeRefused, "the taxpayer has another account")
		a.log.Warn("verification matched a taxpayer linked to another account", slog.Uint64("verification", vs.v.ID))
		return a.showMatch(c, vs, "Your information matches a record that is already linked to another online account. "+
			"If you made an account before, sign in with it instead. If you didn’t, someone else may be using your information: call 800-829-1040 and we will help.")
	}
	if err := a.flow.RecordMatch(vs.v, res, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	return a.saveStep(c, vs, "verification.matched")
}

// mismatchText says which parts to check, never what the record holds.
func mismatchText(fields []proofing.Field) string {
	if len(fields) == 1 && fields[0] == proofing.FieldSSN {
		return "We couldn’t find a tax record with that Social Security number. Check the number you entered."
	}
	var parts []string
	for _, f := range fields {
		switch f {
		case proofing.FieldName:
			parts = append(parts, "your name")
		case proofing.FieldDOB:
			parts = append(parts, "your date of birth")
		case proofing.FieldAddress:
			parts = append(parts, "your address")
		}
	}
	list := parts[0]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	return "We found your record, but " + list + " didn’t match it. Check " + list +
		" exactly as on your latest tax return (for a recent move, use the address on that return)."
}

func fieldList(fields []proofing.Field) string {
	s := make([]string, len(fields))
	for i, f := range fields {
		s[i] = string(f)
	}
	return strings.Join(s, ",")
}

func (a *App) showPassword(c echo.Context, vs *verifyState, errMsg string) error {
	v := verify.FieldsView{Frame: a.verifyFrame(vs), Heading: "Re-enter your password",
		Intro: "Last step: this links your verified identity to your account, so we make sure it is really you at the keyboard.",
		Fields: []forms.Field{{ID: "password", Name: "password", Label: "Password", Type: "password",
			Autocomplete: "current-password", Error: errMsg}},
		Action: a.stepURL(proofing.StepPassword), Button: "Finish"}
	status := http.StatusOK
	if errMsg != "" {
		v.Errors.Add("password", errMsg)
		status = invalid
	}
	return render(c, status, verify.Fields(a.verifyPageOf(c, vs, v.Heading), v), nil)
}

func (a *App) answerPassword(c echo.Context, vs *verifyState) error {
	ctx := c.Request().Context()
	password := c.FormValue("password")
	if password == "" {
		return a.showPassword(c, vs, messages.Get(messages.PasswordMissing).Body)
	}
	_, d, err := a.accounts.CheckPassword(ctx, vs.acct.Email, password, a.clientOf(c))
	var limited *accounts.LimitedError
	switch {
	case errors.As(err, &limited), errors.Is(err, accounts.ErrWrongPassword):
		if limited != nil {
			d = limited.Decision
		}
		a.auditVerification(c, vs, "verification.password", audit.OutcomeFailed, "")
		return a.showPassword(c, vs, "That password is wrong. "+credential.Explain(d, a.cfg.TimeZone))
	case err != nil:
		return err
	}
	if err := a.flow.Finish(vs.v, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Save(vs.v).Error; err != nil {
			return err
		}
		if err := a.accounts.LinkTaxpayer(ctx, tx, vs.acct, *vs.v.TaxpayerID, vs.now); err != nil {
			return err
		}
		return a.accounts.IdentityVerified(ctx, tx, vs.acct, a.clientOf(c))
	})
	if errors.Is(err, accounts.ErrTaxpayerTaken) {
		return a.showPassword(c, vs, "Your record was linked to another online account a moment ago. Call 800-829-1040 and we will help.")
	}
	if err != nil {
		return err
	}
	// The photos served their purpose: keep nothing longer than needed.
	if err := a.docs.DeleteFor(ctx, vs.v.ID); err != nil {
		a.log.Error("deleting verified photos", slog.Uint64("verification", vs.v.ID), slog.String("error", err.Error()))
	}
	a.auditVerification(c, vs, "verification.completed", audit.OutcomeOK, "")
	return redirect(c, a.stepURL(proofing.StepDone))
}

func (a *App) showVerified(c echo.Context, vs *verifyState) error {
	v := verify.MessageView{Frame: a.verifyFrame(vs), Heading: "Your identity is verified",
		Intro:      "Thank you. Your account is now linked to your tax records, and you won’t need to do this again.",
		Paragraphs: []string{"We sent you an email to confirm it. If you didn’t just do this, follow the link in that email at once."},
		ActionText: "Go to your dashboard", ActionURL: a.reverse(RouteDashboard)}
	// A page that sent the person to verify first is where they were going.
	if s, err := a.sessionOf(c); err == nil {
		if to := returnTo(s, ""); to != "" && to != c.Request().URL.Path {
			v.ActionText, v.ActionURL = "Continue", to
			if err := s.Save(c.Request(), c.Response()); err != nil {
				return err
			}
		}
	}
	return render(c, http.StatusOK, verify.Message(a.verifyPageOf(c, vs, v.Heading), v), nil)
}

func (a *App) showExpired(c echo.Context, vs *verifyState) error {
	days := strconv.Itoa(int(a.flow.Settings.Inactivity.Hours() / 24))
	v := verify.MessageView{Frame: a.verifyFrame(vs), Heading: "Your verification has expired",
		Intro:      fmt.Sprintf("Nothing happened on it for %s days, so we deleted the photos and answers to protect them.", days),
		Paragraphs: []string{"You can start again now. It takes about 15 minutes online."},
		ActionText: "Start again", ActionURL: a.stepURL(proofing.StepConsent)}
	return render(c, http.StatusOK, verify.Message(a.verifyPageOf(c, vs, v.Heading), v), nil)
}

// auditVerification records a step in the audit trail: who, what, when and
// the outcome, never the answers themselves.
func (a *App) auditVerification(c echo.Context, vs *verifyState, action, outcome, detail string) {
	e := audit.Entry{
		Actor: audit.By(vs.acct.ID, vs.acct.Role, ""), Action: action, AccountID: &vs.acct.ID,
		Outcome: outcome, Detail: detail,
	}
	if vs.v != nil {
		e.Subject = "verification:" + strconv.FormatUint(vs.v.ID, 10)
		e.TaxpayerID = vs.v.TaxpayerID
	}
	if _, err := a.audit.Append(c.Request().Context(), e); err != nil {
		a.log.Error("writing the audit trail", slog.String("action", action), slog.String("error", err.Error()))
	}
}
