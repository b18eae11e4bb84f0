package documents

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"strings"
)

// Format is what a file really is, judged by its content. The file's name
// and the type the browser sent are never trusted: a text file renamed
// photo.jpg is still text.
type Format string

const (
	FormatJPEG Format = "JPEG"
	FormatPNG  Format = "PNG"
	FormatWebP Format = "WebP"
	FormatHEIC Format = "HEIC"
	FormatAVIF Format = "AVIF"
	FormatGIF  Format = "GIF"
	FormatTIFF Format = "TIFF"
	FormatBMP  Format = "BMP"
	FormatPDF  Format = "PDF"
	FormatText Format = "text"
	FormatPSD  Format = "PSD"
)

// accepted reports whether images of the format are decoded and kept.
func (f Format) accepted() bool {
	return f == FormatJPEG || f == FormatPNG || f == FormatWebP
}

// sniff names the format of data from its first bytes, or "" when it is
// nothing recognisable.
func sniff(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return FormatJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return FormatWebP
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return FormatGIF
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return FormatTIFF // also camera raw files such as DNG
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 26:
		return FormatBMP
	case bytes.HasPrefix(data, []byte("8BPS")):
		return FormatPSD
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return FormatPDF
	}
	if f := sniffISOBMFF(data); f != "" {
		return f
	}
	ct := http.DetectContentType(data)
	switch {
	case strings.HasPrefix(ct, "text/"):
		return FormatText
	case strings.HasPrefix(ct, "image/"):
		// Any other image (an icon, say): name it by its subtype.
		return Format(strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(ct, "image/"), "x-")))
	}
	return ""
}

// heifBrands are the ftyp brands of HEIF still images, the iPhone camera's
// default format ("High Efficiency").
var heifBrands = map[string]bool{
	"heic": true, "heix": true, "heim": true, "heis": true,
	"hevc": true, "hevx": true, "hevm": true, "hevs": true,
	"mif1": true, "mif2": true, "msf1": true,
}

// sniffISOBMFF recognises HEIC and AVIF photos by their leading ftyp box:
// a 32-bit size, "ftyp", the major brand, a version, then compatible brands.
// A video (an MP4, or the movie half of a Live Photo) is not an image.
func sniffISOBMFF(data []byte) Format {
	if len(data) < 16 || string(data[4:8]) != "ftyp" {
		return ""
	}
	size := int(binary.BigEndian.Uint32(data[:4]))
	if size < 16 || size > len(data) {
		size = min(len(data), 512)
	}
	brands := []string{string(data[8:12])}
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, string(data[i:i+4]))
	}
	heif := false
	for _, b := range brands {
		if b == "avif" || b == "avis" {
			return FormatAVIF // AVIF also lists mif1, so it is tested first
		}
		heif = heif || heifBrands[b]
	}
	if heif {
		return FormatHEIC
	}
	return ""
}
