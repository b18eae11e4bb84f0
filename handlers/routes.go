package handlers

import (
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"
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

	RouteDevIndex   = "dev.index"
	RouteDevOutbox  = "dev.outbox"
	RouteDevReviews = "dev.reviews"
	RouteDevReview  = "dev.review"
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

	// The new address's link works in any browser: it proves the address.
	e.GET("/account/email/confirm", a.emailLinkForm).Name = RouteConfirmEmailChange
	e.POST("/account/email/confirm", a.emailLink)

	// Development only: never registered in production.
	if !a.cfg.IsProduction() {
		e.GET("/dev", a.devIndex).Name = RouteDevIndex
		e.GET("/dev/outbox", a.devOutbox).Name = RouteDevOutbox
		e.GET("/dev/reviews", a.devReviews).Name = RouteDevReviews
		e.POST("/dev/reviews/:id", a.devDecide).Name = RouteDevReview
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
