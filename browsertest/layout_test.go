package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/taxportal/portal/portaltest"
)

// TestBannerAccordion opens the USWDS banner's "What this means" panel.
func TestBannerAccordion(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	b := NewBrowser(t, p, "banner")

	b.Visit(t, "home", "/")
	const btn, panel = ".usa-banner__button", "#site-banner"
	if !Eval[bool](t, b, `document.querySelector("#site-banner").hidden`) {
		t.Fatal("the banner panel is open before it is clicked")
	}
	b.Click(t, btn)
	b.WaitFor(t, panel)
	if got := b.Attr(t, btn, "aria-expanded"); got != "true" {
		t.Errorf("banner button aria-expanded = %q after opening, want true", got)
	}
	if got := b.Text(t, panel); !strings.Contains(got, "Made-up people and records") || !strings.Contains(got, ".gov") {
		t.Errorf("banner panel shows %q", got)
	}
	b.Check(t, "banner-open")

	b.Click(t, btn)
	if !Eval[bool](t, b, `document.querySelector("#site-banner").hidden`) {
		t.Error("the banner panel stays open after a second click")
	}
}

// TestSkipLink checks that keyboard users can skip the header: the first Tab
// lands on the skip link, and following it moves focus to the main region.
func TestSkipLink(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	b := NewBrowser(t, p, "keyboard")

	b.Visit(t, "home", "/")
	b.Press(t, kb.Tab)
	if got := b.Focused(t); got != "a.usa-skipnav" {
		t.Fatalf("the first Tab focuses %q, want the skip link a.usa-skipnav", got)
	}
	b.Check(t, "skip-link-focused")
	b.Press(t, kb.Enter)
	b.WaitUntil(t, `document.activeElement && document.activeElement.id === "main-content"`)
	if got := b.Focused(t); got != "main#main-content.usa-section.portal-main" {
		t.Errorf("after the skip link, focus is on %q, want main#main-content", got)
	}
}

// TestPhoneMenu opens the navigation drawer with the Menu button on a phone
// and closes it with Escape.
func TestPhoneMenu(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	b := NewBrowser(t, p, "phone-menu")

	b.Visit(t, "home", "/")
	b.Phone(t)
	b.Click(t, ".usa-menu-btn")
	// USWDS slides the drawer in; wait until it is fully on screen.
	b.WaitUntil(t, `(() => {
		const r = document.querySelector(".usa-nav").getBoundingClientRect();
		return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 1;
	})()`)
	if got := b.Text(t, ".usa-nav .usa-nav__primary"); !strings.Contains(got, "Help") {
		t.Errorf("the open menu shows %q, want the Help link", got)
	}
	b.CheckPhone(t, "menu-open")

	b.Press(t, kb.Escape)
	b.WaitUntil(t, `!document.querySelector(".usa-nav").classList.contains("is-visible")`)
	if got := b.Focused(t); got != "button.usa-menu-btn" {
		t.Errorf("after Escape, focus is on %q, want back on the Menu button", got)
	}
}
