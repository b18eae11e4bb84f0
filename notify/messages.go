package notify

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Brand names who a message comes from. BaseURL is the portal's public
// address, which the footer tells people to type in themselves when in doubt.
type Brand struct {
	Product string // "Taxpayer Portal"
	Agency  string // "Demonstration Tax Agency"
	BaseURL string // "https://portal.example.gov"
}

// DefaultFrom is a From address for when PORTAL_MAIL_FROM is not set: the
// agency's name and no-reply at the portal's host.
func DefaultFrom(b Brand) string {
	host := "localhost"
	if u, err := url.Parse(b.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return (&mail.Address{Name: b.Agency, Address: "no-reply@" + host}).String()
}

// wasntMeWhy explains every "This wasn't me" link, so nobody has to guess
// what pressing it does.
const wasntMeWhy = "Use this link to lock your account right away, so no one can use it. " +
	"It then helps you reset your password and get back in."

// button is a labelled address, shown as a button and as text.
type button struct{ Label, URL string }

// content is one message's words; render lays them out as text and HTML.
type content struct {
	Subject string
	Heading string
	Intro   []string // before the action
	Action  *button
	Code    string // only in messages that exist to deliver it
	After   []string
	WasntMe string // the "This wasn't me" link of a security notice
}

// ConfirmEmail asks a new account holder to confirm their address, by link
// or by typing the code.
func (b Brand) ConfirmEmail(to, link, code string, expires time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "Confirm your email address for " + b.Product,
		Heading: "Confirm your email address",
		Intro: []string{
			fmt.Sprintf("Thank you for creating a %s account. To finish, please confirm that this email address is yours.", b.Product),
		},
		Action: &button{"Confirm my email address", link},
		Code:   code,
		After: []string{
			fmt.Sprintf("The link and the code work once, until %s. If they run out, sign in and we’ll send new ones.", showTime(expires, loc)),
			"If you didn’t create an account, you can ignore this email: without the link or the code, no account can use this address.",
		},
	})
}

// AccountExists answers a sign-up with an address that already has an
// account. The screen says the same as for a new address, so nobody learns
// from it who has an account; the owner learns it here.
func (b Brand) AccountExists(to, signInLink, resetLink string) Message {
	return b.render(to, content{
		Subject: "You already have a " + b.Product + " account",
		Heading: "You already have an account",
		Intro: []string{
			fmt.Sprintf("Someone, probably you, just tried to create a %s account with this email address. This address already has an account, so nothing was created.", b.Product),
		},
		Action: &button{"Sign in", signInLink},
		After: []string{
			"Forgot your password? You can choose a new one at " + resetLink + " .",
			"If this wasn’t you, you don’t need to do anything: your account hasn’t changed.",
		},
	})
}

// ResetPassword sends the link that lets someone choose a new password.
func (b Brand) ResetPassword(to, link string, expires time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "Reset your " + b.Product + " password",
		Heading: "Reset your password",
		Intro: []string{
			fmt.Sprintf("We received a request to reset the password for your %s account. Use the button below to choose a new one.", b.Product),
		},
		Action: &button{"Choose a new password", link},
		After: []string{
			fmt.Sprintf("The link works once, until %s.", showTime(expires, loc)),
			"If you didn’t ask to reset your password, you can ignore this email. Your password stays the same.",
		},
	})
}

// PasswordChanged tells the holder their password changed.
func (b Brand) PasswordChanged(to, wasntMeLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "Your " + b.Product + " password was changed",
		Heading: "Your password was changed",
		Intro: []string{
			fmt.Sprintf("The password for your %s account was changed on %s.", b.Product, showTime(when, loc)),
			"If you made this change, you don’t need to do anything.",
		},
		WasntMe: wasntMeLink,
	})
}

// EmailChangeRequested goes to the new address, to prove it belongs to the
// holder before the change takes effect.
func (b Brand) EmailChangeRequested(toNew, link, code string, expires time.Time, loc *time.Location) Message {
	return b.render(toNew, content{
		Subject: "Confirm your new email address for " + b.Product,
		Heading: "Confirm your new email address",
		Intro: []string{
			fmt.Sprintf("You asked to use this email address for your %s account. Please confirm it to finish the change.", b.Product),
		},
		Action: &button{"Confirm my new email address", link},
		Code:   code,
		After: []string{
			fmt.Sprintf("The link and the code work once, until %s. Until you confirm, we keep writing to your current address.", showTime(expires, loc)),
			"If you didn’t ask for this, you can ignore this email. Nothing changes without the link or the code.",
		},
	})
}

// EmailChangedNoticeToOld tells the old address that the account's address
// changed; newMasked is the new address as MaskEmail shows it.
func (b Brand) EmailChangedNoticeToOld(toOld, newMasked, wasntMeLink string, when time.Time, loc *time.Location) Message {
	return b.render(toOld, content{
		Subject: "The email address on your " + b.Product + " account was changed",
		Heading: "Your email address was changed",
		Intro: []string{
			fmt.Sprintf("On %s, the email address for your %s account was changed to %s. From now on, we’ll write to the new address.", showTime(when, loc), b.Product, newMasked),
			"If you made this change, you don’t need to do anything.",
		},
		WasntMe: wasntMeLink,
	})
}

// SecondFactorAdded tells the holder a sign-in method was added; kindName
// is what the portal calls it ("an authenticator app", "a security key").
func (b Brand) SecondFactorAdded(to, kindName, wasntMeLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "A sign-in method was added to your " + b.Product + " account",
		Heading: "A sign-in method was added",
		Intro: []string{
			fmt.Sprintf("On %s, %s was added to your %s account as a way to confirm it’s you when you sign in.", showTime(when, loc), kindName, b.Product),
			"If you added it, you don’t need to do anything.",
		},
		WasntMe: wasntMeLink,
	})
}

// SecondFactorRemoved tells the holder a sign-in method was removed.
func (b Brand) SecondFactorRemoved(to, kindName, wasntMeLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "A sign-in method was removed from your " + b.Product + " account",
		Heading: "A sign-in method was removed",
		Intro: []string{
			fmt.Sprintf("On %s, %s was removed from your %s account. It can no longer be used to sign in.", showTime(when, loc), kindName, b.Product),
			"If you removed it, you don’t need to do anything.",
		},
		WasntMe: wasntMeLink,
	})
}

// NewSignIn tells the holder of a sign-in from a browser not seen before;
// browser is a short description ("Firefox on Windows").
func (b Brand) NewSignIn(to, browser, wasntMeLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "New sign-in to your " + b.Product + " account",
		Heading: "New sign-in to your account",
		Intro: []string{
			fmt.Sprintf("Someone signed in to your %s account on %s, using %s.", b.Product, showTime(when, loc), browser),
			"If this was you, you don’t need to do anything.",
		},
		WasntMe: wasntMeLink,
	})
}

// LockReason says why an account was locked.
type LockReason int

const (
	// LockTooManyAttempts: too many wrong passwords or codes in a row.
	LockTooManyAttempts LockReason = iota
	// LockWasntMe: someone used a "This wasn't me" link.
	LockWasntMe
	// LockByAgency: the agency locked it, for instance after a report of fraud.
	LockByAgency
)

// AccountLocked tells the holder their account is locked and how to get
// back in. It has no "This wasn't me" link: the account is locked already,
// and unlockLink starts the recovery that the link would have started.
func (b Brand) AccountLocked(to string, reason LockReason, unlockLink string, when time.Time, loc *time.Location) Message {
	at := showTime(when, loc)
	var why string
	switch reason {
	case LockWasntMe:
		why = fmt.Sprintf("We locked your %s account on %s because someone used the “This wasn’t me” link in one of our emails. If that was you, thank you: your account is safe.", b.Product, at)
	case LockByAgency:
		why = fmt.Sprintf("We locked your %s account on %s to protect it.", b.Product, at)
	default:
		why = fmt.Sprintf("We locked your %s account on %s after too many unsuccessful tries to sign in. This stops anyone from guessing their way in.", b.Product, at)
	}
	return b.render(to, content{
		Subject: "Your " + b.Product + " account is locked",
		Heading: "Your account is locked",
		Intro: []string{
			why,
			"While it is locked, no one can sign in, even with the right password.",
			"To unlock it, reset your password. We’ll ask you to confirm it’s you along the way.",
		},
		Action: &button{"Unlock my account", unlockLink},
		After: []string{
			"If you didn’t try to sign in, someone else may know your password. Choose a new one that you don’t use anywhere else.",
		},
	})
}

// IdentityVerified tells the holder their identity was verified, which
// opens their tax records to the account.
func (b Brand) IdentityVerified(to, wasntMeLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "Your identity is verified for " + b.Product,
		Heading: "Your identity is verified",
		Intro: []string{
			fmt.Sprintf("On %s, you finished verifying your identity. Your %s account can now show your tax records.", showTime(when, loc), b.Product),
			"If this was you, you don’t need to do anything.",
		},
		WasntMe: wasntMeLink,
	})
}

// IPPINViewed tells the holder their Identity Protection PIN was shown.
func (b Brand) IPPINViewed(to, wasntMeLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "Your IP PIN was viewed in " + b.Product,
		Heading: "Your IP PIN was viewed",
		Intro: []string{
			fmt.Sprintf("Your Identity Protection PIN (IP PIN) was viewed in your %s account on %s.", b.Product, showTime(when, loc)),
			"If this was you, you don’t need to do anything. Give your IP PIN only to the tax software or the preparer filing your return: we will never ask you for it by email, text or phone.",
		},
		WasntMe: wasntMeLink,
	})
}

// IPPINOptedOut confirms that the holder opted out of the IP PIN program,
// and from which calendar year no PIN is issued.
func (b Brand) IPPINOptedOut(to, wasntMeLink string, firstYearWithout int, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "You opted out of the IP PIN program in " + b.Product,
		Heading: "You opted out of the IP PIN program",
		Intro: []string{
			fmt.Sprintf("On %s, you chose to stop getting an Identity Protection PIN (IP PIN) in your %s account.", showTime(when, loc), b.Product),
			fmt.Sprintf("We won’t issue you a PIN for %d or later. A PIN already issued to you is still needed on every return filed in its year: sign in to see it.", firstYearWithout),
			"If this was you, you don’t need to do anything. You can sign up again at any time.",
		},
		WasntMe: wasntMeLink,
	})
}

// ReturnStopped tells a taxpayer at once that the e-file check stopped a
// return filed with their SSN. message is the one-sentence alert (wrong or
// missing PIN); pinLink leads to the IP PIN page, through sign-in.
func (b Brand) ReturnStopped(to, message string, taxYear int, pinLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "A tax return in your name was stopped: " + b.Product,
		Heading: "A tax return in your name was stopped",
		Intro: []string{
			message,
			fmt.Sprintf("It was a tax year %d return, sent on %s.", taxYear, showTime(when, loc)),
			"If you filed it yourself, sign in to see your IP PIN for this year, then send the return again with it.",
		},
		Action: &button{"See my IP PIN", pinLink},
		After: []string{
			"If you didn’t file it, someone may be using your Social Security number. Your IP PIN stopped them. Call us at 800-908-4490 so we can look into it.",
			"We will never ask you for your IP PIN by email, text or phone.",
		},
	})
}

// PhoneCodeText is the text message carrying a sign-in code. It fits one
// SMS with a product name of ordinary length.
func (b Brand) PhoneCodeText(code string, valid time.Duration) string {
	return fmt.Sprintf("%s: your code is %s. It works for %s. Don't share it: we will never call or text to ask for it.",
		b.Product, code, showDuration(valid))
}

// PhoneCodeSpoken is what an automated call says: the code digit by digit,
// twice, so it can be written down.
func (b Brand) PhoneCodeSpoken(code string, valid time.Duration) string {
	spelled := strings.Join(strings.Split(code, ""), ", ")
	return fmt.Sprintf("Hello. This is %s, with your %s code. Your code is: %s. Again, your code is: %s. It works for %s. Goodbye.",
		b.Agency, b.Product, spelled, spelled, showDuration(valid))
}

// MaskEmail shows enough of an address for its owner to recognise it:
// "jane@example.com" becomes "j***@example.com".
func MaskEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return "***"
	}
	first, _ := utf8.DecodeRuneInString(addr)
	return string(first) + "***" + addr[at:]
}

//go:embed layout.html
var layoutHTML string

var htmlLayout = template.Must(template.New("layout.html").Parse(layoutHTML))

// render lays c out as an HTML part (html/template escapes every value) and
// a text part with the same words, each link on a line of its own.
func (b Brand) render(to string, c content) Message {
	footer := []string{
		fmt.Sprintf("This email was sent to %s by %s about your %s account. Replies to it aren’t read.", to, b.Agency, b.Product),
		fmt.Sprintf("We will never ask for your password by email, text or phone. If you’re unsure a message is really from us, don’t use its links: type %s into your browser and sign in there.", b.BaseURL),
	}
	data := struct {
		content
		Agency, Product, CodeLabel, WasntMeWhy string
		Footer                                 []string
	}{c, b.Agency, b.Product, codeLabel(c), wasntMeWhy, footer}

	var h bytes.Buffer
	if err := htmlLayout.Execute(&h, data); err != nil {
		panic("notify: layout.html: " + err.Error()) // only a broken template can fail
	}

	var t strings.Builder
	para := func(s string) { t.WriteString(s + "\n\n") }
	para(b.Agency + " · " + b.Product)
	para(c.Heading)
	for _, p := range c.Intro {
		para(p)
	}
	if c.Action != nil {
		para(c.Action.Label + ":\n" + c.Action.URL)
	}
	if c.Code != "" {
		para(codeLabel(c) + "\n\n    " + c.Code)
	}
	for _, p := range c.After {
		para(p)
	}
	if c.WasntMe != "" {
		para("Wasn’t you? " + wasntMeWhy + "\nThis wasn’t me:\n" + c.WasntMe)
	}
	t.WriteString("--\n")
	for _, p := range footer {
		para(p)
	}
	return Message{To: to, Subject: c.Subject, Text: strings.TrimRight(t.String(), "\n") + "\n", HTML: h.String()}
}

func codeLabel(c content) string {
	if c.Action != nil {
		return "Or enter this code where we asked for it:"
	}
	return "Your code:"
}

// showTime shows when something happened or ends, in the reader's zone,
// with the zone's abbreviation ("Monday, January 2, 2006, at 3:04 PM EST").
// A nil loc means UTC.
func showTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Monday, January 2, 2006, at 3:04 PM MST")
}

// showDuration says a validity period in words: "10 minutes", "2 hours".
func showDuration(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	if d >= 2*time.Hour && d%time.Hour == 0 {
		return plural(int(d/time.Hour), "hour")
	}
	return plural(max(1, int(d.Round(time.Minute)/time.Minute)), "minute")
}

// DocumentsApproved tells a person their ID photos were accepted, and how
// to finish verifying.
func (b Brand) DocumentsApproved(to, continueLink string) Message {
	return b.render(to, content{
		Subject: "Your ID was accepted: finish verifying your identity",
		Heading: "Your ID was accepted",
		Intro:   []string{"We checked the photos of your ID and accepted them. One step is left: sign in and re-enter your password to finish."},
		Action:  &button{"Finish verifying", continueLink},
	})
}

// DocumentsRejected tells a person which photo could not be accepted and
// why, and what they can do next.
func (b Brand) DocumentsRejected(to, reason, continueLink string) Message {
	return b.render(to, content{
		Subject: "We couldn’t accept the photos of your ID",
		Heading: "We couldn’t accept your photos",
		Intro:   []string{reason, "Sign in to take the photos again. You can also verify on a video call with an agent, or in person."},
		Action:  &button{"Take new photos", continueLink},
	})
}

// VideoCallBooked confirms a video-call appointment: when, in the zone the
// person chose, and the link to join it. The link is the meeting's only
// key, so the message says not to pass it on.
func (b Brand) VideoCallBooked(to, joinLink, manageLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "Your video call with " + b.Product + " is booked",
		Heading: "Your video call is booked",
		Intro: []string{
			fmt.Sprintf("Your video call to verify your identity is on %s. It takes about 15 minutes.", showTime(when, loc)),
			"Have your ID with you, and a device with a camera and a microphone. At the time of the call, use this link to join:",
		},
		Action: &button{"Join the video call", joinLink},
		After: []string{
			"The link is for you alone: don’t share it. The agent will never ask for your password or a code.",
			"To change or cancel the appointment, sign in and go to: " + manageLink,
		},
	})
}

// VideoCallCancelled confirms that an appointment was cancelled.
func (b Brand) VideoCallCancelled(to, bookLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "Your video call with " + b.Product + " is cancelled",
		Heading: "Your video call is cancelled",
		Intro: []string{
			fmt.Sprintf("Your video call on %s is cancelled, and its link no longer works.", showTime(when, loc)),
			"You can book another time whenever you are ready.",
		},
		Action: &button{"Book another time", bookLink},
	})
}

// VideoCallVerified tells a person the agent accepted their ID on the call,
// and how to finish.
func (b Brand) VideoCallVerified(to, continueLink string) Message {
	return b.render(to, content{
		Subject: "Your ID was accepted on your " + b.Product + " video call",
		Heading: "Your ID was accepted",
		Intro:   []string{"The agent on your video call accepted your ID. One step is left: sign in and re-enter your password to finish verifying your identity."},
		Action:  &button{"Finish verifying", continueLink},
	})
}

// VideoCallFailed tells a person why the call could not verify them and
// what they can do next.
func (b Brand) VideoCallFailed(to, reason, continueLink string) Message {
	return b.render(to, content{
		Subject: "Your " + b.Product + " video call could not verify your identity",
		Heading: "We couldn’t verify your identity on the call",
		Intro:   []string{"The agent gave this reason: " + reason, "You can book another call, or verify online or in person."},
		Action:  &button{"See your options", continueLink},
	})
}

// AccountUnlockedByAgent tells the holder an agent unlocked their account
// at their request on the phone.
func (b Brand) AccountUnlockedByAgent(to, signInLink, wasntMeLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "Your " + b.Product + " account was unlocked",
		Heading: "Your account was unlocked",
		Intro: []string{
			fmt.Sprintf("On %s, one of our agents unlocked your %s account after checking on the phone that it was you who called.", showTime(when, loc), b.Product),
			"You can sign in again with your password and your second factor.",
		},
		Action:  &button{"Sign in", signInLink},
		WasntMe: wasntMeLink,
	})
}

// SignInMethodsReset tells the holder their second factors were removed at
// their request, and that they set up a new one at their next sign-in.
func (b Brand) SignInMethodsReset(to, signInLink, wasntMeLink string, when time.Time, loc *time.Location) Message {
	return b.render(to, content{
		Subject: "Your " + b.Product + " sign-in methods were reset",
		Heading: "Your sign-in methods were reset",
		Intro: []string{
			fmt.Sprintf("On %s, at your request on the phone and with a supervisor’s approval, we removed the second factors (authentication apps, security keys, phone numbers and backup codes) from your %s account, and signed it out everywhere.", showTime(when, loc), b.Product),
			"Sign in with your password: you will then set up a new second factor.",
		},
		Action:  &button{"Sign in", signInLink},
		WasntMe: wasntMeLink,
	})
}
