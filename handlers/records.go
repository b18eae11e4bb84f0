package handlers

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/records"
	"github.com/taxportal/portal/views"
	recordviews "github.com/taxportal/portal/views/records"
)

// Route names of the records screens (see routes.go for who may reach them).
const (
	RouteRecords       = "records"
	RouteTranscript    = "records.transcript"
	RouteTranscriptPDF = "records.transcript.pdf"
	RouteTranscriptCSV = "records.transcript.csv"
	RouteRefunds       = "refunds"
	RouteRefundLookup  = "refund.lookup"
	RouteNotices       = "notices"
	RouteNotice        = "notices.notice"
)

// taxpayerOf is the signed-in, verified account's taxpayer id. requireVerified
// guarantees there is one; every record query filters on it, so nothing in a
// URL can reach another taxpayer's rows.
func taxpayerOf(c echo.Context) uint64 {
	if acct := account(c); acct != nil && acct.TaxpayerID != nil {
		return *acct.TaxpayerID
	}
	return 0
}

// recordsNow is the present in the portal's time zone: dates on records
// are calendar days where the taxpayer is.
func (a *App) recordsNow() time.Time { return a.now().In(a.cfg.TimeZone) }

func (a *App) recordLinks() recordviews.Links {
	return recordviews.Links{
		Records: a.reverse(RouteRecords), Refunds: a.reverse(RouteRefunds), Notices: a.reverse(RouteNotices),
		Account: a.reverse(RouteAccount), BalanceHelp: a.reverse(RouteHelpArticle, "read-account-transcript"),
	}
}

func (a *App) helpURL(slug string) string {
	if slug == "" {
		return ""
	}
	return a.reverse(RouteHelpArticle, slug)
}

// dashboardCrumbs are the breadcrumbs above every page reached from the
// dashboard: records, refunds, notices and the IP PIN.
func (a *App) dashboardCrumbs(more ...views.Crumb) []views.Crumb {
	return append([]views.Crumb{{Label: "Dashboard", URL: a.reverse(RouteDashboard)}}, more...)
}

// recordsIndex lists the tax years of the transcript windows, newest first,
// each with the five transcript types and whether they can be had.
func (a *App) recordsIndex(c echo.Context) error {
	ctx, now, id := c.Request().Context(), a.recordsNow(), taxpayerOf(c)
	d, err := a.records.Dashboard(ctx, id, now)
	if err != nil {
		return err
	}
	filed := map[int]records.YearSummary{}
	for _, y := range d.Years {
		filed[y.TaxYear] = y
	}
	w := a.records.Policy().Windows
	first, last := w.Years(records.TaxAccountTranscript, now)
	for _, k := range records.Kinds {
		if f, _ := w.Years(k, now); f < first {
			first = f
		}
	}
	v := recordviews.IndexView{Links: a.recordLinks(), TypesHelpURL: a.helpURL("transcript-types")}
	for y := last; y >= first; y-- {
		s, ok := filed[y]
		row := recordviews.YearRow{Year: y, Filed: "No return on file for this year."}
		if ok {
			row.Filed = s.Form + ", " + s.FilingStatus + ". " + s.Filed + "."
		}
		for _, k := range records.Kinds {
			t := recordviews.TranscriptLink{Title: k.Title(), Purpose: k.Purpose()}
			if err := w.Check(k, y, now, ok); err != nil {
				var un *records.UnavailableError
				if errors.As(err, &un) {
					t.Reason = un.Reason
				}
			} else {
				t.URL = a.reverse(RouteTranscript, y, string(k))
			}
			row.Transcripts = append(row.Transcripts, t)
		}
		v.Years = append(v.Years, row)
	}
	return render(c, http.StatusOK, recordviews.Index(a.page(c, "Your tax records", a.dashboardCrumbs(views.Crumb{Label: "Tax records"})...), v), nil)
}

// transcriptFor reads the year and kind from the URL and builds the
// signed-in taxpayer's transcript. A malformed URL is 404; a transcript that
// cannot be had is an *UnavailableError.
func (a *App) transcriptFor(c echo.Context) (records.Transcript, error) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 1900 || year > 9999 {
		return records.Transcript{}, echo.ErrNotFound
	}
	k, ok := records.ParseKind(c.Param("kind"))
	if !ok {
		return records.Transcript{}, echo.ErrNotFound
	}
	t, err := a.records.Transcript(c.Request().Context(), taxpayerOf(c), k, year, a.recordsNow())
	if errors.Is(err, records.ErrNoTaxpayer) {
		return t, echo.ErrNotFound
	}
	return t, err
}

// unavailable answers 404 with the reason: the transcript does not exist
// for this taxpayer, whether or not someone else has one for that year.
func (a *App) unavailable(c echo.Context, err error) error {
	var un *records.UnavailableError
	if !errors.As(err, &un) {
		return err
	}
	title := un.Kind.Title() + " for " + strconv.Itoa(un.Year)
	v := recordviews.UnavailableView{Title: title, Reason: un.Reason, BackURL: a.reverse(RouteRecords)}
	p := a.page(c, title, a.dashboardCrumbs(views.Crumb{Label: "Tax records", URL: a.reverse(RouteRecords)}, views.Crumb{Label: title})...)
	return render(c, http.StatusNotFound, recordviews.Unavailable(p, v), nil)
}

func (a *App) transcript(c echo.Context) error {
	t, err := a.transcriptFor(c)
	if err != nil {
		return a.unavailable(c, err)
	}
	v := recordviews.TranscriptView{
		T: t, PDFURL: a.reverse(RouteTranscriptPDF, t.TaxYear, string(t.Kind)),
		HelpURL: a.helpURL(t.HelpSlug), BackURL: a.reverse(RouteRecords),
	}
	if hasTransactions(t.Kind) {
		v.CSVURL = a.reverse(RouteTranscriptCSV, t.TaxYear, string(t.Kind))
	}
	for _, r := range t.Rows {
		v.Rows = append(v.Rows, recordviews.Row{TransactionRow: r, HelpURL: a.helpURL(r.HelpSlug)})
	}
	title := t.Title + " " + strconv.Itoa(t.TaxYear)
	p := a.page(c, title, a.dashboardCrumbs(views.Crumb{Label: "Tax records", URL: a.reverse(RouteRecords)}, views.Crumb{Label: title})...)
	return render(c, http.StatusOK, recordviews.Transcript(p, v), nil)
}

func hasTransactions(k records.Kind) bool {
	return k == records.TaxAccountTranscript || k == records.RecordOfAccount
}

// attachment sends a download that must not be kept by caches (the
// security headers already say no-store for every page; downloads say it
// again, since they are what a shared computer would keep).
func attachment(c echo.Context, contentType, filename string, body []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, contentType, body)
}

func transcriptFile(t records.Transcript, ext string) string {
	return "transcript-" + strconv.Itoa(t.TaxYear) + "-" + string(t.Kind) + "." + ext
}

func (a *App) transcriptPDF(c echo.Context) error {
	t, err := a.transcriptFor(c)
	if err != nil {
		return a.unavailable(c, err)
	}
	var buf bytes.Buffer
	if err := records.WritePDF(&buf, t); err != nil {
		return err
	}
	return attachment(c, "application/pdf", transcriptFile(t, "pdf"), buf.Bytes())
}

func (a *App) transcriptCSV(c echo.Context) error {
	t, err := a.transcriptFor(c)
	if err != nil {
		return a.unavailable(c, err)
	}
	if !hasTransactions(t.Kind) {
		return echo.ErrNotFound
	}
	var buf bytes.Buffer
	if err := records.WriteTransactionsCSV(&buf, t); err != nil {
		return err
	}
	return attachment(c, "text/csv; charset=utf-8", transcriptFile(t, "csv"), buf.Bytes())
}

// letterWords names the letters the portal mails, for the notices page.
var letterWords = map[models.LetterKind]string{
	models.LetterVerificationCode: "Letter with a code to confirm your address",
	models.LetterIPPINNotice:      "Your Identity Protection PIN (notice CP01A)",
}

func (a *App) notices(c echo.Context) error {
	ctx, now := c.Request().Context(), a.recordsNow()
	sum, err := a.records.Account(ctx, taxpayerOf(c), now)
	if err != nil {
		return err
	}
	v := recordviews.NoticesView{Links: a.recordLinks()}
	for _, n := range sum.Notices {
		v.Notices = append(v.Notices, a.noticeRow(n))
	}
	// Every letter mailed to the taxpayer's address, including those sent
	// before this account existed.
	var letters []models.Letter
	if err := a.db.WithContext(ctx).Select("kind", "sent_at", "last_day").Where("taxpayer_id = ?", taxpayerOf(c)).
		Order("sent_at DESC").Limit(20).Find(&letters).Error; err != nil {
		return err
	}
	for _, l := range letters {
		what, ok := letterWords[l.Kind]
		if !ok {
			what = "Letter about your account"
		}
		row := recordviews.LetterRow{What: what, Sent: records.FormatDate(l.SentAt.In(a.cfg.TimeZone))}
		if l.Kind == models.LetterVerificationCode && !l.LastDay.IsZero() {
			row.Detail = "The code in it works until " + records.FormatDate(l.LastDay) + "."
		}
		v.Letters = append(v.Letters, row)
	}
	return render(c, http.StatusOK, recordviews.Notices(a.page(c, "Your notices", a.dashboardCrumbs(views.Crumb{Label: "Notices"})...), v), nil)
}

func (a *App) noticeRow(n records.NoticeItem) recordviews.NoticeRow {
	return recordviews.NoticeRow{
		NoticeItem: n, URL: a.reverse(RouteNotice, n.ID), HelpURL: a.helpURL(n.HelpSlug),
		RecordURL: a.reverse(RouteTranscript, n.TaxYear, string(records.TaxAccountTranscript)),
	}
}

func (a *App) notice(c echo.Context) error {
	id, ok := parseID(c)
	if !ok {
		return echo.ErrNotFound
	}
	n, err := a.records.Notice(c.Request().Context(), taxpayerOf(c), id)
	if errors.Is(err, records.ErrNoNotice) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	row := a.noticeRow(n)
	p := a.page(c, n.Title, a.dashboardCrumbs(views.Crumb{Label: "Notices", URL: a.reverse(RouteNotices)}, views.Crumb{Label: n.Title})...)
	return render(c, http.StatusOK, recordviews.Notice(p, row, a.reverse(RouteNotices)), nil)
}
