package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/portaltest"
)

func TestOutbox(t *testing.T) {
	ctx := context.Background()
	o := notify.NewOutbox(portaltest.DB(t))
	var (
		_ notify.Mailer = o
		_ notify.Phone  = o
	)

	first := brand.ConfirmEmail("Jane@Example.com", actionLink, code, when, est)
	if err := o.Send(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := o.Send(ctx, brand.PasswordChanged("other@example.com", wasntMeLink, when, est)); err != nil {
		t.Fatal(err)
	}
	if err := o.SendText(ctx, "5550100123", brand.PhoneCodeText("482913", 0)); err != nil {
		t.Fatal(err)
	}
	if err := o.Call(ctx, "15550100123", brand.PhoneCodeSpoken("482913", 0)); err != nil {
		t.Fatal(err)
	}
	last := brand.NewSignIn("jane@example.com", "Firefox on Windows", wasntMeLink, when, est)
	if err := o.Send(ctx, last); err != nil {
		t.Fatal(err)
	}

	all, err := o.Recent(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range all {
		got = append(got, m.Channel+" "+m.To)
	}
	want := []string{
		"email jane@example.com", "voice (555) 010-0123", "sms (555) 010-0123",
		"email other@example.com", "email jane@example.com",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Recent = %q, want newest first %q", got, want)
	}
	if m := all[len(all)-1]; m.Subject != first.Subject || m.Text != first.Text || m.HTML != first.HTML || m.CreatedAt.IsZero() {
		t.Errorf("stored message differs from the one sent: %+v", m)
	}
	if sms := all[2]; sms.Subject != "Text message" || !strings.Contains(sms.Text, "482913") || sms.HTML != "" {
		t.Errorf("stored text message: %+v", sms)
	}

	if two, _ := o.Recent(ctx, 2); len(two) != 2 || two[0].ID != all[0].ID {
		t.Errorf("Recent(2) = %d rows", len(two))
	}
	jane, err := o.ForRecipient(ctx, " JANE@example.com ", 10)
	if err != nil || len(jane) != 2 || jane[0].Subject != last.Subject || jane[1].Subject != first.Subject {
		t.Errorf("ForRecipient(jane) = %+v, %v", jane, err)
	}
	for _, number := range []string{"5550100123", "15550100123", "(555) 010-0123"} {
		if phone, err := o.ForRecipient(ctx, number, 10); err != nil || len(phone) != 2 || phone[0].Channel != notify.ChannelVoice {
			t.Errorf("ForRecipient(%q) = %d rows, %v", number, len(phone), err)
		}
	}
	if none, err := o.ForRecipient(ctx, "", 10); err != nil || len(none) != 0 {
		t.Errorf("ForRecipient(\"\") = %d rows, %v; want none", len(none), err)
	}
}

func TestOutboxRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	o := notify.NewOutbox(portaltest.DB(t))
	if err := o.Send(ctx, notify.Message{To: "x@example.com\nBcc: y@example.com", Subject: "s", Text: "t", HTML: "h"}); !errors.Is(err, notify.ErrInvalidMessage) {
		t.Errorf("Send = %v", err)
	}
	for _, n := range []string{"555-010-0123", "12345", "1234567890123456", ""} {
		if err := o.SendText(ctx, n, "body"); !errors.Is(err, notify.ErrInvalidMessage) {
			t.Errorf("SendText(%q) = %v", n, err)
		}
	}
	if err := o.Call(ctx, "5550100123", " "); !errors.Is(err, notify.ErrInvalidMessage) {
		t.Errorf("Call with empty body = %v", err)
	}
	// A long subject is cut to the column's 200 characters rather than
	// failing on PostgreSQL.
	long := notify.Message{To: "a@example.com", Subject: strings.Repeat("é", 300), Text: "t", HTML: "h"}
	if err := o.Send(ctx, long); err != nil {
		t.Fatal(err)
	}
	rows, _ := o.Recent(ctx, 10)
	if len(rows) != 1 || len([]rune(rows[0].Subject)) != 200 {
		t.Errorf("stored %d rows; subject of %d characters", len(rows), len([]rune(rows[0].Subject)))
	}
}
