package main

import (
	"math"
	"slices"
	"time"
)

// Result is what one page measured: every latency of a successful response
// in the measured window (warm-up excluded), and what went wrong.
type Result struct {
	Page     string
	Window   time.Duration   // how long requests were measured
	OK       int             // 2xx and 3xx responses
	BadCode  int             // responses with any other status
	Failed   int             // requests that got no response (connection refused, timeout, …)
	FirstBad string          // the first bad status or error, to show the reader
	Bytes    int64           // body bytes of the successful responses, after decompression
	Latency  []time.Duration // sorted ascending once Finish has run

	// ServerCPU is the CPU time the server process used over the measured
	// window, when it could be read (HasCPU).
	ServerCPU time.Duration
	HasCPU    bool
	// ClientCPU is the CPU time the load generator itself (this process)
	// used over the same window: on one machine it competes with the server.
	ClientCPU    time.Duration
	HasClientCPU bool
}

// Finish sorts the latencies so percentiles can be read.
func (r *Result) Finish() { slices.Sort(r.Latency) }

// RPS is successful responses per second of the measured window.
func (r *Result) RPS() float64 {
	if r.Window <= 0 {
		return 0
	}
	return float64(r.OK) / r.Window.Seconds()
}

// Errors is every request that did not end in a 2xx or 3xx response.
func (r *Result) Errors() int { return r.BadCode + r.Failed }

// P is the p-th percentile latency (0 < p ≤ 100).
func (r *Result) P(p float64) time.Duration { return percentile(r.Latency, p) }

// MeanBytes is the average body size of a successful response.
func (r *Result) MeanBytes() int64 {
	if r.OK == 0 {
		return 0
	}
	return r.Bytes / int64(r.OK)
}

// CPUPerRequest is the server's CPU time per successful response.
func (r *Result) CPUPerRequest() (time.Duration, bool) {
	if !r.HasCPU || r.OK == 0 {
		return 0, false
	}
	return r.ServerCPU / time.Duration(r.OK), true
}

// ClientCPUPerRequest is the load generator's CPU time per successful response.
func (r *Result) ClientCPUPerRequest() (time.Duration, bool) {
	if !r.HasClientCPU || r.OK == 0 {
		return 0, false
	}
	return r.ClientCPU / time.Duration(r.OK), true
}

// percentile is the nearest-rank percentile of sorted: the smallest value
// that at least p percent of the values are at or below. No interpolation,
// so the answer is always a latency that was really measured.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// merge adds one connection's counts and latencies into the page result.
func (r *Result) merge(w *Result) {
	r.OK += w.OK
	r.BadCode += w.BadCode
	r.Failed += w.Failed
	r.Bytes += w.Bytes
	if r.FirstBad == "" {
		r.FirstBad = w.FirstBad
	}
	r.Latency = append(r.Latency, w.Latency...)
}
