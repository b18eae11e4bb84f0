package documents

import (
	"runtime"

	"github.com/taxportal/portal/models"
)

// Size is a width and a height in pixels.
type Size struct{ Width, Height int }

// Settings are the numbers of the image checks; DefaultSettings gives the
// values the issue asks for.
type Settings struct {
	MaxBytes    int64 // the largest upload: 10 MB
	MinDocument Size  // the smallest ID photo, in either orientation: 600×400
	MinSelfie   Size  // the smallest selfie: 300×300
	// MaxPixels refuses decompression bombs from the header, before any
	// decoding: a small file can claim a huge picture. 50 megapixels lets
	// through the 48-megapixel photos of recent phones.
	MaxPixels int
	MaxSide   int // the stored image's long side: 2400 keeps an ID's small print readable and bounds storage
	Quality   int // JPEG quality of the stored image: 88
	// Decoders bounds how many images decode at once: a 48-megapixel photo
	// takes about 75 MB while it decodes.
	Decoders int
}

// DefaultSettings are the numbers.
func DefaultSettings() Settings {
	return Settings{
		MaxBytes:    10 << 20,
		MinDocument: Size{600, 400},
		MinSelfie:   Size{300, 300},
		MaxPixels:   50_000_000,
		MaxSide:     2400,
		Quality:     88,
		Decoders:    runtime.NumCPU(),
	}
}

// MinSize is the smallest image accepted for a side, in either orientation.
func (s Settings) MinSize(side models.DocumentSide) Size {
	if side == models.SideSelfie {
		return s.MinSelfie
	}
	return s.MinDocument
}

// fits reports whether w×h is at least min, turned whichever way suits: a
// portrait photo of a landscape card is still big enough.
func (m Size) fits(w, h int) bool {
	return max(w, h) >= max(m.Width, m.Height) && min(w, h) >= min(m.Width, m.Height)
}
