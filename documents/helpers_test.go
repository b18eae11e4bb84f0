package documents_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// card draws a phone photo of an ID card on a table: the front has a
// header band, a portrait and lines of text; the back a barcode block. The
// seed varies the details (text lengths, bars, grain).
func card(w, h int, seed uint64, back bool) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 70 + 50*x/w + 30*y/h
			img.SetRGBA(x, y, color.RGBA{uint8(v), uint8(v * 8 / 10), uint8(v * 6 / 10), 0xFF})
		}
	}
	cw := w * 8 / 10
	ch := cw * 54 / 86
	cx, cy := (w-cw)/2, (h-ch)/2
	fill(img, cx, cy, cw, ch, color.RGBA{235, 230, 220, 0xFF})
	dark := color.RGBA{30, 30, 40, 0xFF}
	if !back {
		fill(img, cx, cy, cw, ch/6, color.RGBA{40, 70, 140, 0xFF})
		fill(img, cx+cw/20, cy+ch/4, cw/4, ch*6/10, color.RGBA{90, 80, 75, 0xFF})
		fill(img, cx+cw/20+cw/16, cy+ch/3, cw/8, ch/4, color.RGBA{200, 160, 140, 0xFF})
		for i := range 7 {
			fill(img, cx+cw*35/100, cy+ch/4+i*ch/11, cw/5+r.IntN(cw/3), max(1, ch/30), dark)
		}
	} else {
		for i := range 3 {
			fill(img, cx+cw/10, cy+ch/10+i*ch/12, cw/2+r.IntN(cw/4), max(1, ch/40), dark)
		}
		bx, by, bw, bh := cx+cw/10, cy+ch/2, cw*8/10, ch/3
		for x, black := bx, true; x < bx+bw; black = !black {
			step := max(1, (1+r.IntN(4))*cw/400)
			if black {
				fill(img, x, by, min(step, bx+bw-x), bh, dark)
			}
			x += step
		}
	}
	// Sensor grain.
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = uint8(max(0, min(255, int(img.Pix[i])+r.IntN(9)-4)))
		}
	}
	return img
}

func fill(img *image.RGBA, x, y, w, h int, c color.RGBA) {
	for yy := y; yy < y+h; yy++ {
		for xx := x; xx < x+w; xx++ {
			img.SetRGBA(xx, yy, c)
		}
	}
}

// quadrants paints a w×h image grey with its top-left quarter red, to see
// where a turn puts it.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, 0, 0, w, h, color.RGBA{128, 128, 128, 0xFF})
	fill(img, 0, 0, w/2, h/2, color.RGBA{220, 20, 20, 0xFF})
	return img
}

func encodeJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// segment is a JPEG marker segment.
func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(2+len(payload)))
	return append(s, payload...)
}

// withSegments puts segments right after a JPEG's start-of-image marker,
// where cameras write theirs.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

const secretPlace = "GPS-SECRET-38.8977N-77.0365W"

// exifAPP1 is an EXIF APP1 payload as a phone writes it: IFD0 with the
// Orientation and a pointer to a GPS IFD holding a latitude and a
// processing-method text (secretPlace, to look for afterwards).
func exifAPP1(order binary.AppendByteOrder, orientation int) []byte {
	b := []byte("MM")
	if order == binary.LittleEndian {
		b = []byte("II")
	}
	b = order.AppendUint16(b, 42)
	b = order.AppendUint32(b, 8)
	entry := func(b []byte, tag, typ uint16, count uint32, value []byte) []byte {
		b = order.AppendUint16(b, tag)
		b = order.AppendUint16(b, typ)
		b = order.AppendUint32(b, count)
		return append(b, value...)
	}
	// IFD0 at 8: two entries and the next-IFD link; the GPS IFD follows.
	gpsIFD := uint32(8 + 2 + 2*12 + 4)
	b = order.AppendUint16(b, 2)
	b = entry(b, 0x0112, 3, 1, order.AppendUint16(order.AppendUint16(nil, uint16(orientation)), 0))
	b = entry(b, 0x8825, 4, 1, order.AppendUint32(nil, gpsIFD))
	b = order.AppendUint32(b, 0)
	// GPS IFD: LatitudeRef "N", Latitude (3 rationals), ProcessingMethod.
	data := gpsIFD + 2 + 3*12 + 4
	method := append([]byte("ASCII\x00\x00\x00"), secretPlace...)
	b = order.AppendUint16(b, 3)
	b = entry(b, 0x0001, 2, 2, []byte{'N', 0, 0, 0})
	b = entry(b, 0x0002, 5, 3, order.AppendUint32(nil, data))
	b = entry(b, 0x001B, 7, uint32(len(method)), order.AppendUint32(nil, data+24))
	b = order.AppendUint32(b, 0)
	for _, v := range []uint32{38, 1, 53, 1, 5172, 100} {
		b = order.AppendUint32(b, v)
	}
	b = append(b, method...)
	return append([]byte("Exif\x00\x00"), b...)
}

// pngChunk is a PNG chunk with its checksum.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// withPNGChunk puts a chunk right after a PNG's IHDR.
func withPNGChunk(p []byte, typ string, data []byte) []byte {
	const afterIHDR = 8 + 4 + 4 + 13 + 4
	out := append([]byte{}, p[:afterIHDR]...)
	out = append(out, pngChunk(typ, data)...)
	return append(out, p[afterIHDR:]...)
}

// pngHeader is a PNG that claims w×h truecolour pixels and has none.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}

// markers lists a JPEG's marker segments up to the start of scan.
func markers(t *testing.T, jpg []byte) []byte {
	t.Helper()
	if !bytes.HasPrefix(jpg, []byte{0xFF, 0xD8}) {
		t.Fatal("not a JPEG")
	}
	var out []byte
	for i := 2; i+4 <= len(jpg); {
		if jpg[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		m := jpg[i+1]
		out = append(out, m)
		if m == 0xDA {
			return out
		}
		i += 2 + int(binary.BigEndian.Uint16(jpg[i+2:]))
	}
	t.Fatal("no start of scan")
	return nil
}

// bitWriter packs Huffman-coded bits for a JPEG scan, stuffing a zero
// after each 0xFF byte.
type bitWriter struct {
	out  []byte
	acc  uint32
	nacc int
}

func (w *bitWriter) write(bits uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | (bits>>i)&1
		w.nacc++
		if w.nacc == 8 {
			w.out = append(w.out, byte(w.acc))
			if byte(w.acc) == 0xFF {
				w.out = append(w.out, 0)
			}
			w.acc, w.nacc = 0, 0
		}
	}
}

func (w *bitWriter) flush() []byte {
	for w.nacc != 0 {
		w.write(1, 1)
	}
	return w.out
}

// scanBomb is a valid grey progressive JPEG of w×h pixels whose AC
// coefficients come in the given number of scans, each of which says only
// "the next 32767 blocks are empty" a few times: a few bytes that make the
// decoder walk every block of the image again.
func scanBomb(w, h, scans int) []byte {
	out := []byte{0xFF, 0xD8}
	out = append(out, segment(0xDB, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...))...)
	out = append(out, segment(0xC2, []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 1, 1, 0x11, 0})...)
	// One Huffman code, "0", in each table: DC category 0 (no change) and
	// AC symbol 0xE0 (a run of 2^14 + 14 more bits of empty blocks).
	counts := make([]byte, 16)
	counts[0] = 1
	out = append(out, segment(0xC4, append(append([]byte{0x00}, counts...), 0x00))...)
	out = append(out, segment(0xC4, append(append([]byte{0x10}, counts...), 0xE0))...)
	blocks := ((w + 7) / 8) * ((h + 7) / 8)

	out = append(out, segment(0xDA, []byte{1, 1, 0x00, 0, 0, 0})...) // DC, first pass
	var dc bitWriter
	for range blocks {
		dc.write(0, 1)
	}
	out = append(out, dc.flush()...)
	for range scans {
		out = append(out, segment(0xDA, []byte{1, 1, 0x00, 1, 63, 0})...)
		var ac bitWriter
		for left := blocks; left > 0; left -= 32767 {
			ac.write(0, 1)
			ac.write(1<<14-1, 14)
		}
		out = append(out, ac.flush()...)
	}
	return append(out, 0xFF, 0xD9)
}
