package browsertest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// consoleLog collects what a tab reports as going wrong: uncaught
// exceptions, console.error calls, and browser log errors such as a CSP
// violation or a failed asset request.
type consoleLog struct {
	mu       sync.Mutex
	problems []string
	expected map[string]bool // "failed to load" errors of a page loaded with an expected error status
}

// watchConsole starts collecting the tab's problems.
func (b *Browser) watchConsole(t testing.TB) {
	t.Helper()
	c := &consoleLog{}
	err := chromedp.Listen(b.ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text = d.Exception.Description
			}
			c.add(fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					if a.Value != nil {
						parts = append(parts, string(a.Value))
					} else {
						parts = append(parts, a.Description)
					}
				}
				c.add("console." + string(ev.Type) + ": " + strings.Join(parts, " "))
			}
		case *log.EventEntryAdded:
			e := ev.Entry
			if e.Level == log.EntryLevelError {
				c.addEntry(e)
			}
		}
	})
	if err != nil {
		t.Fatalf("watching the console: %v", err)
	}
	b.console = c
}

func (c *consoleLog) add(p string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.problems = append(c.problems, p)
}

func (c *consoleLog) addEntry(e *log.Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.Source == log.EntrySourceNetwork && c.expected[e.URL] {
		return
	}
	c.problems = append(c.problems, fmt.Sprintf("%s %s: %s (%s)", e.Source, e.Level, e.Text, e.URL))
}

// reset forgets earlier problems, before a new page loads.
func (c *consoleLog) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.problems = nil
	c.expected = nil
}

// expectStatus tells the log that the page at url answered with status on
// purpose (a 404 page), so the browser's "failed to load" for it is fine.
func (c *consoleLog) expectStatus(url string, status int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if status >= 400 {
		c.expected = map[string]bool{url: true}
		kept := c.problems[:0]
		for _, p := range c.problems {
			if !strings.HasSuffix(p, "("+url+")") {
				kept = append(kept, p)
			}
		}
		c.problems = kept
	}
}

// fail reports the problems logged since the last reset.
func (c *consoleLog) fail(t testing.TB, name string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.problems) > 0 {
		t.Errorf("%s: the browser reported problems:\n  %s", name, strings.Join(c.problems, "\n  "))
		c.problems = nil
	}
}
