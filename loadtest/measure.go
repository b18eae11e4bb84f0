package main

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// report is everything measured, in the order it was measured.
type report struct {
	Meta    meta
	Results []measured
}

type measured struct {
	Page   page
	Result *Result
}

// measure drives the bare baseline, every page, then the baseline again.
// On an error it returns what it had measured so far with the error.
func measure(ctx context.Context, servers map[string]*proc, list []page, l load, say func(string, ...any)) (*report, error) {
	rep := &report{}
	order := append(append([]page{barePage}, list...), barePage)
	for i, p := range order {
		s := servers[p.Server]
		if p.Server == serverBare {
			if i == 0 {
				p.Name += ", first"
			} else {
				p.Name += ", last"
			}
		}
		status, size, gz, err := probe(ctx, s.Base, p)
		if err != nil {
			if ctx.Err() != nil {
				return rep, fmt.Errorf("interrupted")
			}
			return rep, fmt.Errorf("%s: GET %s: %w", p.Name, p.Path, err)
		}
		enc := ""
		if gz {
			enc = ", gzip"
		}
		say("%s: GET %s%s → %d, %.1f KB%s; %d connections, %s warm-up, %s measured…",
			p.Name, s.Base, p.Path, status, float64(size)/1024, enc, l.Connections, l.Warmup, l.Duration)
		r, err := drive(ctx, s.Base, s.Pid(), p, l)
		if err != nil {
			if ctx.Err() != nil {
				return rep, fmt.Errorf("interrupted")
			}
			return rep, err
		}
		r.Page = p.Name
		rep.Results = append(rep.Results, measured{p, r})
		cpu := ""
		if d, ok := r.CPUPerRequest(); ok {
			cpu = fmt.Sprintf(", server CPU %s µs/request", micros(d))
		}
		if d, ok := r.ClientCPUPerRequest(); ok {
			cpu += fmt.Sprintf(", load generator CPU %s µs/request", micros(d))
		}
		say("  %s requests/s, p50 %s ms, p90 %s ms, p99 %s ms, max %s ms%s, %d errors",
			thousands(int(math.Round(r.RPS()))), millis(r.P(50)), millis(r.P(90)), millis(r.P(99)), millis(r.P(100)), cpu, r.Errors())
		if exited, err := s.Exited(); exited {
			return rep, fmt.Errorf("%s exited during the run (%v); its output is in %s", s.Name, err, s.Log)
		}
	}
	return rep, nil
}

// maxSteadyDrift is how far (in percent) the two bare runs may differ before
// the report warns that the machine was not steady.
const maxSteadyDrift = 10.0

// baseline is the mean requests/s of the bare runs, so drift in the machine
// over the run counts half against each end.
func (r *report) baseline() (mean float64, runs []float64) {
	for _, m := range r.Results {
		if m.Page.Server == serverBare {
			runs = append(runs, m.Result.RPS())
		}
	}
	if len(runs) == 0 {
		return 0, nil
	}
	for _, v := range runs {
		mean += v
	}
	return mean / float64(len(runs)), runs
}

// String is the report as Markdown: the run's context, the table, the
// baseline, the bar each page is held to, and body sizes.
func (r *report) String() string {
	base, runs := r.baseline()
	var b strings.Builder
	fmt.Fprintf(&b, "Load test, %s\n\n", r.Meta)
	rows := make([]row, 0, len(r.Results))
	for _, m := range r.Results {
		rows = append(rows, newRow(m.Result.Page, m.Result, base))
	}
	b.WriteString(formatTable(rows))
	b.WriteString("\n")
	switch len(runs) {
	case 2:
		drift := 0.0
		if runs[0] > 0 {
			drift = (runs[1] - runs[0]) / runs[0] * 100
		}
		fmt.Fprintf(&b, "Baseline: %s requests/s, the mean of the first (%s) and last (%s) bare runs, which differ by %+.1f%%.\n",
			thousands(int(math.Round(base))), thousands(int(math.Round(runs[0]))), thousands(int(math.Round(runs[1]))), drift)
		if math.Abs(drift) > maxSteadyDrift {
			fmt.Fprintf(&b, "The bare runs differ by more than %.0f%%: the machine's speed changed during the run (other work on it?), "+
				"so the requests/s ratios are rough. Server CPU per request hardly depends on that: compare that column, or run again.\n", maxSteadyDrift)
		}
	case 1:
		fmt.Fprintf(&b, "Baseline: %s requests/s, from the first bare run only (the run stopped early).\n", thousands(int(math.Round(base))))
	}

	var verdicts []string
	for i, m := range r.Results {
		if m.Page.Target != nil {
			verdicts = append(verdicts, verdict(rows[i], m.Page.Target, r.Meta.Connections))
		}
	}
	if len(verdicts) > 0 {
		b.WriteString("\nTargets:\n\n")
		for _, v := range verdicts {
			b.WriteString("- " + v + "\n")
		}
	}

	var sizes, client []string
	for _, m := range r.Results {
		sizes = append(sizes, fmt.Sprintf("%s %.1f KB", m.Result.Page, float64(m.Result.MeanBytes())/1024))
		if d, ok := m.Result.ClientCPUPerRequest(); ok {
			client = append(client, fmt.Sprintf("%s %s µs", m.Result.Page, micros(d)))
		}
	}
	if len(sizes) > 0 {
		b.WriteString("\nMean body per response, uncompressed: " + strings.Join(sizes, ", ") + ".\n")
	}
	if len(client) > 0 {
		b.WriteString("\nThe load generator shares the machine; its own CPU per request: " + strings.Join(client, ", ") + ".\n")
	}
	return b.String()
}
