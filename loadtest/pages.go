package main

import (
	"context"
	"net/http"
	"time"
)

// A page is one thing the tool measures. Later features add rows here; a page
// behind sign-in gives itself a Setup that signs each connection's client in
// (the client keeps cookies, as a browser does).
type page struct {
	Name   string
	Server string // serverBare or serverPortal
	Path   string // path and query, requested with GET
	// Setup runs once per connection before the warm-up, with that
	// connection's client and the server's base URL (http://127.0.0.1:port).
	// An error is a setup failure: the tool stops.
	Setup func(ctx context.Context, client *http.Client, base string) error
	// Target, when set, is the bar this page is held to.
	Target *target
	// Verified pages need an account whose identity is verified: the tool
	// replaces Setup with a sign-up whose account it then links to a seeded
	// taxpayer in the database, as a finished verification does (verified.go).
	Verified bool
	// Staff pages need an agent: the tool signs up and makes the account
	// an agent in the database, as the agent command would.
	Staff bool
}

const (
	serverBare   = "bare"
	serverPortal = "portal"
)

// target is a page's bar at the reference load (targetConnections).
type target struct {
	MinRatio float64       // requests/s as a fraction of the bare baseline's
	MaxP99   time.Duration // p99 latency must be below this
}

// targetConnections is the load the targets are defined at.
const targetConnections = 64

// publicTarget is the bar for the public pages everyone sees first.
var publicTarget = &target{MinRatio: 0.50, MaxP99: 25 * time.Millisecond}

// dashboardTarget is the bar for the tax-records dashboard, the most
// visited signed-in page.
var dashboardTarget = &target{MinRatio: 0.25, MaxP99: 50 * time.Millisecond}

// bareName names the baseline rows, measured first and again last.
const bareName = "bare Echo (8 KB)"

// pages are measured in this order, between the two baseline runs.
var pages = []page{
	{Name: "home", Server: serverPortal, Path: "/", Target: publicTarget},
	{Name: "help article", Server: serverPortal, Path: "/help/transaction-codes", Target: publicTarget},
	{Name: "help search", Server: serverPortal, Path: "/help?q=refund+hold"},
	{Name: "sign-in page", Server: serverPortal, Path: "/sign-in"},
	{Name: "account (signed in)", Server: serverPortal, Path: "/account", Setup: signUp},
	{Name: "verification start (signed in)", Server: serverPortal, Path: "/verify/consent", Setup: signUp},
	{Name: "dashboard (verified)", Server: serverPortal, Path: "/dashboard", Verified: true, Target: dashboardTarget},
	{Name: "account transcript (verified)", Server: serverPortal, Path: transcriptPath, Verified: true},
	{Name: "refund lookup page", Server: serverPortal, Path: "/refund-status"},
	{Name: "IP PIN page (verified)", Server: serverPortal, Path: "/ip-pin", Verified: true},
	{Name: "agent review queue", Server: serverPortal, Path: "/agent", Staff: true},
}

// barePage is the baseline: the bare Echo server's only route.
var barePage = page{Name: bareName, Server: serverBare, Path: "/"}
