// Package messages is the one catalogue of user-facing messages. Each message
// has a stable id, so it can be translated, tested and linked to a help
// article, and so the same problem is always worded the same way.
package messages

// ID names a message.
type ID string

// Message is a heading and a plain-language explanation, with the help
// article that says more, if any.
type Message struct {
	Heading  string
	Body     string
	HelpSlug string
}

// Page-level errors.
const (
	NotFound         ID = "page.not_found"
	FormExpired      ID = "page.form_expired"
	TooLarge         ID = "page.too_large"
	PhotoTooLarge    ID = "page.photo_too_large"
	MethodNotAllowed ID = "page.method_not_allowed"
	TooManyRequests  ID = "page.too_many_requests"
	AccountLocked    ID = "page.account_locked"
	ServerError      ID = "page.server_error"
	Unavailable      ID = "page.unavailable"
)

// Form fields. For these, Body is the message shown at the field and in
// the error summary.
const (
	EmailMissing    ID = "field.email_missing"
	EmailInvalid    ID = "field.email_invalid"
	EmailUnchanged  ID = "field.email_unchanged"
	PasswordMissing ID = "field.password_missing"
	PasswordsDiffer ID = "field.passwords_differ"
	CodeMissing     ID = "field.code_missing"
	CodeInvalid     ID = "field.code_invalid"
	SignInFailed    ID = "field.sign_in_failed"
	NameMissing     ID = "field.name_missing"
	PhoneInvalid    ID = "field.phone_invalid"
	ChoiceMissing   ID = "field.choice_missing"
)

// The IP PIN screens.
const (
	IPPINCommitMissing  ID = "field.ippin_commit_missing"
	IPPINOptOutUnchosen ID = "field.ippin_opt_out_unchosen"
)

// The public refund lookup. The no-match message never says which
// detail was wrong.
const (
	RefundLookupNoMatch ID = "field.refund_lookup_no_match"
	RefundSSNInvalid    ID = "field.refund_ssn_invalid"
	RefundYearMissing   ID = "field.refund_year_missing"
	RefundStatusMissing ID = "field.refund_status_missing"
	RefundAmountMissing ID = "field.refund_amount_missing"
	RefundAmountCents   ID = "field.refund_amount_cents"
	RefundAmountInvalid ID = "field.refund_amount_invalid"
)

// Security keys and passkeys (WebAuthn). The page hands the browser-side
// ones to webauthn.js, so every wording lives here.
const (
	WebAuthnNoScript      ID = "webauthn.no_script"
	WebAuthnUnsupported   ID = "webauthn.unsupported"
	WebAuthnWrongAddress  ID = "webauthn.wrong_address"
	WebAuthnCancelled     ID = "webauthn.cancelled"
	WebAuthnTimedOut      ID = "webauthn.timed_out"
	WebAuthnExpired       ID = "webauthn.expired"
	WebAuthnNotRegistered ID = "webauthn.not_registered"
	WebAuthnAlreadyAdded  ID = "webauthn.already_added"
	WebAuthnFailed        ID = "webauthn.failed"
)

var catalog = map[ID]Message{
	EmailMissing:    {Body: "Enter your email address."},
	EmailInvalid:    {Body: "Enter an email address like name@example.com."},
	EmailUnchanged:  {Body: "That’s already the address on your account. Enter the new one."},
	PasswordMissing: {Body: "Enter your password."},
	PasswordsDiffer: {Body: "The two passwords are different. Type the same password in both boxes."},
	CodeMissing:     {Body: "Enter the code."},
	CodeInvalid:     {Body: "That code didn’t work. It may be mistyped, already used or expired. Check it, or ask for a new one."},
	SignInFailed:    {Body: "The email address or password is wrong. Check both and try again.", HelpSlug: "forgot-password"},
	NameMissing:     {Body: "Enter a name."},
	PhoneInvalid:    {Body: "Enter a 10-digit US phone number, like 555-010-0123."},
	ChoiceMissing:   {Body: "Choose one of the options."},
	IPPINCommitMissing: {Body: "Check the box to confirm that you will put your IP PIN on every return you file this year.",
		HelpSlug: "what-is-an-ip-pin"},
	IPPINOptOutUnchosen: {Body: "Check the box to confirm that you want to stop getting an IP PIN.", HelpSlug: "opt-out-of-ip-pin"},
	RefundLookupNoMatch: {Body: "The details you entered don’t match a return we have. Check each one against your return: the number, the tax year, " +
		"the filing status and the refund in whole dollars, without cents. Status is available 24 hours after you e-file, or 4 weeks after you mail a return.",
		HelpSlug: "check-refund-status"},
	RefundSSNInvalid:    {Body: "Enter the 9-digit Social Security number or ITIN, for example 123-45-6789."},
	RefundYearMissing:   {Body: "Choose the tax year of the return."},
	RefundStatusMissing: {Body: "Choose the filing status shown on your return."},
	RefundAmountMissing: {Body: "Enter the refund amount shown on your return, in whole dollars."},
	RefundAmountCents:   {Body: "Enter whole dollars only, without cents. For example, 1250."},
	RefundAmountInvalid: {Body: "Enter the refund amount as a number of whole dollars, for example 1250."},
	NotFound: {
		Heading: "We can’t find that page",
		Body:    "The address may be mistyped, or the page may have moved. Check the address, or start again from the home page or the help center.",
	},
	FormExpired: {
		Heading: "Your form expired",
		Body:    "For your security, forms stop working after a while or when opened in another tab. Go back, reload the page and try again. Nothing was saved.",
	},
	PhotoTooLarge: {
		Heading: "That photo is too large",
		Body:    "Photos of your ID can be at most 10 MB. Go back, then take the photo again at a lower resolution or choose a smaller copy of it.",
	},
	TooLarge: {
		Heading: "That was too large to send",
		Body:    "What you sent is larger than we accept. Make the file smaller or shorter and try again.",
	},
	MethodNotAllowed: {
		Heading: "That action isn’t available here",
		Body:    "The page can’t do what the browser asked. Start again from the home page.",
	},
	TooManyRequests: {
		Heading: "Too many tries",
		Body:    "To protect accounts, we limit how often this can be tried. Wait a little and try again.",
	},
	AccountLocked: {
		Heading: "Your account is locked",
		Body:    "To protect it, your account was locked after too many failed tries or because you asked us to lock it. Reset your password to unlock it.",
	},
	ServerError: {
		Heading: "Something went wrong on our side",
		Body:    "It wasn’t anything you did. Try again in a few minutes. If it keeps happening, contact us and mention the reference below.",
	},
	Unavailable: {
		Heading: "The portal is busy right now",
		Body:    "Too many people are using it at the moment. Try again in a few minutes.",
	},
	WebAuthnNoScript:      {Body: "Security keys need JavaScript; turn it on or choose another way."},
	WebAuthnUnsupported:   {Body: "This browser can’t use security keys or passkeys. Try another browser, such as an up-to-date Chrome, Edge, Firefox or Safari, or choose another way."},
	WebAuthnWrongAddress:  {Body: "Security keys and passkeys can’t be used at this web address. Open the portal at its usual address and try again, or choose another way."},
	WebAuthnCancelled:     {Body: "The request was cancelled, so nothing changed. Try again when you’re ready, or choose another way."},
	WebAuthnTimedOut:      {Body: "We stopped waiting for your security key or passkey. Try again, and touch or unlock it when your browser asks."},
	WebAuthnExpired:       {Body: "That request expired or was replaced by a newer one, for example in another tab. Try again."},
	WebAuthnNotRegistered: {Body: "That security key or passkey isn’t registered to this account. Try another one, or choose another way."},
	WebAuthnAlreadyAdded:  {Body: "That security key or passkey is already on your account. Use another one, or choose another way."},
	WebAuthnFailed:        {Body: "We couldn’t confirm it’s you with that security key or passkey. Try again, or choose another way."},
}

// Get returns a message. An unknown id is a programming error caught by the
// catalogue's own test; it falls back to the server-error wording.
func Get(id ID) Message {
	if m, ok := catalog[id]; ok {
		return m
	}
	return catalog[ServerError]
}

// Known reports whether an id is in the catalogue.
func Known(id ID) bool {
	_, ok := catalog[id]
	return ok
}
