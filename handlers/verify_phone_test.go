package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/portaltest"
)

var phoneLink = regexp.MustCompile(`https?://\S+/verify/phone\?token=[A-Za-z0-9_-]+`)

// textedLink asks for the link by text and reads it from the outbox.
func textedLink(t *testing.T, p *portaltest.Portal, c *portaltest.Client, handoff *portaltest.Page) string {
	t.Helper()
	return textedLinkTo(t, p, c, handoff, "0143")
}

// textedLinkTo texts the link to 202-555-<last4>.
func textedLinkTo(t *testing.T, p *portaltest.Portal, c *portaltest.Client, handoff *portaltest.Page, last4 string) string {
	t.Helper()
	sent := c.Submit(handoff, `form:has([data-testid="handoff-text"])`, url.Values{"phone": {"(202) 555-" + last4}})
	if sent.StatusCode != http.StatusOK || !strings.Contains(sent.Text("main"), "ending in "+last4) {
		t.Fatalf("texting the link: %d\n%s", sent.StatusCode, sent.Text("main"))
	}
	link := phoneLink.FindString(lastMail(t, p, "202555"+last4).Text)
	if link == "" {
		t.Fatal("no link in the text")
	}
	u, _ := url.Parse(link)
	return u.RequestURI()
}

func TestPhotosTakenOnAPhoneArriveOnTheComputer(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	computer := p.Client(t)
	documents := toDocuments(t, p, computer, "handoff@example.com")

	handoff := computer.Submit(documents, `form:has([data-testid="use-phone"])`, nil)
	if src, _ := handoff.Doc.Find(`[data-testid="handoff-qr"]`).Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Fatalf("no code to scan:\n%s", handoff.Text("main"))
	}
	if handoff.Header.Get("Cache-Control") != "no-store" {
		t.Error("the page with the code may be cached")
	}
	bad := computer.Submit(handoff, `form:has([data-testid="handoff-text"])`, url.Values{"phone": {"555-01"}})
	expectProblem(t, bad, http.StatusUnprocessableEntity, "phone number")
	if v, _ := bad.Doc.Find(`input[name="phone"]`).Attr("value"); v != "555-01" {
		t.Errorf("the number typed was lost: %q", v)
	}
	if bad.Doc.Find(`[data-testid="handoff-qr"]`).Length() != 1 {
		t.Error("a mistyped number took the code to scan away")
	}
	link := textedLink(t, p, computer, handoff)

	// The phone: a browser with no session of its own.
	phone := p.Client(t)
	start := phone.Get(link)
	if start.StatusCode != http.StatusOK || start.Doc.Find(`[data-testid="phone-continue"]`).Length() != 1 {
		t.Fatalf("the link's page: %d", start.StatusCode)
	}
	expectRedirect(t, phone.Submit(start, `form:has([data-testid="phone-continue"])`, nil), "/verify/phone/photos")
	photos := phone.Get("/verify/phone/photos")
	if photos.Doc.Find(`input[type="file"][capture="environment"]`).Length() != 2 || photos.Doc.Find(`input[capture="user"]`).Length() != 1 {
		t.Fatalf("the phone's page does not open the cameras:\n%s", photos.Text("main"))
	}
	// Whoever holds the phone sees whose account the photos go to, so a
	// link texted to them by someone else gives itself away.
	if got := photos.Text(`[data-testid="phone-account"]`); !strings.Contains(got, notify.MaskEmail("handoff@example.com")) {
		t.Errorf("the phone page does not name the account: %q", got)
	}
	expectProblem(t, upload(t, phone, photos, "front", []byte("not a photo")), http.StatusUnprocessableEntity, "isn’t a photo")
	for i, side := range []string{"front", "back", "selfie"} {
		expectRedirect(t, upload(t, phone, photos, side, portaltest.Photo(t, i, 900, 600)), "/verify/phone/photos")
	}
	done := phone.Get("/verify/phone/photos")
	if done.Doc.Find(`[data-testid="phone-done"]`).Length() != 1 {
		t.Fatalf("the phone is not told to go back:\n%s", done.Text("main"))
	}
	img, _ := done.Doc.Find(`[data-testid="photo-front"] img`).Attr("src")
	if shown := phone.Get(img); shown.StatusCode != http.StatusOK || shown.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("the phone cannot see its own photo: %d %s", shown.StatusCode, shown.Header.Get("Content-Type"))
	}

	// The phone holds the photo step and nothing else.
	for _, path := range []string{"/verify/ssn", "/verify/documents", "/verify/documents/front/image", "/account"} {
		if got := phone.Get(path); got.StatusCode != http.StatusSeeOther || !strings.HasPrefix(got.Header.Get("Location"), "/sign-in") {
			t.Errorf("the phone reached %s: %d", path, got.StatusCode)
		}
	}
	// A locked account's photo step is closed to the phone too.
	lock := func(at any) {
		if err := p.DB.Model(&models.Account{}).Where("email = ?", "handoff@example.com").Update("locked_at", at).Error; err != nil {
			t.Fatal(err)
		}
	}
	lock(p.Clock.Now())
	expectProblem(t, phone.Get("/verify/phone/photos"), http.StatusGone, "no longer works")
	lock(nil)
	// A link opens once.
	again := p.Client(t)
	expectProblem(t, again.Submit(again.Get(link), `form:has([data-testid="phone-continue"])`, nil), http.StatusGone, "no longer works")

	status := computer.Get("/verify/documents/phone", "HX-Request", "true")
	if n := strings.Count(status.Body, "</strong> received"); n != 3 || !strings.Contains(status.Body, "All your photos are here") {
		t.Fatalf("the computer does not see the photos (%d received):\n%s", n, status.Body)
	}
	expectRedirect(t, computer.Submit(computer.Get("/verify/documents"), `[data-testid="documents-continue"]`, nil), "/verify/ssn")
	expectProblem(t, phone.Get("/verify/phone/photos"), http.StatusGone, "no longer works")
}

func TestPhoneLinksExpireAndTextsAreLimited(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	computer := p.Client(t)
	handoff := computer.Submit(toDocuments(t, p, computer, "late@example.com"), `form:has([data-testid="use-phone"])`, nil)
	// One number gets three links a day...
	var link string
	for range 3 {
		link = textedLink(t, p, computer, handoff)
	}
	refused := computer.Submit(handoff, `form:has([data-testid="handoff-text"])`, url.Values{"phone": {"202-555-0143"}})
	expectProblem(t, refused, http.StatusUnprocessableEntity, "can’t text more links")
	// ...and an account five an hour, whatever the numbers.
	for _, last4 := range []string{"0144", "0145"} {
		link = textedLinkTo(t, p, computer, handoff, last4)
	}
	refused = computer.Submit(handoff, `form:has([data-testid="handoff-text"])`, url.Values{"phone": {"202-555-0146"}})
	expectProblem(t, refused, http.StatusUnprocessableEntity, "can’t text more links")
	if refused.Doc.Find(`[data-testid="handoff-qr"]`).Length() != 1 {
		t.Error("the refusal says to scan the code but shows none")
	}

	// A reload does not show the code again; a new one can be made.
	reloaded := computer.Get("/verify/documents/phone")
	if reloaded.Doc.Find(`[data-testid="handoff-qr"]`).Length() != 0 || reloaded.Doc.Find(`[data-testid="handoff-new"]`).Length() != 1 {
		t.Fatal("a reload shows the code again, or offers no new one")
	}

	p.Clock.Advance(15 * time.Minute)
	phone := p.Client(t)
	expectProblem(t, phone.Submit(phone.Get(link), `form:has([data-testid="phone-continue"])`, nil), http.StatusGone, "no longer works")
}
