// Package config reads the portal's settings from the environment.
//
// Every setting has a default that suits a developer's machine; a value that
// is present but invalid stops the portal at start with a message that names
// the variable, so a typo never silently falls back to a default.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Environment names the two ways the portal runs.
type Environment string

const (
	Development Environment = "development"
	Production  Environment = "production"
)

// Config is every setting the portal reads, already validated.
type Config struct {
	Addr        string
	DatabaseURL string
	Env         Environment
	// SecretKey is the master key from PORTAL_SECRET_KEY (or, in development,
	// from data/secret.key). Purpose-specific keys are derived from it.
	SecretKey []byte
	BaseURL   *url.URL
	DataDir   string

	AgencyName  string
	ProductName string
	BannerText  string

	LogLevel string

	// SMTPURL sends e-mail through a real server; empty means the development outbox.
	SMTPURL  string
	MailFrom string
	// TimeZone is where times are shown: the database keeps UTC.
	TimeZone *time.Location

	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed; without them, the client address is the connection's.
	TrustedProxies []*net.IPNet

	// SignUpsPerHour bounds the accounts one client address may start in
	// an hour (each sends an e-mail to an address someone typed).
	SignUpsPerHour int

	// MeetingURL is the external video tool's address: each video-call
	// appointment gets a random, unguessable path under it.
	MeetingURL *url.URL
	// IPPINRolloverFrom is the month-day ("12-01") from which the server
	// issues next year's IP PINs by itself, or "off".
	IPPINRolloverFrom string

	// The retry schedule of outgoing messages (package jobs): the wait
	// after a first failed try, doubling up to MessageRetryMax, for
	// MessageAttempts tries in all.
	MessageRetryFirst time.Duration
	MessageRetryMax   time.Duration
	MessageAttempts   int

	SessionIdleTimeout     time.Duration
	SessionAbsoluteTimeout time.Duration
	ShutdownTimeout        time.Duration
}

// IsProduction reports whether production safeguards apply.
func (c Config) IsProduction() bool { return c.Env == Production }

// UsesPostgres reports whether DatabaseURL selects PostgreSQL.
func (c Config) UsesPostgres() bool { return IsPostgresURL(c.DatabaseURL) }

// IsPostgresURL reports whether a database URL names PostgreSQL rather than a SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Variable documents one environment variable; the README table is built from this list.
type Variable struct {
	Name, Default, Meaning string
}

// Variables lists every setting, in the order the README shows them.
var Variables = []Variable{
	{"PORTAL_ADDR", "127.0.0.1:8080", "Address and port to listen on."},
	{"PORTAL_DATABASE_URL", "data/portal.db", "`postgres://…` selects PostgreSQL; anything else is a SQLite file path."},
	{"PORTAL_ENV", "development", "`development` or `production`. Production requires PORTAL_SECRET_KEY, never loads demo data, hides development pages, and sets Secure `__Host-` cookies and HSTS."},
	{"PORTAL_SECRET_KEY", "generated into data/secret.key in development", "At least 32 bytes, base64 encoded. Keys for sessions, CSRF and encryption of sensitive fields are derived from it."},
	{"PORTAL_BASE_URL", "http://localhost:PORT for a loopback PORTAL_ADDR", "The public address, used in links in e-mails and letters and as the security-key (WebAuthn) site."},
	{"PORTAL_DATA_DIR", "data", "Folder for the SQLite file and the development secret key."},
	{"PORTAL_AGENCY_NAME", "Demonstration Tax Agency", "The agency named in the header, footer and e-mails."},
	{"PORTAL_PRODUCT_NAME", "Taxpayer Portal", "The product name shown beside the agency name."},
	{"PORTAL_BANNER_TEXT", "This is a demonstration, not an official government website.", "The text of the site banner at the top of every page."},
	{"PORTAL_LOG_LEVEL", "info", "`debug`, `info`, `warn` or `error`."},
	{"PORTAL_SMTP_URL", "none: messages go to the development outbox", "`smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`. Required in production."},
	{"PORTAL_MAIL_FROM", "the agency name at no-reply@ the base URL's host", "The From of every e-mail, with a display name: `Agency <no-reply@example.gov>`."},
	{"PORTAL_TIME_ZONE", "America/New_York", "IANA time zone in which times are shown to people."},
	{"PORTAL_TRUSTED_PROXIES", "none", "Comma-separated CIDRs of the load balancers in front of the portal (`10.0.0.0/8,192.168.1.5/32`). Their X-Forwarded-For gives the client address that limits count by; nobody else's is believed."},
	{"PORTAL_SIGNUPS_PER_HOUR", "10", "Accounts one client address may start in an hour. Raise it behind a shared address (a campus, a load test)."},
	{"PORTAL_MEETING_URL", "https://meet.example.gov/", "The external video tool for video-call appointments. Each booking gets its own join link: this address followed by 26 random characters (130 bits), so links cannot be guessed. Use a tool that opens a room from its URL."},
	{"PORTAL_IPPIN_ROLLOVER_FROM", "12-01", "Month-day (UTC) from which `serve` issues next year's IP PINs by itself (a periodic job, run by one instance), checking hourly until December 31; `off` leaves it to the `ip-pin rollover` command."},
	{"PORTAL_MESSAGE_RETRY_FIRST", "10s", "How long an e-mail or text waits to be tried again after its first failed try (mail server down or refusing for now). Each later wait doubles."},
	{"PORTAL_MESSAGE_RETRY_MAX", "15m", "The longest wait between two tries of a message."},
	{"PORTAL_MESSAGE_ATTEMPTS", "25", "Tries before a message is given up and logged as not sent. With the defaults, about 4.6 hours of failures."},
	{"PORTAL_SESSION_IDLE", "15m", "Inactivity that ends a session."},
	{"PORTAL_SESSION_MAX", "12h", "Longest a session lives, active or not."},
	{"PORTAL_SHUTDOWN_TIMEOUT", "20s", "How long in-flight requests may take to finish on SIGTERM."},
}

// Load reads and validates the settings. getenv is os.Getenv in production and
// a map lookup in tests. The development secret key is not read here: see
// EnsureSecretKey, which needs the file system.
func Load(getenv func(string) string) (Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}

	c := Config{
		Addr:        get("PORTAL_ADDR", "127.0.0.1:8080"),
		DataDir:     get("PORTAL_DATA_DIR", "data"),
		AgencyName:  get("PORTAL_AGENCY_NAME", "Demonstration Tax Agency"),
		ProductName: get("PORTAL_PRODUCT_NAME", "Taxpayer Portal"),
		BannerText:  get("PORTAL_BANNER_TEXT", "This is a demonstration, not an official government website."),
		LogLevel:    get("PORTAL_LOG_LEVEL", "info"),
	}
	c.DatabaseURL = get("PORTAL_DATABASE_URL", c.DataDir+"/portal.db")
	c.SMTPURL = get("PORTAL_SMTP_URL", "")
	c.MailFrom = get("PORTAL_MAIL_FROM", "")

	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		bad("PORTAL_ADDR", "%q is not host:port (for example 127.0.0.1:8080 or :8080)", c.Addr)
	}

	switch env := Environment(get("PORTAL_ENV", string(Development))); env {
	case Development, Production:
		c.Env = env
	default:
		bad("PORTAL_ENV", "%q is neither development nor production", env)
	}

	if IsPostgresURL(c.DatabaseURL) {
		if u, err := url.Parse(c.DatabaseURL); err != nil || u.Host == "" {
			bad("PORTAL_DATABASE_URL", "is not a valid postgres:// URL")
		}
	}

	if raw := getenv("PORTAL_SECRET_KEY"); raw != "" {
		key, err := DecodeSecretKey(raw)
		if err != nil {
			bad("PORTAL_SECRET_KEY", "%v", err)
		}
		c.SecretKey = key
	} else if c.Env == Production {
		bad("PORTAL_SECRET_KEY", "is required in production (generate one with: openssl rand -base64 32)")
	}

	base := get("PORTAL_BASE_URL", defaultBaseURL(c.Addr))
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("PORTAL_BASE_URL", "%q is not an absolute http(s) URL", base)
	} else {
		// Links append paths that start with "/": a trailing one here
		// would double it.
		u.Path = strings.TrimSuffix(u.Path, "/")
		c.BaseURL = u
		if c.Env == Production && u.Scheme != "https" {
			bad("PORTAL_BASE_URL", "must be https in production")
		}
	}

	meet := get("PORTAL_MEETING_URL", "https://meet.example.gov/")
	if u, err := url.Parse(meet); err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		bad("PORTAL_MEETING_URL", "%q is not an absolute https URL without a query", meet)
	} else {
		c.MeetingURL = u
	}

	c.IPPINRolloverFrom = strings.ToLower(get("PORTAL_IPPIN_ROLLOVER_FROM", "12-01"))
	if _, err := time.Parse("01-02", c.IPPINRolloverFrom); err != nil && c.IPPINRolloverFrom != "off" {
		bad("PORTAL_IPPIN_ROLLOVER_FROM", "%q is not a day like 12-01 (month-day), or off", c.IPPINRolloverFrom)
	}

	if c.Env == Production && c.SMTPURL == "" {
		bad("PORTAL_SMTP_URL", "is required in production: the development outbox is not for real messages")
	}
	zone := get("PORTAL_TIME_ZONE", "America/New_York")
	if loc, err := time.LoadLocation(zone); err != nil {
		bad("PORTAL_TIME_ZONE", "%q is not an IANA time zone such as America/New_York", zone)
	} else {
		c.TimeZone = loc
	}

	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("PORTAL_LOG_LEVEL", "%q is not one of debug, info, warn, error", c.LogLevel)
	}

	duration := func(name, def string, min time.Duration) time.Duration {
		raw := get(name, def)
		d, err := time.ParseDuration(raw)
		if err != nil || d < min {
			bad(name, "%q is not a duration of at least %s (for example %s)", raw, min, def)
		}
		return d
	}
	for _, cidr := range strings.Split(get("PORTAL_TRUSTED_PROXIES", ""), ",") {
		if cidr = strings.TrimSpace(cidr); cidr == "" {
			continue
		}
		if _, n, err := net.ParseCIDR(cidr); err != nil {
			bad("PORTAL_TRUSTED_PROXIES", "%q is not a CIDR such as 10.0.0.0/8", cidr)
		} else {
			c.TrustedProxies = append(c.TrustedProxies, n)
		}
	}
	if raw := get("PORTAL_SIGNUPS_PER_HOUR", "10"); true {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			bad("PORTAL_SIGNUPS_PER_HOUR", "%q is not a whole number of at least 1", raw)
		}
		c.SignUpsPerHour = n
	}
	c.MessageRetryFirst = duration("PORTAL_MESSAGE_RETRY_FIRST", "10s", time.Second)
	c.MessageRetryMax = duration("PORTAL_MESSAGE_RETRY_MAX", "15m", time.Second)
	if c.MessageRetryMax < c.MessageRetryFirst {
		bad("PORTAL_MESSAGE_RETRY_MAX", "must not be shorter than PORTAL_MESSAGE_RETRY_FIRST")
	}
	if raw := get("PORTAL_MESSAGE_ATTEMPTS", "25"); true {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 100 {
			bad("PORTAL_MESSAGE_ATTEMPTS", "%q is not a whole number from 1 to 100", raw)
		}
		c.MessageAttempts = n
	}
	c.SessionIdleTimeout = duration("PORTAL_SESSION_IDLE", "15m", time.Minute)
	c.SessionAbsoluteTimeout = duration("PORTAL_SESSION_MAX", "12h", time.Minute)
	c.ShutdownTimeout = duration("PORTAL_SHUTDOWN_TIMEOUT", "20s", time.Second)
	if c.SessionAbsoluteTimeout < c.SessionIdleTimeout {
		bad("PORTAL_SESSION_MAX", "must not be shorter than PORTAL_SESSION_IDLE")
	}

	if len(errs) > 0 {
		return Config{}, fmt.Errorf("invalid configuration:\n  %w", errors.Join(errs...))
	}
	return c, nil
}

// defaultBaseURL names a loopback listener "localhost": browsers allow
// security keys and passkeys on a named host, never on an IP address.
func defaultBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsLoopback()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// DecodeSecretKey accepts standard or URL-safe base64 of at least 32 bytes.
func DecodeSecretKey(raw string) ([]byte, error) {
	raw = strings.TrimSpace(raw)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(raw); err == nil {
			if len(key) < 32 {
				return nil, fmt.Errorf("decodes to %d bytes; at least 32 are needed", len(key))
			}
			return key, nil
		}
	}
	return nil, errors.New("is not base64 (generate one with: openssl rand -base64 32)")
}
