package handlers_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
	"github.com/taxportal/portal/proofing"
)

// maria is demo taxpayer 0, as she would type herself.
var maria = url.Values{
	"first_name": {"maria"}, "middle_name": {"Elena"}, "last_name": {"Hernandez"},
	"dob_month": {"3"}, "dob_day": {"14"}, "dob_year": {"1986"},
	"street1": {"2417 Desert Willow Drive"}, "city": {"Phoenix"}, "state": {"AZ"}, "zip": {"85016"},
}

func seedDemo(t *testing.T, p *portaltest.Portal) {
	t.Helper()
	if _, err := demodata.Seed(t.Context(), p.DB, p.Vault, demodata.Options{Taxpayers: 12}); err != nil {
		t.Fatal(err)
	}
}

// upload posts one photo as the page's plain form would.
func upload(t *testing.T, c *portaltest.Client, page *portaltest.Page, side string, data []byte, headers ...string) *portaltest.Page {
	t.Helper()
	form := page.Doc.Find(`[data-testid="photo-` + side + `"] form`)
	token, _ := form.Find(`input[name="_csrf"]`).Attr("value")
	action, _ := form.Attr("action")
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", token)
	fw, _ := w.CreateFormFile("photo", side+".jpg")
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, page.Request.URL.Scheme+"://"+page.Request.URL.Host+action, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

func expectProblem(t *testing.T, page *portaltest.Page, status int, words string) {
	t.Helper()
	if page.StatusCode != status || !strings.Contains(page.Body, words) {
		t.Fatalf("want %d with %q, got %d:\n%s", status, words, page.StatusCode, page.Text("main"))
	}
}

// toDocuments signs up, and goes through consent, method and ID type.
func toDocuments(t *testing.T, p *portaltest.Portal, c *portaltest.Client, email string) *portaltest.Page {
	t.Helper()
	signUp(t, p, c, email)
	expectRedirect(t, c.Get("/verify"), "/verify/consent")
	consent := c.Get("/verify/consent")
	expectProblem(t, c.Submit(consent, `[data-testid="consent-form"]`, nil), http.StatusUnprocessableEntity, "Check the box")
	expectRedirect(t, c.Submit(consent, `[data-testid="consent-form"]`, url.Values{"consent": {"yes"}}), "/verify/method")
	method := c.Get("/verify/method")
	expectProblem(t, c.Submit(method, `[data-testid="choice-form"]`, nil), http.StatusUnprocessableEntity, "Choose how")
	expectRedirect(t, c.Submit(method, `[data-testid="choice-form"]`, url.Values{"method": {"online"}}), "/verify/id-type")
	expectRedirect(t, c.Submit(c.Get("/verify/id-type"), `[data-testid="choice-form"]`, url.Values{"id_type": {"drivers_license"}}), "/verify/documents")
	return c.Get("/verify/documents")
}

// addPhotos uploads a good front, back and selfie and continues.
func addPhotos(t *testing.T, c *portaltest.Client, page *portaltest.Page) {
	t.Helper()
	for i, side := range []string{"front", "back", "selfie"} {
		expectRedirect(t, upload(t, c, page, side, portaltest.Photo(t, i, 900, 600)), "/verify/documents")
	}
	expectRedirect(t, c.Submit(c.Get("/verify/documents"), `[data-testid="documents-continue"]`, nil), "/verify/ssn")
}

// toConfirm goes from the SSN through a successful match.
func toConfirm(t *testing.T, c *portaltest.Client) {
	t.Helper()
	expectRedirect(t, c.Submit(c.Get("/verify/ssn"), `[data-testid="fields-form"]`, url.Values{"ssn": {"987 65 4320"}}), "/verify/information")
	expectRedirect(t, c.Submit(c.Get("/verify/information"), `[data-testid="info-form"]`, maria), "/verify/match")
	expectRedirect(t, c.Submit(c.Get("/verify/match"), `[data-testid="match-form"]`, nil), "/verify/confirm")
}

// attempt is the account's newest verification, as the database holds it.
func attempt(t *testing.T, p *portaltest.Portal) *models.IdentityVerification {
	t.Helper()
	var v models.IdentityVerification
	if err := p.DB.Order("id DESC").Take(&v).Error; err != nil {
		t.Fatal(err)
	}
	return &v
}

// decide does what the agent console does with a set in review.
func decide(t *testing.T, p *portaltest.Portal, approve bool, reason string) {
	t.Helper()
	v := attempt(t, p)
	f := proofing.Flow{Settings: proofing.DefaultSettings(), Vault: p.Vault}
	var err error
	if approve {
		err = f.ApproveDocuments(v, p.Clock.Now())
	} else {
		err = f.RejectDocuments(v, reason, p.Clock.Now())
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.Save(v).Error; err != nil {
		t.Fatal(err)
	}
}

func TestOnlineVerificationFromConsentToVerified(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	c := p.Client(t)
	docs := toDocuments(t, p, c, "maria@example.com")
	if docs.Doc.Find(`input[type=file][capture="environment"]`).Length() != 2 || docs.Doc.Find(`input[type=file][capture="user"]`).Length() != 1 {
		t.Error("on a phone, each photo opens the camera: the ID with the back camera, the selfie with the front one")
	}

	// Bad uploads are refused with a reason, and count against the limit.
	expectProblem(t, upload(t, c, docs, "front", []byte("this is not a picture, just text")), http.StatusUnprocessableEntity, "isn’t a photo")
	expectProblem(t, upload(t, c, docs, "front", nil), http.StatusUnprocessableEntity, "empty")
	good := portaltest.Photo(t, 0, 900, 600)
	expectProblem(t, upload(t, c, docs, "front", good[:len(good)/2]), http.StatusUnprocessableEntity, "incomplete")
	expectProblem(t, upload(t, c, docs, "front", portaltest.Photo(t, 0, 300, 200)), http.StatusUnprocessableEntity, "too small")
	json := upload(t, c, docs, "front", []byte("GIF89a"), "Accept", "application/json")
	if json.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(json.Body, `"error"`) {
		t.Errorf("a script gets the reason as JSON: %d %s", json.StatusCode, json.Body)
	}
	expectRedirect(t, upload(t, c, docs, "front", good), "/verify/documents")
	expectProblem(t, upload(t, c, docs, "back", good), http.StatusUnprocessableEntity, "same picture as the front")
	huge := upload(t, c, docs, "back", bytes.Repeat([]byte{0xFF}, 50<<20))
	expectProblem(t, huge, http.StatusRequestEntityTooLarge, "at most 10 MB")

	page := c.Get("/verify/documents")
	if !strings.Contains(page.Text(`[data-testid="photo-front"]`), "Added") || !strings.Contains(page.Body, "You can try 5 times in 6 hours") {
		t.Errorf("the page shows the photo kept and the tries left:\n%s", page.Text("main"))
	}
	expectProblem(t, c.Submit(page, `[data-testid="documents-continue"]`, nil), http.StatusUnprocessableEntity, "Add back of your driver’s license")
	expectRedirect(t, upload(t, c, page, "back", portaltest.Photo(t, 1, 900, 600)), "/verify/documents")
	expectRedirect(t, upload(t, c, page, "selfie", portaltest.Photo(t, 2, 600, 800)), "/verify/documents")
	img := c.Get("/verify/documents/front/image")
	if img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/jpeg" || img.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the owner sees their photo: %d %s", img.StatusCode, img.Header.Get("Content-Type"))
	}
	expectRedirect(t, c.Submit(c.Get("/verify/documents"), `[data-testid="documents-continue"]`, nil), "/verify/ssn")

	// A later step cannot be reached before its turn.
	expectRedirect(t, c.Get("/verify/password"), "/verify/ssn")

	ssn := c.Get("/verify/ssn")
	expectProblem(t, c.Submit(ssn, `[data-testid="fields-form"]`, url.Values{"ssn": {"666-12-3456"}}), http.StatusUnprocessableEntity, "not a number that is issued")
	expectProblem(t, c.Submit(ssn, `[data-testid="fields-form"]`, url.Values{"ssn": {"12345"}}), http.StatusUnprocessableEntity, "nine digits")
	expectRedirect(t, c.Submit(ssn, `[data-testid="fields-form"]`, url.Values{"ssn": {"987-65-4320"}}), "/verify/information")

	info := c.Get("/verify/information")
	missing := url.Values{}
	for k, v := range maria {
		missing[k] = v
	}
	missing.Set("last_name", "")
	missing.Set("dob_year", "86")
	bad := c.Submit(info, `[data-testid="info-form"]`, missing)
	expectProblem(t, bad, http.StatusUnprocessableEntity, "Enter your last name")
	if v, _ := bad.Doc.Find("#street1").Attr("value"); v != "2417 Desert Willow Drive" || !strings.Contains(bad.Body, "four digits") {
		t.Error("a form with problems keeps what was typed and says what to fix")
	}
	wrongDOB := url.Values{}
	for k, v := range maria {
		wrongDOB[k] = v
	}
	wrongDOB.Set("dob_day", "15")
	expectRedirect(t, c.Submit(info, `[data-testid="info-form"]`, wrongDOB), "/verify/match")
	match := c.Get("/verify/match")
	if !strings.Contains(match.Text(`[data-testid="summary"]`), "XXX-XX-4320") || strings.Contains(match.Body, "987-65-4320") {
		t.Error("the summary shows the number masked")
	}
	failed := c.Submit(match, `[data-testid="match-form"]`, nil)
	expectProblem(t, failed, http.StatusUnprocessableEntity, "your date of birth didn’t match")
	if strings.Contains(failed.Body, "March 14") || !strings.Contains(failed.Body, "You can try 4 more times") {
		t.Error("a mismatch names the field, never the record's value, and says how many tries are left")
	}
	expectRedirect(t, c.Submit(c.Get("/verify/information"), `[data-testid="info-form"]`, maria), "/verify/match")
	expectRedirect(t, c.Submit(c.Get("/verify/match"), `[data-testid="match-form"]`, nil), "/verify/confirm")

	// The code goes to the phone on the taxpayer's record.
	confirm := c.Get("/verify/confirm")
	if !strings.Contains(confirm.Text("main"), "ending in 0100") {
		t.Fatalf("the confirm page names the record's phone:\n%s", confirm.Text("main"))
	}
	expectRedirect(t, c.Submit(confirm, `[data-testid="send-code-form"]`, nil), "/verify/confirm")
	confirm = c.Get("/verify/confirm")
	expectProblem(t, c.Submit(confirm, `[data-testid="phone-code-form"]`, url.Values{"code": {"000000"}}), http.StatusUnprocessableEntity, "wrong or has expired")
	text, err := p.Outbox(t).ForRecipient(t.Context(), "6025550100", 1)
	if err != nil || len(text) == 0 {
		t.Fatalf("no text to the phone of record: %v", err)
	}
	expectRedirect(t, c.Submit(confirm, `[data-testid="phone-code-form"]`, url.Values{"code": {notifytest.CodeIn(text[0].Text)}}), "/verify/review")

	// The set waits for an agent; the page says where it is in line.
	review := c.Get("/verify/review")
	if review.StatusCode != http.StatusOK || review.Text(`[data-testid="queue-position"]`) != "You are next in line." ||
		!strings.Contains(review.Text(`[data-testid="queue-wait"]`), "can’t estimate") {
		t.Fatalf("review page: %d\n%s", review.StatusCode, review.Text("main"))
	}
	if frag := c.Get("/verify/review", "HX-Request", "true"); frag.Doc.Find("header").Length() != 0 || !strings.Contains(frag.Body, "review-status") {
		t.Error("htmx polling gets the status alone")
	}
	expectRedirect(t, c.Get("/verify/password"), "/verify/review")

	decide(t, p, true, "")
	if poll := c.Get("/verify/review", "HX-Request", "true"); poll.Header.Get("HX-Redirect") != "/verify/password" {
		t.Errorf("the polling page moves on once approved: %d %q", poll.StatusCode, poll.Header.Get("HX-Redirect"))
	}
	expectRedirect(t, c.Get("/verify"), "/verify/password")
	pw := c.Get("/verify/password")
	expectProblem(t, c.Submit(pw, `[data-testid="fields-form"]`, url.Values{"password": {"not my password at all"}}), http.StatusUnprocessableEntity, "That password is wrong")
	expectRedirect(t, c.Submit(pw, `[data-testid="fields-form"]`, url.Values{"password": {password}}), "/verify/done")

	var acct models.Account
	p.DB.Where("email = ?", "maria@example.com").Take(&acct)
	tp, _ := models.FindTaxpayerBySSN(t.Context(), p.DB, p.Vault, mustSSN("987-65-4320"))
	if acct.VerifiedAt == nil || acct.TaxpayerID == nil || *acct.TaxpayerID != tp.ID {
		t.Fatalf("the account is linked to Maria's record: %+v", acct)
	}
	if !strings.Contains(lastMail(t, p, "maria@example.com").Subject, "identity is verified") {
		t.Error("an e-mail confirms the verification")
	}
	var images int64
	p.DB.Model(&models.DocumentImage{}).Count(&images)
	if images != 0 {
		t.Errorf("%d photos kept after verification", images)
	}
	expectRedirect(t, c.Get("/verify/ssn"), "/verify/done")
	if done := c.Get("/verify/done"); !strings.Contains(done.Text("h1"), "verified") {
		t.Error("done page")
	}
	if next := c.Get("/account"); strings.Contains(next.Body, "Next: verify your identity") {
		t.Error("a verified account is not asked to verify")
	}

	// The audit trail has every step, and no answer in it.
	var entries []models.AuditEntry
	p.DB.Order("id").Find(&entries)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action+":"+e.Outcome)
		if strings.Contains(e.Detail, "4320") || strings.Contains(e.Detail, "1986") {
			t.Errorf("the audit trail holds an answer: %+v", e)
		}
	}
	for _, want := range []string{"verification.consented:ok", "verification.photo_refused:failed", "verification.ssn_entered:ok",
		"verification.match:failed", "verification.matched:ok", "verification.phone_confirmed:ok", "verification.photos_queued:ok", "verification.completed:ok"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit trail lacks %s: %v", want, actions)
		}
	}
}

func mustSSN(s string) pii.SSN { return pii.MustSSN(s) }

func TestARejectionSaysWhyAndKeepsTheOtherAnswers(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	c := p.Client(t)
	addPhotos(t, c, toDocuments(t, p, c, "maria@example.com"))
	toConfirm(t, c)
	confirm := c.Get("/verify/confirm")
	// By mail instead: the letter's code is in the development outbox.
	expectRedirect(t, c.Submit(confirm, `[data-testid="letter-form"]`, nil), "/verify/confirm")
	pending := c.Get("/verify/confirm")
	if pending.Doc.Find(`[data-testid="letter-pending"]`).Length() == 0 {
		t.Fatal("the page waits for the letter's code")
	}
	letters, _ := p.Outbox(t).Recent(t.Context(), 5)
	var code string
	for _, m := range letters {
		if m.Channel == notify.ChannelLetter {
			code = strings.Fields(strings.TrimPrefix(m.Text, "Your verification code is "))[0]
		}
	}
	code = strings.TrimSuffix(code, ".")
	expectProblem(t, c.Submit(pending, `[data-testid="letter-code-form"]`, url.Values{"letter_code": {"AAAAA-AAAAA"}}), http.StatusUnprocessableEntity, "doesn’t match")
	expectRedirect(t, c.Submit(pending, `[data-testid="letter-code-form"]`, url.Values{"letter_code": {strings.ToLower(code)}}), "/verify/review")
	c.Get("/verify/review")

	// An agent turns the photos down in the console.
	agent := signInStaff(t, p, staffMember(t, models.RoleAgent))
	queue := agent.Get("/agent")
	if queue.Doc.Find(`[data-testid="queue-item"]`).Length() != 1 {
		t.Fatalf("the set waits for review:\n%s", queue.Text("main"))
	}
	expectRedirect(t, agent.Submit(queue, `[data-testid="queue-item"] form`, nil), "/agent/cases/")
	expectRedirect(t, agent.Submit(agent.Get(queue.Doc.Find(`[data-testid="queue-item"] form`).AttrOr("action", "")[:len("/agent/cases/")]+itoa(attempt(t, p).ID)),
		`[data-testid="decision-form"]`, url.Values{"decision": {"reject"}, "reason-back": {"the barcode is blurred. Take it again in brighter light."}}), "/agent")
	if m := lastMail(t, p, "maria@example.com"); !strings.Contains(m.Text, "barcode is blurred") {
		t.Errorf("the person is told why by e-mail: %s", m.Subject)
	}
	expectRedirect(t, c.Get("/verify"), "/verify/documents")
	docs := c.Get("/verify/documents")
	if !strings.Contains(docs.Text(`[data-testid="rejection"]`), "barcode is blurred") ||
		!strings.Contains(docs.Text("main"), "video call") {
		t.Fatalf("a rejection says which photo and why, and offers other ways:\n%s", docs.Text("main"))
	}
	expectRedirect(t, upload(t, c, docs, "back", portaltest.Photo(t, 3, 900, 600)), "/verify/documents")
	expectRedirect(t, c.Submit(c.Get("/verify/documents"), `[data-testid="documents-continue"]`, nil), "/verify/review")
}

func TestAnotherPersonsFlowAndPhotosAreOutOfReach(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	owner := p.Client(t)
	addPhotos(t, owner, toDocuments(t, p, owner, "maria@example.com"))

	other := p.Client(t)
	signUp(t, p, other, "someone@example.com")
	if img := other.Get("/verify/documents/front/image"); img.StatusCode != http.StatusNotFound {
		t.Errorf("another account's photo: %d", img.StatusCode)
	}
	expectRedirect(t, other.Get("/verify/ssn"), "/verify/consent")
	if other.Get("/verify/no-such-step").StatusCode != http.StatusNotFound {
		t.Error("an unknown step is not found")
	}

	// Uploads need the CSRF token like every form.
	docs := owner.Get("/verify/documents")
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("photo", "front.jpg")
	_, _ = fw.Write(portaltest.Photo(t, 0, 900, 600))
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, p.Server.URL+"/verify/documents/front", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if res := owner.Do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("an upload without the token: %d", res.StatusCode)
	}
	_ = docs

	// Signed out, nothing of the flow opens.
	anon := p.Client(t)
	expectRedirect(t, anon.Get("/verify/documents/front/image"), "/sign-in")
	expectRedirect(t, anon.Get("/verify"), "/sign-in")
}

func TestAnAbandonedAttemptExpiresAndStartsAgain(t *testing.T) {
	p := portaltest.Start(t)
	seedDemo(t, p)
	c := p.Client(t)
	addPhotos(t, c, toDocuments(t, p, c, "maria@example.com"))
	old := attempt(t, p)
	if err := p.DB.Model(old).Update("expires_at", p.Clock.Now().Add(-time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	expectRedirect(t, c.Get("/verify/ssn"), "/verify/expired")
	expired := c.Get("/verify/expired")
	if !strings.Contains(expired.Text("h1"), "expired") {
		t.Fatalf("expired page:\n%s", expired.Text("main"))
	}
	expectRedirect(t, c.Submit(c.Get("/verify/consent"), `[data-testid="consent-form"]`, url.Values{"consent": {"yes"}}), "/verify/method")
	if fresh := attempt(t, p); fresh.ID == old.ID || fresh.Method != "" {
		t.Fatal("consent after expiry starts a new attempt")
	}
	var images int64
	p.DB.Model(&models.DocumentImage{}).Where("verification_id = ?", old.ID).Count(&images)
	if images != 0 {
		t.Errorf("the expired attempt's %d photos were kept", images)
	}
}
