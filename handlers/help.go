package handlers

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/helpcenter"
	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/help"
)

const (
	maxQueryRunes = 200 // longer queries are cut, not refused
	maxResults    = 10
)

// helpIndex is the help center home and its search: /help?q=... works as a
// plain GET form, and htmx asks the same URL for just the results.
func (a *App) helpIndex(c echo.Context) error {
	s := a.search(c.QueryParam("q"))
	title := "Help center"
	if s.Asked {
		title = "Search help: " + s.Query
	}
	v := help.IndexView{Search: s}
	for _, cat := range helpcenter.Categories {
		v.Categories = append(v.Categories, a.categoryView(cat))
	}
	p := a.page(c, title, views.Crumb{Label: "Home", URL: a.reverse(RouteHome)}, views.Crumb{Label: "Help center"})
	return render(c, http.StatusOK, help.Index(p, v), help.ResultsFragment(p, s))
}

func (a *App) search(raw string) help.SearchView {
	q := strings.TrimSpace(raw)
	if utf8.RuneCountInString(q) > maxQueryRunes {
		q = string([]rune(q)[:maxQueryRunes])
	}
	s := help.SearchView{Action: a.reverse(RouteHelp), Query: q, Asked: q != ""}
	for _, r := range a.help.Search(q, maxResults) {
		s.Results = append(s.Results, a.articleLink(r.Article))
	}
	return s
}

func (a *App) helpCategory(c echo.Context) error {
	cat, ok := a.help.Category(c.Param("category"))
	if !ok {
		return echo.ErrNotFound
	}
	p := a.page(c, cat.Title,
		views.Crumb{Label: "Home", URL: a.reverse(RouteHome)},
		views.Crumb{Label: "Help center", URL: a.reverse(RouteHelp)},
		views.Crumb{Label: cat.Title})
	return render(c, http.StatusOK, help.Category(p, a.categoryView(cat), a.search("")), nil)
}

func (a *App) helpArticle(c echo.Context) error {
	art, ok := a.help.Article(c.Param("slug"))
	if !ok {
		return echo.ErrNotFound
	}
	cat := a.categoryView(art.Category)
	v := help.ArticleView{Title: art.Title, Summary: art.Summary, Category: cat, HTML: art.HTML}
	for _, r := range a.help.RelatedTo(art, 5) {
		v.Related = append(v.Related, a.articleLink(r))
	}
	p := a.page(c, art.Title,
		views.Crumb{Label: "Home", URL: a.reverse(RouteHome)},
		views.Crumb{Label: "Help center", URL: a.reverse(RouteHelp)},
		views.Crumb{Label: cat.Title, URL: cat.URL},
		views.Crumb{Label: art.Title})
	p.Description = art.Summary
	return render(c, http.StatusOK, help.Article(p, v), nil)
}

func (a *App) categoryView(cat helpcenter.Category) help.CategoryView {
	v := help.CategoryView{ID: cat.ID, Title: cat.Title, Description: cat.Description, URL: a.reverse(RouteHelpCategory, cat.ID)}
	for _, art := range a.help.InCategory(cat.ID) {
		v.Articles = append(v.Articles, a.articleLink(art))
	}
	return v
}

func (a *App) articleLink(art *helpcenter.Article) help.ArticleLink {
	return help.ArticleLink{Title: art.Title, Summary: art.Summary, URL: a.reverse(RouteHelpArticle, art.Slug)}
}
