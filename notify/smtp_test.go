package notify

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is what the test SMTP server saw in one session.
type received struct {
	User, Pass  string
	AuthOverTLS bool
	From, To    string
	Data        []byte
}

// testServer is a real SMTP server (go-smtp) on a loopback port.
type testServer struct {
	Addr string
	mu   sync.Mutex
	got  []received
	auth []received // every AUTH attempt, even those whose session sent nothing
}

func (ts *testServer) messages() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.got...)
}

func (ts *testServer) auths() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.auth...)
}

type session struct {
	ts   *testServer
	conn *smtp.Conn
	r    received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		_, tlsOn := s.conn.TLSConnectionState()
		s.r.User, s.r.Pass, s.r.AuthOverTLS = user, pass, tlsOn
		s.ts.mu.Lock()
		s.ts.auth = append(s.ts.auth, s.r)
		s.ts.mu.Unlock()
		if user != "mailer" || pass != "s3cret:p@ss" {
			return errors.New("invalid credentials")
		}
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.r.From = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.r.To = to; return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.r.Data = b
	s.ts.mu.Lock()
	s.ts.got = append(s.ts.got, s.r)
	s.ts.mu.Unlock()
	return nil
}
func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

// startServer serves SMTP on 127.0.0.1. With cert, it offers STARTTLS, or,
// when implicit, speaks TLS from the first byte.
func startServer(t *testing.T, cert *tls.Certificate, implicit bool) *testServer {
	t.Helper()
	ts := &testServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{ts: ts, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.AllowInsecureAuth = true // the client under test is what must refuse
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cert != nil {
		cfg := &tls.Config{Certificates: []tls.Certificate{*cert}}
		if implicit {
			l = tls.NewListener(l, cfg)
		} else {
			srv.TLSConfig = cfg
		}
	}
	ts.Addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ts
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool
// that trusts it.
func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test SMTP server"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

const testFrom = "Demonstration Tax Agency <no-reply@example.gov>"

func testMessage() Message {
	return Message{
		To:      "jane.doe@example.com",
		Subject: "Confirm your email address — Café ✓",
		Text:    "Hello Jane,\n\nConfirm here:\nhttps://portal.example.gov/confirm?t=abc=def&x=1\n\nYour code: 123456\n",
		HTML:    `<!DOCTYPE html><html lang="en"><body><p>Hello Jane, confirm <a href="https://portal.example.gov/confirm?t=abc=def&amp;x=1">here</a>. Café ✓</p></body></html>`,
	}
}

func newTestMailer(t *testing.T, rawURL string, pool *x509.CertPool) *SMTPMailer {
	t.Helper()
	m, err := NewSMTPMailer(rawURL, testFrom, SMTPOptions{RootCAs: pool, DialTimeout: 5 * time.Second, SendTimeout: 10 * time.Second, HelloName: "portal.test"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSMTPStartTLSWithAuth(t *testing.T) {
	cert, pool := selfSigned(t)
	ts := startServer(t, cert, false)
	m := newTestMailer(t, "smtp://mailer:s3cret%3Ap%40ss@"+ts.Addr, pool)
	if err := m.Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	got := ts.messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	r := got[0]
	if r.User != "mailer" || r.Pass != "s3cret:p@ss" {
		t.Errorf("credentials received = %q/%q", r.User, r.Pass)
	}
	if !r.AuthOverTLS {
		t.Error("credentials were sent before STARTTLS")
	}
	if r.From != "no-reply@example.gov" || r.To != "jane.doe@example.com" {
		t.Errorf("envelope = %q -> %q", r.From, r.To)
	}
	checkComposed(t, r.Data, testMessage())
}

func TestSMTPImplicitTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	ts := startServer(t, cert, true)
	m := newTestMailer(t, "smtps://mailer:s3cret%3Ap%40ss@"+ts.Addr, pool)
	if err := m.Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	if got := ts.messages(); len(got) != 1 || !got[0].AuthOverTLS {
		t.Fatalf("received %+v, want one message authenticated over TLS", got)
	}
}

func TestSMTPWithoutTLSOnLoopback(t *testing.T) {
	ts := startServer(t, nil, false)
	// A local relay or catcher: credentials may go in clear over loopback.
	m := newTestMailer(t, "smtp://mailer:s3cret%3Ap%40ss@"+ts.Addr, nil)
	if err := m.Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	got := ts.messages()
	if len(got) != 1 || got[0].AuthOverTLS || got[0].User != "mailer" {
		t.Fatalf("received %+v, want one message authenticated in clear", got)
	}
	checkComposed(t, got[0].Data, testMessage())

	// Without credentials there is nothing to protect.
	anon := newTestMailer(t, "smtp://"+ts.Addr, nil)
	if err := anon.Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	if got := ts.messages(); len(got) != 2 || got[1].User != "" {
		t.Fatalf("anonymous send: received %+v", got)
	}
}

func TestSMTPRefusesCleartextCredentialsToRemoteHost(t *testing.T) {
	ts := startServer(t, nil, false)
	m := newTestMailer(t, "smtp://mailer:s3cret%3Ap%40ss@"+ts.Addr, nil)
	m.forceWide = true // as if the server were across a network
	err := m.Send(context.Background(), testMessage())
	if !errors.Is(err, ErrCleartextAuth) {
		t.Fatalf("Send = %v, want ErrCleartextAuth", err)
	}
	if a := ts.auths(); len(a) != 0 {
		t.Errorf("server saw credentials: %+v", a)
	}
	if got := ts.messages(); len(got) != 0 {
		t.Errorf("server received a message: %d", len(got))
	}
}

func TestSMTPUntrustedCertificateSendsNothing(t *testing.T) {
	cert, _ := selfSigned(t)
	ts := startServer(t, cert, false)
	m := newTestMailer(t, "smtp://mailer:s3cret%3Ap%40ss@"+ts.Addr, nil) // system roots only
	err := m.Send(context.Background(), testMessage())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("Send = %v, want a STARTTLS certificate error", err)
	}
	if len(ts.auths()) != 0 || len(ts.messages()) != 0 {
		t.Error("credentials or message reached a server whose certificate is not trusted")
	}
}

func TestSMTPWrongPassword(t *testing.T) {
	ts := startServer(t, nil, false)
	m := newTestMailer(t, "smtp://mailer:wrong@"+ts.Addr, nil)
	if err := m.Send(context.Background(), testMessage()); err == nil || !strings.Contains(err.Error(), "AUTH PLAIN") {
		t.Fatalf("Send = %v, want an AUTH PLAIN error", err)
	}
	if len(ts.messages()) != 0 {
		t.Error("message accepted without authentication")
	}
}

func TestSMTPTimeout(t *testing.T) {
	// A server that accepts the connection and never greets.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()

	m, err := NewSMTPMailer("smtp://"+l.Addr().String(), testFrom, SMTPOptions{SendTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = m.Send(context.Background(), testMessage())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v despite a 300ms send timeout", d)
	}

	// Cancelling the caller's context stops a send in progress too.
	m, _ = NewSMTPMailer("smtp://"+l.Addr().String(), testFrom)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	if err := m.Send(ctx, testMessage()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cancelled Send took %v", d)
	}
}

func TestMayAuthenticate(t *testing.T) {
	for _, c := range []struct {
		tls, loopback, want bool
	}{
		{tls: true, loopback: false, want: true},
		{tls: true, loopback: true, want: true},
		{tls: false, loopback: true, want: true},
		{tls: false, loopback: false, want: false},
	} {
		if got := mayAuthenticate(c.tls, c.loopback); got != c.want {
			t.Errorf("mayAuthenticate(tls=%v, loopback=%v) = %v", c.tls, c.loopback, got)
		}
	}
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.3.4.5": true, "::1": true,
		"smtp.example.gov": false, "10.0.0.5": false, "192.168.1.2": false, "localhost.example.com": false, "": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v", host, got)
		}
	}
	loop := net.TCPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:25"))
	remote := net.TCPAddrFromAddrPort(netip.MustParseAddrPort("203.0.113.9:25"))
	if !isLoopbackAddr(loop) || isLoopbackAddr(remote) || isLoopbackAddr(nil) {
		t.Error("isLoopbackAddr misjudges the connected address")
	}
}

func TestNewSMTPMailerValidates(t *testing.T) {
	for _, c := range []struct{ url, from, want string }{
		{"", testFrom, "PORTAL_SMTP_URL"},
		{"http://mail.example.gov", testFrom, "smtp://"},
		{"smtp://", testFrom, "no host"},
		{"smtp://mail.example.gov:99999", testFrom, "invalid port"},
		{"smtp://mail.example.gov:abc", testFrom, "PORTAL_SMTP_URL"},
		{"smtp://mail.example.gov/relay", testFrom, "path or query"},
		{"smtp://mail.example.gov?tls=off", testFrom, "path or query"},
		{"smtp://user@mail.example.gov", testFrom, "user name and a password"},
		{"smtp://:hunter2@mail.example.gov", testFrom, "user name and a password"},
		{"smtp://mail.example.gov", "no-reply@example.gov", "PORTAL_MAIL_FROM"},
		{"smtp://mail.example.gov", "not an address", "PORTAL_MAIL_FROM"},
		{"smtp://u:hunter2@mail.example.gov\x7f", testFrom, "PORTAL_SMTP_URL"},
	} {
		_, err := NewSMTPMailer(c.url, c.from)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewSMTPMailer(%q, %q) = %v, want an error containing %q", c.url, c.from, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error reveals the password: %v", err)
		}
	}

	m, err := NewSMTPMailer("smtp://mail.example.gov", testFrom)
	if err != nil || m.addr != "mail.example.gov:587" || m.implicit || m.hasAuth {
		t.Errorf("smtp default: %s, %v", m, err)
	}
	m, err = NewSMTPMailer("smtps://u:p@mail.example.gov", testFrom)
	if err != nil || m.addr != "mail.example.gov:465" || !m.implicit || m.user != "u" || m.pass != "p" {
		t.Errorf("smtps default: %s, %v", m, err)
	}
	m, err = NewSMTPMailer("smtp://[::1]:2525", testFrom)
	if err != nil || m.addr != "[::1]:2525" || m.host != "::1" {
		t.Errorf("IPv6: %s, %v", m, err)
	}
}

func TestSMTPMailerStringHidesPassword(t *testing.T) {
	m, err := NewSMTPMailer("smtps://mailer:hunter2@mail.example.gov", testFrom)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{m.String(), fmt.Sprint(m), fmt.Sprintf("%v", m)} {
		if s != "smtps://mail.example.gov:465" {
			t.Errorf("mailer shows as %q", s)
		}
	}
}
