package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{
		0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345",
		1000000: "1,000,000", -1234: "-1,234",
	} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFormatTable(t *testing.T) {
	got := formatTable([]row{
		{Page: "bare Echo (8 KB), first", RPS: 20000.4, P50: 2500 * time.Microsecond, P99: 9 * time.Millisecond, Ratio: 1.0,
			CPU: 31400 * time.Nanosecond, HasCPU: true},
		{Page: "home", RPS: 7512.6, P50: 7 * time.Millisecond, P99: 31250 * time.Microsecond, Ratio: 0.37564},
		{Page: "a|b", RPS: 10, P50: time.Millisecond, P99: time.Millisecond, Ratio: math.NaN(), Errors: 1234, FirstBad: "HTTP 500"},
	})
	want := "" +
		"| Page | Requests/s | p50 ms | p99 ms | vs bare | Server CPU µs/req | Errors |\n" +
		"| --- | ---: | ---: | ---: | ---: | ---: | --- |\n" +
		"| bare Echo (8 KB), first | 20,000 | 2.50 | 9.00 | 100% | 31 | 0 |\n" +
		"| home | 7,513 | 7.00 | 31.25 | 38% | – | 0 |\n" +
		"| a\\|b | 10 | 1.00 | 1.00 | – | – | **1,234** (first: HTTP 500) |\n"
	if got != want {
		t.Errorf("formatTable:\n%s\nwant:\n%s", got, want)
	}
}

func TestVerdict(t *testing.T) {
	tgt := &target{MinRatio: 0.5, MaxP99: 25 * time.Millisecond}
	pass := verdict(row{Page: "home", Ratio: 0.62, P99: 12 * time.Millisecond}, tgt, 64)
	if !strings.HasPrefix(pass, "PASS home: 62% of bare") || strings.Contains(pass, "needs") {
		t.Errorf("passing row: %q", pass)
	}
	slow := verdict(row{Page: "home", Ratio: 0.62, P99: 25 * time.Millisecond}, tgt, 64)
	if !strings.HasPrefix(slow, "MISS") || !strings.Contains(slow, "p99 needs < 25.00 ms") {
		t.Errorf("p99 at the limit must miss: %q", slow)
	}
	weak := verdict(row{Page: "home", Ratio: 0.49, P99: time.Millisecond, Errors: 1}, tgt, 64)
	if !strings.Contains(weak, "requests/s needs ≥ 50% of bare") || !strings.Contains(weak, "had errors") {
		t.Errorf("low ratio with errors: %q", weak)
	}
	other := verdict(row{Page: "home", Ratio: 0.9, P99: time.Millisecond}, tgt, 16)
	if !strings.Contains(other, "targets are set at 64 connections; this run used 16") {
		t.Errorf("a run at other connections must say so: %q", other)
	}
}

func TestReportBaselineIsMeanOfBareRuns(t *testing.T) {
	res := func(name string, ok int) *Result {
		return &Result{Page: name, Window: time.Second, OK: ok, Latency: ms(1)}
	}
	rep := &report{Meta: meta{Connections: 64}, Results: []measured{
		{barePage, res("bare, first", 900)},
		{pages[0], res("home", 500)},
		{barePage, res("bare, last", 1100)},
	}}
	mean, runs := rep.baseline()
	if mean != 1000 || len(runs) != 2 {
		t.Fatalf("baseline = %v from %v, want 1000 from two runs", mean, runs)
	}
	text := rep.String()
	for _, want := range []string{"| home | 500 | 1.00 | 1.00 | 50% | – | 0 |", "differ by +22.2%", "PASS home", "machine's speed changed"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

func TestReportSteadyMachineHasNoWarning(t *testing.T) {
	rep := &report{Meta: meta{Connections: 64}, Results: []measured{
		{barePage, &Result{Page: "bare, first", Window: time.Second, OK: 1000, Latency: ms(1)}},
		{barePage, &Result{Page: "bare, last", Window: time.Second, OK: 1050, Latency: ms(1)}},
	}}
	if text := rep.String(); strings.Contains(text, "machine's speed changed") || !strings.Contains(text, "differ by +5.0%") {
		t.Errorf("a 5%% drift is steady enough:\n%s", text)
	}
}

func TestBarePageIsExactlyItsSize(t *testing.T) {
	for _, size := range []int{barePageSize, 4096, 8200} {
		b := barePageHTML(size)
		if len(b) != size {
			t.Errorf("barePageHTML(%d) is %d bytes", size, len(b))
		}
		if !strings.HasPrefix(string(b), "<!DOCTYPE html>") || !strings.HasSuffix(string(b), "</html>\n") {
			t.Errorf("barePageHTML(%d) is not a whole page", size)
		}
	}
}

func TestRequireLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "127.9.9.9:1": true, "[::1]:80": true, "localhost:80": true,
		"10.0.0.1:80": false, "192.168.1.1:80": false, "example.com:80": false, "0.0.0.0:80": false,
	} {
		if err := requireLoopback(addr); (err == nil) != ok {
			t.Errorf("requireLoopback(%q) = %v", addr, err)
		}
	}
}

func TestSelectPages(t *testing.T) {
	all, err := selectPages("")
	if err != nil || len(all) != len(pages) {
		t.Fatalf("empty list: %d pages, %v", len(all), err)
	}
	some, err := selectPages(" help search , home")
	if err != nil || len(some) != 2 || some[0].Name != "home" || some[1].Name != "help search" {
		t.Fatalf("two pages, in table order: %v, %v", some, err)
	}
	if _, err := selectPages("home,nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("an unknown page must be refused by name: %v", err)
	}
}
