package documents

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// flatten draws src onto white (a JPEG has no transparency) as RGBA,
// shrunk by area averaging so that its long side is at most maxSide.
//
// Area averaging is a proper low-pass filter for any reduction, so small
// print stays legible without moiré, and it works one source row at a time:
// a general-purpose two-pass scaler would hold a float buffer of the
// source's height times the destination's width, hundreds of megabytes for
// a phone photo.
func flatten(src image.Image, maxSide int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if long := max(sw, sh); long > maxSide {
		dw = max(1, int(math.Round(float64(sw)*float64(maxSide)/float64(long))))
		dh = max(1, int(math.Round(float64(sh)*float64(maxSide)/float64(long))))
	}
	op := draw.Src
	if o, ok := src.(interface{ Opaque() bool }); !ok || !o.Opaque() {
		op = draw.Over
	}
	if dw == sw && dh == sh {
		dst := image.NewRGBA(image.Rect(0, 0, sw, sh))
		if op == draw.Over {
			draw.Draw(dst, dst.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
		}
		draw.Draw(dst, dst.Rect, src, b.Min, op)
		return dst
	}

	xs, ys := spans(sw, dw), spans(sh, dh)
	line := image.NewRGBA(image.Rect(0, 0, sw, 1)) // one source row
	reduced := make([]float32, 3*dw)               // that row, shrunk across
	lineY := -1
	acc := make([]float32, 3*dw) // one destination row being summed
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for dy, yspan := range ys {
		clear(acc)
		for k, wy := range yspan.weights {
			sy := yspan.first + k
			if sy != lineY { // rows on a boundary serve two destination rows
				readRow(line, src, b.Min.X, b.Min.Y+sy, op)
				reduceRow(reduced, line.Pix, xs)
				lineY = sy
			}
			for i, v := range reduced {
				acc[i] += wy * v
			}
		}
		row := dst.Pix[dy*dst.Stride:]
		for x := range dw {
			row[4*x] = clamp8(acc[3*x])
			row[4*x+1] = clamp8(acc[3*x+1])
			row[4*x+2] = clamp8(acc[3*x+2])
			row[4*x+3] = 0xFF
		}
	}
	return dst
}

// span is the run of source pixels that one destination pixel covers, with
// each one's share (summing to 1): the edges are partly covered.
type span struct {
	first   int
	weights []float32
}

// spans divides n source pixels among m ≤ n destination pixels.
func spans(n, m int) []span {
	scale := float64(n) / float64(m)
	out := make([]span, m)
	for i := range out {
		lo, hi := float64(i)*scale, float64(i+1)*scale
		first, last := int(lo), min(n-1, int(math.Ceil(hi))-1)
		w := make([]float32, last-first+1)
		for j := range w {
			p := float64(first + j)
			w[j] = float32((math.Min(hi, p+1) - math.Max(lo, p)) / scale)
		}
		out[i] = span{first: first, weights: w}
	}
	return out
}

// readRow copies row y of src into line, over white when src has alpha.
func readRow(line *image.RGBA, src image.Image, x0, y int, op draw.Op) {
	if op == draw.Over {
		for i := range line.Pix {
			line.Pix[i] = 0xFF
		}
	}
	draw.Draw(line, line.Rect, src, image.Pt(x0, y), op)
}

// reduceRow averages an RGBA row across into out (RGB, 3 floats a pixel).
func reduceRow(out []float32, pix []uint8, xs []span) {
	for x, s := range xs {
		var r, g, b float32
		p := pix[4*s.first:]
		for j, w := range s.weights {
			r += w * float32(p[4*j])
			g += w * float32(p[4*j+1])
			b += w * float32(p[4*j+2])
		}
		out[3*x], out[3*x+1], out[3*x+2] = r, g, b
	}
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}
