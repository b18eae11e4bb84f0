package handlers

import (
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
	RouteDevIndex     = "dev.index"
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

	// Development only: never registered in production.
	if !a.cfg.IsProduction() {
		dev := e.Group("/dev")
		dev.GET("", a.devIndex).Name = RouteDevIndex
	}
}

// reverse builds the URL of a named route.
func (a *App) reverse(name string, params ...any) string {
	return a.echo.Reverse(name, params...)
}
