package notifytest

import (
	"bytes"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/taxportal/portal/notify"
)

// SMTPMessage is one message an SMTPServer accepted.
type SMTPMessage struct {
	From, To string
	Data     []byte
}

// SMTPServer is a real little SMTP server (go-smtp) on a loopback port that
// a test can take down and bring back, to see what the portal does while
// its mail server is away.
type SMTPServer struct {
	Addr string

	t        testing.TB
	mu       sync.Mutex
	srv      *smtp.Server
	l        net.Listener
	got      []SMTPMessage
	tempFail bool
	refused  int // connections made while temporarily failing
}

// StartSMTPServer serves SMTP on 127.0.0.1 until the test ends.
func StartSMTPServer(t testing.TB) *SMTPServer {
	t.Helper()
	s := &SMTPServer{t: t}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = l.Addr().String()
	s.serve(l)
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.srv != nil {
			_ = s.l.Close()
			_ = s.srv.Close()
		}
	})
	return s
}

func (s *SMTPServer) serve(l net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{s: s}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv, s.l = srv, l
	go func() { _ = srv.Serve(l) }()
}

// Down stops listening: connections are refused until Up.
func (s *SMTPServer) Down() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		_ = s.l.Close() // Serve may not have taken the listener in yet
		_ = s.srv.Close()
		s.srv = nil
	}
}

// Up listens again on the same address.
func (s *SMTPServer) Up() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return
	}
	var l net.Listener
	var err error
	for try := 0; try < 50; try++ { // the port can take a moment to free
		if l, err = net.Listen("tcp", s.Addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("listening again on %s: %v", s.Addr, err)
	}
	s.serve(l)
}

// TempFail makes the server answer every MAIL FROM with 451 (try again
// later) while on is true, as a server that is overloaded or greylisting.
func (s *SMTPServer) TempFail(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tempFail = on
}

// Messages returns a copy of every accepted message, oldest first.
func (s *SMTPServer) Messages() []SMTPMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMTPMessage(nil), s.got...)
}

// TempFailed counts the sessions turned away with 451.
func (s *SMTPServer) TempFailed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

type smtpSession struct {
	s *SMTPServer
	m SMTPMessage
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.tempFail {
		ss.s.refused++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	ss.m.From = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error { ss.m.To = to; return nil }

func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.m.Data = b
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, ss.m)
	ss.s.mu.Unlock()
	return nil
}

func (ss *smtpSession) Reset()        {}
func (ss *smtpSession) Logout() error { return nil }

// BlackHoleSMTP listens on a loopback port, accepts every connection and
// never says a word: a mail server that hangs. It returns the address and
// a count of the connections it has accepted.
func BlackHoleSMTP(t testing.TB) (addr string, accepted func() int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String(), func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(conns)
	}
}

// Decode reads an accepted message back into the notify.Message it was
// built from, as a mail client would show it: To, the decoded Subject,
// and the text and HTML parts with CRLF line ends made LF again.
func (m SMTPMessage) Decode() (notify.Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return notify.Message{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return notify.Message{}, err
	}
	out := notify.Message{To: msg.Header.Get("To"), Subject: subject}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return notify.Message{}, err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for _, part := range []*string{&out.Text, &out.HTML} {
		p, err := mr.NextPart() // decodes quoted-printable
		if err != nil {
			return notify.Message{}, err
		}
		body, err := io.ReadAll(p)
		if err != nil {
			return notify.Message{}, err
		}
		*part = strings.ReplaceAll(string(body), "\r\n", "\n")
	}
	return out, nil
}
