package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/config"
	"github.com/taxportal/portal/portaltest"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, cmd := range []string{"serve", "migrate", "seed"} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{cmd, "--help"}, envFrom(nil), &out, &errOut)
		if err == nil || !strings.Contains(errOut.String(), "Usage: portal "+cmd) {
			t.Errorf("%s --help: %v\n%s", cmd, err, errOut.String())
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, envFrom(nil), &out, &out); err != nil || !strings.Contains(out.String(), "Commands:") {
		t.Errorf("help: %v %s", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, envFrom(nil), &out, &out); err == nil {
		t.Error("an unknown command succeeded")
	}
}

func TestInvalidSettingsStopTheStartWithTheirName(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"migrate"}, envFrom(map[string]string{"PORTAL_ENV": "prod"}), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "PORTAL_ENV") {
		t.Errorf("got %v", err)
	}
}

func TestMigrateCreatesTheDatabaseAndIsRepeatable(t *testing.T) {
	dir := t.TempDir()
	env := envFrom(map[string]string{"PORTAL_DATA_DIR": dir, "PORTAL_DATABASE_URL": portaltest.DatabaseURL(t)})
	for range 2 {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"migrate"}, env, &out, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "schema version") {
			t.Errorf("output %q", out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); err != nil {
		t.Errorf("development key not kept: %v", err)
	}
}

func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := envFrom(map[string]string{
		"PORTAL_ENV":          "production", // no demo data, so the test stays quick
		"PORTAL_SECRET_KEY":   "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"PORTAL_BASE_URL":     "https://portal.example",
		"PORTAL_SMTP_URL":     "smtp://127.0.0.1:2525",
		"PORTAL_ADDR":         addr,
		"PORTAL_DATABASE_URL": portaltest.DatabaseURL(t),
		"PORTAL_DATA_DIR":     t.TempDir(),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, logs bytes.Buffer
	go func() { done <- run(ctx, nil, env, &out, &logs) }()

	// Up to 20 s: on a PostgreSQL shared by parallel test packages, the
	// migrations wait for each other's lock.
	var res *http.Response
	for i := 0; i < 400; i++ {
		if res, err = http.Get("http://" + addr + "/readyz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		select {
		case serr := <-done:
			t.Fatalf("serve stopped: %v\n%s", serr, logs.String())
		default:
		}
		t.Fatalf("server never answered: %v\n%s", err, logs.String())
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("/readyz %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after the signal")
	}
	if !strings.Contains(logs.String(), `"msg":"shutting down"`) {
		t.Errorf("production logs are not JSON or miss the shutdown line:\n%s", logs.String())
	}
}

func TestReadmeDocumentsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range config.Variables {
		if !bytes.Contains(readme, []byte("`"+v.Name+"`")) {
			t.Errorf("README.md does not document %s", v.Name)
		}
	}
}
