package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.txt.gz"), filepath.Join(dir, "out.txt.gz")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	// CRLF lines, case and spacing variants, a decomposed é, a blank line.
	zw.Write([]byte("Password\r\npassword\n  MONKEY \n\ncafe\u0301\ncafé\nabc123\n"))
	zw.Close()
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := run(in, out)
	if err != nil || n != 4 {
		t.Fatalf("run = %d, %v; want 4 entries", n, err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if want := "abc123\ncafé\nmonkey\npassword\n"; string(got) != want {
		t.Errorf("output %q, want %q", got, want)
	}
	if zr.Header.Name != "" || !zr.Header.ModTime.IsZero() {
		t.Errorf("gzip header %+v should carry no name or time", zr.Header)
	}
	if _, err := os.Stat(out + ".tmp"); !os.IsNotExist(err) {
		t.Error("temporary file left behind")
	}
	if _, err := run(filepath.Join(dir, "missing.gz"), out); err == nil {
		t.Error("a missing input should fail")
	}
}
