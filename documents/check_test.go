package documents_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/documents"
	"github.com/taxportal/portal/models"
)

func TestCheckRefuses(t *testing.T) {
	ctx := context.Background()
	photo := encodeJPEG(t, card(800, 600, 1, false), 90)
	png := encodePNG(t, card(800, 600, 1, false))
	webp, err := os.ReadFile("testdata/card.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, card(800, 600, 1, false), nil); err != nil {
		t.Fatal(err)
	}
	huge := make([]byte, 50<<20)
	copy(huge, photo)
	// A JPEG whose frame header claims 60000×60000 pixels.
	bomb := bytes.Clone(photo)
	sof := bytes.Index(bomb, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(bomb[sof+5:], 60000)
	binary.BigEndian.PutUint16(bomb[sof+7:], 60000)
	// A JPEG with an impossible frame header: 7 colour components.
	damaged := bytes.Clone(photo)
	damaged[sof+9] = 7

	ftyp := func(major string, compatible ...string) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(16+4*len(compatible)))
		b = append(b, "ftyp"+major+"\x00\x00\x00\x00"...)
		for _, c := range compatible {
			b = append(b, c...)
		}
		return append(b, make([]byte, 200)...) // a meta box would follow
	}

	tests := []struct {
		name   string
		side   models.DocumentSide
		data   []byte
		want   error
		format documents.Format
		check  func(t *testing.T, e *documents.Error)
	}{
		{name: "0 bytes", data: nil, want: documents.ErrEmpty},
		{name: "text renamed .jpg", data: []byte("Dear taxpayer,\nthis is not a photo of a driver's license.\n"),
			want: documents.ErrNotAnImage, format: documents.FormatText},
		{name: "random bytes", data: bytes.Repeat([]byte{0x00, 0x13, 0x37, 0x99}, 500), want: documents.ErrNotAnImage},
		{name: "50 MB", data: huge, want: documents.ErrTooLarge, check: func(t *testing.T, e *documents.Error) {
			if e.Size != 50<<20 || e.Limit != 10<<20 {
				t.Errorf("size %d limit %d", e.Size, e.Limit)
			}
		}},
		{name: "truncated JPEG", data: photo[:len(photo)/2], want: documents.ErrTruncated, format: documents.FormatJPEG},
		{name: "JPEG without its end marker", data: photo[:len(photo)-2], want: documents.ErrTruncated},
		{name: "JPEG cut in its header", data: photo[:300], want: documents.ErrTruncated},
		{name: "truncated PNG", data: png[:len(png)*2/3], want: documents.ErrTruncated, format: documents.FormatPNG},
		{name: "PNG without its end", data: png[:len(png)-12], want: documents.ErrTruncated},
		{name: "truncated WebP", data: webp[:len(webp)/2], want: documents.ErrTruncated, format: documents.FormatWebP},
		{name: "damaged JPEG", data: damaged, want: documents.ErrCannotDecode},
		{name: "100×100 front", side: models.SideFront, data: encodeJPEG(t, card(100, 100, 1, false), 90),
			want: documents.ErrTooSmall, check: func(t *testing.T, e *documents.Error) {
				if e.Width != 100 || e.Height != 100 || e.MinWidth != 600 || e.MinHeight != 400 {
					t.Errorf("sizes %d×%d, min %d×%d", e.Width, e.Height, e.MinWidth, e.MinHeight)
				}
			}},
		{name: "599×400 back", side: models.SideBack, data: encodeJPEG(t, card(599, 400, 1, true), 90), want: documents.ErrTooSmall},
		{name: "100×100 selfie", side: models.SideSelfie, data: encodeJPEG(t, card(100, 100, 1, false), 90),
			want: documents.ErrTooSmall, check: func(t *testing.T, e *documents.Error) {
				if e.MinWidth != 300 || e.MinHeight != 300 {
					t.Errorf("min %d×%d", e.MinWidth, e.MinHeight)
				}
			}},
		{name: "JPEG claiming 60000×60000", data: bomb, want: documents.ErrTooManyPixels, check: func(t *testing.T, e *documents.Error) {
			if e.Width != 60000 || e.MaxPixels != 50_000_000 {
				t.Errorf("width %d max %d", e.Width, e.MaxPixels)
			}
		}},
		{name: "PNG claiming 20000×20000", data: pngHeader(20000, 20000), want: documents.ErrTooManyPixels},
		{name: "HEIC from an iPhone", data: ftyp("heic", "mif1", "heic"), want: documents.ErrHEIC, format: documents.FormatHEIC},
		{name: "HEIF with a generic brand", data: ftyp("mif1", "heic"), want: documents.ErrHEIC},
		{name: "AVIF", data: ftyp("avif", "mif1", "miaf"), want: documents.ErrUnsupportedType, format: documents.FormatAVIF},
		{name: "MP4 video", data: ftyp("isom", "iso2", "mp41"), want: documents.ErrNotAnImage},
		{name: "GIF", data: gifData.Bytes(), want: documents.ErrUnsupportedType, format: documents.FormatGIF},
		{name: "PDF", data: []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
			want: documents.ErrUnsupportedType, format: documents.FormatPDF},
		{name: "TIFF", data: append([]byte("II*\x00\x08\x00\x00\x00"), make([]byte, 100)...),
			want: documents.ErrUnsupportedType, format: documents.FormatTIFF},
		{name: "BMP", data: append([]byte("BM"), make([]byte, 100)...), want: documents.ErrUnsupportedType, format: documents.FormatBMP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			side := tt.side
			if side == "" {
				side = models.SideFront
			}
			_, err := documents.Check(ctx, side, tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			var e *documents.Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not a *documents.Error", err)
			}
			if tt.format != "" && e.Format != tt.format {
				t.Errorf("format %q, want %q", e.Format, tt.format)
			}
			if documents.CodeOf(err) != tt.want.(*documents.Error).Code {
				t.Errorf("CodeOf = %q", documents.CodeOf(err))
			}
			if tt.check != nil {
				tt.check(t, e)
			}
			t.Log(err)
		})
	}
}

func TestCheckHEICMessageSaysWhatToDo(t *testing.T) {
	heic := append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 100)...)
	_, err := documents.Check(context.Background(), models.SideFront, heic)
	if !errors.Is(err, documents.ErrHEIC) || !strings.Contains(err.Error(), "Most compatible") || !strings.Contains(err.Error(), "JPEG") {
		t.Fatalf("got %v", err)
	}
}

// Every cut of a JPEG must be refused: Go's decoder reports some cuts as
// "short Huffman data" rather than an EOF, and a missing end marker only
// when it looks for the next segment.
func TestCheckRefusesEveryTruncation(t *testing.T) {
	for _, name := range []string{"JPEG", "PNG", "WebP"} {
		var data []byte
		switch name {
		case "JPEG":
			data = encodeJPEG(t, card(800, 600, 3, false), 90)
		case "PNG":
			data = encodePNG(t, card(800, 600, 3, false))
		case "WebP":
			var err error
			if data, err = os.ReadFile("testdata/card.lossy.webp"); err != nil {
				t.Fatal(err)
			}
		}
		for i := 1; i < 200; i++ {
			cut := len(data) * i / 200
			_, err := documents.Check(context.Background(), models.SideFront, data[:cut])
			if err == nil {
				t.Fatalf("%s cut at %d of %d bytes was accepted", name, cut, len(data))
			}
			if !errors.Is(err, documents.ErrTruncated) {
				t.Errorf("%s cut at %d of %d bytes: %v, want ErrTruncated", name, cut, len(data), err)
			}
		}
	}
}

func TestCheckAccepts(t *testing.T) {
	webp, err := os.ReadFile("testdata/card.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	gray := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 7)
	}
	transparent := image.NewNRGBA(image.Rect(0, 0, 700, 500)) // all transparent: comes out white
	paletted := image.NewPaletted(image.Rect(0, 0, 600, 600), color.Palette{color.Black, color.White})
	for i := range paletted.Pix {
		paletted.Pix[i] = uint8(i / 600 % 2)
	}

	tests := []struct {
		name          string
		side          models.DocumentSide
		data          []byte
		source        documents.Format
		width, height int
	}{
		{"JPEG 800×600", models.SideFront, encodeJPEG(t, card(800, 600, 1, false), 90), documents.FormatJPEG, 800, 600},
		{"JPEG exactly 600×400", models.SideBack, encodeJPEG(t, card(600, 400, 1, true), 90), documents.FormatJPEG, 600, 400},
		{"portrait JPEG 400×600", models.SideFront, encodeJPEG(t, card(400, 600, 1, false), 90), documents.FormatJPEG, 400, 600},
		{"selfie 300×300", models.SideSelfie, encodeJPEG(t, card(300, 300, 1, false), 90), documents.FormatJPEG, 300, 300},
		{"greyscale JPEG", models.SideFront, encodeJPEG(t, gray, 90), documents.FormatJPEG, 640, 480},
		{"PNG", models.SideFront, encodePNG(t, card(640, 480, 1, false)), documents.FormatPNG, 640, 480},
		{"transparent PNG", models.SideFront, encodePNG(t, transparent), documents.FormatPNG, 700, 500},
		{"paletted PNG", models.SideSelfie, encodePNG(t, paletted), documents.FormatPNG, 600, 600},
		{"WebP", models.SideFront, webp, documents.FormatWebP, 600, 400},
		{"JPEG 4000×3000 shrinks", models.SideFront, encodeJPEG(t, card(4000, 3000, 1, false), 85), documents.FormatJPEG, 2400, 1800},
		{"PNG 1500×3000 shrinks", models.SideBack, encodePNG(t, card(1500, 3000, 1, true)), documents.FormatPNG, 1200, 2400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := documents.Check(context.Background(), tt.side, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if img.Source != tt.source || img.ContentType != "image/jpeg" || img.Width != tt.width || img.Height != tt.height {
				t.Fatalf("got %s→%s %d×%d", img.Source, img.ContentType, img.Width, img.Height)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(img.Data))
			if err != nil || cfg.Width != tt.width || cfg.Height != tt.height {
				t.Fatalf("stored image: %v %d×%d", err, cfg.Width, cfg.Height)
			}
			if len(img.Fingerprint) != 32 {
				t.Errorf("fingerprint %q", img.Fingerprint)
			}
		})
	}
}

func TestTransparencyBecomesWhite(t *testing.T) {
	img, err := documents.Check(context.Background(), models.SideFront, encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 700, 500))))
	if err != nil {
		t.Fatal(err)
	}
	m, err := jpeg.Decode(bytes.NewReader(img.Data))
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := m.At(350, 250).RGBA(); r>>8 < 250 || g>>8 < 250 || b>>8 < 250 {
		t.Fatalf("centre is %d,%d,%d, want white", r>>8, g>>8, b>>8)
	}
}

func TestCheckUnknownSide(t *testing.T) {
	_, err := documents.Check(context.Background(), "left", encodeJPEG(t, card(800, 600, 1, false), 90))
	if !errors.Is(err, documents.ErrUnknownSide) || documents.CodeOf(err) != "" {
		t.Fatalf("got %v", err)
	}
}

func TestCheckerSettings(t *testing.T) {
	s := documents.DefaultSettings()
	s.MaxBytes = 1000
	s.MinDocument = documents.Size{Width: 1000, Height: 800}
	c := documents.NewChecker(s)
	data := encodeJPEG(t, card(900, 900, 1, false), 90)
	if _, err := c.Check(context.Background(), models.SideFront, data); !errors.Is(err, documents.ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
	s.MaxBytes = 10 << 20
	c = documents.NewChecker(s)
	// 900×900 has the long side but not the short one, in either orientation.
	if _, err := c.Check(context.Background(), models.SideFront, data); !errors.Is(err, documents.ErrTooSmall) {
		t.Fatalf("got %v", err)
	}
}

// Each scan of a progressive JPEG makes the decoder walk the whole image;
// scans that hold nothing take a few bytes each. 1000 of them in 30 KB cost
// Go's decoder over 2 s for a 2400×2400 image, and 20 s at 49 megapixels.
func TestCheckRefusesScanBombs(t *testing.T) {
	ctx := context.Background()
	if _, err := documents.Check(ctx, models.SideFront, scanBomb(800, 600, 20)); err != nil {
		t.Fatalf("a progressive JPEG with 20 scans: %v", err)
	}
	start := time.Now()
	_, err := documents.Check(ctx, models.SideFront, scanBomb(2400, 2400, 1000))
	if !errors.Is(err, documents.ErrCannotDecode) {
		t.Fatalf("1000 scans: %v", err)
	}
	t.Logf("refused in %v: %v", time.Since(start), err)
}
