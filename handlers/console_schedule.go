package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/taxportal/portal/appointments"
	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/console"
	"github.com/taxportal/portal/views/forms"
)

// The agent's side of video calls: the day's schedule at /agent/schedule,
// publishing and removing times, and the appointment screen where the agent
// compares the person with the record and records the outcome, which
// completes or fails the person's verification.

const (
	RouteConsoleSlotRemove  = "console.schedule.remove"
	RouteConsoleAppointment = "console.appointment"
)

// callLengths are the lengths offered when publishing.
var callLengths = []int{15, 20, 30, 45, 60}

// videoChecklist is what the agent confirms on camera before "verified".
var videoChecklist = []console.CheckItem{
	{ID: "genuine", Label: "The ID shown looks genuine: the agent saw its front and back, and it was not a copy or a screen."},
	{ID: "current", Label: "The ID has not expired."},
	{ID: "face", Label: "The face on camera is the face on the ID."},
	{ID: "name", Label: "The name on the ID is the name on the master record."},
	{ID: "dob", Label: "The date of birth on the ID is the one on the master record."},
}

// scheduleDay is the day asked for (?day=2006-01-02) in the portal's zone,
// today otherwise.
func (a *App) scheduleDay(c echo.Context) time.Time {
	loc := a.cfg.TimeZone
	if d, err := time.ParseInLocation("2006-01-02", c.QueryParam("day"), loc); err == nil {
		return d
	}
	now := a.now().In(loc)
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
}

func (a *App) consoleSchedule(c echo.Context) error {
	notices := map[string]string{"published": "Published.", "removed": "The time was removed.", "recorded": "The outcome was recorded."}
	notice := notices[c.QueryParam("done")]
	if n, err := strconv.Atoi(c.QueryParam("added")); err == nil {
		notice = fmt.Sprintf("Published %d %s.", n, map[bool]string{true: "time", false: "times"}[n == 1])
	}
	day := a.scheduleDay(c)
	form := console.PublishForm{Date: day.Format("2006-01-02"), Length: "30"}
	return a.showSchedule(c, http.StatusOK, day, form, forms.Errors{}, notice)
}

func (a *App) showSchedule(c echo.Context, status int, day time.Time, form console.PublishForm, errs forms.Errors, notice string) error {
	ctx := c.Request().Context()
	acct := account(c)
	svc := a.bookings()
	slots, err := svc.Day(ctx, acct.ID, day, day.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	names, err := a.bookedNames(ctx, slots)
	if err != nil {
		return err
	}
	dayURL := func(d time.Time) string { return a.reverse(RouteConsoleSchedule) + "?day=" + d.Format("2006-01-02") }
	v := console.ScheduleView{Day: day.Format("Monday, January 2, 2006"), ZoneLabel: appointments.ZoneLabel(a.cfg.TimeZone),
		PrevURL: dayURL(day.AddDate(0, 0, -1)), NextURL: dayURL(day.AddDate(0, 0, 1)), TodayURL: a.reverse(RouteConsoleSchedule),
		Notice: notice, Errors: errs, Publish: form, Action: a.reverse(RouteConsoleSchedule)}
	for _, n := range callLengths {
		v.Lengths = append(v.Lengths, console.ScheduleOption{Value: strconv.Itoa(n), Label: fmt.Sprintf("%d minutes", n), Selected: form.Length == strconv.Itoa(n)})
	}
	for i := range slots {
		s := &slots[i]
		row := console.ScheduleSlot{ID: strconv.FormatUint(s.ID, 10),
			Time: s.StartsAt.In(a.cfg.TimeZone).Format("3:04 PM") + " to " + s.EndsAt.In(a.cfg.TimeZone).Format("3:04 PM")}
		switch {
		case s.AccountID == nil:
			row.Status, row.RemoveAction = "Open", a.reverse(RouteConsoleSlotRemove, s.ID)
		default:
			row.Status, row.Person, row.OpenURL = outcomeWords(s.Outcome), names[s.ID], a.reverse(RouteConsoleAppointment, s.ID)
		}
		v.Slots = append(v.Slots, row)
	}
	p := a.consolePage(c, "Video-call schedule")
	return render(c, status, console.Schedule(p, v), nil)
}

func outcomeWords(o string) string {
	switch o {
	case appointments.OutcomeVerified:
		return "Booked: verified"
	case appointments.OutcomeFailed:
		return "Booked: not verified"
	case appointments.OutcomeNoShow:
		return "Booked: did not join"
	}
	return "Booked"
}

// bookedNames are the names the booked people gave, by slot.
func (a *App) bookedNames(ctx context.Context, slots []models.VideoSlot) (map[uint64]string, error) {
	var ids []uint64
	for _, s := range slots {
		if s.VerificationID != nil {
			ids = append(ids, *s.VerificationID)
		}
	}
	out := map[uint64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var vs []models.IdentityVerification
	if err := a.db.WithContext(ctx).Select("id", "first_name", "last_name").Where("id IN ?", ids).Find(&vs).Error; err != nil {
		return nil, err
	}
	byID := map[uint64]string{}
	for _, v := range vs {
		byID[v.ID] = joinName(v.FirstName, v.LastName)
	}
	for _, s := range slots {
		if s.VerificationID != nil {
			out[s.ID] = byID[*s.VerificationID]
		}
	}
	return out, nil
}

// parseClock reads a time of day as a time input sends it (15:04) or as
// people type it (3:04 PM).
func parseClock(s string) (h, m int, ok bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	for _, layout := range []string{"15:04", "15:04:05", "3:04 PM", "3:04PM", "3 PM", "3PM"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Hour(), t.Minute(), true
		}
	}
	return 0, 0, false
}

// publishSlots publishes one time or a block of them.
func (a *App) publishSlots(c echo.Context) error {
	ctx := c.Request().Context()
	acct, now := account(c), a.now().UTC()
	loc := a.cfg.TimeZone
	form := console.PublishForm{Date: strings.TrimSpace(c.FormValue("date")), Start: strings.TrimSpace(c.FormValue("start")),
		Until: strings.TrimSpace(c.FormValue("until")), Length: c.FormValue("length")}
	var errs forms.Errors
	day, err := time.ParseInLocation("2006-01-02", form.Date, loc)
	if err != nil {
		errs.Add("date", "Enter the date as a calendar date, for example 2026-03-02.")
		day = a.scheduleDay(c)
	}
	sh, sm, ok := parseClock(form.Start)
	if !ok {
		errs.Add("start", "Enter when the first call starts, for example 09:00.")
	}
	length, err := strconv.Atoi(form.Length)
	if err != nil || !slices.Contains(callLengths, length) {
		errs.Add("length", "Choose how long each call lasts.")
	}
	var until time.Time
	if form.Until != "" {
		uh, um, ok := parseClock(form.Until)
		if !ok {
			errs.Add("until", "Enter when the block ends, for example 12:00, or leave it empty for one call.")
		} else {
			until = time.Date(day.Year(), day.Month(), day.Day(), uh, um, 0, 0, loc)
		}
	}
	if errs.Any() {
		return a.showSchedule(c, invalid, day, form, errs, "")
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), sh, sm, 0, 0, loc)
	svc := a.bookings()
	d := time.Duration(length) * time.Minute
	back := a.reverse(RouteConsoleSchedule) + "?day=" + day.Format("2006-01-02")
	if until.IsZero() {
		_, err = svc.Publish(ctx, acct.ID, start, d, now)
		switch {
		case errors.Is(err, appointments.ErrOverlap):
			errs.Add("start", "You already have a call at that time.")
		case errors.Is(err, appointments.ErrBadTime):
			errs.Add("start", "Choose a time in the future, within the next 90 days.")
		case err != nil:
			return err
		}
		if errs.Any() {
			return a.showSchedule(c, invalid, day, form, errs, "")
		}
		return redirect(c, back+"&added=1")
	}
	if !until.After(start.Add(d - time.Second)) {
		errs.Add("until", "The block must end at least one call after it starts.")
		return a.showSchedule(c, invalid, day, form, errs, "")
	}
	n, err := svc.PublishBlock(ctx, acct.ID, start, until, d, now)
	if err != nil && !errors.Is(err, appointments.ErrBadTime) {
		return err
	}
	if n == 0 {
		errs.Add("start", "No time in that block could be published: it is in the past, more than 90 days ahead, or already taken by your calls.")
		return a.showSchedule(c, invalid, day, form, errs, "")
	}
	return redirect(c, back+"&added="+strconv.Itoa(n))
}

func (a *App) removeSlot(c echo.Context) error {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	svc := a.bookings()
	slot, err := svc.Get(c.Request().Context(), id)
	if errors.Is(err, appointments.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	back := a.reverse(RouteConsoleSchedule) + "?day=" + slot.StartsAt.In(a.cfg.TimeZone).Format("2006-01-02")
	err = svc.Remove(c.Request().Context(), account(c).ID, id)
	switch {
	case errors.Is(err, appointments.ErrNotFound):
		return echo.ErrNotFound
	case errors.Is(err, appointments.ErrBooked):
		day, _ := time.ParseInLocation("2006-01-02", slot.StartsAt.In(a.cfg.TimeZone).Format("2006-01-02"), a.cfg.TimeZone)
		var errs forms.Errors
		errs.Add("date", "That time was booked in the meantime: it cannot be removed. Open the appointment instead.")
		return a.showSchedule(c, http.StatusConflict, day, console.PublishForm{Date: day.Format("2006-01-02"), Length: "30"}, errs, "")
	case err != nil:
		return err
	}
	return redirect(c, back+"&done=removed")
}

// appointmentOf loads a booked appointment for the console. Any staff
// member may open it (the queue lists every booked call) and see when and
// with whom it is; only its agent or a supervisor (mine) sees the person's
// information and the join link, and records the outcome.
func (a *App) appointmentOf(c echo.Context) (*models.VideoSlot, *models.IdentityVerification, bool, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return nil, nil, false, echo.ErrNotFound
	}
	slot, err := a.bookings().Get(c.Request().Context(), id)
	if errors.Is(err, appointments.ErrNotFound) || (err == nil && (slot.AccountID == nil || slot.VerificationID == nil)) {
		return nil, nil, false, echo.ErrNotFound
	}
	if err != nil {
		return nil, nil, false, err
	}
	var v models.IdentityVerification
	err = a.db.WithContext(c.Request().Context()).Where("id = ? AND account_id = ?", *slot.VerificationID, *slot.AccountID).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, false, echo.ErrNotFound
	}
	if err != nil {
		return nil, nil, false, err
	}
	acct := account(c)
	mine := slot.AgentID == acct.ID || acct.Role == models.RoleSupervisor
	return slot, &v, mine, nil
}

func appointmentReference(slot *models.VideoSlot) string {
	return "Video appointment " + strconv.FormatUint(slot.ID, 10)
}

func (a *App) consoleAppointment(c echo.Context) error {
	slot, v, mine, err := a.appointmentOf(c)
	if slot == nil {
		return err
	}
	av, err := a.appointmentView(c, slot, v, mine)
	if err != nil {
		return err
	}
	// Every look at a taxpayer's record is written down, with its reason.
	if mine && v.TaxpayerID != nil {
		if _, err := a.audit.Append(c.Request().Context(), audit.Entry{Actor: actor(account(c)), Action: audit.ActionTaxpayerOpened,
			TaxpayerID: v.TaxpayerID, AccountID: &v.AccountID, Subject: "appointment:" + strconv.FormatUint(slot.ID, 10),
			Reason: appointmentReference(slot)}); err != nil {
			return err
		}
	}
	return a.renderAppointment(c, http.StatusOK, av)
}

func (a *App) renderAppointment(c echo.Context, status int, av console.AppointmentView) error {
	p := a.consolePage(c, av.Heading, views.Crumb{Label: "Schedule", URL: a.reverse(RouteConsoleSchedule)}, views.Crumb{Label: av.Heading})
	return render(c, status, console.Appointment(p, av), nil)
}

// appointmentView lays what the person entered beside the master record.
// Only what the decision needs is in the clear: the name, date of birth and
// address an ID shows; of the SSN, the last four digits.
func (a *App) appointmentView(c echo.Context, slot *models.VideoSlot, v *models.IdentityVerification, mine bool) (console.AppointmentView, error) {
	ctx := c.Request().Context()
	loc := a.cfg.TimeZone
	av := console.AppointmentView{Heading: appointmentReference(slot),
		When:  slot.StartsAt.In(loc).Format("Monday, January 2, 2006, 3:04 PM") + " to " + slot.EndsAt.In(loc).Format("3:04 PM MST"),
		Agent: models.AgentNumber(slot.AgentID), Notes: slot.Notes, Mine: mine,
		Checklist: slices.Clone(videoChecklist), CanDecide: mine && slot.Outcome == "",
		Action: a.reverse(RouteConsoleAppointment, slot.ID), BackURL: a.reverse(RouteConsoleSchedule) + "?day=" + slot.StartsAt.In(loc).Format("2006-01-02")}
	switch slot.Outcome {
	case appointments.OutcomeVerified:
		av.Decided = "Verified. The person finishes by re-entering their password."
	case appointments.OutcomeFailed:
		av.Decided = "Not verified: " + slot.OutcomeReason
	case appointments.OutcomeNoShow:
		av.Decided = "The person did not join: " + slot.OutcomeReason
	}
	switch {
	case v.CompletedAt != nil:
		av.Status = "This person has finished verifying."
	case proofing.Current(v, a.now()) == proofing.StepBookCall:
		av.Status = "This person’s verification is waiting for this call."
	default:
		av.Status = "This person’s verification is no longer waiting for a call (they changed their answers or chose another way): you can only record it as not verified or missed."
	}
	if !mine {
		return av, nil
	}
	av.JoinURL = slot.MeetingURL
	var err error
	if av.Compare, err = a.compareWithRecord(ctx, v); err != nil {
		return av, err
	}
	return av, nil
}

// errCallNotAwaited: the verification moved on without the call.
var errCallNotAwaited = errors.New("the verification is not waiting for this call")

// recordAppointment saves the notes, or records the outcome: verified
// approves the person's documents the way a review decision does (the flow
// moves on, audited in the same transaction, and the person is e-mailed);
// not verified says why; a missed call frees the person to book again.
func (a *App) recordAppointment(c echo.Context) error {
	slot, v, mine, err := a.appointmentOf(c)
	if slot == nil {
		return err
	}
	if !mine || slot.Outcome != "" {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	now := a.now().UTC()
	o := appointments.Outcome{Result: c.FormValue("result"), Reason: strings.TrimSpace(c.FormValue("reason")), Notes: strings.TrimSpace(c.FormValue("notes"))}
	checked := c.Request().Form["check"]
	av, err := a.appointmentView(c, slot, v, mine)
	if err != nil {
		return err
	}
	av.Result, av.Reason, av.Notes = o.Result, o.Reason, o.Notes
	for i := range av.Checklist {
		av.Checklist[i].Checked = slices.Contains(checked, av.Checklist[i].ID)
	}
	if utf8.RuneCountInString(o.Notes) > 2000 {
		av.Errors.Add("notes", "Shorten the notes to 2,000 characters.")
		return a.renderAppointment(c, invalid, av)
	}
	if c.FormValue("save") == "notes" {
		if err := a.bookings().SaveNotes(ctx, slot.ID, o.Notes, now); err != nil {
			return err
		}
		av.Notes = o.Notes
		return redirect(c, a.reverse(RouteConsoleAppointment, slot.ID))
	}
	switch o.Result {
	case appointments.OutcomeVerified:
		for _, item := range videoChecklist {
			if !slices.Contains(checked, item.ID) {
				av.Errors.Add("check-id", "Confirm every item of the checklist to record “verified”, or record another outcome.")
			}
		}
	case appointments.OutcomeFailed, appointments.OutcomeNoShow:
		if o.Reason == "" {
			av.Errors.Add("reason", "Say why, in words the person will understand.")
		} else if utf8.RuneCountInString(o.Reason) > 400 {
			av.Errors.Add("reason", "Shorten the reason to 400 characters.")
		}
	default:
		av.Errors.Add("result-verified", "Choose the outcome of the call.")
	}
	if av.Errors.Any() {
		return a.renderAppointment(c, invalid, av)
	}
	svc := a.bookings()
	var acctID uint64
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var fresh models.IdentityVerification
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&fresh, v.ID).Error; err != nil {
			return err
		}
		acctID = fresh.AccountID
		action := audit.ActionVideoCallMissed
		switch o.Result {
		case appointments.OutcomeVerified:
			if proofing.Current(&fresh, now) != proofing.StepBookCall {
				return errCallNotAwaited
			}
			if err := a.flow.ApproveDocuments(&fresh, now); err != nil {
				return errCallNotAwaited
			}
			if err := svc.ReleaseOthersTx(tx, fresh.AccountID, slot.ID, now); err != nil {
				return err
			}
			action = audit.ActionDocumentsApproved
		case appointments.OutcomeFailed:
			action = audit.ActionDocumentsRejected
			if proofing.Current(&fresh, now) == proofing.StepBookCall {
				if err := a.flow.RejectDocuments(&fresh, o.Reason, now); err != nil {
					return err
				}
			}
		}
		if err := tx.Save(&fresh).Error; err != nil {
			return err
		}
		if err := svc.RecordTx(tx, slot, o, now); err != nil {
			return err
		}
		_, err := a.audit.AppendTx(ctx, tx, audit.Entry{Actor: actor(account(c)), Action: action, TaxpayerID: fresh.TaxpayerID,
			AccountID: &fresh.AccountID, Subject: "appointment:" + strconv.FormatUint(slot.ID, 10),
			Reason: appointmentReference(slot), Detail: "video call outcome: " + o.Result})
		return err
	})
	switch {
	case errors.Is(err, errCallNotAwaited):
		av.Errors.Add("result-verified", "This person’s verification is no longer waiting for a call, so it cannot be completed here. Record the call as not verified or missed.")
		return a.renderAppointment(c, http.StatusConflict, av)
	case errors.Is(err, appointments.ErrNotStarted):
		av.Errors.Add("result-verified", "The call has not started yet: record its outcome from 15 minutes before its time.")
		return a.renderAppointment(c, http.StatusConflict, av)
	case errors.Is(err, appointments.ErrDecided):
		return redirect(c, a.reverse(RouteConsoleAppointment, slot.ID))
	case err != nil:
		return err
	}
	person, err := models.FindAccount(ctx, a.db, acctID)
	if err != nil {
		return err
	}
	link := a.absolute(a.reverse(RouteVerify))
	msg := a.accounts.Brand.VideoCallVerified(person.Email, link)
	switch o.Result {
	case appointments.OutcomeFailed, appointments.OutcomeNoShow:
		msg = a.accounts.Brand.VideoCallFailed(person.Email, o.Reason, link)
	}
	a.sendMail(ctx, a.db, "the video-call outcome", msg)
	return redirect(c, a.reverse(RouteConsoleSchedule)+"?day="+slot.StartsAt.In(a.cfg.TimeZone).Format("2006-01-02")+"&done=recorded")
}
