// Package documents handles the photos of an identity document and the
// selfie taken during identity proofing: it checks an upload by its content
// (type, size, resolution, that it decodes in full), re-encodes it to strip
// every piece of metadata, fingerprints it so the same picture cannot serve
// as both sides, stores it sealed, and hands the set to a DocumentVerifier.
// It has no HTTP: handlers pass it the uploaded bytes and show what it says.
package documents

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"sync"

	"golang.org/x/image/webp"

	"github.com/taxportal/portal/models"
)

// Image is an upload that passed the checks, cleaned for storage.
type Image struct {
	// Data is a JPEG: upright, at most Settings.MaxSide pixels on its long
	// side, and with no metadata at all (no EXIF, GPS, XMP or comments).
	Data          []byte
	ContentType   string // of Data: always image/jpeg
	Width, Height int    // of Data
	Fingerprint   string // a perceptual hash, for SameImage
	Source        Format // what was uploaded
}

// maxJPEGScans bounds the scans of a progressive JPEG. Each scan makes Go's
// decoder walk the whole image again, and one that only says "nothing here"
// takes a few dozen bytes, so 10 MB of them would hold a core for many
// minutes. Encoders write about 10. Counting the bytes FF DA counts every
// scan (they cannot occur inside compressed data) and at worst also a
// thumbnail's.
const maxJPEGScans = 100

// Checker checks uploads under one set of Settings.
type Checker struct {
	settings Settings
	slots    chan struct{} // one per image allowed to decode at a time
}

// NewChecker builds a Checker.
func NewChecker(s Settings) *Checker {
	return &Checker{settings: s, slots: make(chan struct{}, max(1, s.Decoders))}
}

// Settings are the checker's numbers, for messages such as "at most 10 MB".
func (c *Checker) Settings() Settings { return c.settings }

var defaultChecker = sync.OnceValue(func() *Checker { return NewChecker(DefaultSettings()) })

// Check checks data under DefaultSettings; see Checker.Check.
func Check(ctx context.Context, side models.DocumentSide, data []byte) (Image, error) {
	return defaultChecker().Check(ctx, side, data)
}

// Check decides whether data is an acceptable photo for side and returns
// it cleaned for storage. A refusal is an *Error whose Code names the
// problem; any other error (ErrUnknownSide, a cancelled ctx) is not the
// person's doing.
//
// The cheap checks come first and the header is read before any pixel is
// decoded, so a bogus file costs almost nothing.
func (c *Checker) Check(ctx context.Context, side models.DocumentSide, data []byte) (Image, error) {
	s := c.settings
	if side != models.SideFront && side != models.SideBack && side != models.SideSelfie {
		return Image{}, ErrUnknownSide
	}
	if len(data) == 0 {
		return Image{}, &Error{Code: CodeEmpty}
	}
	if int64(len(data)) > s.MaxBytes {
		return Image{}, &Error{Code: CodeTooLarge, Size: int64(len(data)), Limit: s.MaxBytes}
	}
	f := sniff(data)
	switch {
	case f == FormatHEIC:
		return Image{}, &Error{Code: CodeHEIC, Format: f}
	case f == "" || f == FormatText:
		return Image{}, &Error{Code: CodeNotAnImage, Format: f}
	case !f.accepted():
		return Image{}, &Error{Code: CodeUnsupportedType, Format: f}
	}

	cfg, err := decodeConfig(f, data)
	if err != nil {
		return Image{}, decodeError(f, err)
	}
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 {
		return Image{}, &Error{Code: CodeCannotDecode, Format: f}
	}
	if int64(w)*int64(h) > int64(s.MaxPixels) {
		return Image{}, &Error{Code: CodeTooManyPixels, Format: f, Width: w, Height: h, MaxPixels: s.MaxPixels}
	}
	if m := s.MinSize(side); !m.fits(w, h) {
		return Image{}, &Error{Code: CodeTooSmall, Format: f, Width: w, Height: h, MinWidth: m.Width, MinHeight: m.Height}
	}
	if cutShort(f, data) {
		return Image{}, &Error{Code: CodeTruncated, Format: f}
	}
	if f == FormatJPEG && bytes.Count(data, []byte{0xFF, 0xDA}) > maxJPEGScans {
		return Image{}, &Error{Code: CodeCannotDecode, Format: f, Err: errors.New("too many scans")}
	}

	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		return Image{}, ctx.Err()
	}
	img, err := decode(f, data)
	if err != nil {
		return Image{}, decodeError(f, err)
	}
	o := 1
	if f == FormatJPEG {
		o = jpegOrientation(data)
	}
	upright := orient(flatten(img, s.MaxSide), o)
	var out bytes.Buffer
	// jpeg.Encode writes only the tables and the pixels: no EXIF, no JFIF, no comment.
	if err := jpeg.Encode(&out, upright, &jpeg.Options{Quality: s.Quality}); err != nil {
		return Image{}, err
	}
	return Image{
		Data:        out.Bytes(),
		ContentType: "image/jpeg",
		Width:       upright.Rect.Dx(),
		Height:      upright.Rect.Dy(),
		Fingerprint: fingerprint(upright),
		Source:      f,
	}, nil
}

func decodeConfig(f Format, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch f {
	case FormatJPEG:
		return jpeg.DecodeConfig(r)
	case FormatPNG:
		return png.DecodeConfig(r)
	case FormatWebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, errors.ErrUnsupported
}

func decode(f Format, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch f {
	case FormatJPEG:
		return jpeg.Decode(r)
	case FormatPNG:
		return png.Decode(r)
	case FormatWebP:
		return webp.Decode(r)
	}
	return nil, errors.ErrUnsupported
}

// decodeError tells a file cut short (an interrupted upload: try again) from
// one that is damaged. The decoders report running out of data as an
// unexpected EOF, except Go's JPEG decoder inside the compressed pixels,
// which says "short Huffman data". Go's JPEG decoder insists on the end
// marker, so a JPEG missing only its last bytes is caught too.
func decodeError(f Format, err error) error {
	code := CodeCannotDecode
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || err == jpeg.FormatError("short Huffman data") {
		code = CodeTruncated
	}
	return &Error{Code: code, Format: f, Err: err}
}

// cutShort reports whether a PNG or WebP file ends before its own structure
// says it does. Their decoders call some such files damaged ("not enough
// pixel data"), when an interrupted upload is the likelier story and trying
// again the right advice. (Go's JPEG decoder reports every cut, see
// decodeError.)
func cutShort(f Format, data []byte) bool {
	switch f {
	case FormatWebP:
		// A RIFF header: "RIFF", the length of what follows, "WEBP".
		return uint64(len(data)) < 8+uint64(binary.LittleEndian.Uint32(data[4:8]))
	case FormatPNG:
		// Chunks follow the signature: length, type, data, checksum; IEND ends the file.
		for i := uint64(8); i+12 <= uint64(len(data)); {
			n := uint64(binary.BigEndian.Uint32(data[i:]))
			if i+12+n > uint64(len(data)) {
				return true
			}
			if string(data[i+4:i+8]) == "IEND" {
				return false
			}
			i += 12 + n
		}
		return true
	}
	return false
}
