package documents

import (
	"fmt"
	"image"
	"math/bits"
	"strconv"
)

// The fingerprint is a difference hash (dHash): the picture shrunk to a few
// grey cells, one bit per pair of neighbours, set when the first is
// brighter. It survives what happens to one photo sent twice (re-encoding,
// resizing, another JPEG quality) but differs between two photos, so a
// front uploaded again as the back is caught.
//
// It is two 64-bit hashes, 32 hex digits: the classic one comparing each
// cell with its right-hand neighbour on a 9×8 grid, then the same down the
// columns of an 8×9 grid. The across hash alone barely tells the front of a
// card from its back when both are shot on one table: the card's outline
// dominates and they differ by 6 or 7 bits of 64, against 0–1 for a
// re-encoding. Top-to-bottom differences (a barcode below, a header band
// above) widen that gap to about 20 bits of 128, against 0–3.

// sameImageDistance is the most bits of 128 two fingerprints may differ by
// and still be one picture; see the measurements above and in the tests.
const sameImageDistance = 10

// fingerprint is the dHash of img.
func fingerprint(img *image.RGBA) string {
	// Average the luma over a 72×72 grid first: 72 divides into both 9 and 8,
	// so both hashes' cells are sums of its cells, and the picture is read once.
	const n = 72
	w, h := img.Rect.Dx(), img.Rect.Dy()
	col := make([]int, w)
	for x := range col {
		col[x] = x * n / w
	}
	var sum, count [n][n]float64
	for y := range h {
		r := y * n / h
		p := img.Pix[y*img.Stride:]
		for x := range w {
			// Rec. 601 luma, as JPEG uses.
			sum[r][col[x]] += 0.299*float64(p[4*x]) + 0.587*float64(p[4*x+1]) + 0.114*float64(p[4*x+2])
			count[r][col[x]]++
		}
	}
	// cell averages the grid over the block (c, r) of a cols×rows division.
	cell := func(c, r, cols, rows int) float64 {
		var s, k float64
		for y := r * n / rows; y < (r+1)*n/rows; y++ {
			for x := c * n / cols; x < (c+1)*n/cols; x++ {
				s += sum[y][x]
				k += count[y][x]
			}
		}
		if k == 0 {
			return 0
		}
		return s / k
	}
	var across, down uint64
	for r := range 8 {
		for c := range 8 {
			across <<= 1
			if cell(c, r, 9, 8) > cell(c+1, r, 9, 8) {
				across |= 1
			}
			down <<= 1
			if cell(c, r, 8, 9) > cell(c, r+1, 8, 9) {
				down |= 1
			}
		}
	}
	return fmt.Sprintf("%016x%016x", across, down)
}

// Distance is the number of bits two fingerprints differ by, or -1 when
// they are not two fingerprints of the same kind.
func Distance(a, b string) int {
	if len(a) != len(b) || len(a) == 0 || len(a)%16 != 0 {
		return -1
	}
	d := 0
	for i := 0; i < len(a); i += 16 {
		x, err1 := strconv.ParseUint(a[i:i+16], 16, 64)
		y, err2 := strconv.ParseUint(b[i:i+16], 16, 64)
		if err1 != nil || err2 != nil {
			return -1
		}
		d += bits.OnesCount64(x ^ y)
	}
	return d
}

// SameImage reports whether two fingerprints are of one picture.
func SameImage(a, b string) bool {
	d := Distance(a, b)
	return d >= 0 && d <= sameImageDistance
}
