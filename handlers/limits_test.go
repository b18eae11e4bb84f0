package handlers_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// postAtOnce posts the same form n times from one browser, all released at
// the same moment, and returns the statuses.
func postAtOnce(t *testing.T, c *portaltest.Client, action string, values url.Values, n int) []int {
	t.Helper()
	statuses := make([]int, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			res, err := c.HTTP.PostForm(c.URL(action), values)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
		}()
	}
	start.Done()
	done.Wait()
	return statuses
}

func tally(statuses []int) map[int]int {
	m := map[int]int{}
	for _, s := range statuses {
		m[s]++
	}
	return m
}

// slowTaxpayerReads makes every read of the taxpayer master file take a
// while, as it may under load, so that tries at once overlap.
func slowTaxpayerReads(t *testing.T, db *gorm.DB) {
	t.Helper()
	err := db.Callback().Query().After("gorm:query").Register("test:slow_taxpayers", func(tx *gorm.DB) {
		if tx.Statement.Table == "taxpayers" {
			time.Sleep(20 * time.Millisecond)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFiftyRefundLookupsAtOnceCheckNoMoreThanTheLimit(t *testing.T) {
	p := recordsPortal(t)
	slowTaxpayerReads(t, p.DB)
	c := p.Client(t)
	form := c.Get("/refund-status")
	leilani := demodata.Featured[4]
	values := lookupValues(leilani, leilani.RefundDollars+7)
	values.Set("_csrf", form.Doc.Find(`input[name="_csrf"]`).AttrOr("value", ""))
	got := tally(postAtOnce(t, c, "/refund-status", values, 50))
	if got[http.StatusUnprocessableEntity] != 5 || got[http.StatusTooManyRequests] != 45 {
		t.Errorf("50 lookups of one number at once: %v; 5 may be checked", got)
	}
}

func TestALockedAccountAnswersTheSameForAnyPassword(t *testing.T) {
	p := portaltest.Start(t)
	signUp(t, p, p.Client(t), "a@example.com")
	if err := p.DB.Model(&models.Account{}).Where("email = ?", "a@example.com").Update("locked_at", p.Clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	try := func(pw string) (int, string) {
		c := p.Client(t)
		res := c.Submit(c.Get("/sign-in"), `[data-testid="sign-in-form"]`, url.Values{"email": {"a@example.com"}, "password": {pw}})
		return res.StatusCode, res.Text("main")
	}
	rs, rm := try(password)
	ws, wm := try("not the password at all")
	if rs != ws || rm != wm {
		t.Errorf("the lock tells a right password from a wrong one:\nright: %d %q\nwrong: %d %q", rs, rm, ws, wm)
	}
	if rs != http.StatusForbidden || !strings.Contains(rm, "Reset your password") {
		t.Errorf("a locked account: %d %q", rs, rm)
	}
}

func TestTheLimitSaysWhenWithItsZoneAndLinksToAReset(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	page := c.Get("/sign-in")
	var last *portaltest.Page
	for range 6 {
		last = c.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {"x@example.com"}, "password": {"wrong password again"}})
	}
	// The test clock stands at 15:04:05 UTC, 10:04 AM in New York.
	if msg := last.Text(".usa-alert"); !strings.Contains(msg, "10:06 AM EST") {
		t.Errorf("the limit does not say when, with the zone: %q", msg)
	}
	if href, _ := last.Doc.Find(`.usa-alert [data-testid="notice-link"]`).Attr("href"); href != "/password/forgot" {
		t.Errorf("the reset is not a link: %q", href)
	}
}
