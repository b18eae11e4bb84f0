package portaltest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// Photo returns a JPEG of w×h pixels that passes the document checks and
// looks different from the Photo of any other pattern number: a grey card
// with one bright block whose place depends on the pattern (0 to 3), and
// stripes that differ too, so perceptual fingerprints tell them apart.
func Photo(t testing.TB, pattern, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	fill(0, 0, w, h, color.RGBA{128, 128, 128, 0xFF})
	x0, y0 := (pattern%2)*w/2, (pattern/2%2)*h/2
	fill(x0, y0, x0+w/2, y0+h/2, color.RGBA{220, 30, 30, 0xFF})
	for i := 0; i < w; i += w / (4 + 2*pattern) {
		fill(i, 0, min(w, i+w/(16+4*pattern)), h/8, color.RGBA{20, 20, 160, 0xFF})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
