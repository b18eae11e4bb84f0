package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/phonecalls"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/records"
	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/components"
	"github.com/taxportal/portal/views/console"
	"github.com/taxportal/portal/views/forms"
)

// Phone assistance at /agent/calls: a record per call, finding the caller,
// the verification checklist, and the actions taken for a verified caller.
// Each call belongs to the agent who took it: anyone else gets 404.

const (
	RouteConsoleCall       = "console.call"
	RouteConsoleCallAction = "console.call.action"
)

// Security events written on the account's own history.
const (
	eventUnlockedByAgent models.SecurityEventKind = "unlocked_by_agent"
	eventFactorsReset    models.SecurityEventKind = "second_factors_reset"
)

func (a *App) phoneCalls() *phonecalls.Service {
	return &phonecalls.Service{DB: a.db, Vault: a.vault, Audit: a.audit}
}

var lineChoices = func() []components.Choice {
	var out []components.Choice
	for _, l := range phonecalls.Lines {
		out = append(out, components.Choice{Value: string(l.Line), Label: l.Label, Description: l.Number})
	}
	return out
}()

func (a *App) consoleCalls(c echo.Context) error {
	return a.showCalls(c, http.StatusOK, forms.Errors{})
}

func (a *App) showCalls(c echo.Context, status int, errs forms.Errors) error {
	recent, err := a.phoneCalls().Recent(c.Request().Context(), account(c).ID, 20)
	if err != nil {
		return err
	}
	v := console.CallsView{Lines: lineChoices, Action: a.reverse(RouteConsoleCalls), Errors: errs}
	for _, call := range recent {
		st := "in progress"
		if call.EndedAt != nil {
			st = "ended"
		}
		v.Recent = append(v.Recent, console.CallRow{URL: a.reverse(RouteConsoleCall, call.ID), Status: st,
			Label: fmt.Sprintf("Call %d · %s · %s", call.ID, phonecalls.LabelOf(phonecalls.Line(call.Line)), a.when(call.StartedAt))})
	}
	return render(c, status, console.Calls(a.consolePage(c, "Phone calls"), v), nil)
}

func (a *App) startCall(c echo.Context) error {
	call, err := a.phoneCalls().Start(c.Request().Context(), account(c).ID, phonecalls.Line(c.FormValue("line")), a.now().UTC())
	if errors.Is(err, phonecalls.ErrBadLine) {
		var errs forms.Errors
		errs.Add("line", "Choose the line the call came in on.")
		return a.showCalls(c, invalid, errs)
	}
	if err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteConsoleCall, call.ID))
}

// myCall loads the signed-in agent's call from the URL.
func (a *App) myCall(c echo.Context) (*models.PhoneCall, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return nil, echo.ErrNotFound
	}
	call, err := a.phoneCalls().Call(c.Request().Context(), account(c).ID, id)
	if errors.Is(err, phonecalls.ErrNotFound) {
		return nil, echo.ErrNotFound
	}
	return call, err
}

var callNotices = map[string]string{
	"caller":   "Caller found. Ask the questions below.",
	"unlock":   "The account is unlocked, and its holder was emailed.",
	"reset":    "The reset is waiting for a supervisor’s approval. Tell the caller they will get an email once it is done.",
	"ippin":    "The IP PIN letter is queued for printing to the address of record. Tell the caller to allow about 10 days.",
	"notes":    "The note was added.",
	"ended":    "The call record is closed.",
	"verified": "The caller is verified.",
}

func (a *App) consoleCall(c echo.Context) error {
	call, err := a.myCall(c)
	if call == nil {
		return err
	}
	v := console.CallView{Notice: callNotices[c.QueryParam("done")]}
	return a.showCall(c, http.StatusOK, call, v)
}

// showCall fills the call's page from the record.
func (a *App) showCall(c echo.Context, status int, call *models.PhoneCall, v console.CallView) error {
	ctx := c.Request().Context()
	svc := a.phoneCalls()
	v.Heading = fmt.Sprintf("Phone call %d", call.ID)
	v.Summary = phonecalls.LabelOf(phonecalls.Line(call.Line)) + ", started " + a.when(call.StartedAt)
	if call.EndedAt != nil {
		v.Ended = true
		v.Summary += ", ended " + a.when(*call.EndedAt)
	}
	act := func(name string) string { return a.reverse(RouteConsoleCallAction, call.ID, name) }
	v.FindAction, v.CheckAction, v.ChangeAction, v.EndAction = act("find"), act("check"), act("change"), act("end")
	v.BackURL = a.reverse(RouteConsoleCalls)
	v.ActionURL = map[string]string{"unlock": act("unlock"), "reset": act("reset"), "ippin": act("ippin"), "notes": act("notes")}
	if v.Reasons == nil {
		v.Reasons = map[string]string{}
	}
	v.ReasonMax = strconv.Itoa(phonecalls.MaxReasonFor(call))
	notes, err := svc.Notes(ctx, call.ID)
	if err != nil {
		return err
	}
	for _, n := range notes {
		v.Notes = append(v.Notes, console.CallNoteRow{When: a.when(n.CreatedAt), Text: n.Text})
	}
	if call.TaxpayerID != nil {
		tp, err := models.FindTaxpayer(ctx, a.db, *call.TaxpayerID)
		if err != nil {
			return err
		}
		v.Caller, v.CallerSSN = tp.FullName(), records.MaskSSN(tp.SSNLast4)
		results := phonecalls.Results(call)
		for _, q := range phonecalls.Questions(tp) {
			v.Questions = append(v.Questions, console.CallQuestion{ID: q.ID, Prompt: q.Prompt, Hint: q.Hint, Shown: q.Shown, Result: results[q.ID]})
		}
		v.Verified = call.VerifiedAt != nil
		v.TooManyMiss = !v.Verified && call.Mismatches >= phonecalls.MaxMismatches
		if v.Verified {
			if err := a.callAccountState(c, call, tp, &v); err != nil {
				return err
			}
		}
	}
	p := a.consolePage(c, v.Heading, views.Crumb{Label: "Phone calls", URL: a.reverse(RouteConsoleCalls)}, views.Crumb{Label: v.Heading})
	return render(c, status, console.Call(p, v), nil)
}

// callAccountState says what may be done for a verified caller.
func (a *App) callAccountState(c echo.Context, call *models.PhoneCall, tp *models.Taxpayer, v *console.CallView) error {
	ctx := c.Request().Context()
	svc := a.phoneCalls()
	acct, err := svc.AccountOf(ctx, tp.ID)
	switch {
	case errors.Is(err, phonecalls.ErrNoAccount):
		v.AccountState = "none. The caller can create one and verify their identity online."
	case err != nil:
		return err
	default:
		factors, err := a.accounts.Factors(ctx, acct.ID)
		if err != nil {
			return err
		}
		if acct.LockedAt != nil {
			v.AccountState = "locked since " + a.when(*acct.LockedAt) + "."
			v.CanUnlock = true
		} else {
			v.AccountState = fmt.Sprintf("active, with %d second %s.", len(factors), map[bool]string{true: "factor", false: "factors"}[len(factors) == 1])
		}
		var pending int64
		if err := a.db.WithContext(ctx).Model(&models.FactorReset{}).Where("account_id = ? AND status = ?", acct.ID, phonecalls.ResetPending).
			Count(&pending).Error; err != nil {
			return err
		}
		switch {
		case pending > 0:
			v.ResetState = "A reset is waiting for a supervisor’s approval."
		case len(factors) == 0:
			v.ResetState = "The account has no second factor to reset: the holder sets one up at their next sign-in."
		default:
			v.CanReset = true
		}
	}
	st, err := a.ippin.Status(ctx, tp.ID, a.now())
	if err != nil {
		return err
	}
	if st.HasPIN {
		v.CanMailPIN = true
	} else {
		v.MailPINState = "The caller has no IP PIN for this year, so there is nothing to mail."
	}
	return nil
}

// callAction answers POST /agent/calls/:id/:action.
func (a *App) callAction(c echo.Context) error {
	call, err := a.myCall(c)
	if call == nil {
		return err
	}
	ctx := c.Request().Context()
	svc := a.phoneCalls()
	acct, now := account(c), a.now().UTC()
	me := actor(acct)
	done := func(what string) error {
		return redirect(c, a.reverse(RouteConsoleCall, call.ID)+"?done="+what)
	}
	name := c.Param("action")
	if call.EndedAt != nil && name != "end" {
		return a.showCall(c, http.StatusConflict, call, console.CallView{Errors: oneError("note", "This call has ended. Start a new call record.")})
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	v := console.CallView{Reasons: map[string]string{name: reason}}
	reasonProblem := func(err error) (bool, error) {
		switch {
		case errors.Is(err, phonecalls.ErrNoReason):
			v.Errors.Add("reason-"+name, "Give a reason: it is recorded and the taxpayer can read it.")
		case errors.Is(err, phonecalls.ErrReasonTooLong):
			v.Errors.Add("reason-"+name, "Shorten the reason to "+strconv.Itoa(phonecalls.MaxReasonFor(call))+" characters.")
		case errors.Is(err, phonecalls.ErrNotVerified), errors.Is(err, phonecalls.ErrNoCaller):
			v.Errors.Add("reason-"+name, "Verify the caller first.")
		default:
			return false, err
		}
		return true, a.showCall(c, invalid, call, v)
	}
	switch name {
	case "find":
		return a.findCaller(c, call)
	case "caller":
		id, err := strconv.ParseUint(c.FormValue("taxpayer"), 10, 64)
		if err != nil {
			return echo.ErrNotFound
		}
		err = svc.Attach(ctx, call, id, me)
		if errors.Is(err, phonecalls.ErrNotFound) {
			return echo.ErrNotFound
		}
		if err != nil {
			return err
		}
		return done("caller")
	case "change":
		if err := svc.Detach(ctx, call); err != nil && !errors.Is(err, phonecalls.ErrEnded) {
			return err
		}
		return done("")
	case "check":
		q, answer := c.FormValue("question"), strings.TrimSpace(c.FormValue("answer"))
		if answer == "" {
			v.Errors.Add("answer-"+q, "Type what the caller said.")
			return a.showCall(c, invalid, call, v)
		}
		// The page shows each answer's result from the record of the call.
		_, err := svc.Check(ctx, call, q, answer, me, now)
		switch {
		case errors.Is(err, phonecalls.ErrUnknownQuestion):
			return echo.NewHTTPError(http.StatusBadRequest)
		case errors.Is(err, phonecalls.ErrTooManyMisses), errors.Is(err, phonecalls.ErrNoCaller):
			return done("")
		case err != nil:
			return err
		}
		if call.VerifiedAt != nil {
			return done("verified")
		}
		return done("")
	case "unlock":
		holder, err := svc.Unlock(ctx, call, me, reason, now)
		switch {
		case errors.Is(err, phonecalls.ErrNotLocked), errors.Is(err, phonecalls.ErrNoAccount):
			v.Errors.Add("reason-"+name, "The account is not locked (any more): there is nothing to unlock.")
			return a.showCall(c, http.StatusConflict, call, v)
		case err != nil:
			if ok, err := reasonProblem(err); ok || err != nil {
				return err
			}
		}
		a.accounts.Record(ctx, holder.ID, eventUnlockedByAgent, "unlocked by "+me.Number+" on a phone call", a.clientOf(c))
		a.sendMail(c.Request().Context(), a.db, "a phone-assistance message", a.accounts.Brand.AccountUnlockedByAgent(holder.Email, a.accounts.Links.SignIn(),
			a.wasntMeLink(c, holder), now, a.cfg.TimeZone))
		return done("unlock")
	case "reset":
		_, err := svc.RequestReset(ctx, call, me, reason, now)
		switch {
		case errors.Is(err, phonecalls.ErrPendingReset):
			v.Errors.Add("reason-"+name, "A reset for this account is already waiting for approval.")
			return a.showCall(c, http.StatusConflict, call, v)
		case errors.Is(err, phonecalls.ErrNoAccount):
			v.Errors.Add("reason-"+name, "The caller has no online account.")
			return a.showCall(c, http.StatusConflict, call, v)
		case err != nil:
			if ok, err := reasonProblem(err); ok || err != nil {
				return err
			}
		}
		return done("reset")
	case "ippin":
		if err := phonecalls.CheckIPPINMail(call, reason); err != nil {
			_, err := reasonProblem(err)
			return err
		}
		err := a.ippin.MailCurrent(ctx, *call.TaxpayerID, now, func(tx *gorm.DB) error {
			return svc.RecordIPPINMailed(ctx, tx, call, me, reason)
		})
		switch {
		case errors.Is(err, ippin.ErrNoPIN):
			v.Errors.Add("reason-"+name, "The caller has no IP PIN for this year.")
			return a.showCall(c, http.StatusConflict, call, v)
		case errors.Is(err, ippin.ErrJustMailed):
			v.Errors.Add("reason-"+name, "A letter with the IP PIN was queued minutes ago: it is on its way, no need for another.")
			return a.showCall(c, http.StatusConflict, call, v)
		case err != nil:
			return err
		}
		return done("ippin")
	case "notes":
		text := strings.TrimSpace(c.FormValue("note"))
		err := svc.AddNote(ctx, call, me, text, now)
		switch {
		case errors.Is(err, phonecalls.ErrEmptyNote):
			v.Errors.Add("note", "Write the note first.")
		case errors.Is(err, phonecalls.ErrReasonTooLong):
			v.Errors.Add("note", "Shorten the note to 2,000 characters.")
		case err != nil:
			return err
		}
		if v.Errors.Any() {
			v.NoteText = text
			return a.showCall(c, invalid, call, v)
		}
		return done("notes")
	case "end":
		if err := svc.End(ctx, call, now); err != nil {
			return err
		}
		return done("ended")
	}
	return echo.ErrNotFound
}

// findCaller searches by POST, so no name or number is ever in a URL.
func (a *App) findCaller(c echo.Context, call *models.PhoneCall) error {
	q := phonecalls.Query{LastName: strings.Join(strings.Fields(c.FormValue("last_name")), " "),
		FirstName: strings.TrimSpace(c.FormValue("first_name")), Last4: strings.TrimSpace(c.FormValue("last4")),
		SSN: strings.TrimSpace(c.FormValue("ssn"))}
	v := console.CallView{Search: console.CallSearch{LastName: q.LastName, FirstName: q.FirstName, Last4: q.Last4}}
	if q.SSN != "" {
		if _, err := pii.ParseSSN(q.SSN); err != nil {
			v.Errors.Add("ssn", "Enter the 9 digits of the SSN or ITIN.")
			return a.showCall(c, invalid, call, v)
		}
	}
	found, err := phonecalls.Find(c.Request().Context(), a.db, a.vault, q)
	if errors.Is(err, phonecalls.ErrQuery) {
		v.Errors.Add("last_name", "Enter the last name and the last 4 digits of the SSN, or the full SSN.")
		return a.showCall(c, invalid, call, v)
	}
	if err != nil {
		return err
	}
	v.Searched = true
	for _, tp := range found {
		v.Found = append(v.Found, console.CallerMatch{ID: strconv.FormatUint(tp.ID, 10), Name: tp.FullName(),
			Place: tp.City + ", " + tp.State, SSN: records.MaskSSN(tp.SSNLast4), Action: a.reverse(RouteConsoleCallAction, call.ID, "caller")})
	}
	return a.showCall(c, http.StatusOK, call, v)
}

func oneError(field, msg string) forms.Errors {
	var errs forms.Errors
	errs.Add(field, msg)
	return errs
}

// wasntMeLink is a "This wasn't me" link for a notice to the holder.
func (a *App) wasntMeLink(c echo.Context, acct *models.Account) string {
	return a.accounts.WasntMeLink(c.Request().Context(), a.db, acct)
}
