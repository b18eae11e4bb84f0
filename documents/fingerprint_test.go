package documents_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"testing"

	"golang.org/x/image/draw"

	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/models"
)

func resized(src image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	return dst
}

func fingerprintOf(t *testing.T, data []byte) string {
	t.Helper()
	img, err := documents.Check(context.Background(), models.SideFront, data)
	if err != nil {
		t.Fatal(err)
	}
	return img.Fingerprint
}

// One photo, however it was re-encoded or resized on the way, has one
// fingerprint give or take a few bits; the other side of the card does not.
func TestSameImage(t *testing.T) {
	front := card(1600, 1200, 1, false)
	back := card(1600, 1200, 1, true)
	original := encodeJPEG(t, front, 92)
	stored, err := documents.Check(context.Background(), models.SideFront, original)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := jpeg.Decode(bytes.NewReader(original))
	if err != nil {
		t.Fatal(err)
	}
	same := map[string][]byte{
		"the same file":          original,
		"quality 60":             encodeJPEG(t, front, 60),
		"quality 30":             encodeJPEG(t, front, 30),
		"as PNG":                 encodePNG(t, front),
		"our stored copy":        stored.Data,
		"resized to 1200×900":    encodeJPEG(t, resized(decoded, 1200, 900), 85),
		"resized to 800×600":     encodeJPEG(t, resized(decoded, 800, 600), 80),
		"stretched to 1500×1200": encodeJPEG(t, resized(decoded, 1500, 1200), 85),
		"upscaled to 3000×2250":  encodeJPEG(t, resized(decoded, 3000, 2250), 85),
	}
	different := map[string][]byte{
		"the back of the card":        encodeJPEG(t, back, 92),
		"the back, smaller":           encodeJPEG(t, resized(back, 800, 600), 70),
		"a picture of something else": encodeJPEG(t, quadrants(1600, 1200), 90),
	}
	base := fingerprintOf(t, original)
	for name, data := range same {
		fp := fingerprintOf(t, data)
		t.Logf("%-28s %s distance %d", name, fp, documents.Distance(base, fp))
		if !documents.SameImage(base, fp) {
			t.Errorf("%s: distance %d, want the same image", name, documents.Distance(base, fp))
		}
	}
	for name, data := range different {
		fp := fingerprintOf(t, data)
		t.Logf("%-28s %s distance %d", name, fp, documents.Distance(base, fp))
		if documents.SameImage(base, fp) {
			t.Errorf("%s: distance %d, want a different image", name, documents.Distance(base, fp))
		}
	}
	// Another card's front has the same layout and is still a different
	// photo; reported for calibration only, since only the sides of one
	// set are compared.
	other := fingerprintOf(t, encodeJPEG(t, card(1600, 1200, 2, false), 92))
	t.Logf("%-28s %s distance %d", "another card's front", other, documents.Distance(base, other))
}

func TestDistance(t *testing.T) {
	const zero = "00000000000000000000000000000000"
	tests := []struct {
		a, b string
		want int
		same bool
	}{
		{zero, zero, 0, true},
		{"ffffffffffffffffffffffffffffffff", zero, 128, false},
		{"00000000000000ff0000000000000003", zero, 10, true},
		{"00000000000000ff0000000000000007", zero, 11, false},
		{"f000000000000000000000000000000f", "0f00000000000000f000000000000000", 16, false},
		{"", "", -1, false},
		{"not hex at all!!not hex at all!!", zero, -1, false},
		{"0000000000000000", zero, -1, false},
		{"00", "00", -1, false},
	}
	for _, tt := range tests {
		if got := documents.Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := documents.SameImage(tt.a, tt.b); got != tt.same {
			t.Errorf("SameImage(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
