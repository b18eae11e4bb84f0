package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/views"
)

// consolePage is the frame of every agent-console page: the console's own
// navigation in place of the taxpayer's, with the supervisor's screens for
// supervisors only.
func (a *App) consolePage(c echo.Context, title string, crumbs ...views.Crumb) views.Page {
	p := a.page(c, title, crumbs...)
	p.HomeURL = a.reverse(RouteConsole)
	nav := []views.NavLink{
		{Label: "Review queue", URL: a.reverse(RouteConsole)},
		{Label: "Schedule", URL: a.reverse(RouteConsoleSchedule)},
		{Label: "Phone calls", URL: a.reverse(RouteConsoleCalls)},
		{Label: "Find a taxpayer", URL: a.reverse(RouteConsoleTaxpayers)},
	}
	if acct := account(c); acct != nil && acct.Role == models.RoleSupervisor {
		nav = append(nav,
			views.NavLink{Label: "Approvals", URL: a.reverse(RouteConsoleApprovals)},
			views.NavLink{Label: "Agents", URL: a.reverse(RouteConsoleAgents)},
			views.NavLink{Label: "Audit trail", URL: a.reverse(RouteConsoleAudit)},
			views.NavLink{Label: "Messages", URL: a.reverse(RouteConsoleJobs)},
		)
	}
	path := c.Request().URL.Path
	for i := range nav {
		u := nav[i].URL
		nav[i].Current = path == u || (u != a.reverse(RouteConsole) && strings.HasPrefix(path, u+"/"))
	}
	p.Nav = nav
	return p
}
