package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The helpers below act on the current page. Selectors are CSS selectors;
// each helper waits (up to stepTimeout) for its element and fails the test
// when it does not come.

// Click clicks an element with the mouse and does not wait for a new page:
// use it for in-page controls (an accordion, an htmx button), and Follow for
// links and buttons that load another page.
func (b *Browser) Click(t testing.TB, sel string) {
	t.Helper()
	b.run(t, "clicking "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// Type types text into a field with real key events, as a person would.
// kb.Enter in the text presses Enter.
func (b *Browser) Type(t testing.TB, sel, text string) {
	t.Helper()
	b.run(t, "typing into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Clear empties a field.
func (b *Browser) Clear(t testing.TB, sel string) {
	t.Helper()
	b.run(t, "clearing "+sel, chromedp.Clear(chromedp.CSS(sel)))
}

// Press sends keys to whatever has focus, such as kb.Tab or kb.Enter.
func (b *Browser) Press(t testing.TB, keys string) {
	t.Helper()
	b.run(t, "pressing keys", chromedp.KeyEvent(keys))
}

// Follow clicks a link or button that loads another page, waits for it and
// checks it (axe, screenshots) under name. It returns the HTTP status.
func (b *Browser) Follow(t *testing.T, name, sel string) int64 {
	t.Helper()
	status := b.Navigate(t, "following "+sel, chromedp.Click(chromedp.CSS(sel)))
	b.Check(t, name)
	return status
}

// Submit presses the first submit button of a form and waits for the page
// the server answers with, then checks it under name. Use it for plain
// forms, or in a tab without JavaScript; an htmx form swaps in place, so
// Click its button and WaitFor the swapped content instead.
func (b *Browser) Submit(t *testing.T, name, formSel string) int64 {
	t.Helper()
	btn := formSel + ` [type=submit]`
	status := b.Navigate(t, "submitting "+formSel, chromedp.Click(chromedp.CSS(btn)))
	b.Check(t, name)
	return status
}

// SubmitWithEnter presses Enter in a field, which submits its form, waits for
// the new page and checks it under name.
func (b *Browser) SubmitWithEnter(t *testing.T, name, fieldSel string) int64 {
	t.Helper()
	status := b.Navigate(t, "pressing Enter in "+fieldSel, chromedp.SendKeys(chromedp.CSS(fieldSel), kb.Enter))
	b.Check(t, name)
	return status
}

// WaitFor waits until an element is visible.
func (b *Browser) WaitFor(t testing.TB, sel string) {
	t.Helper()
	b.run(t, "waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// WaitUntil waits until a JavaScript condition holds.
func (b *Browser) WaitUntil(t testing.TB, cond string) {
	t.Helper()
	b.run(t, "waiting until "+cond, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(stepTimeout))(ctx, tg)
		return err
	}))
}

// Text is the visible text of the first element matching sel, trimmed.
func (b *Browser) Text(t testing.TB, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("reading the text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Attr is an attribute of the first element matching sel ("" when absent).
func (b *Browser) Attr(t testing.TB, sel, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	r, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		t.Fatalf("reading %s of %s: %v", name, sel, err)
	}
	return r.Value
}

// Count is how many elements match sel right now (it does not wait).
func (b *Browser) Count(t testing.TB, sel string) int {
	t.Helper()
	return Eval[int](t, b, `document.querySelectorAll(`+jsString(sel)+`).length`)
}

// Links are the absolute hrefs of the elements matching sel, in order.
func (b *Browser) Links(t testing.TB, sel string) []string {
	t.Helper()
	return Eval[[]string](t, b, `[...document.querySelectorAll(`+jsString(sel)+`)].map((a) => a.href)`)
}

// Location is the tab's current URL.
func (b *Browser) Location(t testing.TB) string {
	t.Helper()
	return b.location(t)
}

func (b *Browser) location(t testing.TB) string {
	t.Helper()
	return Eval[string](t, b, `document.location.href`)
}

// Focused describes the element that has focus, as tag#id.class.
func (b *Browser) Focused(t testing.TB) string {
	t.Helper()
	return Eval[string](t, b, `(() => {
		const el = document.activeElement;
		if (!el) return "";
		let s = el.tagName.toLowerCase();
		if (el.id) s += "#" + el.id;
		if (el.classList.length) s += "." + [...el.classList].join(".");
		return s;
	})()`)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return `"` + r.Replace(s) + `"`
}
