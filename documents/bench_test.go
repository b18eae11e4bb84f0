package documents_test

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/models"
)

// BenchmarkCheck runs the whole check on a 12-megapixel phone photo
// (4000×3000, quality 92): decode, shrink to 2400×1800, turn, fingerprint,
// re-encode. The portrait case adds an EXIF quarter turn; the noisy one has
// the grain of a photo taken in dim light, which makes the file (and its
// decoding) about as big as a real phone's.
func BenchmarkCheck(b *testing.B) {
	img := card(4000, 3000, 1, false)
	photo := encodeJPEG(b, img, 92)
	portrait := withSegments(photo, segment(0xE1, exifAPP1(binary.BigEndian, 6)))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = uint8(max(0, min(255, int(img.Pix[i])+r.IntN(25)-12)))
		}
	}
	noisy := encodeJPEG(b, img, 92)
	for _, bb := range []struct {
		name string
		data []byte
	}{{"12MP", photo}, {"12MP-portrait", portrait}, {"12MP-noisy", noisy}} {
		b.Logf("%s: %d bytes", bb.name, len(bb.data))
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(bb.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := documents.Check(context.Background(), models.SideFront, bb.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
