package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// commandEnv is a development environment on a fresh database.
func commandEnv(t *testing.T) func(string) string {
	return envFrom(map[string]string{"PORTAL_DATA_DIR": t.TempDir(), "PORTAL_DATABASE_URL": portaltest.DatabaseURL(t)})
}

func runOK(t *testing.T, getenv func(string) string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, getenv, &out, &errOut); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, errOut.String())
	}
	return out.String()
}

func TestAPIKeyCommands(t *testing.T) {
	getenv := commandEnv(t)
	if out := runOK(t, getenv, "api-key", "list"); !strings.Contains(out, "No API keys yet") {
		t.Errorf("empty list: %q", out)
	}
	out := runOK(t, getenv, "api-key", "create", "--name", "Acme Tax Software")
	secret := regexp.MustCompile(`ipk_[a-z2-7]{8}_[a-z2-7]{32}`).FindString(out)
	if secret == "" || !strings.Contains(out, "cannot be shown again") {
		t.Fatalf("create printed %q", out)
	}
	prefix := secret[:len("ipk_")+8]
	list := runOK(t, getenv, "api-key", "list")
	if !strings.Contains(list, prefix) || !strings.Contains(list, "Acme Tax Software") || !strings.Contains(list, "active") || strings.Contains(list, secret) {
		t.Errorf("list: %q", list)
	}

	e, err := setup(getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(e.db)
	svc := ippin.New(e.db, e.vault, ippin.DefaultSettings())
	if _, err := svc.Authenticate(t.Context(), secret); err != nil {
		t.Fatalf("the printed key does not work: %v", err)
	}
	runOK(t, getenv, "api-key", "revoke", "--prefix", prefix)
	if _, err := svc.Authenticate(t.Context(), secret); err != ippin.ErrKeyRevoked {
		t.Errorf("after revoke: %v", err)
	}
	if list := runOK(t, getenv, "api-key", "list"); !strings.Contains(list, "revoked") {
		t.Errorf("list after revoke: %q", list)
	}

	var out2, errOut bytes.Buffer
	for _, args := range [][]string{
		{"api-key", "create"},
		{"api-key", "revoke", "--prefix", "ipk_nothere1"},
		{"api-key", "frobnicate"},
		{"api-key"},
	} {
		if err := run(context.Background(), args, getenv, &out2, &errOut); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}

func TestIPPINRolloverCommandIsIdempotent(t *testing.T) {
	getenv := commandEnv(t)
	e, err := setup(getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(e.db)
	if _, err := demodata.Seed(t.Context(), e.db, e.vault, demodata.Options{Taxpayers: 12}); err != nil {
		t.Fatal(err)
	}
	svc := ippin.New(e.db, e.vault, ippin.DefaultSettings())
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, id := range []uint64{1, 3, 5} {
		if _, err := svc.Enrol(t.Context(), id, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := svc.Assign(t.Context(), 7, at); err != nil {
		t.Fatal(err)
	}
	out := runOK(t, getenv, "ip-pin", "rollover", "--year", "2027", "--batch", "2")
	if !strings.Contains(out, "IP PINs for 2027: 4 issued, 1 notices mailed") {
		t.Errorf("first run: %q", out)
	}
	out = runOK(t, getenv, "ip-pin", "rollover", "--year", "2027")
	if !strings.Contains(out, "IP PINs for 2027: 4 issued") {
		t.Errorf("second run: %q", out)
	}
	var pins int64
	e.db.Model(&models.IPPIN{}).Where("year = 2027").Count(&pins)
	if pins != 4 {
		t.Errorf("%d PINs for 2027, want 4", pins)
	}
	var bad bytes.Buffer
	for _, args := range [][]string{{"ip-pin", "rollover"}, {"ip-pin", "rollover", "--year", "27"}, {"ip-pin"}, {"ip-pin", "rollover", "--year", "2027", "--batch", "-1"}} {
		if err := run(context.Background(), args, getenv, &bad, &bad); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}

func TestIPPINCommandsHaveHelp(t *testing.T) {
	for _, args := range [][]string{{"ip-pin", "--help"}, {"ip-pin", "rollover", "--help"}, {"api-key", "--help"}, {"api-key", "create", "--help"}} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, envFrom(nil), &out, &errOut)
		if err == nil || !strings.Contains(errOut.String(), "Usage: portal "+args[0]) {
			t.Errorf("%v: %v\n%s", args, err, errOut.String())
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, envFrom(nil), &out, &out); err != nil || !strings.Contains(out.String(), "ip-pin") || !strings.Contains(out.String(), "api-key") {
		t.Errorf("help does not list the IP PIN commands: %s", out.String())
	}
}
