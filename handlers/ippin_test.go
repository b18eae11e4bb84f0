package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// ippinTaxpayer is a signed-in, verified taxpayer on a seeded portal, with
// what a test needs to sign them in again.
type ippinTaxpayer struct {
	c      *portaltest.Client
	email  string
	secret []byte
	id     uint64
}

func verifiedTaxpayer(t *testing.T, p *portaltest.Portal, email string, taxpayerID uint64) ippinTaxpayer {
	t.Helper()
	c := p.Client(t)
	secret := signUp(t, p, c, email)
	if err := p.DB.Model(&models.Account{}).Where("email = ?", email).
		Updates(map[string]any{"verified_at": p.Clock.Now(), "taxpayer_id": taxpayerID}).Error; err != nil {
		t.Fatal(err)
	}
	return ippinTaxpayer{c: c, email: email, secret: secret, id: taxpayerID}
}

// pinService works on the portal's database, as an agent's tools would.
func pinService(p *portaltest.Portal) *ippin.Service {
	s := ippin.New(p.DB, p.Vault, ippin.DefaultSettings())
	s.Now = p.Clock.Now
	return s
}

var sixDigitsRE = regexp.MustCompile(`\b\d \d \d \d \d \d\b`)

// shownPIN reads the PIN off the view page from the screen-reader text,
// the digits spaced one by one.
func shownPIN(t *testing.T, page *portaltest.Page, testid string) string {
	t.Helper()
	spoken := page.Text(`[data-testid="` + testid + `"] .usa-sr-only`)
	m := sixDigitsRE.FindString(spoken)
	if m == "" {
		t.Fatalf("no spaced digits for screen readers in %q", spoken)
	}
	return strings.ReplaceAll(m, " ", "")
}

// staleSignIn lets more than 20 minutes pass since the sign-in while the
// session stays active (it ends after 15 idle minutes).
func staleSignIn(p *portaltest.Portal, c *portaltest.Client) {
	for range 3 {
		p.Clock.Advance(7 * time.Minute)
		c.Get("/ip-pin")
	}
}

func TestIPPINEnrolSeeAndTheRecentSignInGate(t *testing.T) {
	p := recordsPortal(t)
	tp := verifiedTaxpayer(t, p, "maria@example.com", mariaID)
	c := tp.c
	year := p.Clock.Now().Year()

	status := c.Get("/ip-pin")
	expectStatus(t, status, http.StatusOK)
	if status.Doc.Find(`[data-testid="enrol"]`).Length() == 0 || status.Doc.Find(`[data-testid="see-pin"]`).Length() != 0 {
		t.Fatal("a taxpayer not enrolled is not offered to enrol")
	}

	form := c.Get("/ip-pin/enrol")
	expectStatus(t, form, http.StatusOK)
	if !strings.Contains(form.Text(`[data-testid="commitment"]`), "Every tax return you file in") {
		t.Error("the enrol page does not explain the commitment")
	}
	unchecked := c.Submit(form, `[data-testid="enrol-form"]`, nil)
	expectStatus(t, unchecked, http.StatusUnprocessableEntity)
	if !strings.Contains(unchecked.Text(`[data-testid="error-summary"]`), "every return you file this year") {
		t.Errorf("no error for the unconfirmed commitment: %q", unchecked.Text(`[data-testid="error-summary"]`))
	}
	if n := ippinCount(t, p, &models.IPPIN{}, "taxpayer_id = ?", mariaID); n != 0 {
		t.Fatal("a PIN was issued without the commitment")
	}
	expectRedirect(t, c.Submit(unchecked, `[data-testid="enrol-form"]`, url.Values{"commit": {"yes"}}), "/ip-pin/view")

	view := c.Get("/ip-pin/view")
	expectStatus(t, view, http.StatusOK)
	held, err := pinService(p).Current(t.Context(), mariaID, year)
	if err != nil {
		t.Fatal(err)
	}
	if got := shownPIN(t, view, "pin"); got != held.PIN.Digits() {
		t.Errorf("shown %q, issued another", got)
	}
	if view.Doc.Find(`[data-ippin-copy]`).AttrOr("data-ippin-copy", "") != held.PIN.Digits() {
		t.Error("no copy button for the PIN")
	}
	if view.Doc.Find(`[data-ippin-copy].display-none`).Length() != 1 {
		t.Error("the copy button shows without JavaScript, where it cannot work")
	}
	if view.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the PIN page may be cached: %q", view.Header.Get("Cache-Control"))
	}
	if !strings.Contains(view.Text(`[data-testid="flash"]`), "enrolled") {
		t.Error("no confirmation of the enrolment")
	}
	// The view is recorded, announced, and audited without the PIN.
	var acct models.Account
	p.DB.Take(&acct, "email = ?", tp.email)
	if n := ippinCount(t, p, &models.SecurityEvent{}, "account_id = ? AND kind = ?", acct.ID, "ip_pin_viewed"); n != 1 {
		t.Errorf("%d view events, want 1", n)
	}
	if m := lastMail(t, p, tp.email); !strings.Contains(m.Subject, "IP PIN was viewed") || !strings.Contains(m.Text, "wasn") {
		t.Errorf("no viewed notice: %q", m.Subject)
	}
	var entries []models.AuditEntry
	p.DB.Where("account_id = ? AND action LIKE ?", acct.ID, "taxpayer.ip_pin_%").Order("id").Find(&entries)
	if len(entries) != 2 || entries[0].Action != "taxpayer.ip_pin_enrolled" || entries[1].Action != "taxpayer.ip_pin_viewed" {
		t.Errorf("audit entries %+v", entries)
	}
	for _, e := range entries {
		if strings.Contains(e.Detail+e.Subject, held.PIN.Digits()) {
			t.Error("the audit trail holds the PIN")
		}
	}
	if strings.Contains(p.Logs.String(), held.PIN.Digits()) {
		t.Error("the PIN was logged")
	}
	history := c.Get("/account")
	if !strings.Contains(history.Text(`[data-testid="history"]`), "IP PIN viewed") {
		t.Error("the security history does not show the view")
	}

	// The status page now offers the PIN, one click away.
	status = c.Get("/ip-pin")
	if status.Doc.Find(`[data-testid="see-pin"]`).Length() == 0 || status.Doc.Find(`[data-testid="opt-out"]`).Length() == 0 {
		t.Error("an enrollee is not offered the PIN and the opt-out")
	}

	// More than 20 minutes after signing in, seeing it asks to sign in again
	// and comes back.
	staleSignIn(p, c)
	expectRedirect(t, c.Get("/ip-pin/view"), "/account/confirm-it-is-you")
	reauth := c.Get("/account/confirm-it-is-you")
	expectRedirect(t, c.Submit(reauth, `[data-testid="sign-in-form"]`, url.Values{"password": {password}}), "/sign-in/verify")
	p.Clock.Advance(30 * time.Second)
	factor := c.Get("/sign-in/verify")
	expectRedirect(t, c.Submit(factor, `[data-testid="factor-form"]`, url.Values{"code": {credential.TOTPCode(tp.secret, p.Clock.Now())}}), "/ip-pin/view")
	again := c.Get("/ip-pin/view")
	expectStatus(t, again, http.StatusOK)
	if shownPIN(t, again, "pin") != held.PIN.Digits() {
		t.Error("another PIN after signing in again")
	}
	if n := ippinCount(t, p, &models.SecurityEvent{}, "account_id = ? AND kind = ?", acct.ID, "ip_pin_viewed"); n != 2 {
		t.Errorf("%d view events, want 2", n)
	}
}

func TestIPPINPagesNeedAVerifiedSignIn(t *testing.T) {
	p := recordsPortal(t)
	anon := p.Client(t)
	for _, path := range []string{"/ip-pin", "/ip-pin/enrol", "/ip-pin/view", "/ip-pin/opt-out"} {
		expectRedirect(t, anon.Get(path), "/sign-in")
	}
	c := p.Client(t)
	signUp(t, p, c, "unverified@example.com")
	for _, path := range []string{"/ip-pin", "/ip-pin/enrol", "/ip-pin/view"} {
		expectRedirect(t, c.Get(path), "/verify")
	}

	lost := anon.Get("/ip-pin/lost")
	expectStatus(t, lost, http.StatusOK)
	text := lost.Text(`[data-testid="lost-routes"]`)
	for _, want := range []string{"800-908-4490", "Form 15227", "two photo IDs", "Sign in"} {
		if !strings.Contains(text, want) {
			t.Errorf("the lost-PIN screen does not mention %q", want)
		}
	}
	if lost.Doc.Find(`a[href="/help/lost-ip-pin"]`).Length() == 0 {
		t.Error("the lost-PIN screen does not link its help article")
	}
	if help := anon.Get("/help/lost-ip-pin"); help.StatusCode != http.StatusOK {
		t.Errorf("help article: %d", help.StatusCode)
	}
}

func TestIPPINOptOutRules(t *testing.T) {
	p := recordsPortal(t)
	svc := pinService(p)
	year := p.Clock.Now().Year()

	// A voluntary enrollee: the PIN issued for this year stays required.
	vol := verifiedTaxpayer(t, p, "maria@example.com", mariaID)
	if _, err := svc.Enrol(t.Context(), mariaID, p.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	form := vol.c.Get("/ip-pin/opt-out")
	expectStatus(t, form, http.StatusOK)
	effective := form.Text(`[data-testid="effective"]`)
	if !strings.Contains(effective, strconv.Itoa(year)+" IP PIN was already issued") || !strings.Contains(effective, "From "+strconv.Itoa(year+1)+" on") {
		t.Errorf("effective-date rule not explained: %q", effective)
	}
	unconfirmed := vol.c.Submit(form, `[data-testid="opt-out-form"]`, nil)
	expectStatus(t, unconfirmed, http.StatusUnprocessableEntity)
	expectRedirect(t, vol.c.Submit(form, `[data-testid="opt-out-form"]`, url.Values{"confirm": {"yes"}}), "/ip-pin")
	var e models.IPPINEnrollment
	p.DB.Take(&e, "taxpayer_id = ?", mariaID)
	if e.OptOutYear == nil || *e.OptOutYear != year+1 {
		t.Fatalf("opt-out year %v, want %d", e.OptOutYear, year+1)
	}
	status := vol.c.Get("/ip-pin")
	if !strings.Contains(status.Text(`[data-testid="flash"]`), "won’t issue you an IP PIN for "+strconv.Itoa(year+1)) ||
		status.Doc.Find(`[data-testid="opt-out-pending"]`).Length() == 0 || status.Doc.Find(`[data-testid="see-pin"]`).Length() == 0 {
		t.Error("after opting out, the page must say from when, and still offer this year's PIN")
	}
	if !strings.Contains(lastMail(t, p, vol.email).Subject, "opted out") {
		t.Error("no e-mail confirming the opt-out")
	}
	expectRedirect(t, vol.c.Get("/ip-pin/opt-out"), "/ip-pin") // nothing left to opt out of
	// Changing one's mind cancels the pending opt-out.
	rejoin := vol.c.Get("/ip-pin/enrol")
	expectRedirect(t, vol.c.Submit(rejoin, `[data-testid="enrol-form"]`, url.Values{"commit": {"yes"}}), "/ip-pin/view")
	p.DB.Take(&e, "taxpayer_id = ?", mariaID)
	if e.OptOutYear != nil {
		t.Error("enrolling again did not cancel the opt-out")
	}

	// Once next year's PIN is out, opting out starts the year after.
	if _, err := svc.Rollover(t.Context(), year+1, 0); err != nil {
		t.Fatal(err)
	}
	form = vol.c.Get("/ip-pin/opt-out")
	if effective := form.Text(`[data-testid="effective"]`); !strings.Contains(effective, "From "+strconv.Itoa(year+2)+" on") {
		t.Errorf("after the rollover: %q", effective)
	}

	// An assigned holder gets an explanation, and cannot opt out.
	assigned := verifiedTaxpayer(t, p, "victim@example.com", 2)
	if _, _, err := svc.Assign(t.Context(), 2, p.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if st := assigned.c.Get("/ip-pin"); st.Doc.Find(`[data-testid="opt-out"]`).Length() != 0 {
		t.Error("an assigned holder is offered the opt-out")
	}
	if v := assigned.c.Get("/ip-pin/view"); v.Doc.Find(`[data-testid="mailed"]`).Length() == 0 {
		t.Error("an assigned holder is not told the PIN is mailed too")
	}
	explain := assigned.c.Get("/ip-pin/opt-out")
	expectStatus(t, explain, http.StatusOK)
	if explain.Doc.Find(`[data-testid="assigned"]`).Length() == 0 || explain.Doc.Find(`[data-testid="opt-out-form"]`).Length() != 0 {
		t.Error("an assigned holder is not told why they cannot opt out")
	}
	refused := assigned.c.PostForm("/ip-pin/opt-out", url.Values{"confirm": {"yes"}, "_csrf": {csrfOf(t, explain)}})
	expectStatus(t, refused, http.StatusForbidden)
	var ae models.IPPINEnrollment
	p.DB.Take(&ae, "taxpayer_id = ?", 2)
	if ae.OptOutYear != nil {
		t.Error("an assigned holder opted out")
	}
}

func ippinCount(t *testing.T, p *portaltest.Portal, model any, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := p.DB.Model(model).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
