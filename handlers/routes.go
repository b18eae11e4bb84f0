package handlers

import (
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/models"
)

// Route names, for building URLs with reverse instead of writing strings.
const (
	RouteHome         = "home"
	RouteHelp         = "help"
	RouteHelpCategory = "help.category"
	RouteHelpArticle  = "help.article"
	RouteHealth       = "healthz"
	RouteReady        = "readyz"
	RouteMetrics      = "metrics"

	RouteSignUp             = "signup"
	RouteConfirmEmail       = "signup.confirm"
	RouteResendConfirmation = "signup.resend"
	RouteConfirmLink        = "signup.link"
	RouteSignIn             = "signin"
	RouteSignInFactor       = "signin.factor"
	RouteSignInSendCode     = "signin.sendcode"
	RouteSignOut            = "signout"
	RouteSignedOut          = "signedout"
	RouteForgotPassword     = "password.forgot"
	RouteResetPassword      = "password.reset"
	RouteWasntMe            = "wasntme"
	RouteKeepAlive          = "session.keepalive"
	RouteSessionStatus      = "session.status"

	RouteSetupFactor         = "setup"
	RouteSetupApp            = "setup.app"
	RouteSetupPhone          = "setup.phone"
	RouteSetupPhoneConfirm   = "setup.phone.confirm"
	RouteSetupPhoneResend    = "setup.phone.resend"
	RouteBackupCodes         = "setup.backup"
	RouteBackupCodesNew      = "setup.backup.new"
	RouteBackupCodesDownload = "setup.backup.download"
	RouteBackupCodesDone     = "setup.backup.done"

	RouteSetupSecurityKey         = "setup.securitykey"
	RouteSetupSecurityKeyOptions  = "setup.securitykey.options"
	RouteSignInSecurityKey        = "signin.securitykey"
	RouteSignInSecurityKeyOptions = "signin.securitykey.options"

	RouteAccount            = "account"
	RouteRenameFactor       = "account.factor.rename"
	RouteRemoveFactor       = "account.factor.remove"
	RouteEndSession         = "account.session.end"
	RouteEndOtherSessions   = "account.session.endothers"
	RoutePassword           = "account.password"
	RouteReauth             = "account.reauth"
	RouteChangeEmail        = "account.email"
	RouteChangeEmailCode    = "account.email.code"
	RouteConfirmEmailChange = "account.email.link"

	RouteVerify        = "verify"
	RouteVerifyStep    = "verify.step"
	RouteVerifyUpload  = "verify.upload"
	RouteVerifyImage   = "verify.image"
	RouteVerifyBarcode = "verify.barcode"

	RouteVerifyHandoff     = "verify.handoff"
	RouteVerifyHandoffText = "verify.handoff.text"
	RouteVerifyPhone       = "verify.phone"
	RouteVerifyPhonePhotos = "verify.phone.photos"
	RouteVerifyPhoneUpload = "verify.phone.upload"
	RouteVerifyPhoneImage  = "verify.phone.image"

	RouteDashboard = "dashboard"
	RouteIPPIN     = "ippin"

	// The agent console; see console.go for its navigation.
	RouteConsole          = "console"
	RouteConsoleSchedule  = "console.schedule"
	RouteConsoleCalls     = "console.calls"
	RouteConsoleTaxpayers = "console.taxpayers"
	RouteConsoleApprovals = "console.approvals"
	RouteConsoleAgents    = "console.agents"
	RouteConsoleAudit     = "console.audit"
	RouteConsoleJobs      = "console.jobs"

	RouteDevIndex  = "dev.index"
	RouteDevOutbox = "dev.outbox"
)

// routes is the portal's route table: every URL, who may reach it, and the
// handler that answers it.
func (a *App) routes(e *echo.Echo) {
	// Operations: no session, no CSRF, no HTML.
	e.GET("/healthz", a.healthz).Name = RouteHealth
	e.GET("/readyz", a.readyz).Name = RouteReady
	e.GET("/metrics", a.metricsHandler()).Name = RouteMetrics
	e.GET(staticRoute, echo.WrapHandler(a.assets))

	// Public: anyone, signed in or not.
	e.GET("/", a.home).Name = RouteHome
	e.GET("/help", a.helpIndex).Name = RouteHelp
	e.GET("/help/topics/:category", a.helpCategory).Name = RouteHelpCategory
	e.GET("/help/:slug", a.helpArticle).Name = RouteHelpArticle

	// Signing up, in and out, and recovery: anyone.
	e.GET("/sign-up", a.signUpForm).Name = RouteSignUp
	e.POST("/sign-up", a.signUp)
	e.GET("/sign-up/confirm", a.checkEmail).Name = RouteConfirmEmail
	e.POST("/sign-up/confirm", a.confirmCode)
	e.POST("/sign-up/resend", a.resendConfirmation).Name = RouteResendConfirmation
	e.GET("/sign-up/confirm-link", a.confirmLinkForm).Name = RouteConfirmLink
	e.POST("/sign-up/confirm-link", a.confirmLink)
	e.GET("/sign-in", a.signInForm).Name = RouteSignIn
	e.POST("/sign-in", a.signIn)
	e.POST("/sign-out", a.signOut).Name = RouteSignOut
	e.GET("/signed-out", a.signedOut).Name = RouteSignedOut
	e.GET("/password/forgot", a.forgotForm).Name = RouteForgotPassword
	e.POST("/password/forgot", a.forgot)
	e.GET("/password/reset", a.resetForm).Name = RouteResetPassword
	e.POST("/password/reset", a.reset)
	e.GET(sessionStatusPath, a.sessionStatus).Name = RouteSessionStatus
	e.GET("/account/lock", a.wasntMeForm).Name = RouteWasntMe
	e.POST("/account/lock", a.wasntMe)

	// Guards are attached route by route: an Echo group with middleware
	// would also catch every unknown URL under its prefix.
	//
	// Password passed, second factor owed: the factor step, and setting up a
	// first factor (later ones need a full, recent sign-in: enrollGate).
	partial := []echo.MiddlewareFunc{a.requirePassword}
	e.GET("/sign-in/verify", a.factorForm, partial...).Name = RouteSignInFactor
	e.POST("/sign-in/verify", a.factor, partial...)
	e.POST("/sign-in/verify/send-code", a.sendCode, partial...).Name = RouteSignInSendCode
	e.POST("/sign-in/verify/security-key/options", a.signInKeyOptions, partial...).Name = RouteSignInSecurityKeyOptions
	e.POST("/sign-in/verify/security-key", a.signInWithKey, partial...).Name = RouteSignInSecurityKey
	e.POST("/session/keep-alive", a.keepAlive, partial...).Name = RouteKeepAlive
	setup := []echo.MiddlewareFunc{a.requirePassword, a.enrollGate}
	e.GET("/account/setup", a.chooseFactorForm, setup...).Name = RouteSetupFactor
	e.POST("/account/setup", a.chooseFactor, setup...)
	e.GET("/account/setup/app", a.setupAppForm, setup...).Name = RouteSetupApp
	e.POST("/account/setup/app", a.setupApp, setup...)
	phone := []echo.MiddlewareFunc{a.requirePassword, a.enrollGate, a.requirePhoneCodes}
	e.GET("/account/setup/phone", a.setupPhoneForm, phone...).Name = RouteSetupPhone
	e.POST("/account/setup/phone", a.setupPhone, phone...)
	e.GET("/account/setup/phone/confirm", a.confirmPhoneForm, phone...).Name = RouteSetupPhoneConfirm
	e.POST("/account/setup/phone/confirm", a.confirmPhone, phone...)
	e.POST("/account/setup/phone/resend", a.resendPhoneCode, phone...).Name = RouteSetupPhoneResend
	e.GET("/account/setup/security-key", a.setupSecurityKeyForm, setup...).Name = RouteSetupSecurityKey
	e.POST("/account/setup/security-key", a.addSecurityKey, setup...)
	e.POST("/account/setup/security-key/options", a.securityKeyOptions, setup...).Name = RouteSetupSecurityKeyOptions
	e.GET("/account/setup/backup-codes", a.backupCodes, setup...).Name = RouteBackupCodes
	e.POST("/account/setup/backup-codes/new", a.createBackupCodes, setup...).Name = RouteBackupCodesNew
	e.POST("/account/setup/backup-codes/download", a.downloadBackupCodes, setup...).Name = RouteBackupCodesDownload
	e.POST("/account/setup/backup-codes/done", a.backupCodesDone, setup...).Name = RouteBackupCodesDone

	// Signed in with both factors.
	signed := []echo.MiddlewareFunc{a.requireSignedIn}
	e.GET("/account", a.accountOverview, signed...).Name = RouteAccount
	e.POST("/account/sessions/:handle/end", a.endSessionOf, signed...).Name = RouteEndSession
	e.POST("/account/sessions/end-others", a.endOtherSessions, signed...).Name = RouteEndOtherSessions
	e.GET("/account/confirm-it-is-you", a.reauthForm, signed...).Name = RouteReauth
	e.POST("/account/confirm-it-is-you", a.reauth, signed...)

	// Signed in, and proven again within 20 minutes: changes to how the
	// account is protected.
	recent := []echo.MiddlewareFunc{a.requireSignedIn, a.requireRecentAuth}
	e.POST("/account/factors/:id/rename", a.renameFactor, recent...).Name = RouteRenameFactor
	e.POST("/account/factors/:id/remove", a.removeFactor, recent...).Name = RouteRemoveFactor
	e.GET("/account/password", a.passwordForm, recent...).Name = RoutePassword
	e.POST("/account/password", a.changePassword, recent...)
	e.GET("/account/email", a.emailChangeForm, recent...).Name = RouteChangeEmail
	e.POST("/account/email", a.requestEmailChange, recent...)
	e.GET("/account/email/code", a.emailCodeForm, signed...).Name = RouteChangeEmailCode
	e.POST("/account/email/code", a.emailCode, signed...)

	// Identity verification: signed in with both factors. Which step may be
	// seen is the flow's own rule (see verify.go).
	e.GET("/verify", a.verifyStart, signed...).Name = RouteVerify
	e.GET("/verify/in-person/barcode.png", a.referenceBarcode, signed...).Name = RouteVerifyBarcode
	e.GET("/verify/documents/:side/image", a.sideImage, signed...).Name = RouteVerifyImage
	e.POST(uploadPath, a.uploadSide, signed...).Name = RouteVerifyUpload
	e.GET("/verify/:step", a.verifyPage, signed...).Name = RouteVerifyStep
	e.POST("/verify/:step", a.verifyAnswer, signed...)

	// Tax records: signed in with an identity verified and linked to a
	// taxpayer. Every handler reads only the linked taxpayer's rows.
	verified := []echo.MiddlewareFunc{a.requireSignedIn, a.requireVerified}
	e.GET("/dashboard", a.dashboard, verified...).Name = RouteDashboard
	e.GET("/records", a.recordsIndex, verified...).Name = RouteRecords
	e.GET("/records/:year/:kind", a.transcript, verified...).Name = RouteTranscript
	e.GET("/records/:year/:kind/transcript.pdf", a.transcriptPDF, verified...).Name = RouteTranscriptPDF
	e.GET("/records/:year/:kind/transactions.csv", a.transcriptCSV, verified...).Name = RouteTranscriptCSV
	e.GET("/refunds", a.refunds, verified...).Name = RouteRefunds
	e.GET("/notices", a.notices, verified...).Name = RouteNotices
	e.GET("/notices/:id", a.notice, verified...).Name = RouteNotice
	// The public refund lookup: anyone; the answer is in the POST's response.
	e.GET("/refund-status", a.refundLookupForm).Name = RouteRefundLookup
	e.POST("/refund-status", a.refundLookup)

	// The IP PIN: verified taxpayers see where they stand, enrol and opt
	// out; the PIN itself, and opting out, need a sign-in in the last 20
	// minutes. The lost-PIN screen is public.
	verifiedRecent := []echo.MiddlewareFunc{a.requireSignedIn, a.requireVerified, a.requireRecentAuth}
	e.GET("/ip-pin", a.ippinStatus, verified...).Name = RouteIPPIN
	e.GET("/ip-pin/enrol", a.ippinEnrolForm, verified...).Name = RouteIPPINEnrol
	e.POST("/ip-pin/enrol", a.ippinEnrol, verified...)
	e.GET("/ip-pin/view", a.ippinView, verifiedRecent...).Name = RouteIPPINView
	e.GET("/ip-pin/opt-out", a.ippinOptOutForm, verifiedRecent...).Name = RouteIPPINOptOut
	e.POST("/ip-pin/opt-out", a.ippinOptOut, verifiedRecent...)
	e.GET("/ip-pin/lost", a.ippinLost).Name = RouteIPPINLost

	// The e-file check API for tax software: an API key, no session, no
	// CSRF token (skipCSRF), JSON in and out.
	e.POST("/api/v1/ip-pin/check", a.apiCheck).Name = RouteAPICheck
	e.GET("/api/v1/openapi.json", a.apiOpenAPI).Name = RouteAPIOpenAPI

	// The agent console: agents and supervisors only; anyone else gets 404,
	// and so does a staff account a supervisor disabled. Supervisors alone
	// manage agents, read the audit trail and watch the outgoing messages.
	staff := []echo.MiddlewareFunc{a.requireSignedIn, requireRole(models.RoleAgent, models.RoleSupervisor)}
	supervisor := []echo.MiddlewareFunc{a.requireSignedIn, requireRole(models.RoleSupervisor)}
	e.GET("/agent", a.consoleQueue, staff...).Name = RouteConsole
	e.POST("/agent/cases/:id/claim", a.claimCase, staff...).Name = RouteConsoleClaim
	e.GET("/agent/cases/:id", a.consoleCase, staff...).Name = RouteConsoleCase
	e.GET("/agent/cases/:id/images/:side", a.caseImage, staff...).Name = RouteConsoleCaseImage
	e.POST("/agent/cases/:id/release", a.releaseCase, staff...).Name = RouteConsoleRelease
	e.POST("/agent/cases/:id/decision", a.decideCase, staff...).Name = RouteConsoleDecide
	e.GET("/agent/taxpayers", a.findTaxpayerForm, staff...).Name = RouteConsoleTaxpayers
	e.POST("/agent/taxpayers", a.findTaxpayer, staff...)
	e.GET("/agent/taxpayers/:id", a.consoleTaxpayer, staff...).Name = RouteConsoleTaxpayer
	e.POST("/agent/taxpayers/:id/open", a.openTaxpayer, staff...).Name = RouteConsoleOpenTaxpayer
	e.GET("/agent/agents", a.consoleAgents, supervisor...).Name = RouteConsoleAgents
	e.POST("/agent/agents", a.createAgent, supervisor...)
	e.POST("/agent/agents/:id/disable", a.disableAgent, supervisor...).Name = RouteConsoleDisableAgent
	e.GET("/agent/audit", a.consoleAudit, supervisor...).Name = RouteConsoleAudit
	e.GET("/agent/messages", a.consoleJobs, supervisor...).Name = RouteConsoleJobs

	// Video calls and phone assistance. The taxpayer books a call inside
	// the verification flow (/verify/video-call, through verifyAnswer);
	// switching an online attempt to a call is here. Console screens: any
	// agent or supervisor; a call record answers only its own agent; the
	// approvals of second-factor resets, supervisors only.
	e.GET("/verify/video-call/instead", a.videoInsteadForm, signed...).Name = RouteVerifyVideoInstead
	e.POST("/verify/video-call/instead", a.videoInstead, signed...)
	e.GET("/agent/schedule", a.consoleSchedule, staff...).Name = RouteConsoleSchedule
	e.POST("/agent/schedule", a.publishSlots, staff...)
	e.POST("/agent/schedule/slots/:id/remove", a.removeSlot, staff...).Name = RouteConsoleSlotRemove
	e.GET("/agent/appointments/:id", a.consoleAppointment, staff...).Name = RouteConsoleAppointment
	e.POST("/agent/appointments/:id", a.recordAppointment, staff...)
	e.GET("/agent/calls", a.consoleCalls, staff...).Name = RouteConsoleCalls
	e.POST("/agent/calls", a.startCall, staff...)
	e.GET("/agent/calls/:id", a.consoleCall, staff...).Name = RouteConsoleCall
	e.POST("/agent/calls/:id/:action", a.callAction, staff...).Name = RouteConsoleCallAction
	e.GET("/agent/approvals", a.consoleApprovals, supervisor...).Name = RouteConsoleApprovals
	e.POST("/agent/approvals/:id", a.decideApproval, supervisor...).Name = RouteConsoleApprovalDecide

	// Taking the verification photos on a phone: the computer makes a
	// one-time link; the phone that opens it may add photos to that one
	// attempt for a while (verify_phone.go), without signing in.
	e.POST("/verify/documents/phone", a.startHandoff, signed...).Name = RouteVerifyHandoff
	e.GET("/verify/documents/phone", a.handoffPage, signed...)
	e.POST("/verify/documents/phone/text", a.textHandoff, signed...).Name = RouteVerifyHandoffText
	e.GET("/verify/phone", a.phoneStartForm).Name = RouteVerifyPhone
	e.POST("/verify/phone", a.phoneStart)
	e.GET("/verify/phone/photos", a.phonePhotos).Name = RouteVerifyPhonePhotos
	e.POST(phoneUploadPath, a.phoneUpload).Name = RouteVerifyPhoneUpload
	e.GET("/verify/phone/photos/:side/image", a.phoneImage).Name = RouteVerifyPhoneImage

	// The new address's link works in any browser: it proves the address.
	e.GET("/account/email/confirm", a.emailLinkForm).Name = RouteConfirmEmailChange
	e.POST("/account/email/confirm", a.emailLink)

	// Development only: never registered in production.
	if !a.cfg.IsProduction() {
		e.GET("/dev", a.devIndex).Name = RouteDevIndex
		e.GET("/dev/outbox", a.devOutbox).Name = RouteDevOutbox
	}
}

// reverse builds the URL of a named route from a table made once at start:
// Echo's own Reverse walks every route on each call, and pages build dozens
// of links.
func (a *App) reverse(name string, params ...any) string {
	segs, ok := a.urls[name]
	if !ok {
		return a.echo.Reverse(name, params...)
	}
	if len(segs) == 1 {
		return segs[0]
	}
	var b strings.Builder
	for i, seg := range segs {
		if i%2 == 0 {
			b.WriteString(seg)
			continue
		}
		if n := i / 2; n < len(params) {
			b.WriteString(fmt.Sprint(params[n]))
		}
	}
	return b.String()
}

// routeTemplates splits the path of every named route into literal text
// (even indexes) and parameter names (odd indexes): "/help/:slug" becomes
// ["/help/", "slug", ""].
func routeTemplates(e *echo.Echo) map[string][]string {
	urls := map[string][]string{}
	for _, r := range e.Routes() {
		if r.Name == "" || strings.Contains(r.Path, "*") {
			continue
		}
		var segs []string
		rest := r.Path
		for {
			i := strings.IndexByte(rest, ':')
			if i < 0 {
				segs = append(segs, rest)
				break
			}
			end := strings.IndexByte(rest[i:], '/')
			if end < 0 {
				end = len(rest) - i
			}
			segs = append(segs, rest[:i], rest[i+1:i+end])
			rest = rest[i+end:]
		}
		urls[r.Name] = segs
	}
	return urls
}
