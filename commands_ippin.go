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

// RolloverWindow is when the server issues next year's PINs by itself:
// from a day of the year (PORTAL_IPPIN_ROLLOVER_FROM, "12-01" by default)
// to December 31, UTC. Off disables the job, for instances that should
// leave it to others or to the command.
type RolloverWindow struct {
	Off        bool
	Month      time.Month
	Day        int
	CheckEvery time.Duration
}

// rolloverWindow reads PORTAL_IPPIN_ROLLOVER_FROM (config checked it
// already): MM-DD or "off".
func rolloverWindow(raw string) (RolloverWindow, error) {
	raw = strings.TrimSpace(raw)
	w := RolloverWindow{Month: time.December, Day: 1, CheckEvery: time.Hour}
	switch strings.ToLower(raw) {
	case "":
		return w, nil
	case "off":
		w.Off = true
		return w, nil
	}
	t, err := time.Parse("01-02", raw)
	if err != nil {
		return w, fmt.Errorf("PORTAL_IPPIN_ROLLOVER_FROM: %q is not a day like 12-01 (month-day), or off", raw)
	}
	w.Month, w.Day = t.Month(), t.Day()
	return w, nil
}

// Due says which year's PINs to issue at now, if any: next year's, from
// the window's first day to the end of this one.
func (w RolloverWindow) Due(now time.Time) (int, bool) {
	now = now.UTC()
	if w.Off || now.Before(time.Date(now.Year(), w.Month, w.Day, 0, 0, 0, 0, time.UTC)) {
		return 0, false
	}
	return now.Year() + 1, true
}

// startRolloverJob reads the window and starts the job beside the server,
// until ctx ends.
func startRolloverJob(ctx context.Context, e *env) error {
	w, err := rolloverWindow(e.cfg.IPPINRolloverFrom)
	if err != nil {
		return err
	}
	go scheduleRollover(ctx, ippin.New(e.db, e.vault, ippin.DefaultSettings()), w, time.Now, e.log)
	return nil
}

// scheduleRollover runs the rollover in the server while its window is
// open: at start and then every CheckEvery. A finished year costs one
// query; an unfinished one (interrupted, or new enrollees since) carries
// on. Every instance may run it: the rollover takes turns on its progress
// row, so they share the work instead of repeating it.
func scheduleRollover(ctx context.Context, svc *ippin.Service, w RolloverWindow, now func() time.Time, log *slog.Logger) {
	if w.Off {
		return
	}
	t := time.NewTicker(w.CheckEvery)
	defer t.Stop()
	for {
		if year, ok := w.Due(now()); ok {
			p, err := rollover(ctx, svc, log, year, 0)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				log.Error("ip pin rollover failed; it carries on at the next check", slog.Int("year", year), slog.String("error", err.Error()))
			case p.FinishedAt != nil && p.FinishedAt.After(now().Add(-w.CheckEvery)):
				log.Info("ip pin rollover finished", slog.Int("year", year), slog.Int64("issued", p.Issued), slog.Int64("letters", p.Letters))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
