package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/portaltest"
)

// processCPU is the CPU time (user and system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchPortal is a seeded portal: by default a fresh one with the demo
// taxpayers, or, with RECORDS_BENCH_DB set to a database seeded with the
// demo data, as an absolute path (such as $PWD/data/loadtest/portal-1000000.db;
// a relative one would name a new file in the package folder), a
// portal on that database, to profile against a realistic size.
func benchPortal(b testing.TB) (*portaltest.Portal, string) {
	url := os.Getenv("RECORDS_BENCH_DB")
	if url == "" {
		return recordsPortal(b), "bench@example.com"
	}
	cfg := portaltest.Config(b, url)
	// Every run signs up from the same address, and the limit's count is
	// kept in the database: repeated runs would reach it.
	cfg.SignUpsPerHour = 1_000_000
	p := portaltest.StartOn(b, portaltest.OpenURL(b, url), cfg)
	p.Clock.T = demodata.Today.Add(17 * time.Hour)
	return p, "bench-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@example.com"
}

// signUpWithBackupCodes makes a signed-in account the quick way, for
// benchmarks (the test helpers take a *testing.T).
func signUpWithBackupCodes(tb testing.TB, p *portaltest.Portal, c *portaltest.Client, email string) {
	tb.Helper()
	c.Submit(c.Get("/sign-up"), `[data-testid="sign-up-form"]`, url.Values{"email": {email}, "password": {password}})
	p.Drain(tb)
	var m models.OutboxMessage
	if err := p.DB.Where("\"to\" = ?", email).Order("id DESC").Take(&m).Error; err != nil {
		tb.Fatal(err)
	}
	c.Submit(c.Get("/sign-up/confirm"), `[data-testid="confirm-code-form"]`, url.Values{"code": {notifytest.CodeIn(m.Text)}})
	c.Submit(c.Get("/account/setup"), `[data-testid="choose-factor-form"]`, url.Values{"factor": {"backup_codes"}})
	page := c.Submit(c.Get("/account/setup/backup-codes"), `form[action="/account/setup/backup-codes/done"]`, nil)
	if page.StatusCode != http.StatusSeeOther {
		tb.Fatalf("backup codes: %d", page.StatusCode)
	}
}

// BenchmarkDashboard serves the verified dashboard in process (no network),
// for profiling: go test ./handlers -run '^$' -bench Dashboard -cpuprofile cpu.out
func BenchmarkDashboard(b *testing.B) {
	for _, path := range []string{"/dashboard", "/records/" + latestYear() + "/account"} {
		b.Run(path, func(b *testing.B) {
			p, email := benchPortal(b)
			c := p.Client(b)
			signUpWithBackupCodes(b, p, c, email)
			// An earlier run on the same database linked its own account.
			if err := p.DB.Model(&models.Account{}).Where("taxpayer_id = ? AND email LIKE 'bench-%'", leilaniID).
				Update("taxpayer_id", nil).Error; err != nil {
				b.Fatal(err)
			}
			if err := p.DB.Model(&models.Account{}).Where("email = ?", email).
				Updates(map[string]any{"verified_at": p.Clock.Now(), "taxpayer_id": leilaniID}).Error; err != nil {
				b.Fatal(err)
			}
			u, _ := url.Parse(p.Server.URL)
			cookies := c.HTTP.Jar.Cookies(u)
			b.ResetTimer()
			cpu := processCPU()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				rec := httptest.NewRecorder()
				p.Echo.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
			// CPU time is steadier than wall time on a shared machine.
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}
