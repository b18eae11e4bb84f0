// Command portal runs the taxpayer portal and its maintenance commands.
//
//	portal [serve]               run the web server (the default)
//	portal migrate               apply database migrations
//	portal seed --taxpayers N    load synthetic demo taxpayers
//	portal ip-pin rollover       issue a year's IP PINs
//	portal api-key create|list|revoke  keys of the e-file check API
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"gorm.io/gorm"

	"github.com/taxportal/portal/config"
	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "portal:", err)
		}
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(1)
	}
}

const usage = `Usage: portal [command] [flags]

Commands:
  serve     Run the web server (the default when no command is given).
  migrate   Apply database migrations and exit.
  seed      Load synthetic demo taxpayers and exit.
  ip-pin    ip-pin rollover --year N: issue a year's IP PINs (resumable).
  api-key   api-key create --name X | list | revoke --prefix P: keys of the e-file check API.
  agent     Create an agent or supervisor account: agent create --email X --role agent|supervisor.
  audit     Check the audit trail's hash chain: audit verify.

Run 'portal <command> --help' for a command's flags.
Settings come from PORTAL_* environment variables; see the README.
`

// run is the whole program, with its inputs passed in so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args, getenv, stdout, stderr)
	case "seed":
		return cmdSeed(ctx, args, getenv, stdout, stderr)
	case "ip-pin":
		return cmdIPPIN(ctx, args, getenv, stdout, stderr)
	case "api-key":
		return cmdAPIKey(ctx, args, getenv, stdout, stderr)
	case "agent":
		return cmdAgent(ctx, args, getenv, stdout, stderr)
	case "audit":
		return cmdAudit(ctx, args, getenv, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newFlags(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: portal %s [flags]\n\n%s\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

// env is what every command shares: validated settings, a logger, the
// database with migrations applied, and the vault for sensitive fields.
type env struct {
	cfg   config.Config
	log   *slog.Logger
	db    *gorm.DB
	vault *pii.Vault
}

func setup(getenv func(string) string, stderr io.Writer) (*env, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, err
	}
	if err := config.EnsureSecretKey(&cfg); err != nil {
		return nil, err
	}
	log := newLogger(cfg, stderr)
	vault, err := pii.NewVault(cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	db, err := models.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	n, err := models.Migrate(db)
	if err != nil {
		models.Close(db)
		return nil, err
	}
	if n > 0 {
		log.Info("database migrated", slog.Int("applied", n))
	}
	return &env{cfg: cfg, log: log, db: db, vault: vault}, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.IsProduction() {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func cmdMigrate(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "Apply every database migration not yet applied. Safe to run again.", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	e, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	defer models.Close(e.db)
	v, err := models.SchemaVersion(e.db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Database is at schema version %d.\n", v)
	return nil
}

func cmdSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", "Load synthetic demo taxpayers. Deterministic, idempotent and resumable:\n"+
		"running it again adds only the taxpayers that are missing.", stderr)
	n := fs.Int("taxpayers", 1000, "how many taxpayers the database should hold")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 {
		return errors.New("--taxpayers must be at least 1")
	}
	e, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	defer models.Close(e.db)
	if e.cfg.IsProduction() {
		return errors.New("seed loads made-up taxpayers and is refused in production")
	}
	start := time.Now()
	res, err := demodata.Seed(ctx, e.db, e.vault, demodata.Options{Taxpayers: *n, Log: e.log})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Seeded %d taxpayers (%d were already there) in %s.\n", res.Created, res.Existing, time.Since(start).Round(time.Millisecond))
	return nil
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "Run the portal's web server. In development it first loads the demo data (once).", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	e, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	defer models.Close(e.db)

	if !e.cfg.IsProduction() {
		if _, err := demodata.Seed(ctx, e.db, e.vault, demodata.Options{Taxpayers: demodata.DefaultTaxpayers, Log: e.log}); err != nil {
			return fmt.Errorf("loading demo data: %w", err)
		}
	}

	portal, err := server.Build(e.cfg, e.db, e.log, e.vault, time.Now, server.QueueSettings(e.cfg))
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           portal.Echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	// The job queue sends the messages and runs the periodic upkeep (the
	// clean-up, next year's IP PINs from PORTAL_IPPIN_ROLLOVER_FROM).
	if err := portal.Queue.Start(ctx); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "Taxpayer portal listening on %s (%s, %s)\n", ln.Addr(), e.cfg.Env, databaseKind(e.cfg))
	if !e.cfg.IsProduction() {
		base := e.cfg.BaseURL.String()
		fmt.Fprint(stdout, demodata.Welcome(base))
		fmt.Fprintf(stdout, "Create an account at %s/sign-up; e-mails and text messages land in %s/dev/outbox.\n", base, base)
		fmt.Fprintf(stdout, "The agent console is at %s/agent: the demo staff's passwords and app codes are on %s/dev.\n", base, base)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Finish in-flight requests (which may queue messages), then stop
	// fetching jobs and let the ones in hand finish, within the same grace.
	// A job cut short is tried again by another instance or the next start.
	e.log.Info("shutting down", slog.Duration("grace", e.cfg.ShutdownTimeout))
	shutdownCtx, cancel := context.WithTimeout(context.Background(), e.cfg.ShutdownTimeout)
	defer cancel()
	httpErr := srv.Shutdown(shutdownCtx)
	if err := portal.Queue.Stop(shutdownCtx); err != nil {
		e.log.Warn("stopping the job queue", slog.String("error", err.Error()))
	}
	if httpErr != nil {
		return fmt.Errorf("shutting down: %w", httpErr)
	}
	return nil
}

func databaseKind(c config.Config) string {
	if c.UsesPostgres() {
		return "PostgreSQL"
	}
	return "SQLite at " + c.DatabaseURL
}
