package handlers_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// The featured demo taxpayers' SSNs: taxpayer i (id i+1) has 987-65-432i.
func demoSSN(id uint64) string { return "987-65-432" + strconv.FormatUint(id-1, 10) }

// apiFixture is a seeded portal with an API key, Maria enrolled with an
// online account to alert, and taxpayer 2 (her spouse, say) enrolled.
type apiFixture struct {
	p         *portaltest.Portal
	svc       *ippin.Service
	key       string
	maria     string // her PIN
	spouse    string
	mariaAcct models.Account
}

func newAPIFixture(t *testing.T) *apiFixture {
	t.Helper()
	p := recordsPortal(t)
	f := &apiFixture{p: p, svc: pinService(p)}
	verifiedTaxpayer(t, p, "maria@example.com", mariaID)
	p.DB.Take(&f.mariaAcct, "email = ?", "maria@example.com")
	var err error
	if f.key, _, err = f.svc.CreateKey(t.Context(), "Test Tax Software"); err != nil {
		t.Fatal(err)
	}
	m, err := f.svc.Enrol(t.Context(), mariaID, p.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.svc.Enrol(t.Context(), 2, p.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.maria, f.spouse = m.PIN.Digits(), s.PIN.Digits()
	return f
}

type apiAnswer struct {
	status     int
	retryAfter string
	Result     string                  `json:"result"`
	Rejects    []struct{ Code string } `json:"rejects"`
	RetryAt    *time.Time              `json:"retry_at"`
	Error      string                  `json:"error"`
	Fields     map[string]string       `json:"fields"`
}

func (a apiAnswer) codes() string {
	var c []string
	for _, r := range a.Rejects {
		c = append(c, r.Code)
	}
	return strings.Join(c, ",")
}

// call posts a body to the check with a key ("" for no header).
func (f *apiFixture) call(t *testing.T, key, body string) apiAnswer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.p.Server.URL+"/api/v1/ip-pin/check", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("answer is %s, not JSON", ct)
	}
	a := apiAnswer{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After")}
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func checkBody(year int, ssn, pin string, spouse ...string) string {
	m := map[string]any{"tax_year": year, "primary_ssn": ssn}
	if pin != "-" {
		m["primary_ip_pin"] = pin
	}
	if len(spouse) == 2 {
		m["spouse_ssn"] = spouse[0]
		if spouse[1] != "-" {
			m["spouse_ip_pin"] = spouse[1]
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// wrong is a six-digit PIN other than pin.
func wrongPIN(pin string) string {
	if pin == "135792" {
		return "246813"
	}
	return "135792"
}

func TestAPIRejectCodes(t *testing.T) {
	f := newAPIFixture(t)
	year := f.p.Clock.Now().Year() - 1
	maria, spouse, none := demoSSN(mariaID), demoSSN(2), demoSSN(3)
	for _, c := range []struct {
		name, body string
		result     string
		codes      string
	}{
		{"right PIN", checkBody(year, maria, f.maria), "accepted", ""},
		{"PIN left out", checkBody(year, maria, "-"), "rejected", "IND-181-01"},
		{"PIN empty", checkBody(year, maria, ""), "rejected", "IND-181-01"},
		{"wrong PIN", checkBody(year, maria, wrongPIN(f.maria)), "rejected", "IND-180-01"},
		{"joint, both right", checkBody(year, maria, f.maria, spouse, f.spouse), "accepted", ""},
		{"spouse PIN left out", checkBody(year, maria, f.maria, spouse, "-"), "rejected", "IND-182-01"},
		{"spouse PIN wrong", checkBody(year, maria, f.maria, spouse, wrongPIN(f.spouse)), "rejected", "IND-183-01"},
		{"both wrong", checkBody(year, maria, wrongPIN(f.maria), spouse, wrongPIN(f.spouse)), "rejected", "IND-180-01,IND-183-01"},
		{"primary without a PIN, spouse missing", checkBody(year, none, "", spouse, ""), "rejected", "IND-182-01"},
		{"a PIN sent for someone without one", checkBody(year, none, "123789"), "accepted", ""},
		{"SSN with spaces", checkBody(year, "987 65 4320", f.maria), "accepted", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := f.call(t, f.key, c.body)
			if a.status != http.StatusOK || a.Result != c.result || a.codes() != c.codes {
				t.Errorf("got %d %s [%s], want %s [%s]", a.status, a.Result, a.codes(), c.result, c.codes)
			}
		})
	}
	// Neither SSN nor PIN is logged.
	logs := f.p.Logs.String()
	for _, secret := range []string{"987-65-432", "98765432", f.maria, f.spouse} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	if !strings.Contains(logs, "ip pin check") {
		t.Error("calls are not logged")
	}
}

func TestAPIBadInput(t *testing.T) {
	f := newAPIFixture(t)
	year := f.p.Clock.Now().Year()
	for _, c := range []struct {
		name, body string
		field      string
	}{
		{"no tax year", `{"primary_ssn":"987-65-4320","primary_ip_pin":"123456"}`, "tax_year"},
		{"tax year in the future", checkBody(year+1, demoSSN(1), "123456"), "tax_year"},
		{"tax year as text", `{"tax_year":"2025","primary_ssn":"987-65-4320"}`, "tax_year"},
		{"no SSN", `{"tax_year":2025,"primary_ip_pin":"123456"}`, "primary_ssn"},
		{"short SSN", checkBody(year, "987-65-432", "123456"), "primary_ssn"},
		{"five-digit PIN", checkBody(year, demoSSN(1), "12345"), "primary_ip_pin"},
		{"letters in the PIN", checkBody(year, demoSSN(1), "12a456"), "primary_ip_pin"},
		{"spouse PIN without SSN", `{"tax_year":2025,"primary_ssn":"987-65-4320","spouse_ip_pin":"123456"}`, "spouse_ssn"},
		{"unknown field", `{"tax_year":2025,"primary_ssn":"987-65-4320","dob":"1980-01-01"}`, "dob"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := f.call(t, f.key, c.body)
			if a.status != http.StatusBadRequest || a.Error != "invalid_request" || a.Fields[c.field] == "" {
				t.Errorf("got %d %q %v, want 400 with a message for %s", a.status, a.Error, a.Fields, c.field)
			}
		})
	}
	if a := f.call(t, f.key, `not json`); a.status != http.StatusBadRequest || a.Error != "invalid_request" {
		t.Errorf("not JSON: %d %q", a.status, a.Error)
	}
}

func TestAPIKeys(t *testing.T) {
	f := newAPIFixture(t)
	body := checkBody(2025, demoSSN(mariaID), f.maria)
	for name, key := range map[string]string{"no key": "", "made-up key": "ipk_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "garbage": "hello"} {
		if a := f.call(t, key, body); a.status != http.StatusUnauthorized || a.Error != "unauthorized" {
			t.Errorf("%s: %d %q", name, a.status, a.Error)
		}
	}
	if a := f.call(t, f.key, body); a.status != http.StatusOK {
		t.Fatalf("live key: %d", a.status)
	}
	prefix := f.key[:len("ipk_")+8]
	if err := f.svc.RevokeKeyByPrefix(t.Context(), prefix); err != nil {
		t.Fatal(err)
	}
	if a := f.call(t, f.key, body); a.status != http.StatusUnauthorized {
		t.Errorf("revoked key: %d", a.status)
	}
	// No session and no CSRF token are needed, and none is set.
	req, _ := http.NewRequest(http.MethodGet, f.p.Server.URL+"/api/v1/openapi.json", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || res.StatusCode != http.StatusOK || doc["openapi"] == nil {
		t.Fatalf("OpenAPI document: %d %v", res.StatusCode, err)
	}
	paths, _ := doc["paths"].(map[string]any)
	if paths["/ip-pin/check"] == nil {
		t.Error("the document does not describe the check")
	}
}

func TestAPIRateLimitPerKey(t *testing.T) {
	f := newAPIFixture(t)
	key, row, err := f.svc.CreateKey(t.Context(), "Busy Software")
	if err != nil {
		t.Fatal(err)
	}
	// Use up all but one of the minute's calls at once, as if they had
	// just been made.
	max := ippin.DefaultSettings().APIRate.Max
	names := make([]string, max-1)
	for i := range names {
		names[i] = "ippin:api:" + strconv.FormatUint(row.ID, 10)
	}
	if err := models.RecordAttempt(t.Context(), f.p.DB, f.p.Clock.Now(), names...); err != nil {
		t.Fatal(err)
	}
	body := checkBody(2025, demoSSN(mariaID), f.maria)
	if a := f.call(t, key, body); a.status != http.StatusOK {
		t.Fatalf("the last call of the minute: %d", a.status)
	}
	a := f.call(t, key, body)
	if a.status != http.StatusTooManyRequests || a.Error != "rate_limited" || a.retryAfter == "" {
		t.Fatalf("over the limit: %d %q Retry-After %q", a.status, a.Error, a.retryAfter)
	}
	if secs, _ := strconv.Atoi(a.retryAfter); secs < 1 || secs > 60 {
		t.Errorf("Retry-After %q", a.retryAfter)
	}
	// Another key is not affected.
	if a := f.call(t, f.key, body); a.status != http.StatusOK {
		t.Errorf("another key: %d", a.status)
	}
	f.p.Clock.Advance(61 * time.Second)
	if a := f.call(t, key, body); a.status != http.StatusOK {
		t.Errorf("a minute later: %d", a.status)
	}
}

func TestAPIGuessingLocksTheSSNAndFlagsIt(t *testing.T) {
	f := newAPIFixture(t)
	maria := demoSSN(mariaID)
	limit := ippin.DefaultSettings().Guessing.Max
	for i := range limit {
		guess := strconv.Itoa(100000 + i*7919)
		if guess == f.maria {
			guess = wrongPIN(f.maria)
		}
		if a := f.call(t, f.key, checkBody(2025, maria, guess)); a.Result != "rejected" {
			t.Fatalf("guess %d: %s", i, a.Result)
		}
	}
	a := f.call(t, f.key, checkBody(2025, maria, f.maria))
	if a.status != http.StatusOK || a.Result != "locked" || a.RetryAt == nil || !a.RetryAt.After(f.p.Clock.Now()) {
		t.Fatalf("after %d wrong PINs the right one: %d %s %v", limit, a.status, a.Result, a.RetryAt)
	}
	var e models.IPPINEnrollment
	f.p.DB.Take(&e, "taxpayer_id = ?", mariaID)
	if e.FlaggedAt == nil {
		t.Error("the taxpayer is not flagged for agents")
	}
	// Another taxpayer's checks go on.
	if a := f.call(t, f.key, checkBody(2025, demoSSN(2), f.spouse)); a.Result != "accepted" {
		t.Errorf("another SSN: %s", a.Result)
	}
}

func TestAPIStoppedReturnAlertsTheTaxpayer(t *testing.T) {
	f := newAPIFixture(t)
	a := f.call(t, f.key, checkBody(2025, demoSSN(mariaID), wrongPIN(f.maria)))
	if a.codes() != "IND-180-01" {
		t.Fatalf("wrong PIN: %s", a.codes())
	}
	m := lastMail(t, f.p, "maria@example.com")
	if !strings.Contains(m.Text, "A return was just submitted with your SSN and the wrong IP PIN; it was stopped.") ||
		!strings.Contains(m.Text, "/ip-pin") {
		t.Errorf("alert e-mail %q:\n%s", m.Subject, m.Text)
	}
	if n := ippinCount(t, f.p, &models.SecurityEvent{}, "account_id = ? AND kind = ?", f.mariaAcct.ID, ippin.EventReturnStopped); n != 1 {
		t.Errorf("%d stopped-return events, want 1", n)
	}
	// A second stopped return within the hour is recorded, not mailed again.
	f.call(t, f.key, checkBody(2025, demoSSN(mariaID), "-"))
	var mails int64
	f.p.DB.Model(&models.OutboxMessage{}).Where(`"to" = ? AND subject LIKE ?`, "maria@example.com", "%was stopped%").Count(&mails)
	if mails != 1 {
		t.Errorf("%d alert e-mails, want 1", mails)
	}
	if n := ippinCount(t, f.p, &models.SecurityEvent{}, "account_id = ? AND kind = ?", f.mariaAcct.ID, ippin.EventReturnStopped); n != 2 {
		t.Errorf("%d stopped-return events, want 2", n)
	}
}
