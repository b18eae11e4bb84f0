package main

import (
	"testing"
	"time"
)

func ms(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func TestPercentileNearestRank(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", ms(7), 50, 7 * time.Millisecond},
		{"one value p99", ms(7), 99, 7 * time.Millisecond},
		{"median of odd count", ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond},
		{"median of even count is the lower middle", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p100 is the maximum", ms(1, 2, 3, 4), 100, 4 * time.Millisecond},
		{"tiny p is the minimum", ms(1, 2, 3, 4), 0.001, 1 * time.Millisecond},
		{"p50 of 1..100", hundred, 50, 50 * time.Millisecond},
		{"p99 of 1..100", hundred, 99, 99 * time.Millisecond},
		{"p99.9 of 1..100 rounds up", hundred, 99.9, 100 * time.Millisecond},
		{"p99 of 10 values is the largest", ms(1, 1, 1, 1, 1, 1, 1, 1, 1, 30), 99, 30 * time.Millisecond},
	} {
		if got := percentile(tc.sorted, tc.p); got != tc.want {
			t.Errorf("%s: percentile(%v) = %v, want %v", tc.name, tc.p, got, tc.want)
		}
	}
}

func TestResultMergeAndRates(t *testing.T) {
	total := &Result{Window: 2 * time.Second}
	total.merge(&Result{OK: 3, Bytes: 300, Latency: ms(30, 10, 20)})
	total.merge(&Result{OK: 1, BadCode: 2, Failed: 1, FirstBad: "HTTP 500", Bytes: 100, Latency: ms(5)})
	total.merge(&Result{BadCode: 1, FirstBad: "HTTP 503"})
	total.Finish()
	if total.OK != 4 || total.Errors() != 4 {
		t.Fatalf("OK=%d errors=%d, want 4 and 4", total.OK, total.Errors())
	}
	if total.FirstBad != "HTTP 500" {
		t.Errorf("FirstBad = %q, want the first one merged", total.FirstBad)
	}
	if got := total.RPS(); got != 2 {
		t.Errorf("RPS = %v, want 2 (4 successes in 2s)", got)
	}
	if got := total.MeanBytes(); got != 100 {
		t.Errorf("MeanBytes = %d, want 100", got)
	}
	if got, want := total.P(50), 10*time.Millisecond; got != want {
		t.Errorf("p50 = %v, want %v (latencies must be sorted by Finish)", got, want)
	}
	if got := (&Result{}).RPS(); got != 0 {
		t.Errorf("RPS without a window = %v, want 0", got)
	}
}

func TestParseProcStat(t *testing.T) {
	// A real line, with a command name holding a space and a parenthesis.
	line := "4242 (my (odd) srv) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 9 0 1000 123456 789 18446744073709551615\n"
	got, err := parseProcStat(line)
	if err != nil {
		t.Fatal(err)
	}
	if want := 325 * clockTick; got != want {
		t.Errorf("parseProcStat = %v, want %v (utime 250 + stime 75 ticks)", got, want)
	}
	if _, err := parseProcStat("4242 (x) S 1 2"); err == nil {
		t.Error("a short line must be an error")
	}
}
