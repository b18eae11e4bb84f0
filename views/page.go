// Package views holds the templ components that draw the portal's pages and
// the view models they are drawn from. Components never touch the database:
// handlers hand them structs shaped like the screen.
package views

// Brand is the configurable naming shown on every page.
type Brand struct {
	Agency  string
	Product string
	Banner  string
}

// NavLink is one link in the header navigation.
type NavLink struct {
	Label   string
	URL     string
	Current bool
}

// Crumb is one step of a breadcrumb trail; the last one has no URL.
type Crumb struct {
	Label string
	URL   string
}

// Page is what the layout needs from every request.
type Page struct {
	Title       string // the page's own title; the layout appends the product name
	Description string
	Brand       Brand
	Nonce       string // CSP nonce for this response
	CSRFToken   string
	Asset       func(name string) string // versioned URL of a static file
	Nav         []NavLink
	Footer      []NavLink
	HomeURL     string
	Breadcrumbs []Crumb
	Development bool
	// Session is set while someone is signed in: the layout then offers
	// sign-out and warns before the session times out.
	Session *SessionInfo
	// Scripts are extra static scripts (names for Asset) that only some
	// pages need, loaded after the portal's own with the page's nonce.
	Scripts []string
}

// SessionInfo drives the sign-out button and the inactivity warning.
type SessionInfo struct {
	SignOutAction string
	IdleSeconds   int // inactivity that ends the session
	WarnSeconds   int // how long before the end the warning opens
	KeepAliveURL  string
	StatusURL     string
	EndedURL      string
}

// FullTitle is the document title: page first, so tabs stay tellable apart.
func (p Page) FullTitle() string {
	if p.Title == "" {
		return p.Brand.Product + " | " + p.Brand.Agency
	}
	return p.Title + " | " + p.Brand.Product
}

// WithTitle returns a copy of p titled for one page.
func (p Page) WithTitle(title string, crumbs ...Crumb) Page {
	p.Title = title
	p.Breadcrumbs = crumbs
	return p
}

// CSRFHeaders is the hx-headers value that makes htmx send the CSRF token.
func (p Page) CSRFHeaders() string {
	return `{"X-CSRF-Token":"` + p.CSRFToken + `"}`
}

// PollHeader marks a request an open page makes by itself on a timer
// (htmx polling). The server does not count it as the person's activity,
// so a page left open still times out.
const PollHeader = "X-Poll"

// PollHeaders is the hx-headers value that marks a polling request.
const PollHeaders = `{"X-Poll": "1"}`
