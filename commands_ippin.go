package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
)

// cmdIPPIN runs the IP PIN program's maintenance: the yearly rollover.
func cmdIPPIN(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rollover" {
		fmt.Fprint(stderr, "Usage: portal ip-pin rollover --year N [--batch N]\n")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return flag.ErrHelp
		}
		return errors.New("ip-pin: the only subcommand is rollover")
	}
	fs := newFlags("ip-pin rollover", "Issue a year's IP PINs to everyone enrolled for it, in batches. Idempotent and\n"+
		"resumable: stopped halfway (Ctrl-C), running it again carries on where it stopped;\n"+
		"run again after it finished, it issues nothing new. Assigned holders get a mailed notice.", stderr)
	year := fs.Int("year", 0, "the calendar year to issue PINs for (required), such as 2027")
	batch := fs.Int("batch", 0, "enrollees per transaction (default "+strconv.Itoa(ippin.DefaultSettings().RolloverBatch)+")")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *year < 2000 || *year > 9999 {
		return errors.New("--year must be a calendar year, such as 2027")
	}
	if *batch < 0 {
		return errors.New("--batch must not be negative")
	}
	e, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	defer models.Close(e.db)
	svc := ippin.New(e.db, e.vault, ippin.DefaultSettings())
	start := time.Now()
	p, err := rollover(ctx, svc, e.log, *year, *batch)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stdout, "Stopped after %d PINs for %d; run the same command again to carry on.\n", p.Issued, *year)
		}
		return err
	}
	fmt.Fprintf(stdout, "IP PINs for %d: %d issued, %d notices mailed (%s).\n", *year, p.Issued, p.Letters, time.Since(start).Round(time.Millisecond))
	return nil
}

// rollover runs Service.Rollover with a log line per batch, no more than
// every few seconds, so a run over millions shows it is moving.
func rollover(ctx context.Context, svc *ippin.Service, log *slog.Logger, year, batch int) (models.IPPINRollover, error) {
	var last time.Time
	svc.Progress = func(p models.IPPINRollover) {
		if time.Since(last) < 2*time.Second && p.FinishedAt == nil {
			return
		}
		last = time.Now()
		log.Info("ip pin rollover", slog.Int("year", year), slog.Int64("issued", p.Issued),
			slog.Int64("letters", p.Letters), slog.Uint64("last_taxpayer_id", p.LastTaxpayerID), slog.Bool("finished", p.FinishedAt != nil))
	}
	return svc.Rollover(ctx, year, batch)
}

// cmdAPIKey creates, lists and revokes the API keys of the e-file check.
func cmdAPIKey(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "Usage: portal api-key create --name NAME | list | revoke --prefix PREFIX\n"
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("api-key: say create, list or revoke")
	}
	sub, rest := args[0], args[1:]
	var (
		name, prefix *string
		fs           = newFlags("api-key "+sub, "", stderr)
	)
	switch sub {
	case "create":
		fs = newFlags("api-key create", "Make an API key for a piece of tax software. The key is printed once:\n"+
			"only a hash of it is kept, so it cannot be shown again.", stderr)
		name = fs.String("name", "", "whose software the key is for (required)")
	case "list":
		fs = newFlags("api-key list", "List the API keys, newest first, with their prefixes, never the keys.", stderr)
	case "revoke":
		fs = newFlags("api-key revoke", "Revoke an API key for good, by the prefix shown by list (ipk_xxxxxxxx).", stderr)
		prefix = fs.String("prefix", "", "the key's prefix (required)")
	case "--help", "-h", "help":
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("api-key: unknown subcommand %q", sub)
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if name != nil && strings.TrimSpace(*name) == "" {
		return errors.New("--name is required: whose software the key is for")
	}
	if prefix != nil && strings.TrimSpace(*prefix) == "" {
		return errors.New("--prefix is required: the key's prefix, as api-key list shows it")
	}
	e, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	defer models.Close(e.db)
	svc := ippin.New(e.db, e.vault, ippin.DefaultSettings())
	switch sub {
	case "create":
		secret, key, err := svc.CreateKey(ctx, *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Created API key %s for %s.\n\n  %s\n\nGive it to the software's owner now: it is not kept and cannot be shown again.\n", key.Prefix, key.Name, secret)
	case "list":
		keys, err := svc.Keys(ctx)
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			fmt.Fprintln(stdout, "No API keys yet. Make one with: portal api-key create --name NAME")
			return nil
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "PREFIX\tNAME\tCREATED\tLAST USED\tSTATUS")
		for _, k := range keys {
			used, status := "never", "active"
			if k.LastUsedAt != nil {
				used = k.LastUsedAt.UTC().Format(time.DateTime)
			}
			if k.RevokedAt != nil {
				status = "revoked " + k.RevokedAt.UTC().Format(time.DateOnly)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", k.Prefix, k.Name, k.CreatedAt.UTC().Format(time.DateOnly), used, status)
		}
		return w.Flush()
	case "revoke":
		err := svc.RevokeKeyByPrefix(ctx, *prefix)
		if errors.Is(err, ippin.ErrNoKey) {
			return fmt.Errorf("no API key has the prefix %q; see api-key list", strings.TrimSpace(*prefix))
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API key %s is revoked: calls with it are refused from now on.\n", strings.TrimSpace(*prefix))
	}
	return nil
}
