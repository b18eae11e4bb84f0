package documents_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"testing"

	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/models"
)

// The stored JPEG holds the quantisation and Huffman tables, the frame and
// the scan: nothing a camera or an editor added.
func TestMetadataIsStripped(t *testing.T) {
	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00"), `<x:xmpmeta><rdf:Description exif:GPSLatitude="38,53.72N" xmp:CreatorTool="XMP-SECRET"/></x:xmpmeta>`...)
	photo := withSegments(encodeJPEG(t, card(800, 600, 1, false), 90),
		segment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")),
		segment(0xE1, exifAPP1(binary.BigEndian, 1)),
		segment(0xE1, xmp),
		segment(0xED, []byte("Photoshop 3.0\x008BIM IPTC-SECRET")),
		segment(0xFE, []byte("COMMENT-SECRET")),
	)
	if _, err := jpeg.Decode(bytes.NewReader(photo)); err != nil {
		t.Fatalf("the test's JPEG does not decode: %v", err)
	}
	withText := withPNGChunk(encodePNG(t, card(800, 600, 1, false)), "tEXt", []byte("Comment\x00PNG-TEXT-SECRET"))
	withText = withPNGChunk(withText, "eXIf", exifAPP1(binary.BigEndian, 1)[6:])

	for _, tt := range []struct {
		name    string
		data    []byte
		secrets []string
	}{
		{"JPEG with EXIF, GPS, XMP, IPTC and a comment", photo,
			[]string{"Exif", secretPlace, "XMP-SECRET", "ns.adobe.com", "IPTC-SECRET", "COMMENT-SECRET", "JFIF"}},
		{"PNG with a tEXt and an eXIf chunk", withText, []string{"tEXt", "PNG-TEXT-SECRET", "eXIf", secretPlace}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.secrets {
				if !bytes.Contains(tt.data, []byte(s)) {
					t.Fatalf("the test's upload should contain %q", s)
				}
			}
			img, err := documents.Check(context.Background(), models.SideFront, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.secrets {
				if bytes.Contains(img.Data, []byte(s)) {
					t.Errorf("the stored image still contains %q", s)
				}
			}
			// DQT, SOF0, DHT, SOS only: no APPn (EXIF, XMP, JFIF, ICC), no COM.
			for _, m := range markers(t, img.Data) {
				if m != 0xDB && m != 0xC0 && m != 0xC4 && m != 0xDA {
					t.Errorf("the stored image has a segment with marker %#x", m)
				}
			}
		})
	}
}

// A phone holding the camera upright stores landscape pixels and an EXIF
// Orientation; the stored image must be turned so it reads upright. The
// photo is 800×600 with its top-left quarter red; each orientation says
// where that quarter must end up.
func TestOrientationIsApplied(t *testing.T) {
	const tl, tr, bl, br = "top-left", "top-right", "bottom-left", "bottom-right"
	tests := []struct {
		orientation int
		redAt       string
		turned      bool // width and height swap
	}{
		{1, tl, false},
		{2, tr, false}, // mirrored
		{3, br, false}, // upside down
		{4, bl, false}, // mirrored upside down
		{5, tl, true},  // transposed
		{6, tr, true},  // turned a quarter clockwise: a portrait photo from an iPhone
		{7, br, true},  // transverse
		{8, bl, true},  // turned a quarter anticlockwise
	}
	src := encodeJPEG(t, quadrants(800, 600), 92)
	for _, order := range []binary.AppendByteOrder{binary.BigEndian, binary.LittleEndian} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%v/%d", order, tt.orientation), func(t *testing.T) {
				data := withSegments(src, segment(0xE1, exifAPP1(order, tt.orientation)))
				img, err := documents.Check(context.Background(), models.SideFront, data)
				if err != nil {
					t.Fatal(err)
				}
				w, h := 800, 600
				if tt.turned {
					w, h = 600, 800
				}
				if img.Width != w || img.Height != h {
					t.Fatalf("stored %d×%d, want %d×%d", img.Width, img.Height, w, h)
				}
				m, err := jpeg.Decode(bytes.NewReader(img.Data))
				if err != nil {
					t.Fatal(err)
				}
				centres := map[string]image.Point{tl: {w / 4, h / 4}, tr: {3 * w / 4, h / 4}, bl: {w / 4, 3 * h / 4}, br: {3 * w / 4, 3 * h / 4}}
				for where, p := range centres {
					r, g, _, _ := m.At(p.X, p.Y).RGBA()
					if red := r>>8 > 180 && g>>8 < 60; red != (where == tt.redAt) {
						t.Errorf("%s is red: %v, want the red quarter at %s", where, red, tt.redAt)
					}
				}
			})
		}
	}
}

func TestMalformedEXIFIsIgnored(t *testing.T) {
	src := encodeJPEG(t, quadrants(800, 600), 92)
	good := exifAPP1(binary.BigEndian, 6)
	for name, payload := range map[string][]byte{
		"orientation 9":      exifAPP1(binary.BigEndian, 9),
		"orientation 0":      exifAPP1(binary.BigEndian, 0),
		"no byte order":      append([]byte("Exif\x00\x00XX"), good[8:]...),
		"IFD beyond the end": append(append([]byte{}, good[:10]...), 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00),
		"cut short":          good[:20],
		"only the name":      []byte("Exif\x00\x00"),
	} {
		t.Run(name, func(t *testing.T) {
			img, err := documents.Check(context.Background(), models.SideFront, withSegments(src, segment(0xE1, payload)))
			if err != nil {
				t.Fatal(err)
			}
			if img.Width != 800 || img.Height != 600 {
				t.Fatalf("turned to %d×%d", img.Width, img.Height)
			}
		})
	}
}

// FuzzCheck feeds Check damaged files: it may refuse them, never panic.
func FuzzCheck(f *testing.F) {
	f.Add(withSegments(encodeJPEG(f, quadrants(64, 48), 80), segment(0xE1, exifAPP1(binary.LittleEndian, 6))))
	f.Add(encodePNG(f, quadrants(40, 30)))
	f.Add([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"))
	s := documents.DefaultSettings()
	s.MinSelfie = documents.Size{Width: 1, Height: 1}
	s.MaxPixels = 1 << 20
	c := documents.NewChecker(s)
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := c.Check(context.Background(), models.SideSelfie, data)
		if err == nil && (len(img.Data) == 0 || img.Width < 1) {
			t.Fatal("accepted without an image")
		}
	})
}
