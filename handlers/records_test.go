package handlers_test

import (
	"bytes"
	"compress/zlib"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/portaltest"
)

// Featured demo taxpayers by their id in a freshly seeded database (taxpayer
// i of demodata.Featured gets id i+1).
const (
	mariaID   = 1 // return received, no notices
	kowalski  = 4 // paper filer with eight years on file
	leilaniID = 5 // refund held, notice CP05 coming
	sarahID   = 7 // part of the refund paid another agency's debt
	emilyID   = 9 // balance due with interest and penalty
)

// recordsPortal is a portal seeded with the demo taxpayers, its clock on
// the demo data's reference day.
func recordsPortal(t testing.TB) *portaltest.Portal {
	t.Helper()
	p := portaltest.Start(t)
	p.Clock.T = demodata.Today.Add(17 * time.Hour)
	if _, err := demodata.Seed(t.Context(), p.DB, p.Vault, demodata.Options{Taxpayers: 12}); err != nil {
		t.Fatal(err)
	}
	return p
}

// signInAs signs up a new account and links it to a demo taxpayer as a
// finished identity verification would, returning a signed-in client.
func signInAs(t *testing.T, p *portaltest.Portal, email string, taxpayerID uint64) *portaltest.Client {
	t.Helper()
	c := p.Client(t)
	signUp(t, p, c, email)
	verified := p.Clock.Now()
	if err := p.DB.Model(&models.Account{}).Where("email = ?", email).
		Updates(map[string]any{"verified_at": verified, "taxpayer_id": taxpayerID}).Error; err != nil {
		t.Fatal(err)
	}
	return c
}

func expectStatus(t *testing.T, page *portaltest.Page, status int) {
	t.Helper()
	if page.StatusCode != status {
		t.Fatalf("%s: want %d, got %d\n%s", page.Request.URL.Path, status, page.StatusCode, page.Text("main"))
	}
}

// pdfText pulls the strings a PDF draws, inflating compressed streams.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	streamRE := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	textRE := regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) ?Tj`)
	var lines []string
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		data := m[1]
		if r, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
			if inflated, err := io.ReadAll(r); err == nil {
				data = inflated
			}
		}
		for _, s := range textRE.FindAllSubmatch(data, -1) {
			lines = append(lines, strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(string(s[1])))
		}
	}
	return strings.Join(lines, "\n")
}

func latestYear() string { return strconv.Itoa(demodata.Featured[4].LatestYear) }

func TestRecordsGuards(t *testing.T) {
	p := recordsPortal(t)
	year := latestYear()
	paths := []string{"/dashboard", "/records", "/records/" + year + "/account", "/records/" + year + "/account/transcript.pdf",
		"/records/" + year + "/account/transactions.csv", "/refunds", "/notices", "/notices/1"}

	out := p.Client(t)
	for _, path := range paths {
		expectRedirect(t, out.Get(path), "/sign-in")
	}

	c := p.Client(t)
	signUp(t, p, c, "unverified@example.com")
	for _, path := range paths {
		expectRedirect(t, c.Get(path), "/verify")
	}
	// The first record page asked for is remembered for after verification.
	if nav := c.Get("/account").Doc.Find(`a[href="/dashboard"]`); nav.Length() != 0 {
		t.Error("an unverified account is offered the dashboard")
	}
}

func TestDashboardExplainsAHeldRefund(t *testing.T) {
	p := recordsPortal(t)
	c := signInAs(t, p, "leilani@example.com", leilaniID)
	page := c.Get("/dashboard")
	expectStatus(t, page, http.StatusOK)
	if page.Header.Get("Cache-Control") != "no-store" {
		t.Error("the dashboard may be cached")
	}
	if got := page.Text(`[data-testid="dashboard-name"]`); !strings.Contains(got, "Kahananui") {
		t.Errorf("name: %q", got)
	}
	refund := page.Text(`[data-testid="refund-` + latestYear() + `"]`)
	for _, want := range []string{"Return Received", "CP05", "What to do", "When calling helps"} {
		if !strings.Contains(refund, want) {
			t.Errorf("the refund tracker does not say %q:\n%s", want, refund)
		}
	}
	if !strings.Contains(page.Text(`[data-testid="dashboard-notices"]`), "Notice CP05") {
		t.Error("the CP05 notice is not listed")
	}
	if !strings.Contains(page.Text(`[data-testid="ippin-card"]`), "Get an IP PIN") {
		t.Error("the IP PIN card does not offer enrolment")
	}
	if page.Doc.Find(`[data-testid="return-stopped"]`).Length() != 0 {
		t.Error("a stopped-return alert with no stopped return")
	}
	if page.Doc.Find(`header a[href="/dashboard"]`).Length() == 0 {
		t.Error("the header does not link to the dashboard")
	}
}

func TestDashboardBalanceAndStoppedReturn(t *testing.T) {
	p := recordsPortal(t)
	c := signInAs(t, p, "emily@example.com", emilyID)
	var acct models.Account
	if err := p.DB.Where("email = ?", "emily@example.com").Take(&acct).Error; err != nil {
		t.Fatal(err)
	}
	// What the e-file check writes when it stops a return: the alert, and a
	// line in the security history.
	stoppedAt := p.Clock.Now().Add(-48 * time.Hour)
	if err := p.DB.Create(&models.IPPINAlert{TaxpayerID: emilyID, TaxYear: 2025, Code: string(ippin.PrimaryPINMismatch), At: stoppedAt}).Error; err != nil {
		t.Fatal(err)
	}
	if err := p.DB.Create(&models.SecurityEvent{AccountID: acct.ID, Kind: ippin.EventReturnStopped, At: stoppedAt,
		Detail: "A tax year 2025 return was stopped"}).Error; err != nil {
		t.Fatal(err)
	}
	// Enrolled in the IP PIN program, with this year's PIN issued.
	if _, err := ippin.New(p.DB, p.Vault, ippin.DefaultSettings()).Enrol(t.Context(), emilyID, p.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	page := c.Get("/dashboard")
	expectStatus(t, page, http.StatusOK)
	if card := page.Text(`[data-testid="ippin-card"]`); !strings.Contains(card, "You are enrolled") || !strings.Contains(card, "See your IP PIN") {
		t.Errorf("IP PIN card of an enrolled taxpayer:\n%s", card)
	}
	balance := page.Text(`[data-testid="balance"]`)
	if !strings.Contains(balance, "As of Nov. 22, 2026") || page.Doc.Find(`[data-testid="balance-parts"] tbody tr`).Length() == 0 {
		t.Errorf("balance due without its date or parts:\n%s", balance)
	}
	if total := page.Text(`[data-testid="balance-total"]`); total == "$0.00" {
		t.Error("Emily owes tax, the dashboard says nothing")
	}
	if !strings.Contains(page.Text(`[data-testid="return-stopped"]`), "the wrong IP PIN; it was stopped") {
		t.Error("no alert for the stopped return")
	}
	if !strings.Contains(page.Text(`[data-testid="dashboard-activity"]`), "Tax return stopped by your IP PIN") {
		t.Error("the stopped return is not in the recent activity")
	}
	// A later return without any PIN says so.
	if err := p.DB.Create(&models.IPPINAlert{TaxpayerID: emilyID, TaxYear: 2025, Code: string(ippin.PrimaryPINMissing), At: stoppedAt.Add(time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Get("/dashboard").Text(`[data-testid="return-stopped"]`), "without your IP PIN; it was stopped") {
		t.Error("a return without a PIN is described as a wrong PIN")
	}
	// Older than 30 days, it is history, not an alert.
	p.Clock.Advance(31 * 24 * time.Hour)
	if c.Get("/dashboard").Doc.Find(`[data-testid="return-stopped"]`).Length() != 0 {
		t.Error("the alert outlives 30 days")
	}
}

func TestSignInLandsVerifiedOnDashboard(t *testing.T) {
	p := recordsPortal(t)
	c := p.Client(t)
	secret := signUp(t, p, c, "sarah@example.com")
	if err := p.DB.Model(&models.Account{}).Where("email = ?", "sarah@example.com").
		Updates(map[string]any{"verified_at": p.Clock.Now(), "taxpayer_id": sarahID}).Error; err != nil {
		t.Fatal(err)
	}
	expectRedirect(t, c.Submit(c.Get("/account"), `form[action="/sign-out"]`, nil), "/signed-out")
	expectRedirect(t, signIn(t, p, c, "sarah@example.com", secret), "/dashboard")
	// Signed in already, the sign-in page sends her home too.
	expectRedirect(t, c.Get("/sign-in"), "/dashboard")
}

func TestTranscriptsPDFAndCSV(t *testing.T) {
	p := recordsPortal(t)
	c := signInAs(t, p, "leilani@example.com", leilaniID)
	year := latestYear()

	index := c.Get("/records")
	expectStatus(t, index, http.StatusOK)
	yearBox := index.Text(`[data-testid="year-` + year + `"]`)
	for _, want := range []string{"Tax Return Transcript", "Tax Account Transcript", "Record of Account", "Wage & Income Transcript", "Verification of Non-filing Letter", "Not available"} {
		if !strings.Contains(yearBox, want) {
			t.Errorf("tax year %s does not list %q", year, want)
		}
	}

	page := c.Get("/records/" + year + "/account")
	expectStatus(t, page, http.StatusOK)
	header := page.Text(`[data-testid="transcript-header"]`)
	if !strings.Contains(header, "XXX-XX-4324") || !strings.Contains(header, "KAHA") || strings.Contains(header, "Kahananui") {
		t.Errorf("header not masked as DOMAIN.md says:\n%s", header)
	}
	hold := page.Doc.Find(`[data-testid="transactions"] tr[data-code="570"]`)
	if hold.Length() == 0 || !strings.Contains(hold.Text(), "on hold") {
		t.Fatalf("the 570 is missing or unexplained: %q", hold.Text())
	}
	if href, _ := hold.Find("a").Attr("href"); href != "/help/refund-on-hold" {
		t.Errorf("the 570 links to %q", href)
	}

	pdf := c.Get("/records/" + year + "/account/transcript.pdf")
	expectStatus(t, pdf, http.StatusOK)
	if pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Header.Get("Content-Disposition"), "attachment;") ||
		pdf.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("PDF headers: %v", pdf.Header)
	}
	text := pdfText(t, []byte(pdf.Body))
	for _, want := range []string{"Tax Account Transcript", "XXX-XX-4324", "Additional account action pending", "Notice issued: CP05", "Dec. 31, " + year} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}

	csvPage := c.Get("/records/" + year + "/account/transactions.csv")
	expectStatus(t, csvPage, http.StatusOK)
	if !strings.HasPrefix(csvPage.Header.Get("Content-Disposition"), "attachment;") {
		t.Error("the CSV is not a download")
	}
	rows, err := csv.NewReader(strings.NewReader(csvPage.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 3 || rows[0][1] != "Code" {
		t.Fatalf("CSV rows: %v", rows)
	}
	codes := map[string]bool{}
	for _, r := range rows[1:] {
		codes[r[1]] = true
		if r[0] != year {
			t.Errorf("row for year %s", r[0])
		}
	}
	if !codes["150"] || !codes["570"] || !codes["971"] {
		t.Errorf("CSV codes: %v", codes)
	}

	for _, kind := range []string{"return", "record", "wage-income"} {
		expectStatus(t, c.Get("/records/"+year+"/"+kind), http.StatusOK)
		expectStatus(t, c.Get("/records/"+year+"/"+kind+"/transcript.pdf"), http.StatusOK)
	}
	// No CSV for a transcript without transactions; no non-filing letter for a filed year.
	expectStatus(t, c.Get("/records/"+year+"/return/transactions.csv"), http.StatusNotFound)
	nf := c.Get("/records/" + year + "/non-filing")
	expectStatus(t, nf, http.StatusNotFound)
	if !strings.Contains(nf.Text(`[data-testid="unavailable"]`), "return on file") {
		t.Error("the unavailable page does not say why")
	}
	expectStatus(t, c.Get("/records/"+year+"/nonsense"), http.StatusNotFound)
	expectStatus(t, c.Get("/records/abc/account"), http.StatusNotFound)
}

// Every record URL reads only the signed-in taxpayer's rows: another
// taxpayer's year, transcript or notice is 404, and nothing of theirs shows.
func TestRecordsOfAnotherTaxpayerAre404(t *testing.T) {
	p := recordsPortal(t)
	c := signInAs(t, p, "maria@example.com", mariaID)

	// Robert Kowalski filed for years Maria did not.
	var years []int
	if err := p.DB.Model(&models.TaxReturn{}).Where("taxpayer_id = ? AND tax_year NOT IN (?)", kowalski,
		p.DB.Model(&models.TaxReturn{}).Select("tax_year").Where("taxpayer_id = ?", mariaID)).
		Order("tax_year DESC").Pluck("tax_year", &years).Error; err != nil || len(years) == 0 {
		t.Fatalf("no year only Kowalski filed: %v %v", years, err)
	}
	y := strconv.Itoa(years[0])
	for _, path := range []string{"/records/" + y + "/return", "/records/" + y + "/account", "/records/" + y + "/record",
		"/records/" + y + "/account/transcript.pdf", "/records/" + y + "/account/transactions.csv", "/records/" + y + "/return/transcript.pdf"} {
		page := c.Get(path)
		expectStatus(t, page, http.StatusNotFound)
		if strings.Contains(page.Body, "KOWA") || strings.Contains(page.Body, "Kowalski") {
			t.Errorf("%s shows another taxpayer's name", path)
		}
	}

	// Leilani's CP05 notice, asked for by id from Maria's session.
	var notice models.AccountTransaction
	if err := p.DB.Where("taxpayer_id = ? AND code = 971", leilaniID).Take(&notice).Error; err != nil {
		t.Fatal(err)
	}
	expectStatus(t, c.Get("/notices/"+strconv.FormatUint(notice.ID, 10)), http.StatusNotFound)
	expectStatus(t, c.Get("/notices/not-a-number"), http.StatusNotFound)
	// Nor is any other kind of transaction of Maria's own a notice.
	var own models.AccountTransaction
	if err := p.DB.Where("taxpayer_id = ? AND code <> 971", mariaID).Take(&own).Error; err != nil {
		t.Fatal(err)
	}
	expectStatus(t, c.Get("/notices/"+strconv.FormatUint(own.ID, 10)), http.StatusNotFound)

	// The owner sees it.
	l := signInAs(t, p, "leilani@example.com", leilaniID)
	page := l.Get("/notices/" + strconv.FormatUint(notice.ID, 10))
	expectStatus(t, page, http.StatusOK)
	if !strings.Contains(page.Text("main"), "What to do") {
		t.Error("the notice does not say what to do")
	}
	list := l.Get("/notices")
	expectStatus(t, list, http.StatusOK)
	if !strings.Contains(list.Text(`[data-testid="notices"]`), "CP05") {
		t.Error("the notices page misses CP05")
	}
	if !strings.Contains(c.Get("/notices").Text("main"), "not mailed you any notices") {
		t.Error("Maria is shown notices she does not have")
	}
}

// Letters mailed to the taxpayer before they had an online account, such
// as an IP PIN notice, are on the notices page; another taxpayer's are not.
func TestNoticesListLettersMailedBeforeTheAccount(t *testing.T) {
	p := recordsPortal(t)
	at := p.Clock.Now().Add(-60 * 24 * time.Hour)
	for _, id := range []uint64{leilaniID, mariaID} {
		if err := p.DB.Create(&models.Letter{TaxpayerID: id, Kind: models.LetterIPPINNotice, Name: "Name", Street1: "1 Main St",
			City: "Honolulu", State: "HI", ZIP: "96813", ExpiresAt: at.Add(365 * 24 * time.Hour), SentAt: at}).Error; err != nil {
			t.Fatal(err)
		}
	}
	c := signInAs(t, p, "leilani@example.com", leilaniID)
	if got := c.Get("/notices").Text("main"); strings.Count(got, "CP01A") != 1 {
		t.Errorf("the notices page shows %d IP PIN letters, want 1:\n%s", strings.Count(got, "CP01A"), got)
	}
}

func TestRefundsPerYear(t *testing.T) {
	p := recordsPortal(t)
	c := signInAs(t, p, "sarah@example.com", sarahID)
	page := c.Get("/refunds")
	expectStatus(t, page, http.StatusOK)
	cur := demodata.Featured[6].LatestYear
	for _, y := range []int{cur, cur - 1, cur - 2} {
		if page.Doc.Find(`[data-testid="refund-`+strconv.Itoa(y)+`"]`).Length() == 0 {
			t.Errorf("no tracker for %d", y)
		}
	}
	latest := page.Text(`[data-testid="refund-` + strconv.Itoa(cur) + `"]`)
	if !strings.Contains(latest, "Refund Sent") || !strings.Contains(latest, "another agency’s debt") {
		t.Errorf("the offset is not explained:\n%s", latest)
	}
}

func lookupValues(f demodata.FeaturedTaxpayer, dollars int64) url.Values {
	return url.Values{"ssn": {f.SSN}, "tax_year": {strconv.Itoa(f.LatestYear)}, "filing_status": {string(f.FilingStatus)},
		"refund": {strconv.FormatInt(dollars, 10)}}
}

func TestPublicRefundLookup(t *testing.T) {
	p := recordsPortal(t)
	c := p.Client(t)
	leilani := demodata.Featured[4]

	form := c.Get("/refund-status")
	expectStatus(t, form, http.StatusOK)
	if !strings.Contains(form.Text(`[data-testid="lookup-limit"]`), "20 times a day") {
		t.Errorf("the limit is not shown: %q", form.Text(`[data-testid="lookup-limit"]`))
	}

	ok := c.Submit(form, `[data-testid="lookup-form"]`, lookupValues(leilani, leilani.RefundDollars))
	expectStatus(t, ok, http.StatusOK)
	if got := ok.Text(`[data-testid="refund-headline"]`); got != "Return Received" {
		t.Errorf("headline %q", got)
	}
	if strings.Contains(ok.Text("main"), "CP05") {
		t.Error("the public answer tells what only the taxpayer may see")
	}
	if ok.Request.URL.RawQuery != "" || ok.Request.URL.Path != "/refund-status" {
		t.Errorf("the answer's URL: %s", ok.Request.URL)
	}

	// Bad input: specific messages, nothing counted, what was typed kept.
	bad := c.Submit(form, `[data-testid="lookup-form"]`, url.Values{"ssn": {"12"}, "refund": {"12.50"}})
	expectStatus(t, bad, http.StatusUnprocessableEntity)
	if bad.Doc.Find(`[data-testid="error-summary"] li`).Length() != 4 {
		t.Errorf("errors: %s", bad.Text(`[data-testid="error-summary"]`))
	}
	if v, _ := bad.Doc.Find(`#refund`).Attr("value"); v != "12.50" {
		t.Errorf("the amount typed was lost: %q", v)
	}

	// A wrong amount and an unknown number fail with the same words.
	wrongAmount := c.Submit(form, `[data-testid="lookup-form"]`, lookupValues(leilani, leilani.RefundDollars+1))
	expectStatus(t, wrongAmount, http.StatusUnprocessableEntity)
	stranger := leilani
	stranger.SSN = "900-12-3456"
	wrongNumber := c.Submit(form, `[data-testid="lookup-form"]`, lookupValues(stranger, leilani.RefundDollars))
	a, b := wrongAmount.Text(`[data-testid="lookup-problem"]`), wrongNumber.Text(`[data-testid="lookup-problem"]`)
	if a == "" || a != b {
		t.Errorf("failures differ:\n%q\n%q", a, b)
	}
	if wrongAmount.Doc.Find(`.usa-form-group--error`).Length() != 0 {
		t.Error("a failed lookup points at a field")
	}
	if !strings.Contains(wrongAmount.Text(`[data-testid="lookup-limit"]`), "tries left") {
		t.Errorf("no count of tries left: %q", wrongAmount.Text(`[data-testid="lookup-limit"]`))
	}

	// Five failures for one number refuse it, even with the right details
	// and from another client.
	for range 4 {
		c.Submit(form, `[data-testid="lookup-form"]`, lookupValues(leilani, leilani.RefundDollars+2))
	}
	other := p.Client(t)
	refused := other.Submit(other.Get("/refund-status"), `[data-testid="lookup-form"]`, lookupValues(leilani, leilani.RefundDollars))
	expectStatus(t, refused, http.StatusTooManyRequests)
	if !strings.Contains(refused.Text(`[data-testid="lookup-limit"]`), "Too many tries") || refused.Doc.Find(`[data-testid="refund-headline"]`).Length() != 0 {
		t.Errorf("not refused: %s", refused.Text("main"))
	}

	// The number is never logged.
	if logs := p.Logs.String(); strings.Contains(logs, "987-65-4324") || strings.Contains(logs, "987654324") {
		t.Error("the SSN reached the logs")
	}
}

func TestPublicRefundLookupLimitsAClient(t *testing.T) {
	p := recordsPortal(t)
	c := p.Client(t)
	form := c.Get("/refund-status")
	f := demodata.Featured[4]
	for i := range 20 {
		f.SSN = "900-12-" + strconv.Itoa(1000+i)
		expectStatus(t, c.Submit(form, `[data-testid="lookup-form"]`, lookupValues(f, 100)), http.StatusUnprocessableEntity)
	}
	page := c.Get("/refund-status")
	if page.Doc.Find(`[data-testid="lookup-form"]`).Length() != 0 || !strings.Contains(page.Text(`[data-testid="lookup-limit"]`), "Too many tries") {
		t.Error("the client may keep guessing")
	}
	values := lookupValues(demodata.Featured[4], demodata.Featured[4].RefundDollars)
	values.Set("_csrf", form.Doc.Find(`input[name="_csrf"]`).AttrOr("value", ""))
	expectStatus(t, c.PostForm("/refund-status", values), http.StatusTooManyRequests)
}

// A person sent to verify by a records page is offered that page when
// verification is done.
func TestVerificationReturnsToTheRecordsPage(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	c := p.Client(t)
	signUp(t, p, c, "maria@example.com")
	expectRedirect(t, c.Get("/records"), "/verify")
	expectRedirect(t, c.Get("/verify"), "/verify/consent")
	expectRedirect(t, c.Submit(c.Get("/verify/consent"), `[data-testid="consent-form"]`, url.Values{"consent": {"yes"}}), "/verify/method")
	expectRedirect(t, c.Submit(c.Get("/verify/method"), `[data-testid="choice-form"]`, url.Values{"method": {"online"}}), "/verify/id-type")
	expectRedirect(t, c.Submit(c.Get("/verify/id-type"), `[data-testid="choice-form"]`, url.Values{"id_type": {"drivers_license"}}), "/verify/documents")
	addPhotos(t, c, c.Get("/verify/documents"))
	toConfirm(t, c)
	confirm := c.Get("/verify/confirm")
	expectRedirect(t, c.Submit(confirm, `[data-testid="send-code-form"]`, nil), "/verify/confirm")
	text, err := p.Outbox(t).ForRecipient(t.Context(), "6025550100", 1)
	if err != nil || len(text) == 0 {
		t.Fatalf("no text: %v", err)
	}
	expectRedirect(t, c.Submit(c.Get("/verify/confirm"), `[data-testid="phone-code-form"]`, url.Values{"code": {notifytest.CodeIn(text[0].Text)}}), "/verify/review")
	c.Get("/verify/review")
	decide(t, p, true, "")
	expectRedirect(t, c.Submit(c.Get("/verify/password"), `[data-testid="fields-form"]`, url.Values{"password": {password}}), "/verify/done")

	done := c.Get("/verify/done")
	if href, _ := done.Doc.Find(`main a[href="/records"]`).Attr("href"); href != "/records" {
		t.Errorf("the done page does not lead back to the records:\n%s", done.Text("main"))
	}
	// Once used, the remembered page is forgotten: the dashboard is next.
	if done := c.Get("/verify/done"); done.Doc.Find(`main a[href="/dashboard"]`).Length() == 0 {
		t.Errorf("the done page does not lead to the dashboard:\n%s", done.Text("main"))
	}
	expectStatus(t, c.Get("/records"), http.StatusOK)
}
