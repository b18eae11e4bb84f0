// Package static serves the portal's CSS, JavaScript, fonts and images from
// files embedded in the binary.
//
// Every URL carries a version made from the contents of all files
// (/static/3f9a1c2b7d/css/portal.css), so browsers may cache them for a year;
// a new build changes the version and so every URL. Relative references inside
// the U.S. Web Design System stylesheet (../img, ../fonts) stay inside the
// same versioned folder. Text files are gzipped once, at start.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed css js img vendor
var files embed.FS

// Prefix is where the assets are mounted.
const Prefix = "/static/"

type asset struct {
	body, gz    []byte
	contentType string
}

// Assets is the embedded file set with its version.
type Assets struct {
	version string
	files   map[string]*asset
}

// New loads every embedded file into memory and computes the version.
func New() (*Assets, error) {
	a := &Assets{files: map[string]*asset{}}
	h := sha256.New()
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(body)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		f := &asset{body: body, contentType: ct}
		if compressible(ct) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if buf.Len() < len(body) {
				f.gz = buf.Bytes()
			}
		}
		a.files[p] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	a.version = hex.EncodeToString(h.Sum(nil))[:12]
	return a, nil
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") ||
		strings.Contains(ct, "json") || strings.Contains(ct, "svg")
}

// Version identifies this build's asset set.
func (a *Assets) Version() string { return a.version }

// Path returns the versioned URL of a file, for example Path("css/portal.css").
func (a *Assets) Path(name string) string {
	return Prefix + a.version + "/" + name
}

// ServeHTTP serves /static/{version}/{file}. A file asked for under an older
// version (a page rendered by the previous build during a rolling deploy) is
// still served, but must be revalidated instead of cached for a year.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	version, name, ok := strings.Cut(rest, "/")
	f, found := a.files[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", f.contentType)
	hdr.Set("X-Content-Type-Options", "nosniff")
	if version == a.version {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	body := f.body
	if f.gz != nil {
		hdr.Add("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			hdr.Set("Content-Encoding", "gzip")
			body = f.gz
		}
	}
	http.ServeContent(w, r, "", bootTime, bytes.NewReader(body))
}

// bootTime is the Last-Modified of every asset: the content is versioned in
// the URL, so this only lets browsers revalidate cheaply.
var bootTime = time.Now().UTC().Truncate(time.Second)
