package messages

import (
	"strings"
	"testing"
)

func TestEveryMessageHasAHeadingAndBody(t *testing.T) {
	for id, m := range catalog {
		if m.Body == "" || (m.Heading == "") == strings.HasPrefix(string(id), "page.") {
			t.Errorf("%s: pages need a heading and a body, fields only a body", id)
		}
	}
	if Get("no.such.id") != catalog[ServerError] {
		t.Error("unknown ids must fall back to the server error")
	}
	for _, id := range []ID{NotFound, FormExpired, TooLarge, MethodNotAllowed, TooManyRequests, ServerError, Unavailable} {
		if !Known(id) {
			t.Errorf("%s is declared but not in the catalogue", id)
		}
	}
}
