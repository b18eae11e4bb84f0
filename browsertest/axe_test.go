package browsertest

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// axeTags are the rule sets every page must pass: WCAG 2.0 and 2.1, A and AA.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']`

// axeNodes is how many failing elements of each rule a failure shows.
const axeNodes = 3

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("testdata/axe.min.js")
	return string(b), err
})

type axeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

type axeRule struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	URL    string    `json:"helpUrl"`
	Count  int       `json:"count"`
	Nodes  []axeNode `json:"nodes"`
}

type axeResult struct {
	Violations []axeRule `json:"violations"`
	Incomplete []axeRule `json:"incomplete"`
}

// runAxe injects axe-core through the DevTools protocol (Runtime.evaluate is
// not subject to the page's Content-Security-Policy, so no <script> tag is
// needed) and fails the test on every WCAG 2.1 A/AA violation.
func (b *Browser) runAxe(t *testing.T, page string, v viewport) {
	t.Helper()
	name := page + " (" + v.label + ")"
	src, err := axeSource()
	if err != nil {
		t.Fatalf("reading axe-core: %v", err)
	}
	if !b.js {
		// axe-core needs timers and promises, which do not run while script
		// execution is disabled. The page's own scripts were skipped when
		// it loaded, so turning scripts on for the audit runs none of them.
		b.setScriptsDisabled(t, false)
		defer b.setScriptsDisabled(t, true)
	}
	if !Eval[bool](t, b, `typeof window.axe === "object"`) {
		Eval[bool](t, b, src+"\n;true")
	}
	res := Eval[axeResult](t, b, fmt.Sprintf(`(async () => {
		const nodes = (rule) => rule.nodes.slice(0, %d).map((n) => ({
			target: n.target.map((s) => Array.isArray(s) ? s.join(" >>> ") : String(s)).join(", "),
			html: n.html.length > 300 ? n.html.slice(0, 300) + "…" : n.html,
			summary: n.failureSummary || "",
		}));
		const brief = (rule) => ({id: rule.id, impact: rule.impact || "", help: rule.help, helpUrl: rule.helpUrl, count: rule.nodes.length, nodes: nodes(rule)});
		const r = await axe.run(document, {runOnly: {type: "tag", values: %s}});
		return {violations: r.violations.map(brief), incomplete: r.incomplete.map(brief)};
	})()`, axeNodes, axeTags))
	for _, r := range res.Incomplete {
		var where []string
		for _, n := range r.Nodes {
			where = append(where, n.Target+": "+strings.Join(strings.Fields(n.Summary), " "))
		}
		if !b.once(r.ID + strings.Join(where, "")) {
			continue
		}
		t.Logf("%s: axe could not decide %q (%d elements), review by hand: %s", name, r.ID, r.Count, strings.Join(where, "; "))
	}
	failing := res.Violations
	if len(failing) == 0 {
		return
	}
	var msg strings.Builder
	fmt.Fprintf(&msg, "%s (%s): %d axe-core violations:", name, b.location(t), len(failing))
	for _, r := range failing {
		fmt.Fprintf(&msg, "\n  [%s] %s: %s (%d elements) %s", r.Impact, r.ID, r.Help, r.Count, r.URL)
		for _, n := range r.Nodes {
			fmt.Fprintf(&msg, "\n      at %s\n        %s", n.Target, n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&msg, "\n        %s", strings.ReplaceAll(n.Summary, "\n", "\n        "))
			}
		}
	}
	t.Error(msg.String())
}
