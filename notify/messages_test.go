package notify_test

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/notify/notifytest"
)

var (
	brand = notify.Brand{Product: "Taxpayer Portal", Agency: "Demonstration Tax Agency", BaseURL: "https://portal.example.gov"}
	est   = time.FixedZone("EST", -5*3600)
	when  = time.Date(2026, 1, 2, 15, 4, 0, 0, time.UTC) // 10:04 AM EST
)

const (
	actionLink  = "https://portal.example.gov/account/confirm?token=Abc_123-xyz&next=%2Fhome"
	wasntMeLink = "https://portal.example.gov/account/wasnt-me?token=Lock_456-uvw&kind=notice"
	code        = "482913"
)

type built struct {
	name            string
	m               notify.Message
	to              string
	link, wasntMe   bool
	code, showsTime bool
	mustSay         []string
}

func allMessages(b notify.Brand) []built {
	return []built{
		{name: "ConfirmEmail", to: "jane@example.com", link: true, code: true, showsTime: true,
			m: b.ConfirmEmail("jane@example.com", actionLink, code, when, est)},
		{name: "ResetPassword", to: "jane@example.com", link: true, showsTime: true,
			m: b.ResetPassword("jane@example.com", actionLink, when, est), mustSay: []string{"Your password stays the same"}},
		{name: "PasswordChanged", to: "jane@example.com", wasntMe: true, showsTime: true,
			m: b.PasswordChanged("jane@example.com", wasntMeLink, when, est)},
		{name: "EmailChangeRequested", to: "new@example.com", link: true, code: true, showsTime: true,
			m: b.EmailChangeRequested("new@example.com", actionLink, code, when, est)},
		{name: "EmailChangedNoticeToOld", to: "old@example.com", wasntMe: true, showsTime: true,
			m:       b.EmailChangedNoticeToOld("old@example.com", notify.MaskEmail("new@example.com"), wasntMeLink, when, est),
			mustSay: []string{"n***@example.com"}},
		{name: "SecondFactorAdded", to: "jane@example.com", wasntMe: true, showsTime: true,
			m: b.SecondFactorAdded("jane@example.com", "an authenticator app", wasntMeLink, when, est), mustSay: []string{"an authenticator app was added"}},
		{name: "SecondFactorRemoved", to: "jane@example.com", wasntMe: true, showsTime: true,
			m: b.SecondFactorRemoved("jane@example.com", "a security key", wasntMeLink, when, est), mustSay: []string{"a security key was removed"}},
		{name: "NewSignIn", to: "jane@example.com", wasntMe: true, showsTime: true,
			m: b.NewSignIn("jane@example.com", "Firefox on Windows", wasntMeLink, when, est), mustSay: []string{"Firefox on Windows"}},
		{name: "AccountLocked/attempts", to: "jane@example.com", link: true, showsTime: true,
			m: b.AccountLocked("jane@example.com", notify.LockTooManyAttempts, actionLink, when, est), mustSay: []string{"too many unsuccessful tries"}},
		{name: "AccountLocked/wasntMe", to: "jane@example.com", link: true, showsTime: true,
			m: b.AccountLocked("jane@example.com", notify.LockWasntMe, actionLink, when, est), mustSay: []string{"This wasn’t me” link"}},
		{name: "AccountLocked/agency", to: "jane@example.com", link: true, showsTime: true,
			m: b.AccountLocked("jane@example.com", notify.LockByAgency, actionLink, when, est), mustSay: []string{"to protect it"}},
		{name: "IdentityVerified", to: "jane@example.com", wasntMe: true, showsTime: true,
			m: b.IdentityVerified("jane@example.com", wasntMeLink, when, est)},
		{name: "IPPINViewed", to: "jane@example.com", wasntMe: true, showsTime: true,
			m: b.IPPINViewed("jane@example.com", wasntMeLink, when, est), mustSay: []string{"Identity Protection PIN"}},
		{name: "VideoCallBooked", to: "jane@example.com", link: true, showsTime: true,
			m:       b.VideoCallBooked("jane@example.com", actionLink, "https://portal.example.gov/verify/video-call", when, est),
			mustSay: []string{"Join the video call", "don’t share it", "https://portal.example.gov/verify/video-call"}},
		{name: "VideoCallCancelled", to: "jane@example.com", link: true, showsTime: true,
			m: b.VideoCallCancelled("jane@example.com", actionLink, when, est), mustSay: []string{"is cancelled"}},
		{name: "VideoCallVerified", to: "jane@example.com", link: true,
			m: b.VideoCallVerified("jane@example.com", actionLink), mustSay: []string{"re-enter your password"}},
		{name: "VideoCallFailed", to: "jane@example.com", link: true,
			m: b.VideoCallFailed("jane@example.com", "The ID shown had expired.", actionLink), mustSay: []string{"The ID shown had expired."}},
		{name: "AccountUnlockedByAgent", to: "jane@example.com", link: true, wasntMe: true, showsTime: true,
			m: b.AccountUnlockedByAgent("jane@example.com", actionLink, wasntMeLink, when, est), mustSay: []string{"unlocked your"}},
		{name: "SignInMethodsReset", to: "jane@example.com", link: true, wasntMe: true, showsTime: true,
			m: b.SignInMethodsReset("jane@example.com", actionLink, wasntMeLink, when, est), mustSay: []string{"set up a new second factor", "supervisor"}},
		{name: "IPPINOptedOut", to: "jane@example.com", wasntMe: true, showsTime: true,
			m: b.IPPINOptedOut("jane@example.com", wasntMeLink, 2027, when, est), mustSay: []string{"for 2027 or later"}},
		{name: "ReturnStopped", to: "jane@example.com", showsTime: true,
			m: b.ReturnStopped("jane@example.com", "A return was just submitted with your SSN and the wrong IP PIN; it was stopped.", 2025,
				"https://portal.example.gov/ip-pin", when, est),
			mustSay: []string{"the wrong IP PIN; it was stopped", "tax year 2025", "800-908-4490", "https://portal.example.gov/ip-pin"}},
	}
}

func TestMessages(t *testing.T) {
	for _, c := range allMessages(brand) {
		t.Run(c.name, func(t *testing.T) {
			m := c.m
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			if m.To != c.to {
				t.Errorf("To = %q, want %q", m.To, c.to)
			}
			if !strings.Contains(m.Subject, brand.Product) {
				t.Errorf("subject %q does not name the product", m.Subject)
			}
			htmlText := html.UnescapeString(m.HTML)
			for _, part := range []struct{ name, body string }{{"text", m.Text}, {"HTML", m.HTML}} {
				if strings.Contains(part.body, "{{") || strings.Contains(part.body, "}}") {
					t.Errorf("%s part has template leftovers", part.name)
				}
				if strings.Contains(part.body, "%!") {
					t.Errorf("%s part has a fmt error: %s", part.name, part.body)
				}
			}
			if !strings.Contains(m.HTML, `<html lang="en"`) || !strings.Contains(m.HTML, `role="presentation"`) {
				t.Error("HTML part lacks lang or presentation tables")
			}

			// Links: on a line of their own in the text; a button and the
			// address as text in the HTML.
			checkLink := func(link string, want bool) {
				t.Helper()
				inText := strings.Contains("\n"+m.Text, "\n"+link+"\n")
				if inText != want {
					t.Errorf("text part has %s on its own line: %v, want %v", link, inText, want)
				}
				if n := strings.Count(htmlText, link); (n >= 3) != want { // two hrefs and the visible address
					t.Errorf("HTML part has %s %d times", link, n)
				}
			}
			checkLink(actionLink, c.link)
			checkLink(wasntMeLink, c.wasntMe)
			if got := notifytest.LinkIn(m.Text, "https://portal.example.gov/account/confirm"); (got == actionLink) != c.link {
				t.Errorf("LinkIn found %q", got)
			}
			if c.wasntMe {
				for _, part := range []string{m.Text, htmlText} {
					if !strings.Contains(part, "This wasn’t me") || !strings.Contains(part, "lock your account") || !strings.Contains(part, "reset your password") {
						t.Error("the “This wasn’t me” link lacks its explanation")
					}
				}
			}

			// Codes only where the message exists to deliver them.
			if got := notifytest.CodeIn(m.Text); (got == code) != c.code || (!c.code && got != "") {
				t.Errorf("CodeIn(text) = %q (code expected: %v)", got, c.code)
			}
			if strings.Contains(m.HTML, code) != c.code {
				t.Errorf("HTML has the code: %v, want %v", !c.code, c.code)
			}
			if c.showsTime {
				for _, part := range []string{m.Text, m.HTML} {
					if !strings.Contains(part, "January 2, 2026, at 10:04 AM EST") {
						t.Error("time not shown in the reader's zone with its abbreviation")
					}
				}
			}
			for _, s := range c.mustSay {
				if !strings.Contains(m.Text, s) || !strings.Contains(htmlText, s) {
					t.Errorf("does not say %q", s)
				}
			}
			for _, part := range []string{m.Text, htmlText} {
				if !strings.Contains(part, brand.BaseURL) || !strings.Contains(part, brand.Agency) {
					t.Error("footer lacks the agency or the address to type in")
				}
				if strings.Contains(strings.ToLower(part), "your password is") {
					t.Error("a message seems to state a password")
				}
			}
		})
	}
}

func TestMessagesEscapeBrand(t *testing.T) {
	evil := notify.Brand{
		Product: `<script>alert("p")</script>`,
		Agency:  `Agency & <b onmouseover="x">Co</b>`,
		BaseURL: `https://portal.example.gov/"><img src=x onerror=alert(1)>`,
	}
	for _, c := range allMessages(evil) {
		for _, bad := range []string{"<script", "<b ", "<img", `onerror=alert(1)>`} {
			if strings.Contains(c.m.HTML, bad) {
				t.Errorf("%s: HTML part contains unescaped %q", c.name, bad)
			}
		}
		if !strings.Contains(c.m.HTML, "&lt;script&gt;") || !strings.Contains(c.m.HTML, "Agency &amp; &lt;b") {
			t.Errorf("%s: brand names not shown escaped", c.name)
		}
		if !strings.Contains(c.m.Text, evil.Product) {
			t.Errorf("%s: text part should carry the name as it is", c.name)
		}
	}
	// A link that is not http(s) never becomes a live href.
	m := brand.ResetPassword("jane@example.com", "javascript:alert(1)", when, est)
	if strings.Contains(m.HTML, `href="javascript:`) {
		t.Error("javascript: link made it into an href")
	}
}

func TestTimesDefaultToUTC(t *testing.T) {
	m := brand.PasswordChanged("jane@example.com", wasntMeLink, when, nil)
	if !strings.Contains(m.Text, "3:04 PM UTC") {
		t.Errorf("nil location: %s", m.Text)
	}
}

func TestPhoneCodes(t *testing.T) {
	text := brand.PhoneCodeText("482913", 10*time.Minute)
	if notifytest.CodeIn(text) != "482913" || !strings.Contains(text, "10 minutes") || !strings.Contains(text, brand.Product) {
		t.Errorf("text: %q", text)
	}
	if len(text) > 160 {
		t.Errorf("text is %d characters, more than one SMS", len(text))
	}
	spoken := brand.PhoneCodeSpoken("482913", 10*time.Minute)
	if strings.Count(spoken, "4, 8, 2, 9, 1, 3") != 2 || !strings.Contains(spoken, brand.Agency) {
		t.Errorf("spoken: %q", spoken)
	}
	for d, want := range map[time.Duration]string{time.Minute: "1 minute", 90 * time.Second: "2 minutes", 2 * time.Hour: "2 hours", 30 * time.Second: "1 minute"} {
		if got := brand.PhoneCodeText("111111", d); !strings.Contains(got, "works for "+want+".") {
			t.Errorf("%v: %q", d, got)
		}
	}
}

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"jane.doe@example.com": "j***@example.com",
		"é@example.com":        "é***@example.com",
		"nobody":               "***",
		"@example.com":         "***",
	} {
		if got := notify.MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultFrom(t *testing.T) {
	for base, want := range map[string]string{
		"https://portal.example.gov": `"Demonstration Tax Agency" <no-reply@portal.example.gov>`,
		"http://127.0.0.1:8080":      `"Demonstration Tax Agency" <no-reply@127.0.0.1>`,
		"not a url":                  `"Demonstration Tax Agency" <no-reply@localhost>`,
	} {
		b := brand
		b.BaseURL = base
		got := notify.DefaultFrom(b)
		if got != want {
			t.Errorf("DefaultFrom(%q) = %q, want %q", base, got, want)
		}
		if _, err := notify.NewSMTPMailer("smtp://mail.example.gov", got); err != nil {
			t.Errorf("DefaultFrom(%q) is not accepted as PORTAL_MAIL_FROM: %v", base, err)
		}
	}
}
