package session

import (
	"errors"
	"reflect"
	"testing"

	"github.com/gorilla/securecookie"
)

func sampleValues() map[any]any {
	return map[any]any{
		"account_id": uint64(1<<63 + 7),
		"aal":        2,
		"auth_at":    int64(-1_700_000_000),
		"flash":      "Saved. ✓",
		"empty":      "",
		"sealed":     []byte{0, 1, 2, 255},
		"voice":      true,
		"off":        false,
	}
}

// decodesToSample decodes data and expects sampleValues back.
func decodesToSample(t *testing.T, data []byte, encodeErr error) map[any]any {
	t.Helper()
	if encodeErr != nil {
		t.Fatal(encodeErr)
	}
	got := map[any]any{}
	if err := decodeValues(data, got); err != nil {
		t.Fatal(err)
	}
	if want := sampleValues(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	return got
}

func TestValuesRoundTrip(t *testing.T) {
	data, err := encodeValues(sampleValues())
	got := decodesToSample(t, data, err)
	// The values must not share memory with the row's buffer.
	clear(data)
	if want := sampleValues(); !reflect.DeepEqual(got, want) {
		t.Errorf("after the buffer was cleared: %#v", got)
	}
}

// Sessions saved by earlier builds hold gob; they keep working.
func TestGobValuesStillRead(t *testing.T) {
	data, err := securecookie.GobEncoder{}.Serialize(sampleValues())
	decodesToSample(t, data, err)
}

func TestValuesOfOtherTypesAreRefused(t *testing.T) {
	for name, values := range map[string]map[any]any{
		"float value":    {"x": 1.5},
		"struct value":   {"x": struct{}{}},
		"non-string key": {1: "x"},
	} {
		if _, err := encodeValues(values); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
}

func TestCorruptValuesAreAnError(t *testing.T) {
	data, err := encodeValues(map[any]any{"flash": "hello"})
	if err != nil {
		t.Fatal(err)
	}
	for cut := len(codecMagic) + 1; cut < len(data); cut++ {
		if err := decodeValues(data[:cut], map[any]any{}); !errors.Is(err, errCorrupt) {
			t.Errorf("cut at %d of %d: %v", cut, len(data), err)
		}
	}
	bad := append(append([]byte{}, codecMagic...), 1, 'k', '?')
	if err := decodeValues(bad, map[any]any{}); !errors.Is(err, errCorrupt) {
		t.Errorf("unknown tag: %v", err)
	}
}
