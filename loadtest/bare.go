package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
)

// barePageSize is the size of the baseline's page: about what a simple
// server-rendered page weighs before compression.
const barePageSize = 8 << 10

// runBare is the `bare` subcommand: the baseline server, run by the tool as a
// separate process so it has the same process model as the portal. It is a
// plain echo.New() with one route and no middleware, answering a fixed page
// built once at start.
func runBare(args []string) error {
	fs := flag.NewFlagSet("bare", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := requireLoopback(*addr); err != nil {
		return err
	}
	body := barePageHTML(barePageSize)

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.GET("/", func(c echo.Context) error { return c.HTMLBlob(http.StatusOK, body) })

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The same server settings as the portal's, so only the handler differs.
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Printf("bare Echo listening on http://%s\n", ln.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// barePageHTML is an HTML page of exactly size bytes: a head, a heading and
// paragraphs of filler text.
func barePageHTML(size int) []byte {
	const (
		head = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
			"<title>Baseline page</title>\n</head>\n<body>\n<main>\n<h1>Baseline page</h1>\n"
		tail = "</main>\n</body>\n</html>\n"
		para = "<p>This page is the load test's baseline: the same bytes on every request, " +
			"built once at start, served by Echo with no middleware.</p>\n"
	)
	var b strings.Builder
	b.Grow(size)
	b.WriteString(head)
	const comment = len("<!--") + len("-->")
	for b.Len()+len(para)+comment+len(tail) <= size {
		b.WriteString(para)
	}
	if pad := size - b.Len() - len(tail); pad >= comment {
		b.WriteString("<!--" + strings.Repeat(" ", pad-comment) + "-->")
	}
	b.WriteString(tail)
	return []byte(b.String())
}
