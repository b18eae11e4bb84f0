package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// signUp gives one connection's client a fully signed-in account, the way a
// person gets one: sign up, read the code from the development outbox,
// confirm, and take backup codes as the second factor. It needs the portal
// in development (the outbox page).
func signUp(ctx context.Context, c *http.Client, base string) error {
	return signUpAs(ctx, c, base, newEmail())
}

// newEmail is a fresh address for one connection's account.
func newEmail() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "load-" + hex.EncodeToString(b) + "@example.com"
}

// signUpAs is signUp with a given address.
func signUpAs(ctx context.Context, c *http.Client, base, email string) error {
	form := url.Values{"email": {email}, "password": {"a load test passphrase for the portal"}}
	if err := submit(ctx, c, base, "/sign-up", "/sign-up", form, "/sign-up/confirm"); err != nil {
		return err
	}
	code, err := outboxCode(ctx, c, base, email)
	if err != nil {
		return err
	}
	if err := submit(ctx, c, base, "/sign-up/confirm", "/sign-up/confirm", url.Values{"code": {code}}, "/account/setup"); err != nil {
		return err
	}
	if err := submit(ctx, c, base, "/account/setup", "/account/setup", url.Values{"factor": {"backup_codes"}}, "/account/setup/backup-codes"); err != nil {
		return err
	}
	return submit(ctx, c, base, "/account/setup/backup-codes", "/account/setup/backup-codes/done", nil, "/account")
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// submit loads a page for its CSRF token, posts a form and expects a 303 to next.
func submit(ctx context.Context, c *http.Client, base, pagePath, action string, form url.Values, next string) error {
	body, err := fetch(ctx, c, http.MethodGet, base+pagePath, nil)
	if err != nil {
		return err
	}
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		return fmt.Errorf("%s: no CSRF token on the page", pagePath)
	}
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", html.UnescapeString(m[1]))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+action, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), next) {
		return fmt.Errorf("POST %s: %d to %q, want 303 to %s", action, res.StatusCode, res.Header.Get("Location"), next)
	}
	return nil
}

func fetch(ctx context.Context, c *http.Client, method, target string, body io.Reader) (string, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return "", err
	}
	res, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: status %d", target, res.StatusCode)
	}
	return string(b), err
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// outboxCode finds the confirmation code sent to email on the outbox page.
// The job queue sends it a moment after the sign-up: look a few times.
func outboxCode(ctx context.Context, c *http.Client, base, email string) (string, error) {
	var page string
	i := -1
	for try := 0; i < 0; try++ {
		if try == 50 {
			return "", fmt.Errorf("no message to %s in the outbox", email)
		}
		if try > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		var err error
		if page, err = fetch(ctx, c, http.MethodGet, base+"/dev/outbox", nil); err != nil {
			return "", err
		}
		i = strings.Index(page, `data-testid="outbox-to">`+email+"<")
	}
	end := strings.Index(page[i:], "</article>")
	if end < 0 {
		end = len(page) - i
	}
	code := sixDigits.FindString(page[i : i+end])
	if code == "" {
		return "", fmt.Errorf("no code in the message to %s", email)
	}
	return code, nil
}
