package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// meta is the run's context, printed above the table.
type meta struct {
	When        time.Time
	Platform    string // GOOS/GOARCH
	CPUs        int
	CPUModel    string // may be empty
	GoVersion   string
	LoadAverage string // one-minute load average at the start; may be empty
	Database    string // SQLite or PostgreSQL
	Taxpayers   int
	Connections int
	Plain       bool
	Warmup      time.Duration
	Duration    time.Duration
}

func (m meta) String() string {
	cpu := strconv.Itoa(m.CPUs) + " CPUs"
	if m.CPUModel != "" {
		cpu += " (" + m.CPUModel + ")"
	}
	if m.LoadAverage != "" {
		cpu += ", load " + m.LoadAverage + " at start"
	}
	return strings.Join([]string{
		m.When.Format("2006-01-02 15:04 MST"),
		m.Platform,
		cpu,
		m.GoVersion,
		m.Database + ", " + thousands(m.Taxpayers) + " taxpayers",
		strconv.Itoa(m.Connections) + " connections",
		encoding(m.Plain),
		m.Duration.String() + " per page after a " + m.Warmup.String() + " warm-up",
	}, " · ")
}

// row is one line of the table.
type row struct {
	Page     string
	RPS      float64
	P50, P99 time.Duration
	Ratio    float64 // RPS ÷ baseline RPS; NaN when there is no baseline
	CPU      time.Duration
	HasCPU   bool // CPU is the server's CPU time per request
	Errors   int
	FirstBad string
}

// newRow reads a result against the baseline's requests/s.
func newRow(name string, r *Result, baseline float64) row {
	ratio := math.NaN()
	if baseline > 0 {
		ratio = r.RPS() / baseline
	}
	cpu, hasCPU := r.CPUPerRequest()
	return row{Page: name, RPS: r.RPS(), P50: r.P(50), P99: r.P(99), Ratio: ratio, CPU: cpu, HasCPU: hasCPU,
		Errors: r.Errors(), FirstBad: r.FirstBad}
}

// formatTable renders rows as a Markdown table.
func formatTable(rows []row) string {
	var b strings.Builder
	b.WriteString("| Page | Requests/s | p50 ms | p99 ms | vs bare | Server CPU µs/req | Errors |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, r := range rows {
		ratio := "–"
		if !math.IsNaN(r.Ratio) {
			ratio = strconv.Itoa(int(math.Round(r.Ratio*100))) + "%"
		}
		errs := "0"
		if r.Errors > 0 {
			errs = "**" + thousands(r.Errors) + "**"
			if r.FirstBad != "" {
				errs += " (first: " + escapeCell(r.FirstBad) + ")"
			}
		}
		cpu := "–"
		if r.HasCPU {
			cpu = micros(r.CPU)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n",
			escapeCell(r.Page), thousands(int(math.Round(r.RPS))), millis(r.P50), millis(r.P99), ratio, cpu, errs)
	}
	return b.String()
}

// verdict holds one page's result against its target.
func verdict(r row, t *target, connections int) string {
	var misses []string
	if math.IsNaN(r.Ratio) || r.Ratio < t.MinRatio {
		misses = append(misses, fmt.Sprintf("requests/s needs ≥ %d%% of bare", int(math.Round(t.MinRatio*100))))
	}
	if r.P99 >= t.MaxP99 {
		misses = append(misses, fmt.Sprintf("p99 needs < %s ms", millis(t.MaxP99)))
	}
	if r.Errors > 0 {
		misses = append(misses, "had errors")
	}
	ratio := "–"
	if !math.IsNaN(r.Ratio) {
		ratio = strconv.Itoa(int(math.Round(r.Ratio*100))) + "%"
	}
	line := fmt.Sprintf("%s: %s of bare (target ≥ %d%%), p99 %s ms (target < %s ms)",
		r.Page, ratio, int(math.Round(t.MinRatio*100)), millis(r.P99), millis(t.MaxP99))
	status := "PASS"
	if len(misses) > 0 {
		status = "MISS"
		line += ": " + strings.Join(misses, "; ")
	}
	if connections != targetConnections {
		line += fmt.Sprintf(" [targets are set at %d connections; this run used %d]", targetConnections, connections)
	}
	return status + " " + line
}

// millis shows a duration in milliseconds with two decimals.
func millis(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64)
}

// micros shows a duration in whole microseconds.
func micros(d time.Duration) string {
	return thousands(int(math.Round(float64(d) / float64(time.Microsecond))))
}

// thousands writes n with comma separators: 1234567 → 1,234,567.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// escapeCell keeps a value from breaking the table.
func escapeCell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

func encoding(plain bool) string {
	if plain {
		return "clients ask for uncompressed pages"
	}
	return "clients ask for gzip"
}
