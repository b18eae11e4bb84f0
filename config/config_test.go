package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

const goodKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // 32 bytes

func TestDefaultsSuitADevelopersMachine(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DatabaseURL != "data/portal.db" || c.Env != Development || c.UsesPostgres() {
		t.Errorf("defaults: %+v", c)
	}
	if c.SessionIdleTimeout != 15*time.Minute || c.SessionAbsoluteTimeout != 12*time.Hour {
		t.Errorf("session defaults %s / %s", c.SessionIdleTimeout, c.SessionAbsoluteTimeout)
	}
	if !strings.Contains(c.BannerText, "demonstration") {
		t.Errorf("default banner %q must say this is a demonstration", c.BannerText)
	}
	if c.BaseURL.String() != "http://localhost:8080" {
		t.Errorf("base URL %s", c.BaseURL)
	}
}

func TestInvalidValuesAreRejectedByName(t *testing.T) {
	cases := map[string]map[string]string{
		"PORTAL_ADDR":                {"PORTAL_ADDR": "8080"},
		"PORTAL_ENV":                 {"PORTAL_ENV": "staging"},
		"PORTAL_SECRET_KEY":          {"PORTAL_SECRET_KEY": "c2hvcnQ="},
		"PORTAL_BASE_URL":            {"PORTAL_BASE_URL": "example.org"},
		"PORTAL_LOG_LEVEL":           {"PORTAL_LOG_LEVEL": "loud"},
		"PORTAL_SESSION_IDLE":        {"PORTAL_SESSION_IDLE": "soon"},
		"PORTAL_SESSION_MAX":         {"PORTAL_SESSION_IDLE": "2h", "PORTAL_SESSION_MAX": "1h"},
		"PORTAL_DATABASE_URL":        {"PORTAL_DATABASE_URL": "postgres://"},
		"PORTAL_TIME_ZONE":           {"PORTAL_TIME_ZONE": "Mars/Olympus"},
		"PORTAL_SIGNUPS_PER_HOUR":    {"PORTAL_SIGNUPS_PER_HOUR": "0"},
		"PORTAL_MESSAGE_RETRY_FIRST": {"PORTAL_MESSAGE_RETRY_FIRST": "5ms"},
		"PORTAL_MESSAGE_RETRY_MAX":   {"PORTAL_MESSAGE_RETRY_FIRST": "1m", "PORTAL_MESSAGE_RETRY_MAX": "30s"},
		"PORTAL_MESSAGE_ATTEMPTS":    {"PORTAL_MESSAGE_ATTEMPTS": "0"},
	}
	for name, vars := range cases {
		_, err := Load(env(vars))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%v: error %v should name %s", vars, err, name)
		}
	}
}

func TestProductionRequiresASecretKeyAndHTTPS(t *testing.T) {
	_, err := Load(env(map[string]string{"PORTAL_ENV": "production", "PORTAL_BASE_URL": "https://portal.example"}))
	if err == nil || !strings.Contains(err.Error(), "PORTAL_SECRET_KEY") {
		t.Errorf("production without a key: %v", err)
	}
	_, err = Load(env(map[string]string{"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": goodKey}))
	if err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("production on http: %v", err)
	}
	_, err = Load(env(map[string]string{"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": goodKey, "PORTAL_BASE_URL": "https://portal.example"}))
	if err == nil || !strings.Contains(err.Error(), "PORTAL_SMTP_URL") {
		t.Errorf("production without SMTP: %v", err)
	}
	c, err := Load(env(map[string]string{"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": goodKey,
		"PORTAL_BASE_URL": "https://portal.example", "PORTAL_SMTP_URL": "smtp://mail.example:587"}))
	if err != nil || !c.IsProduction() || len(c.SecretKey) != 32 {
		t.Errorf("good production config: %v %+v", err, c)
	}
}

func TestAllErrorsAreReportedAtOnce(t *testing.T) {
	_, err := Load(env(map[string]string{"PORTAL_ENV": "x", "PORTAL_LOG_LEVEL": "y"}))
	if err == nil || !strings.Contains(err.Error(), "PORTAL_ENV") || !strings.Contains(err.Error(), "PORTAL_LOG_LEVEL") {
		t.Errorf("want both problems in one message: %v", err)
	}
}

func TestDevelopmentKeyIsGeneratedOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	c1, _ := Load(env(map[string]string{"PORTAL_DATA_DIR": dir}))
	if err := EnsureSecretKey(&c1); err != nil {
		t.Fatal(err)
	}
	c2, _ := Load(env(map[string]string{"PORTAL_DATA_DIR": dir}))
	if err := EnsureSecretKey(&c2); err != nil {
		t.Fatal(err)
	}
	if len(c1.SecretKey) != 32 || string(c1.SecretKey) != string(c2.SecretKey) {
		t.Error("the development key changed between starts")
	}
}

func TestEveryVariableIsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range Variables {
		seen[v.Name] = true
	}
	read := []string{}
	_, _ = Load(func(name string) string { read = append(read, name); return "" })
	for _, name := range read {
		if !seen[name] {
			t.Errorf("%s is read but not in Variables (and so not in the README table)", name)
		}
	}
}

// Links append paths to the base URL: a trailing slash typed in the setting
// must not double theirs.
func TestBaseURLLosesItsTrailingSlash(t *testing.T) {
	for base, want := range map[string]string{
		"https://portal.example/":     "https://portal.example",
		"https://portal.example/tax/": "https://portal.example/tax",
		"https://portal.example/tax":  "https://portal.example/tax",
	} {
		c, err := Load(env(map[string]string{"PORTAL_BASE_URL": base}))
		if err != nil || c.BaseURL.String() != want {
			t.Errorf("%s: %v %v, want %s", base, c.BaseURL, err, want)
		}
	}
}
