// Command loadtest measures the portal's pages against a bare Echo handler.
//
//	go run ./loadtest [flags]          (or: go tool task bench -- [flags])
//
// It builds the portal, seeds a database (cached in data/loadtest/ and
// topped up, never rebuilt), starts `portal serve` and a bare Echo server as
// two separate processes on loopback ports, drives each page with a
// closed-loop load for a fixed time, and prints a Markdown table with
// requests/s, p50 and p99 latency, and each page's requests/s as a share of
// the bare server's. The bare server is measured first and last; the mean of
// the two is the baseline. Targets are reported as PASS or MISS; the tool
// exits non-zero only when it cannot set up or is interrupted.
//
// `loadtest bare -addr 127.0.0.1:PORT` is the bare server itself.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/taxportal/portal/demodata"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "bare" {
		if err := runBare(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest bare:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// options are the command line's settings.
type options struct {
	Taxpayers   int
	DatabaseURL string
	Load        load
	Out         string
	CPUProfile  string // the load generator's own profile
	PortalBin   string
	Pages       []page
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: go run ./loadtest [flags]\n\n"+
			"Builds and seeds the portal, then measures its pages against a bare Echo server.\n"+
			"Only loopback addresses are ever loaded. Flags:\n")
		fs.PrintDefaults()
	}
	fs.IntVar(&o.Taxpayers, "taxpayers", 1_000_000, "taxpayers in the database (seeded once, then cached in data/loadtest/)")
	fs.StringVar(&o.DatabaseURL, "database-url", "", "a postgres:// URL to use instead of the cached SQLite file (it is seeded too)")
	fs.IntVar(&o.Load.Connections, "connections", targetConnections, "concurrent keep-alive connections, each a closed loop")
	fs.DurationVar(&o.Load.Duration, "duration", 10*time.Second, "measured time per page")
	fs.DurationVar(&o.Load.Warmup, "warmup", 2*time.Second, "unmeasured load before each page's measurement")
	fs.BoolVar(&o.Load.Plain, "plain", false, "ask for uncompressed pages, as the bare server sends, instead of gzip as browsers do")
	fs.StringVar(&o.Out, "out", "", "also write the report to this file")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write the load generator's own CPU profile to this file (its cost is part of every result)")
	fs.StringVar(&o.PortalBin, "portal-bin", "", "use this portal binary instead of building one (for example a build with other flags)")
	only := fs.String("pages", "", "measure only these pages, comma-separated names (the bare baseline always runs); default all: "+pageNames())
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.Pages, err = selectPages(*only); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	case o.Taxpayers < 1:
		return o, errors.New("-taxpayers must be at least 1")
	case o.Load.Connections < 1 || o.Load.Connections > 10_000:
		return o, errors.New("-connections must be between 1 and 10000")
	case o.Load.Duration <= 0 || o.Load.Duration > time.Hour:
		return o, errors.New("-duration must be positive and at most 1h")
	case o.Load.Warmup < 0 || o.Load.Warmup > 10*time.Minute:
		return o, errors.New("-warmup must be between 0 and 10m")
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	say := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	loadAvg := loadAverage() // before the tool's own build and seed add to it

	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	cacheDir := filepath.Join(root, "data", "loadtest")
	if err := os.MkdirAll(cacheDir, 0o700); err != nil {
		return err
	}

	portalBin := o.PortalBin
	if portalBin == "" {
		tmp, err := os.MkdirTemp("", "loadtest-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		say("Building the portal…")
		if portalBin, err = buildPortal(ctx, root, tmp); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the tool's own binary for the bare server: %w", err)
	}

	// In development `portal serve` tops the database up to the demo data's
	// size, so a smaller database would grow under the tool's feet.
	taxpayers := o.Taxpayers
	if taxpayers < demodata.DefaultTaxpayers {
		say("Using %d taxpayers: `portal serve` in development loads at least that many.", demodata.DefaultTaxpayers)
		taxpayers = demodata.DefaultTaxpayers
	}
	db := chooseDatabase(cacheDir, o.DatabaseURL, taxpayers)
	if db.Postgres {
		say("Seeding %s taxpayers into PostgreSQL (only those missing are added)…", thousands(taxpayers))
	} else {
		say("Seeding %s taxpayers into %s (only those missing are added)…", thousands(taxpayers), db.URL)
	}
	took, err := seed(ctx, portalBin, db)
	if err != nil {
		return err
	}
	say("Seeding took %s.", took.Round(time.Millisecond))

	portal, err := startServer(ctx, "portal", portalBin, []string{"serve"},
		// Every connection of the account page signs up from this one address.
		db.env("PORTAL_LOG_LEVEL=warn", "PORTAL_SIGNUPS_PER_HOUR=100000"), "PORTAL_ADDR", "/readyz", filepath.Join(cacheDir, "portal.log"))
	if err != nil {
		return err
	}
	defer stopServer(portal, say)
	bare, err := startServer(ctx, "bare Echo server", self, []string{"bare"},
		os.Environ(), "", "/", filepath.Join(cacheDir, "bare.log"))
	if err != nil {
		return err
	}
	defer stopServer(bare, say)
	say("Portal on %s (output in %s), bare Echo on %s.", portal.Base, portal.Log, bare.Base)

	m := meta{
		When: time.Now(), Platform: runtime.GOOS + "/" + runtime.GOARCH, CPUs: runtime.NumCPU(), CPUModel: cpuModel(),
		GoVersion: runtime.Version(), LoadAverage: loadAvg, Database: db.Kind(), Taxpayers: taxpayers,
		Connections: o.Load.Connections, Warmup: o.Load.Warmup, Duration: o.Load.Duration, Plain: o.Load.Plain,
	}
	servers := map[string]*proc{serverBare: bare, serverPortal: portal}
	link := &linker{db: db, taxpayers: taxpayers}
	defer link.close()
	rep, err := measure(ctx, servers, withVerifiedSetup(o.Pages, link), o.Load, say)
	rep.Meta = m
	text := rep.String()
	if err != nil {
		if len(rep.Results) > 0 {
			fmt.Fprint(stdout, "Partial results:\n\n"+text)
		}
		return err
	}
	fmt.Fprint(stdout, text)
	if o.Out != "" {
		if err := os.MkdirAll(filepath.Dir(o.Out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(o.Out, []byte(text), 0o644); err != nil {
			return err
		}
		say("Report written to %s.", o.Out)
	}
	return nil
}

func stopServer(s *proc, say func(string, ...any)) {
	if err := s.Stop(); err != nil {
		say("%v", err)
	}
}

// pageNames lists the pages for -h.
func pageNames() string {
	names := make([]string, len(pages))
	for i, p := range pages {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// selectPages picks the pages named in a comma-separated list, in the
// table's order; an empty list picks them all.
func selectPages(list string) ([]page, error) {
	if strings.TrimSpace(list) == "" {
		return pages, nil
	}
	want := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		if name = strings.TrimSpace(name); name != "" {
			want[name] = true
		}
	}
	var out []page
	for _, p := range pages {
		if want[p.Name] {
			out = append(out, p)
			delete(want, p.Name)
		}
	}
	for name := range want {
		return nil, fmt.Errorf("-pages: no page is named %q (pages: %s)", name, pageNames())
	}
	return out, nil
}
