package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/phonecalls"
	"github.com/taxportal/portal/records"
	"github.com/taxportal/portal/views/console"
)

// Supervisors' approvals (/agent/approvals): the second-factor resets agents
// asked for on calls. The two-person rule is the phonecalls package's: the
// one who asked never decides.

const RouteConsoleApprovalDecide = "console.approvals.decide"

func (a *App) consoleApprovals(c echo.Context) error {
	notices := map[string]string{"approved": "The reset is done: the second factors are removed, the account is signed out, and its holder was emailed.",
		"declined": "The reset was declined. Nothing changed on the account."}
	return a.showApprovals(c, http.StatusOK, console.ApprovalsView{Notice: notices[c.QueryParam("done")]})
}

func (a *App) showApprovals(c echo.Context, status int, v console.ApprovalsView) error {
	ctx := c.Request().Context()
	me := account(c)
	pending, err := a.phoneCalls().Pending(ctx)
	if err != nil {
		return err
	}
	if v.Reasons == nil {
		v.Reasons = map[string]string{}
	}
	// The requests' taxpayers and accounts, two queries for the whole list.
	var taxpayerIDs, accountIDs []uint64
	for _, r := range pending {
		taxpayerIDs, accountIDs = append(taxpayerIDs, r.TaxpayerID), append(accountIDs, r.AccountID)
	}
	taxpayers, holders := map[uint64]models.Taxpayer{}, map[uint64]models.Account{}
	if len(pending) > 0 {
		var tps []models.Taxpayer
		if err := a.db.WithContext(ctx).Where("id IN ?", taxpayerIDs).Find(&tps).Error; err != nil {
			return err
		}
		for _, tp := range tps {
			taxpayers[tp.ID] = tp
		}
		var accts []models.Account
		if err := a.db.WithContext(ctx).Where("id IN ?", accountIDs).Find(&accts).Error; err != nil {
			return err
		}
		for _, h := range accts {
			holders[h.ID] = h
		}
	}
	for _, r := range pending {
		tp, holder := taxpayers[r.TaxpayerID], holders[r.AccountID]
		v.Pending = append(v.Pending, console.ApprovalRow{ID: strconv.FormatUint(r.ID, 10), Requested: a.when(r.RequestedAt),
			By: models.AgentNumber(r.RequestedBy), Mine: r.RequestedBy == me.ID,
			Taxpayer: tp.FullName() + " (SSN " + records.MaskSSN(tp.SSNLast4) + ")",
			Account:  notify.MaskEmail(holder.Email), Reason: r.Reason + " (phone call " + strconv.FormatUint(r.CallID, 10) + ")",
			Action: a.reverse(RouteConsoleApprovalDecide, r.ID)})
	}
	return render(c, status, console.Approvals(a.consolePage(c, "Approvals"), v), nil)
}

func (a *App) decideApproval(c echo.Context) error {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	me, now := account(c), a.now().UTC()
	reason := strings.TrimSpace(c.FormValue("reason"))
	decision := c.FormValue("decision")
	if decision != "approve" && decision != "decline" {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	key := strconv.FormatUint(id, 10)
	v := console.ApprovalsView{Reasons: map[string]string{key: reason}}
	holder, req, err := a.phoneCalls().Decide(ctx, id, decision == "approve", actor(me), reason, now)
	switch {
	case errors.Is(err, phonecalls.ErrNotFound):
		return echo.ErrNotFound
	case errors.Is(err, phonecalls.ErrOwnRequest):
		v.Errors = oneError("reason-"+key, "You asked for this reset: another supervisor must decide it.")
		return a.showApprovals(c, http.StatusForbidden, v)
	case errors.Is(err, phonecalls.ErrDecided):
		v.Errors = oneError("reason-"+key, "Someone decided this request already.")
		return a.showApprovals(c, http.StatusConflict, v)
	case errors.Is(err, phonecalls.ErrNoReason):
		v.Errors = oneError("reason-"+key, "Give the reason for your decision.")
		return a.showApprovals(c, invalid, v)
	case errors.Is(err, phonecalls.ErrReasonTooLong):
		v.Errors = oneError("reason-"+key, "Shorten the reason to 200 characters.")
		return a.showApprovals(c, invalid, v)
	case err != nil:
		return err
	}
	if req.Status != phonecalls.ResetApproved {
		return redirect(c, a.reverse(RouteConsoleApprovals)+"?done=declined")
	}
	a.accounts.Record(ctx, holder.ID, eventFactorsReset, "second factors reset by "+models.AgentNumber(req.RequestedBy)+
		", approved by "+models.AgentNumber(me.ID), a.clientOf(c))
	a.sendMail(c.Request().Context(), a.db, "a phone-assistance message", a.accounts.Brand.SignInMethodsReset(holder.Email, a.accounts.Links.SignIn(),
		a.wasntMeLink(c, holder), now, a.cfg.TimeZone))
	return redirect(c, a.reverse(RouteConsoleApprovals)+"?done=approved")
}
