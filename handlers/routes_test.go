package handlers_test

import (
	"testing"

	"github.com/taxportal/portal/handlers"
	"github.com/taxportal/portal/portaltest"
)

// The portal builds links from its own table of route templates; they must
// agree with Echo's Reverse for every named route.
func TestRouteURLsMatchEcho(t *testing.T) {
	p := portaltest.Start(t)
	for _, r := range p.Echo.Routes() {
		if r.Name == "" {
			continue
		}
		want := p.Echo.Reverse(r.Name, "x1", "y2")
		if got := handlers.ReverseForTest(p.Echo, r.Name, "x1", "y2"); got != want {
			t.Errorf("%s: %q, Echo says %q", r.Name, got, want)
		}
	}
}
