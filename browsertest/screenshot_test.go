package browsertest

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// viewport is an emulated screen.
type viewport struct {
	label         string
	width, height int64
	mobile        bool
}

var (
	desktop    = viewport{"desktop", 1280, 900, false}
	phone      = viewport{"phone", 375, 812, true}
	smallPhone = viewport{"phone-320", 320, 640, true}
)

// setViewport emulates a screen: its size, device scale 1 and, for phones,
// mobile mode (so the viewport meta tag and media queries apply).
func (b *Browser) setViewport(t testing.TB, v viewport) {
	t.Helper()
	b.call(t, "emulating "+v.label, func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: v.width, Height: v.height, DeviceScaleFactor: 1, Mobile: v.mobile,
		})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: v.mobile})
		return err
	})
	b.settle(t)
}

// settle lets the page lay itself out again after a change.
func (b *Browser) settle(t testing.TB) {
	t.Helper()
	if b.js {
		Eval[chromedp.Void](t, b, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))`)
		return
	}
	time.Sleep(50 * time.Millisecond) // no requestAnimationFrame without scripts
}

// screenshot writes a full-page PNG to screenshots/<journey>/<nn>-<name>-<label>.png.
func (b *Browser) screenshot(t testing.TB, n int, name string, v viewport) {
	t.Helper()
	var png []byte
	b.call(t, "screenshot "+name, func(ctx context.Context, t *chromedp.Target) error {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return err
		}
		w := math.Max(float64(v.width), math.Ceil(m.CSSContentSize.Width))
		h := math.Ceil(m.CSSContentSize.Height)
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			Clip:                  &page.Viewport{Width: w, Height: h, Scale: 1},
			CaptureBeyondViewport: new(true),
			FromSurface:           new(true),
		})
		png = r.Data
		return err
	})
	file := filepath.Join("screenshots", b.journey, fmt.Sprintf("%02d-%s-%s.png", n, slug(name), v.label))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// overflow is what checkNoSideScroll measures.
type overflow struct {
	ScrollWidth int64    `json:"scrollWidth"`
	InnerWidth  int64    `json:"innerWidth"`
	Culprits    []string `json:"culprits"`
}

// checkNoSideScroll fails when the page is wider than the emulated screen,
// naming the elements that stick out.
func (b *Browser) checkNoSideScroll(t testing.TB, name string, v viewport) {
	t.Helper()
	o := Eval[overflow](t, b, fmt.Sprintf(`(() => {
		const w = %d;
		const culprits = [];
		const sticksOut = (el) => el.getBoundingClientRect().right > w + 1;
		for (const el of document.body.querySelectorAll("*")) {
			// Name the outermost elements that stick out, not their children
			// or fixed layers that span the (widened) window.
			const r = el.getBoundingClientRect();
			if (r.width === 0 || !sticksOut(el) || getComputedStyle(el).position === "fixed") continue;
			if (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement)) continue;
			if (culprits.length < 5) {
				let s = el.tagName.toLowerCase();
				if (el.id) s += "#" + el.id;
				if (el.classList.length) s += "." + [...el.classList].join(".");
				const region = el.parentElement && el.parentElement.closest("header, main, footer");
				if (region) s = region.tagName.toLowerCase() + " " + s;
				const cs = getComputedStyle(el);
				culprits.push(s + " (right edge " + Math.round(r.right) + "px, margin " + cs.marginLeft + " " + cs.marginRight + ")");
			}
		}
		return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits};
	})()`, v.width))
	if o.ScrollWidth > o.InnerWidth || o.ScrollWidth > v.width {
		t.Errorf("%s: scrolls sideways at %d px: document is %d px wide, window %d px; elements sticking out: %s",
			name, v.width, o.ScrollWidth, o.InnerWidth, strings.Join(o.Culprits, ", "))
	}
}

// slug makes a page name safe for a file name.
func slug(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, s)
}
