package notifytest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/taxportal/portal/notify"
)

func TestCaptureConcurrent(t *testing.T) {
	var c Capture
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			to := fmt.Sprintf("user%d@example.com", i%4)
			if err := c.Send(ctx, notify.Message{To: to, Subject: fmt.Sprint(i), Text: "t", HTML: "h"}); err != nil {
				t.Error(err)
			}
			if err := c.SendText(ctx, "5550100123", fmt.Sprint(i)); err != nil {
				t.Error(err)
			}
			c.Last(to)
		})
	}
	wg.Wait()
	if len(c.Mails()) != 20 || len(c.Phones()) != 20 {
		t.Fatalf("recorded %d mails and %d texts, want 20 each", len(c.Mails()), len(c.Phones()))
	}
}

func TestCaptureLast(t *testing.T) {
	var c Capture
	ctx := context.Background()
	_ = c.Send(ctx, notify.Message{To: "jane@example.com", Subject: "first", Text: "t", HTML: "h"})
	_ = c.Send(ctx, notify.Message{To: "bob@example.com", Subject: "other", Text: "t", HTML: "h"})
	_ = c.Send(ctx, notify.Message{To: "jane@example.com", Subject: "second", Text: "t", HTML: "h"})
	if m, ok := c.Last("Jane@Example.com"); !ok || m.Subject != "second" {
		t.Errorf("Last = %+v, %v", m, ok)
	}
	if _, ok := c.Last("nobody@example.com"); ok {
		t.Error("Last found a message to nobody")
	}
	_ = c.SendText(ctx, "5550100123", "code 111111")
	_ = c.Call(ctx, "5550100123", "1, 2, 3")
	if p, ok := c.LastPhone("5550100123"); !ok || p.Channel != notify.ChannelVoice {
		t.Errorf("LastPhone = %+v, %v", p, ok)
	}
	if err := c.Send(ctx, notify.Message{To: "not an address"}); !errors.Is(err, notify.ErrInvalidMessage) {
		t.Errorf("invalid message accepted: %v", err)
	}

	down := errors.New("mail server down")
	c.FailWith(down)
	if err := c.Send(ctx, notify.Message{To: "jane@example.com", Subject: "third", Text: "t", HTML: "h"}); !errors.Is(err, down) {
		t.Errorf("Send = %v, want the injected error", err)
	}
	if err := c.SendText(ctx, "5550100123", "x"); !errors.Is(err, down) {
		t.Errorf("SendText = %v, want the injected error", err)
	}
	c.FailWith(nil)
	c.Reset()
	if len(c.Mails())+len(c.Phones()) != 0 {
		t.Error("Reset kept messages")
	}
}

func TestLinkIn(t *testing.T) {
	text := "Visit https://portal.example.gov/help.\n\nConfirm:\nhttps://portal.example.gov/confirm?t=abc&x=1\n\n(or https://portal.example.gov/other)"
	for prefix, want := range map[string]string{
		"https://portal.example.gov/confirm": "https://portal.example.gov/confirm?t=abc&x=1",
		"https://portal.example.gov/help":    "https://portal.example.gov/help",
		"https://portal.example.gov/other":   "https://portal.example.gov/other",
		"https://portal.example.gov/":        "https://portal.example.gov/help",
		"https://elsewhere.example":          "",
	} {
		if got := LinkIn(text, prefix); got != want {
			t.Errorf("LinkIn(%q) = %q, want %q", prefix, got, want)
		}
	}
}

func TestCodeIn(t *testing.T) {
	for text, want := range map[string]string{
		"Your code:\n\n    482913\n":                          "482913",
		"Sent 2026-01-02. Code 007351, valid 10 minutes.":     "007351",
		"Backup code: 7K3QX-9MWPA":                            "7K3QX-9MWPA",
		"Backup code: 7K3QX9MWPA then 123456":                 "7K3QX9MWPA",
		"https://x.example/confirm?t=123456 then code 654321": "654321",
		"EVERYTHING IS FINE, 12345 or 1234567":                "",
		"no code here":                                        "",
	} {
		if got := CodeIn(text); got != want {
			t.Errorf("CodeIn(%q) = %q, want %q", text, got, want)
		}
	}
}
