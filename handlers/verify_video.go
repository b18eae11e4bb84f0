package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/taxportal/portal/appointments"
	"github.com/taxportal/portal/audit"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/proofing"
	"github.com/taxportal/portal/views/verify"
)

// The video-call route's booking step (/verify/video-call): the person picks
// one of the times agents published, in their own time zone, and may cancel
// or move it. The agent's outcome (see console_schedule.go) completes or
// fails the step.

// Taxpayer-side routes of the video route beyond the step itself.
const (
	RouteVerifyVideoInstead = "verify.video.instead"
)

// openSlotsShown bounds the times listed: a few weeks' worth.
const openSlotsShown = 80

func (a *App) bookings() *appointments.Service {
	return appointments.New(a.db, appointments.DefaultSettings(a.cfg.MeetingURL))
}

// videoZone is the zone times are shown in: chosen on the page, else the
// one of the state in the person's information, else the portal's.
func (a *App) videoZone(c echo.Context, vs *verifyState) *time.Location {
	return appointments.ZoneFor(c.FormValue("tz"), vs.v.State, a.cfg.TimeZone)
}

// slotTime says when a call is, as a person reads it, in loc.
func slotTime(s *models.VideoSlot, loc *time.Location) string {
	start, end := s.StartsAt.In(loc), s.EndsAt.In(loc)
	return start.Format("Monday, January 2, 2006, 3:04 PM") + " to " + end.Format("3:04 PM MST")
}

func (a *App) showVideoCall(c echo.Context, vs *verifyState, status int, notice, problem string) error {
	ctx := c.Request().Context()
	loc := a.videoZone(c, vs)
	v := verify.VideoCallView{Frame: a.verifyFrame(vs), Notice: notice, Rejected: vs.v.DocumentsRejected,
		ZoneAction: a.stepURL(proofing.StepBookCall), ZoneLabel: appointments.ZoneLabel(loc), Zone: loc.String(),
		Action: a.stepURL(proofing.StepBookCall)}
	if problem != "" {
		v.Errors.Add("slot", problem)
	}
	for _, z := range appointments.Zones {
		v.Zones = append(v.Zones, verify.ZoneOption{Value: z.Name, Label: z.Label, Selected: z.Name == loc.String()})
	}
	if vs.v.DocumentsApprovedAt != nil {
		v.Approved, v.ContinueURL = true, a.stepURL(proofing.Current(vs.v, vs.now))
		return render(c, http.StatusOK, verify.VideoCall(a.verifyPageOf(c, vs, "Verify on a video call"), v), nil)
	}
	svc := a.bookings()
	booked, err := svc.Booked(ctx, vs.acct.ID, vs.now)
	if err != nil {
		return err
	}
	if booked != nil {
		v.Booked = &verify.Appointment{ID: strconv.FormatUint(booked.ID, 10), When: slotTime(booked, loc), JoinURL: booked.MeetingURL}
	}
	open, err := svc.Open(ctx, vs.now, openSlotsShown)
	if err != nil {
		return err
	}
	for i := range open {
		s := &open[i]
		day := s.StartsAt.In(loc).Format("Monday, January 2")
		if len(v.Days) == 0 || v.Days[len(v.Days)-1].Label != day {
			v.Days = append(v.Days, verify.SlotDay{Label: day})
		}
		d := &v.Days[len(v.Days)-1]
		d.Slots = append(d.Slots, verify.SlotOption{ID: strconv.FormatUint(s.ID, 10),
			Label: s.StartsAt.In(loc).Format("3:04 PM") + " to " + s.EndsAt.In(loc).Format("3:04 PM MST")})
	}
	v.OtherWays = append([]verify.Way{{Label: "Verify online with photos of your ID", URL: a.stepURL(proofing.StepMethod)}},
		a.otherWays([]proofing.Alternative{proofing.AlternativeInPerson})...)
	return render(c, status, verify.VideoCall(a.verifyPageOf(c, vs, "Verify on a video call"), v), nil)
}

// answerVideoCall books, moves or cancels the person's appointment.
func (a *App) answerVideoCall(c echo.Context, vs *verifyState) error {
	if vs.v.DocumentsApprovedAt != nil {
		return redirect(c, a.stepURL(proofing.Current(vs.v, vs.now)))
	}
	ctx := c.Request().Context()
	loc := a.videoZone(c, vs)
	back := a.stepURL(proofing.StepBookCall) + "?tz=" + loc.String()
	id := func(name string) (uint64, bool) {
		n, err := strconv.ParseUint(c.FormValue(name), 10, 64)
		return n, err == nil && n > 0
	}
	booking := appointments.Booking{AccountID: vs.acct.ID, VerificationID: vs.v.ID, TimeZone: loc.String()}
	// Each change and the e-mail that confirms it are one transaction.
	inTx := func(fn func(tx *gorm.DB, svc *appointments.Service) error) error {
		return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return fn(tx, appointments.New(tx, appointments.DefaultSettings(a.cfg.MeetingURL)))
		})
	}
	var slot *models.VideoSlot
	var err error
	action := c.FormValue("action")
	switch action {
	case "book", "move":
		to, ok := id("slot")
		if !ok {
			return a.showVideoCall(c, vs, invalid, "", "Choose a time for your call.")
		}
		var from uint64
		if action == "move" {
			if from, ok = id("appointment"); !ok {
				return echo.ErrNotFound
			}
		}
		err = inTx(func(tx *gorm.DB, svc *appointments.Service) error {
			var err error
			if action == "book" {
				slot, err = svc.Book(ctx, to, booking, vs.now)
			} else {
				slot, err = svc.Move(ctx, from, to, booking, vs.now)
			}
			if err != nil {
				return err
			}
			return a.messages.Mail(ctx, tx, a.accounts.Brand.VideoCallBooked(vs.acct.Email, slot.MeetingURL, a.absolute(a.stepURL(proofing.StepBookCall)), slot.StartsAt, loc))
		})
	case "cancel":
		from, ok := id("appointment")
		if !ok {
			return echo.ErrNotFound
		}
		before, gerr := a.bookings().Get(ctx, from)
		if gerr != nil && !errors.Is(gerr, appointments.ErrNotFound) {
			return gerr
		}
		err = inTx(func(tx *gorm.DB, svc *appointments.Service) error {
			if err := svc.Cancel(ctx, from, vs.acct.ID, vs.now); err != nil {
				return err
			}
			return a.messages.Mail(ctx, tx, a.accounts.Brand.VideoCallCancelled(vs.acct.Email, a.absolute(a.stepURL(proofing.StepBookCall)), before.StartsAt, loc))
		})
		if err == nil {
			a.auditVerification(c, vs, "verification.video_call_cancelled", audit.OutcomeOK, "")
			return redirect(c, back+"&done=cancelled")
		}
	default:
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	switch {
	case errors.Is(err, appointments.ErrNotFound):
		return echo.ErrNotFound // not theirs, or gone: the same answer either way
	case errors.Is(err, appointments.ErrTaken):
		return a.showVideoCall(c, vs, http.StatusConflict, "", "Someone else just booked that time. Choose another one.")
	case errors.Is(err, appointments.ErrTooLate):
		return a.showVideoCall(c, vs, http.StatusConflict, "", "Your call starts in less than 30 minutes, so it can no longer be changed online. Join it, or if you cannot, it will be marked missed and you can book again.")
	case errors.Is(err, appointments.ErrTooSoon):
		return a.showVideoCall(c, vs, http.StatusConflict, "", "That time starts too soon to book. Choose a later one.")
	case errors.Is(err, appointments.ErrHasBooking):
		return a.showVideoCall(c, vs, http.StatusConflict, "", "You already have an appointment. Move it instead of booking a second one.")
	case err != nil:
		return err
	}
	a.auditVerification(c, vs, "verification.video_call_"+map[string]string{"book": "booked", "move": "moved"}[action], audit.OutcomeOK, "")
	return redirect(c, back+"&done="+action)
}

// videoNotices are the confirmations after a change, by the done parameter.
var videoNotices = map[string]string{
	"book":      "Your call is booked. We emailed you the time and the link to join.",
	"move":      "Your call is moved. We emailed you the new time; the old link no longer works.",
	"cancelled": "Your appointment is cancelled. You can book another time whenever you are ready.",
}

func (a *App) showBookCall(c echo.Context, vs *verifyState) error {
	return a.showVideoCall(c, vs, http.StatusOK, videoNotices[c.QueryParam("done")], "")
}

// absolute is a path on the portal's public address, for e-mails, texts and
// QR codes (config leaves the address without a trailing slash).
func (a *App) absolute(path string) string { return a.cfg.BaseURL.String() + path }

// videoInsteadForm offers a person on the online route to book a call
// instead of waiting for the review or taking new photos.
func (a *App) videoInsteadForm(c echo.Context) error {
	vs, ok, err := a.insteadState(c)
	if !ok {
		return err
	}
	open, err := a.bookings().Open(c.Request().Context(), vs.now, openSlotsShown)
	if err != nil {
		return err
	}
	v := verify.VideoInsteadView{Action: a.reverse(RouteVerifyVideoInstead), OpenTimes: len(open),
		BackURL: a.stepURL(proofing.Current(vs.v, vs.now))}
	return render(c, http.StatusOK, verify.VideoInstead(a.verifyPageOf(c, vs, "Book a video call instead"), v), nil)
}

func (a *App) videoInstead(c echo.Context) error {
	vs, ok, err := a.insteadState(c)
	if !ok {
		return err
	}
	ctx := c.Request().Context()
	if err := a.flow.SwitchToVideo(vs.v, vs.now); err != nil {
		return a.flowError(c, vs, err)
	}
	if err := a.db.WithContext(ctx).Save(vs.v).Error; err != nil {
		return err
	}
	// The photos are no longer needed: keep no more than the route uses.
	if err := a.docs.DeleteFor(ctx, vs.v.ID); err != nil {
		return err
	}
	a.auditVerification(c, vs, "verification.switched_to_video", audit.OutcomeOK, "")
	return redirect(c, a.stepURL(proofing.Current(vs.v, vs.now)))
}

// insteadState loads the attempt for the switch: only an unfinished online
// attempt may switch; anyone else goes where they belong.
func (a *App) insteadState(c echo.Context) (*verifyState, bool, error) {
	acct := account(c)
	if acct.VerifiedAt != nil {
		return nil, false, redirect(c, a.stepURL(proofing.StepDone))
	}
	v, err := a.latestAttempt(c.Request().Context(), acct.ID)
	if err != nil {
		return nil, false, err
	}
	now := a.now().UTC()
	if v == nil || proofing.Expired(v, now) {
		return nil, false, redirect(c, a.reverse(RouteVerify))
	}
	if v.Method != models.MethodOnline {
		return nil, false, redirect(c, a.stepURL(proofing.Current(v, now)))
	}
	return &verifyState{acct: acct, v: v, step: proofing.Current(v, now), now: now}, true, nil
}
