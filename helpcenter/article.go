// Package helpcenter loads the help and FAQ articles, renders their Markdown
// once at start, and answers searches from an in-memory index.
package helpcenter

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// Category groups articles on the help home page.
type Category struct {
	ID, Title, Description string
}

// Categories in the order the help home page shows them.
var Categories = []Category{
	{"account", "Your account and signing in", "Creating an account, passwords, second factors, and what to do when you cannot sign in."},
	{"identity", "Verifying your identity", "Why we ask, the steps, the documents to have ready, and the ways to verify."},
	{"ip-pin", "Identity Protection PIN", "The six-digit PIN that stops others from filing a return with your number."},
	{"records", "Tax records and transcripts", "Which transcript to use and how to read one, code by code."},
	{"refunds", "Refunds", "Where your refund is, why it may be held, and when to call."},
	{"safety", "Staying safe", "How to spot scams and what to do if you shared information."},
}

// Article is one help article, ready to show.
type Article struct {
	Slug     string
	Title    string
	Category Category
	Summary  string
	Keywords []string
	Related  []string // slugs, as written in the front matter
	Order    int
	HTML     string // rendered from trusted Markdown; raw HTML in the source is not passed through
	Text     string // plain text of the body, for search
}

// parseArticle reads front matter between --- lines, then Markdown.
func parseArticle(slug string, src []byte, md goldmark.Markdown) (*Article, error) {
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return nil, fmt.Errorf("%s: must start with front matter between --- lines", slug)
	}
	front, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		return nil, fmt.Errorf("%s: front matter is not closed with ---", slug)
	}
	a := &Article{Slug: slug}
	sc := bufio.NewScanner(bytes.NewReader(front))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s: front matter line %q is not key: value", slug, line)
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "title":
			a.Title = value
		case "category":
			c, ok := categoryByID(value)
			if !ok {
				return nil, fmt.Errorf("%s: unknown category %q", slug, value)
			}
			a.Category = c
		case "summary":
			a.Summary = value
		case "keywords":
			a.Keywords = parseList(value)
		case "related":
			a.Related = parseList(value)
		case "order":
			n, err := strconv.Atoi(value)
			if err != nil {
				return nil, fmt.Errorf("%s: order %q is not a number", slug, value)
			}
			a.Order = n
		}
	}
	if a.Title == "" || a.Category.ID == "" || a.Summary == "" {
		return nil, fmt.Errorf("%s: title, category and summary are required", slug)
	}
	var html bytes.Buffer
	if err := md.Convert(body, &html); err != nil {
		return nil, fmt.Errorf("%s: %w", slug, err)
	}
	a.HTML = html.String()
	a.Text = plainText(body)
	return a, nil
}

func parseList(v string) []string {
	v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func categoryByID(id string) (Category, bool) {
	for _, c := range Categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

// plainText strips the Markdown punctuation that matters for search.
func plainText(md []byte) string {
	r := strings.NewReplacer("#", " ", "*", " ", "_", " ", "`", " ", "|", " ", ">", " ", "[", " ", "]", " ")
	return r.Replace(string(md))
}

func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// Center is the loaded set of articles and its search index.
type Center struct {
	articles   []*Article // sorted by category order, then Order, then title
	bySlug     map[string]*Article
	byCategory map[string][]*Article
	index      *index
}

// Load reads every *.md file in dir of fsys. Broken front matter, unknown
// categories and related links to missing articles are errors, so a mistake
// in content fails the tests rather than the reader.
func Load(fsys fs.FS, dir string) (*Center, error) {
	paths, err := fs.Glob(fsys, path.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	md := newMarkdown()
	c := &Center{bySlug: map[string]*Article{}, byCategory: map[string][]*Article{}}
	for _, p := range paths {
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		a, err := parseArticle(strings.TrimSuffix(path.Base(p), ".md"), src, md)
		if err != nil {
			return nil, err
		}
		c.articles = append(c.articles, a)
		c.bySlug[a.Slug] = a
	}
	catRank := map[string]int{}
	for i, cat := range Categories {
		catRank[cat.ID] = i
	}
	sort.Slice(c.articles, func(i, j int) bool {
		a, b := c.articles[i], c.articles[j]
		if catRank[a.Category.ID] != catRank[b.Category.ID] {
			return catRank[a.Category.ID] < catRank[b.Category.ID]
		}
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return a.Title < b.Title
	})
	for _, a := range c.articles {
		c.byCategory[a.Category.ID] = append(c.byCategory[a.Category.ID], a)
		for _, r := range a.Related {
			if _, ok := c.bySlug[r]; !ok {
				return nil, fmt.Errorf("%s: related article %q does not exist", a.Slug, r)
			}
		}
	}
	c.index = buildIndex(c.articles)
	return c, nil
}

// Articles returns every article in display order.
func (c *Center) Articles() []*Article { return c.articles }

// Article finds one by slug.
func (c *Center) Article(slug string) (*Article, bool) {
	a, ok := c.bySlug[slug]
	return a, ok
}

// InCategory lists a category's articles in display order.
func (c *Center) InCategory(id string) []*Article { return c.byCategory[id] }

// Category finds a category by id.
func (c *Center) Category(id string) (Category, bool) { return categoryByID(id) }

// RelatedTo lists the article's related articles as written, topped up from
// its own category, at most n.
func (c *Center) RelatedTo(a *Article, n int) []*Article {
	var out []*Article
	seen := map[string]bool{a.Slug: true}
	add := func(b *Article) {
		if len(out) < n && !seen[b.Slug] {
			seen[b.Slug] = true
			out = append(out, b)
		}
	}
	for _, slug := range a.Related {
		add(c.bySlug[slug])
	}
	for _, b := range c.byCategory[a.Category.ID] {
		add(b)
	}
	return out
}
