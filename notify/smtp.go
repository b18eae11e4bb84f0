package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SMTPOptions adjusts an SMTPMailer; the zero value suits production.
type SMTPOptions struct {
	// RootCAs, when set, replaces the system's trusted roots (tests trust a
	// self-signed certificate this way).
	RootCAs *x509.CertPool
	// DialTimeout bounds connecting and, for smtps://, the TLS handshake.
	// Default 10s.
	DialTimeout time.Duration
	// SendTimeout bounds one whole Send, greeting to QUIT. Default 30s.
	SendTimeout time.Duration
	// HelloName is the name given in EHLO. Default: this machine's host name.
	HelloName string
}

// SMTPMailer sends each message over its own SMTP connection. It is safe
// for concurrent use.
type SMTPMailer struct {
	addr      string // host:port
	host      string
	implicit  bool // smtps://: TLS from the first byte
	user      string
	pass      string
	hasAuth   bool
	from      *mail.Address
	opts      SMTPOptions
	forceWide bool // tests: treat a loopback server as remote
}

// ErrCleartextAuth means credentials would have crossed the network
// unencrypted, so nothing was sent.
var ErrCleartextAuth = errors.New("notify: refusing to send SMTP credentials without TLS to a host that is not loopback")

// NewSMTPMailer checks PORTAL_SMTP_URL and PORTAL_MAIL_FROM and returns a
// mailer for them. The URL is smtp://user:pass@host:port (port 587 by
// default, STARTTLS whenever the server offers it) or smtps://…:465 for TLS
// from the start; user and password are optional. from must carry a display
// name, as in "Taxpayer Portal <no-reply@example.gov>" (see DefaultFrom).
// At most one SMTPOptions is used.
func NewSMTPMailer(rawURL, from string, opts ...SMTPOptions) (*SMTPMailer, error) {
	m := &SMTPMailer{}
	if len(opts) > 0 {
		m.opts = opts[0]
	}
	if m.opts.DialTimeout <= 0 {
		m.opts.DialTimeout = 10 * time.Second
	}
	if m.opts.SendTimeout <= 0 {
		m.opts.SendTimeout = 30 * time.Second
	}
	if m.opts.HelloName == "" {
		m.opts.HelloName = "localhost"
		if h, err := os.Hostname(); err == nil && h != "" {
			m.opts.HelloName = h
		}
	}

	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		// url's own error quotes the whole URL, password included.
		return nil, errors.New("PORTAL_SMTP_URL: is not a URL (expected smtp://user:password@host:587)")
	}
	shown := u.Redacted()
	defaultPort := "587"
	switch u.Scheme {
	case "smtp":
	case "smtps":
		m.implicit, defaultPort = true, "465"
	default:
		return nil, fmt.Errorf("PORTAL_SMTP_URL: %q must start with smtp:// (STARTTLS) or smtps:// (implicit TLS)", shown)
	}
	m.host = u.Hostname()
	if m.host == "" {
		return nil, fmt.Errorf("PORTAL_SMTP_URL: %q names no host", shown)
	}
	port := u.Port()
	if port == "" {
		port = defaultPort
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return nil, fmt.Errorf("PORTAL_SMTP_URL: %q has an invalid port", shown)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("PORTAL_SMTP_URL: %q has a path or query; only smtp://user:password@host:port is understood", shown)
	}
	m.addr = net.JoinHostPort(m.host, port)
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, m.hasAuth = u.User.Password()
		if m.user == "" || !m.hasAuth {
			return nil, fmt.Errorf("PORTAL_SMTP_URL: %q needs both a user name and a password, or neither (percent-encode special characters)", shown)
		}
	}

	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("PORTAL_MAIL_FROM: %q is not an address like \"Taxpayer Portal <no-reply@example.gov>\"", from)
	}
	if strings.TrimSpace(a.Name) == "" {
		return nil, fmt.Errorf("PORTAL_MAIL_FROM: %q needs a display name, as in \"Taxpayer Portal <%s>\"", from, a.Address)
	}
	m.from = a
	return m, nil
}

// String names the server without the credentials, so logging the mailer
// never leaks the password.
func (s *SMTPMailer) String() string {
	scheme := "smtp"
	if s.implicit {
		scheme = "smtps"
	}
	return scheme + "://" + s.addr
}

// Send delivers m over a new connection within SendTimeout (or ctx's
// deadline, if sooner).
func (s *SMTPMailer) Send(ctx context.Context, m Message) error {
	raw, err := compose(s.from, m, time.Now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.SendTimeout)
	defer cancel()

	conn, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("notify: connecting to SMTP server %s: %w", s.addr, err)
	}
	// net/smtp knows nothing of contexts: the deadline bounds every read and
	// write, and cancelling ctx expires it at once.
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	if err := s.deliver(conn, m.To, raw); err != nil {
		_ = conn.Close()
		// The connection's deadline can fire a hair before ctx notices.
		cause := ctx.Err()
		if cause == nil && !time.Now().Before(deadline) {
			cause = context.DeadlineExceeded
		}
		if cause != nil {
			err = fmt.Errorf("%w (%w)", cause, err)
		}
		return fmt.Errorf("notify: sending mail via %s: %w", s.addr, err)
	}
	return nil
}

func (s *SMTPMailer) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.host, RootCAs: s.opts.RootCAs, MinVersion: tls.VersionTLS12}
}

func (s *SMTPMailer) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{Timeout: s.opts.DialTimeout}
	if !s.implicit {
		return d.DialContext(ctx, "tcp", s.addr)
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.DialTimeout)
	defer cancel()
	td := &tls.Dialer{NetDialer: d, Config: s.tlsConfig()}
	return td.DialContext(ctx, "tcp", s.addr)
}

func (s *SMTPMailer) deliver(conn net.Conn, to string, raw []byte) error {
	c, err := smtp.NewClient(conn, s.host) // reads the greeting
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello(s.opts.HelloName); err != nil {
		return err
	}
	secure := s.implicit
	if !secure {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return fmt.Errorf("STARTTLS: %w", err) // never fall back to clear text
			}
			secure = true
		}
	}
	if s.hasAuth {
		loopback := !s.forceWide && isLoopback(s.host) && isLoopbackAddr(conn.RemoteAddr())
		if !mayAuthenticate(secure, loopback) {
			return ErrCleartextAuth
		}
		if ok, mechs := c.Extension("AUTH"); !ok || !slices.Contains(strings.Fields(strings.ToUpper(mechs)), "PLAIN") {
			return errors.New("server does not offer AUTH PLAIN")
		}
		if err := c.Auth(plainAuth{user: s.user, pass: s.pass}); err != nil {
			return fmt.Errorf("AUTH PLAIN: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil { // the server accepts or refuses the message here
		return err
	}
	// Accepted: a failed QUIT must not make the caller send it again.
	_ = c.Quit()
	return nil
}

// mayAuthenticate decides whether credentials may be sent. A password sent
// in clear can be read by anyone on the path and then used to send mail as
// the agency, so it goes only inside TLS, or to a relay on this very machine
// (a local Postfix or a development catcher), where no network carries it.
func mayAuthenticate(tlsActive, loopback bool) bool {
	return tlsActive || loopback
}

// isLoopback reports whether host, as written in the URL, names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isLoopbackAddr checks the address actually connected to, so a "localhost"
// that resolves elsewhere does not count.
func isLoopbackAddr(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// plainAuth is SASL PLAIN (RFC 4616). net/smtp's own PlainAuth makes its
// own, narrower loopback check; mayAuthenticate has already decided.
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge during AUTH PLAIN")
	}
	return nil, nil
}
