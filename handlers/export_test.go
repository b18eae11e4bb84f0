package handlers

import "github.com/labstack/echo/v4"

// ReverseForTest builds a URL the way the handlers do.
func ReverseForTest(e *echo.Echo, name string, params ...any) string {
	a := &App{echo: e, urls: routeTemplates(e)}
	return a.reverse(name, params...)
}
