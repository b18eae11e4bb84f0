package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
)

// load is how hard and how long each page is driven.
type load struct {
	// Plain makes the clients ask for uncompressed pages, like the bare
	// server's, so both sides do the same work per byte.
	Plain       bool
	Connections int
	Warmup      time.Duration
	Duration    time.Duration
}

// requestTimeout bounds one request, so a stuck server cannot hold the run.
const requestTimeout = 10 * time.Second

// newClient is one connection's browser: its own transport (so its own
// keep-alive connection), its own cookie jar, and no redirect following, so
// a 3xx is measured as the response it is. The transport's own gzip
// handling is off: it builds a new decompressor, with its 32 KB window, for
// every response, which made the load generator rather than the server the
// larger cost of a signed-in page. get asks for gzip itself and inflates
// with pooled readers, as a browser reuses its own.
func newClient(conns int) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:     jar,
		Timeout: requestTimeout,
		Transport: &http.Transport{
			Proxy:               nil, // loopback only: never through a proxy
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// drive runs a closed-loop load on one page: l.Connections goroutines, each
// sending its next request as soon as the last one is answered, for the
// warm-up and then the measured duration. Only requests started inside the
// measured window count. When pid is not 0 it also reads that server
// process's CPU time at both ends of the measured window. It returns early,
// with ctx's error, if ctx ends.
func drive(ctx context.Context, base string, pid int, p page, l load) (*Result, error) {
	target, err := url.Parse(base + p.Path)
	if err != nil {
		return nil, err
	}
	if err := requireLoopback(target.Host); err != nil {
		return nil, err
	}

	clients := make([]*http.Client, l.Connections)
	for i := range clients {
		clients[i] = newClient(l.Connections)
	}
	defer func() {
		for _, c := range clients {
			c.CloseIdleConnections()
		}
	}()
	if p.Setup != nil {
		for _, c := range clients {
			if err := p.Setup(ctx, c, base); err != nil {
				return nil, fmt.Errorf("setting up %s: %w", p.Name, err)
			}
		}
	}

	start := time.Now()
	from := start.Add(l.Warmup)
	until := from.Add(l.Duration)
	results := make([]*Result, l.Connections)
	var wg sync.WaitGroup
	for i, c := range clients {
		results[i] = &Result{Latency: make([]time.Duration, 0, 1024)}
		wg.Go(func() { hammer(ctx, c, target.String(), !l.Plain, from, until, results[i]) })
	}
	var cpuFrom, selfFrom time.Duration
	cpuErr, selfErr := errNoPID, errNoPID
	select {
	case <-time.After(time.Until(from)):
		if pid != 0 {
			cpuFrom, cpuErr = processCPU(pid)
		}
		selfFrom, selfErr = processCPU(os.Getpid())
	case <-ctx.Done():
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	total := &Result{Page: p.Name, Window: l.Duration}
	if cpuErr == nil {
		if cpuUntil, err := processCPU(pid); err == nil {
			total.ServerCPU, total.HasCPU = cpuUntil-cpuFrom, true
		}
	}
	if selfErr == nil {
		if selfUntil, err := processCPU(os.Getpid()); err == nil {
			total.ClientCPU, total.HasClientCPU = selfUntil-selfFrom, true
		}
	}
	for _, r := range results {
		total.merge(r)
	}
	total.Finish()
	return total, nil
}

var errNoPID = errors.New("no process to read CPU time from")

// hammer is one connection's loop.
func hammer(ctx context.Context, c *http.Client, target string, gzipped bool, from, until time.Time, r *Result) {
	for ctx.Err() == nil {
		t0 := time.Now()
		if !t0.Before(until) {
			return
		}
		measured := !t0.Before(from)
		status, n, err := get(ctx, c, target, gzipped)
		took := time.Since(t0)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			time.Sleep(time.Millisecond) // a dead server must not turn this into a busy loop
		}
		if !measured {
			continue
		}
		switch {
		case err != nil:
			r.Failed++
			if r.FirstBad == "" {
				r.FirstBad = err.Error()
			}
		case status < 200 || status >= 400:
			r.BadCode++
			if r.FirstBad == "" {
				r.FirstBad = fmt.Sprintf("HTTP %d", status)
			}
		default:
			r.OK++
			r.Bytes += n
			r.Latency = append(r.Latency, took)
		}
	}
}

// get sends one GET and reads the whole body, so the connection is reused.
// With gzipped it asks for gzip and inflates what comes back gzipped; n is
// the size of the page either way.
func get(ctx context.Context, c *http.Client, target string, gzipped bool) (status int, n int64, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, 0, err
	}
	if gzipped {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") == "gzip" {
		n, err = inflate(res.Body)
	} else {
		n, err = io.Copy(io.Discard, res.Body)
	}
	if err != nil {
		return res.StatusCode, n, fmt.Errorf("reading the body: %w", err)
	}
	return res.StatusCode, n, nil
}

var gunzippers sync.Pool // of *gzip.Reader

// inflate reads a gzipped body to the end and returns its inflated size.
func inflate(body io.Reader) (int64, error) {
	zr, _ := gunzippers.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(body)
	} else {
		err = zr.Reset(body)
	}
	if err != nil {
		return 0, err
	}
	defer gunzippers.Put(zr)
	n, err := io.Copy(io.Discard, zr)
	if err == nil {
		err = zr.Close()
	}
	return n, err
}

// probe fetches a page once before it is loaded, so a wrong path or a page
// that fails shows up as a clear message rather than only as an error count.
func probe(ctx context.Context, base string, p page) (status int, size int64, gzipped bool, err error) {
	c := newClient(1)
	defer c.CloseIdleConnections()
	if p.Setup != nil {
		if err := p.Setup(ctx, c, base); err != nil {
			return 0, 0, false, fmt.Errorf("setting up %s: %w", p.Name, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+p.Path, nil)
	if err != nil {
		return 0, 0, false, err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := c.Do(req)
	if err != nil {
		return 0, 0, false, err
	}
	defer res.Body.Close()
	if gzipped = res.Header.Get("Content-Encoding") == "gzip"; gzipped {
		size, err = inflate(res.Body)
	} else {
		size, err = io.Copy(io.Discard, res.Body)
	}
	return res.StatusCode, size, gzipped, err
}
