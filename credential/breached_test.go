package credential

import (
	"bytes"
	"compress/gzip"
	"runtime"
	"testing"
	"time"

	"github.com/taxportal/portal/credential/internal/fold"
)

func TestBreachedListLoads(t *testing.T) {
	b, err := LoadBreachedList()
	if err != nil {
		t.Fatal(err)
	}
	if n := b.Len(); n < 400_000 {
		t.Errorf("list has %d entries, want about 415,000", n)
	}
	if again, _ := LoadBreachedList(); again != b {
		t.Error("LoadBreachedList should decompress once and share the list")
	}
	// Every entry must be in the form lookups fold to, or it can never match.
	for i := range b.Len() {
		if e := b.at(i); fold.Fold(e) != e {
			t.Fatalf("entry %d %q is not folded", i, e)
		}
	}
}

func TestBreachedContains(t *testing.T) {
	b, err := LoadBreachedList()
	if err != nil {
		t.Fatal(err)
	}
	on := []string{
		// Entries of 12 or more characters, as they are in the list.
		"1qaz2wsx3edc", "qwertyqwerty", "123456789012", "leavemealone",
		"unbelievable", "iloveyou1234", "passwordpassword", "abcdefghijkl",
		// First, last, and short entries the stem rule relies on.
		b.at(0), b.at(b.Len() - 1), "password", "monkey", "iloveyou!",
		// Case, surrounding spaces and Unicode spelling do not matter.
		"QwertyQwerty", "  leavemealone  ", "LEAVEMEALONE",
		// Trailing digits, symbols and spaces are cut off before a second look.
		"Password2024!", "password 123", "monkey!!!!!!", "Elizabeth1987#", "dragon_2025",
	}
	for _, pw := range on {
		if !b.Contains(pw) {
			t.Errorf("Contains(%q) = false, want true", pw)
		}
	}
	off := []string{
		"", "   ",
		"purple ocean typewriter", "correct horse battery staple",
		"my cat sleeps on the radiator", "Hunde, Katzen und Mäuse",
		"tuba fish quietly invoicing", "日本語のパスフレーズです",
		"zq8#Lp2!vN6@rT0x",
		"ab93817264519",       // stem "ab" is too short to look up
		"2024password",        // only trailing characters are cut
		"passwordqz2024",      // the stem must match whole
		"leavemealone and go", // nor is a list entry searched inside a password
	}
	for _, pw := range off {
		if b.Contains(pw) {
			t.Errorf("Contains(%q) = true, want false", pw)
		}
	}
}

func TestBreachedListRefusesBadData(t *testing.T) {
	gz := func(s string) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(s))
		zw.Close()
		return buf.Bytes()
	}
	for _, data := range []string{"", "a\nb", "b\na\n", "a\na\n", "a\n\nb\n"} {
		if _, err := parseBreached(gz(data)); err == nil {
			t.Errorf("parseBreached(%q) accepted bad data", data)
		}
	}
	if _, err := parseBreached([]byte("not gzip")); err == nil {
		t.Error("parseBreached accepted data that is not gzip")
	}
	b, err := parseBreached(gz("a\nbc\nd\n"))
	if err != nil || b.Len() != 3 || !b.has("bc") || b.has("b") || b.has("") {
		t.Errorf("small list: %v, %v", b, err)
	}
}

// TestBreachedListCost logs load time and heap; run with -v to see them.
func TestBreachedListCost(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	b, err := parseBreached(breachedGz)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d entries: %d KiB compressed, loaded in %v, %.1f MiB of heap (%.1f MiB text + %.1f MiB offsets)",
		b.Len(), len(breachedGz)/1024, took, float64(heap)/(1<<20),
		float64(len(b.data))/(1<<20), float64(4*len(b.offsets))/(1<<20))
	if heap > 8<<20 {
		t.Errorf("list takes %d bytes of heap, want under 8 MiB", heap)
	}
	runtime.KeepAlive(b)
}

func BenchmarkBreachedContains(b *testing.B) {
	list, err := LoadBreachedList()
	if err != nil {
		b.Fatal(err)
	}
	pws := []string{"purple ocean typewriter", "Password2024!", "qwertyqwerty", "tuba fish quietly invoicing"}
	i := 0
	for b.Loop() {
		list.Contains(pws[i%len(pws)])
		i++
	}
}

func BenchmarkLoadBreachedList(b *testing.B) {
	var list *BreachedList
	for b.Loop() {
		var err error
		if list, err = parseBreached(breachedGz); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(list.data)+4*len(list.offsets))/(1<<20), "MiB")
}
