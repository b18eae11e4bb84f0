package notify

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// checkComposed parses raw as a mail client would and compares it with m.
func checkComposed(t *testing.T, raw []byte, m Message) {
	t.Helper()
	for i, line := range bytes.Split(raw, []byte("\r\n")) {
		if len(line) > 998 {
			t.Errorf("line %d is %d bytes long", i, len(line))
		}
		for _, c := range line {
			if c >= 0x80 {
				t.Fatalf("line %d has 8-bit byte %#x: the message must be 7-bit", i, c)
			}
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Demonstration Tax Agency" || from[0].Address != "no-reply@example.gov" {
		t.Errorf("From = %q (%v)", h.Get("From"), err)
	}
	if h.Get("To") != m.To {
		t.Errorf("To = %q", h.Get("To"))
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("Subject = %q decodes to %q (%v), want %q", h.Get("Subject"), subject, err, m.Subject)
	}
	if _, err := h.Date(); err != nil {
		t.Errorf("Date %q: %v", h.Get("Date"), err)
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.gov>") {
		t.Errorf("Message-ID = %q", id)
	}
	if h.Get("MIME-Version") != "1.0" {
		t.Errorf("MIME-Version = %q", h.Get("MIME-Version"))
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v)", h.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for _, want := range []struct{ kind, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		p, err := mr.NextRawPart() // raw: NextPart would hide the encoding header
		if err != nil {
			t.Fatalf("%s part: %v", want.kind, err)
		}
		ct, ctParams, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if ct != want.kind || ctParams["charset"] != "utf-8" {
			t.Errorf("part Content-Type = %q, want %s; charset=utf-8", p.Header.Get("Content-Type"), want.kind)
		}
		if cte := p.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
			t.Errorf("%s part Content-Transfer-Encoding = %q", want.kind, cte)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatalf("%s part does not decode: %v", want.kind, err)
		}
		// The wire form has CRLF line ends; the decoded text is the same words.
		if got := strings.ReplaceAll(string(body), "\r\n", "\n"); got != want.body {
			t.Errorf("%s part = %q, want %q", want.kind, got, want.body)
		}
	}
	if _, err := mr.NextRawPart(); err != io.EOF {
		t.Errorf("more than two parts (%v)", err)
	}
}

func TestComposeRoundTrip(t *testing.T) {
	from, _ := mail.ParseAddress(testFrom)
	long := testMessage()
	long.Text = strings.Repeat("A very long line with accents é and an equals sign = ", 40) + "\n"
	for _, m := range []Message{testMessage(), long, {To: "a@example.com", Subject: "Plain ASCII", Text: "t\n", HTML: "<p>h</p>"}} {
		raw, err := compose(from, m, time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		checkComposed(t, raw, m)
	}
	raw, _ := compose(from, Message{To: "a@example.com", Subject: "Plain ASCII", Text: "t", HTML: "h"}, time.Now())
	if !bytes.Contains(raw, []byte("\r\nSubject: Plain ASCII\r\n")) {
		t.Error("an ASCII subject should be left as it is")
	}
	if !bytes.Contains(raw, []byte("\r\nAuto-Submitted: auto-generated\r\n")) {
		t.Error("no Auto-Submitted header")
	}
}

func TestComposeNonASCIIDisplayName(t *testing.T) {
	from := &mail.Address{Name: "Agence fiscale du Québec", Address: "no-reply@example.gov"}
	raw, err := compose(from, testMessage(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := mail.ReadMessage(bytes.NewReader(raw))
	got, err := msg.Header.AddressList("From")
	if err != nil || got[0].Name != from.Name {
		t.Errorf("From %q decodes to %v (%v)", msg.Header.Get("From"), got, err)
	}
}

func TestValidateRefusesHeaderInjection(t *testing.T) {
	ok := testMessage()
	for name, m := range map[string]Message{
		"CRLF in subject": {To: ok.To, Subject: "Hi\r\nBcc: evil@example.com", Text: "t", HTML: "h"},
		"LF in To":        {To: "a@example.com\nBcc: evil@example.com", Subject: "s", Text: "t", HTML: "h"},
		"two recipients":  {To: "a@example.com, b@example.com", Subject: "s", Text: "t", HTML: "h"},
		"display name":    {To: "Jane <a@example.com>", Subject: "s", Text: "t", HTML: "h"},
		"not an address":  {To: "jane", Subject: "s", Text: "t", HTML: "h"},
		"no subject":      {To: ok.To, Subject: " ", Text: "t", HTML: "h"},
		"no HTML part":    {To: ok.To, Subject: "s", Text: "t"},
		"no text part":    {To: ok.To, Subject: "s", HTML: "h"},
	} {
		if err := m.Validate(); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid message refused: %v", err)
	}
}
