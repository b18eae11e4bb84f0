package messages

import "testing"

func TestEveryMessageHasAHeadingAndBody(t *testing.T) {
	for id, m := range catalog {
		if m.Heading == "" || m.Body == "" {
			t.Errorf("%s lacks a heading or body", id)
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
