package handlers

import (
	"github.com/labstack/echo/v4"
)

func (a *App) devIndex(c echo.Context) error {
	return echo.ErrNotFound
}
