package handlers

import (
	"errors"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v4"
)

// ReverseForTest builds a URL the way the handlers do.
func ReverseForTest(e *echo.Echo, name string, params ...any) string {
	a := &App{echo: e, urls: routeTemplates(e)}
	return a.reverse(name, params...)
}

// FactorChoicesForTest lists the second factors offered, by value.
func FactorChoicesForTest(phoneCodes bool) []string {
	a := &App{phoneCodes: phoneCodes}
	var out []string
	for _, ch := range a.factorChoices() {
		out = append(out, ch.Value)
	}
	return out
}

// PhoneGuardForTest answers a request through the phone-enrolment guard.
func PhoneGuardForTest(phoneCodes bool) int {
	a := &App{phoneCodes: phoneCodes}
	e := echo.New()
	c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
	err := a.requirePhoneCodes(func(c echo.Context) error { return c.NoContent(http.StatusOK) })(c)
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code
	}
	return c.Response().Status
}
