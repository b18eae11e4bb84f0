// Package content holds the portal's written material: help and FAQ articles
// as Markdown with front matter, embedded into the binary.
package content

import "embed"

// Help holds content/help/*.md.
//
//go:embed help/*.md
var Help embed.FS
