package handlers

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/limits"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/records"
	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/forms"
	"github.com/taxportal/portal/views/refund"
)

// refunds is the signed-in tracker: the current tax year and the two before.
func (a *App) refunds(c echo.Context) error {
	ctx, now, id := c.Request().Context(), a.recordsNow(), taxpayerOf(c)
	v := refund.YearsView{RecordsURL: a.reverse(RouteRecords), StagesURL: a.helpURL("refund-stages")}
	years := a.records.Policy().LookupYears(now)
	statuses, err := a.records.Refunds(ctx, id, years, now)
	if err != nil {
		return err
	}
	for i, s := range statuses {
		v.Years = append(v.Years, a.trackerView(s, strconv.Itoa(years[i])+" tax year"))
	}
	return render(c, http.StatusOK, refund.Years(a.page(c, "Your refunds", a.dashboardCrumbs(views.Crumb{Label: "Refunds"})...), v), nil)
}

// The public lookup's limits. Only failed lookups count (a refused try
// checks nothing). Per client, enough for a household's returns and a few
// typing mistakes; per number, few enough that guessing the exact refund
// amount of someone else's return is hopeless.
var (
	lookupPerClient = credential.Limit{Max: 20, Window: 24 * time.Hour}
	lookupPerNumber = credential.Limit{Max: 5, Window: 24 * time.Hour}
)

func clientLookupKey(ip string) string { return "refund-lookup:ip:" + ip }

func (a *App) numberLookupKey(ssn pii.SSN) string {
	return "refund-lookup:number:" + a.vault.Index("refund-lookup", ssn.Digits())
}

// lookupDecision counts a key's failed lookups in the limit's window.
func (a *App) lookupDecision(c echo.Context, key string, lim credential.Limit) (credential.Decision, error) {
	now := a.now()
	st, err := models.CountAttempts(c.Request().Context(), a.db, key, lim.WindowStart(now))
	if err != nil {
		return credential.Decision{}, err
	}
	return lim.Decide(st.Count, st.Oldest, st.Newest, now), nil
}

// lookupForm is what the lookup asks for, as typed.
type lookupForm struct {
	SSN, Year, Status, Amount string
}

func readLookupForm(c echo.Context) lookupForm {
	return lookupForm{
		SSN: strings.TrimSpace(c.FormValue("ssn")), Year: c.FormValue("tax_year"),
		Status: c.FormValue("filing_status"), Amount: strings.TrimSpace(c.FormValue("refund")),
	}
}

// Validate checks each field's form (not whether it matches anything) and
// builds the request.
func (f lookupForm) Validate(years []int) (records.LookupRequest, forms.Errors) {
	var req records.LookupRequest
	var errs forms.Errors
	ssn, err := pii.ParseSSN(f.SSN)
	if err != nil {
		errs.Add("ssn", messages.Get(messages.RefundSSNInvalid).Body)
	}
	req.SSN = ssn
	y, err := strconv.Atoi(f.Year)
	ok := false
	for _, yy := range years {
		ok = ok || yy == y
	}
	if err != nil || !ok {
		errs.Add("tax_year", messages.Get(messages.RefundYearMissing).Body)
	}
	req.TaxYear = y
	req.FilingStatus = models.FilingStatus(f.Status)
	known := false
	for _, s := range models.FilingStatuses {
		known = known || s == req.FilingStatus
	}
	if !known {
		errs.Add("filing_status", messages.Get(messages.RefundStatusMissing).Body)
	}
	amount := strings.NewReplacer("$", "", ",", "", " ", "").Replace(f.Amount)
	switch n, err := strconv.ParseInt(amount, 10, 64); {
	case amount == "":
		errs.Add("refund", messages.Get(messages.RefundAmountMissing).Body)
	case strings.Contains(amount, "."):
		errs.Add("refund", messages.Get(messages.RefundAmountCents).Body)
	case err != nil || n <= 0:
		errs.Add("refund", messages.Get(messages.RefundAmountInvalid).Body)
	default:
		req.RefundDollars = n
	}
	return req, errs
}

func (a *App) lookupView(c echo.Context, f lookupForm) refund.LookupView {
	v := refund.LookupView{
		Action: a.reverse(RouteRefundLookup), Years: a.records.Policy().LookupYears(a.recordsNow()),
		SSN: f.SSN, Year: f.Year, Status: f.Status, Amount: f.Amount,
		SignInURL: a.reverse(RouteSignIn), HelpURL: a.helpURL("check-refund-status"),
		Statuses: []refund.Choice{{Value: "", Label: "- Select -"}},
	}
	for _, s := range models.FilingStatuses {
		v.Statuses = append(v.Statuses, refund.Choice{Value: string(s), Label: s.Label()})
	}
	return v
}

// limitText puts the lookup limit into words: the general rule on the
// empty form, and after a failure the tries left under the strictest limit.
func (a *App) limitText(d credential.Decision, failed bool) string {
	switch {
	case !d.Allowed:
		return credential.Explain(d, a.cfg.TimeZone) + " To protect you, we limit how often refund details can be checked."
	case failed:
		return strings.TrimSuffix(credential.Explain(d, a.cfg.TimeZone), ".") + " today, then checking pauses for a day."
	}
	return "To protect you, each device can check up to " + strconv.Itoa(lookupPerClient.Max) + " times a day, and each number " +
		strconv.Itoa(lookupPerNumber.Max) + " times."
}

func (a *App) lookupPage(c echo.Context, status int, v refund.LookupView) error {
	title := "Check your refund status"
	if v.Result != nil {
		title = "Your refund status"
	}
	return render(c, status, refund.Lookup(a.page(c, title), v), nil)
}

func (a *App) refundLookupForm(c echo.Context) error {
	d, err := a.lookupDecision(c, clientLookupKey(c.RealIP()), lookupPerClient)
	if err != nil {
		return err
	}
	v := a.lookupView(c, lookupForm{})
	v.Limit, v.Refused = a.limitText(d, false), !d.Allowed
	return a.lookupPage(c, http.StatusOK, v)
}

// refundLookup answers in the response to the POST: the number never
// appears in a URL, and nothing about the answer is kept.
func (a *App) refundLookup(c echo.Context) error {
	ctx, now := c.Request().Context(), a.now()
	f := readLookupForm(c)
	v := a.lookupView(c, f)
	clientKey := clientLookupKey(c.RealIP())
	d, err := a.lookupDecision(c, clientKey, lookupPerClient)
	if err != nil {
		return err
	}
	if !d.Allowed {
		v.Limit, v.Refused = a.limitText(d, false), true
		return a.lookupPage(c, http.StatusTooManyRequests, v)
	}
	req, errs := f.Validate(v.Years)
	if errs.Any() {
		v.Errors, v.Limit = errs, a.limitText(d, false)
		return a.lookupPage(c, invalid, v)
	}
	// Counted before the lookup (package limits), so lookups sent at once
	// never check more details than the limits allow.
	try, d, err := limits.Begin(ctx, a.db, now, limits.Gate{Key: clientKey, Limit: lookupPerClient},
		limits.Gate{Key: a.numberLookupKey(req.SSN), Limit: lookupPerNumber})
	if err != nil {
		return err
	}
	if try == nil {
		v.Limit, v.Refused = a.limitText(d, false), true
		return a.lookupPage(c, http.StatusTooManyRequests, v)
	}
	res, err := a.records.LookupRefund(ctx, req, a.recordsNow())
	if errors.Is(err, records.ErrNoMatch) {
		d = try.Fail()
		v.Problem, v.Limit, v.Refused = messages.Get(messages.RefundLookupNoMatch).Body, a.limitText(d, true), !d.Allowed
		return a.lookupPage(c, invalid, v)
	}
	if ferr := try.Forget(context.WithoutCancel(ctx)); err != nil || ferr != nil {
		return cmp.Or(err, ferr)
	}
	v.Result, v.ResultHelp = &res, a.helpURL(res.HelpSlug)
	return a.lookupPage(c, http.StatusOK, v)
}
