package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/views/home"
)

// home is the signed-out front door: the four things people come to do.
func (a *App) home(c echo.Context) error {
	article := func(slug string) string { return a.reverse(RouteHelpArticle, slug) }
	v := home.View{
		Tasks: []home.Task{
			{Heading: "Create an account", Body: "Set up a secure sign-in with a password and a second factor. It takes about five minutes.",
				Action: "Create an account", URL: a.reverse(RouteSignUp), TestID: "task-create-account"},
			{Heading: "Sign in", Body: "See your tax records, your refund and your IP PIN once you have verified your identity.",
				Action: "Sign in", URL: a.reverse(RouteSignIn), TestID: "task-sign-in"},
			{Heading: "Check your refund", Body: "Track a refund with your SSN or ITIN, filing status and the exact refund amount.",
				Action: "How refund status works", URL: article("check-refund-status"), TestID: "task-refund"},
			{Heading: "Get help", Body: "Plain answers on identity verification, transcripts, refunds and the IP PIN.",
				Action: "Go to the help center", URL: a.reverse(RouteHelp), TestID: "task-help"},
		},
		Popular: []home.Link{
			{Label: "Why we ask you to verify your identity", URL: article("why-verify-identity")},
			{Label: "If you lost your IP PIN", URL: a.reverse(RouteIPPINLost)},
			{Label: "Why your refund is on hold", URL: article("refund-on-hold")},
			{Label: "Which transcript do I need", URL: article("transcript-types")},
		},
	}
	return render(c, http.StatusOK, home.Page(a.page(c, ""), v), nil)
}
