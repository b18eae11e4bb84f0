package documents

import (
	"bytes"
	"encoding/binary"
	"image"
)

// Phones store a portrait photo as landscape pixels plus an EXIF tag saying
// how to turn it. Browsers obey the tag; Go's decoder ignores it. Since the
// metadata is stripped, the turn is applied to the pixels before it goes.

// jpegOrientation reads the EXIF Orientation tag (1–8) from a JPEG's APP1
// segment, or 1 (as stored) when there is none or it is malformed.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			i++
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image: the metadata is behind us
			return 1
		case marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7): // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			if o := tiffOrientation(seg[6:]); o != 0 {
				return o
			}
			return 1
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation finds tag 0x0112 in the first IFD of a TIFF structure, the
// form EXIF takes; 0 when absent or malformed.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 0
	}
	if order.Uint16(t[2:]) != 42 {
		return 0
	}
	off := int64(order.Uint32(t[4:]))
	if off < 8 || off+2 > int64(len(t)) {
		return 0
	}
	entries := int64(order.Uint16(t[off:]))
	for k := range entries {
		e := off + 2 + 12*k
		if e+12 > int64(len(t)) {
			return 0
		}
		if order.Uint16(t[e:]) != 0x0112 {
			continue
		}
		// A SHORT (type 3), one value, held in the entry itself.
		if order.Uint16(t[e+2:]) != 3 || order.Uint32(t[e+4:]) < 1 {
			return 0
		}
		if v := int(order.Uint16(t[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return 0
	}
	return 0
}

// orient turns and flips src so that it reads upright, following EXIF
// orientation o (1 is upright already).
func orient(src *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return src
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 { // 5–8 swap width and height
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	// For each destination pixel (x, y), the source pixel it comes from.
	var from func(x, y int) (int, int)
	switch o {
	case 2: // mirrored
		from = func(x, y int) (int, int) { return w - 1 - x, y }
	case 3: // upside down
		from = func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 4: // mirrored upside down
		from = func(x, y int) (int, int) { return x, h - 1 - y }
	case 5: // mirrored, turned: transpose
		from = func(x, y int) (int, int) { return y, x }
	case 6: // needs a quarter turn clockwise
		from = func(x, y int) (int, int) { return y, h - 1 - x }
	case 7: // transverse
		from = func(x, y int) (int, int) { return w - 1 - y, h - 1 - x }
	case 8: // needs a quarter turn anticlockwise
		from = func(x, y int) (int, int) { return w - 1 - y, x }
	}
	for y := range dh {
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
		for x := range dw {
			sx, sy := from(x, y)
			s := src.PixOffset(src.Rect.Min.X+sx, src.Rect.Min.Y+sy)
			copy(row[4*x:4*x+4], src.Pix[s:s+4])
		}
	}
	return dst
}
