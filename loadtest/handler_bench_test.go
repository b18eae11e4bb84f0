package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/config"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/server"
)

// These benchmarks call the portal's handler in-process, with no network and
// no load generator sharing the CPU, to find where a page's time goes:
//
//	go test ./loadtest/ -run '^$' -bench Handler -cpuprofile cpu.out
//	go tool pprof -top -cum loadtest.test cpu.out
//
// They run on an empty, migrated SQLite database: the public pages read no
// taxpayer rows. Pages with a Setup step (signing in) are skipped here.

func BenchmarkHandlerBare(b *testing.B) {
	body := barePageHTML(barePageSize)
	e := echo.New()
	e.GET("/", func(c echo.Context) error { return c.HTMLBlob(http.StatusOK, body) })
	serveParallel(b, e, "/", nil)
}

func BenchmarkHandlerPortal(b *testing.B) {
	h := newPortalHandler(b)
	for _, p := range pages {
		if p.Server != serverPortal || p.Setup != nil || p.Verified || p.Staff {
			continue
		}
		b.Run(p.Name, func(b *testing.B) {
			// A browser sends back the CSRF cookie the first page set, so
			// later pages reuse the token instead of minting one.
			first := httptest.NewRecorder()
			h.ServeHTTP(first, httptest.NewRequest(http.MethodGet, p.Path, nil))
			if first.Code != http.StatusOK {
				b.Fatalf("GET %s: %d", p.Path, first.Code)
			}
			serveParallel(b, h, p.Path, first.Result().Cookies())
		})
	}
}

// serveParallel requests path from h on every P, as a gzip-accepting browser.
func serveParallel(b *testing.B, h http.Handler, path string, cookies []*http.Cookie) {
	b.ReportAllocs()
	// CPU time per request is steadier than ns/op on a machine shared with
	// other work: ns/op is wall time.
	cpuFrom, cpuErr := processCPU(os.Getpid())
	defer func() {
		if cpuUntil, err := processCPU(os.Getpid()); cpuErr == nil && err == nil {
			b.ReportMetric(float64(cpuUntil-cpuFrom)/float64(b.N)/1e3, "cpu-µs/op")
		}
	}()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			for _, c := range cookies {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("GET %s: %d", path, rec.Code)
				return
			}
		}
	})
}

// newPortalHandler builds the portal as `portal serve` does in development, on a
// fresh database, logging at warn as the load test runs it.
func newPortalHandler(b *testing.B) http.Handler {
	dir := b.TempDir()
	cfg, err := config.Load(func(name string) string {
		switch name {
		case "PORTAL_DATA_DIR":
			return dir
		case "PORTAL_LOG_LEVEL":
			return "warn"
		}
		return ""
	})
	if err != nil {
		b.Fatal(err)
	}
	cfg.SecretKey = []byte("loadtest-benchmark-key-0123456789abcdef")
	db, err := models.Open(cfg.DatabaseURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { models.Close(db) })
	if _, err := models.Migrate(db); err != nil {
		b.Fatal(err)
	}
	vault, err := pii.NewVault(cfg.SecretKey)
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	p, err := server.Build(cfg, db, log, vault, time.Now, server.QueueSettings(cfg))
	if err != nil {
		b.Fatal(err)
	}
	return p.Echo
}
